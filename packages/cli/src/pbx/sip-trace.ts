/** `--sip-trace`: every SIP message received and sent, one pino line each with its text. */

import { serializeMessage } from '@tsvoip/sip';
import type { ReceivedMessage, SendTarget, TransportProtocol } from '@tsvoip/transport';
import type { Logger } from 'pino';

/** The two hooks of a transport split. */
export interface SipTrace {
  /** A message arrived. */
  readonly received: (m: ReceivedMessage) => void;
  /** A message is being sent. */
  readonly sent: (protocol: TransportProtocol, target: SendTarget, bytes: Uint8Array) => void;
}

function callIdOf(text: string): string | undefined {
  // A trace line is for people: a simple scan for the Call-ID (or compact i:) header is enough.
  const m = /\r\n(?:call-id|i)[ \t]*:[ \t]*([^\r\n]*)/i.exec(text);
  return m?.[1]?.trim();
}

/** Trace hooks logging at info level on `logger`. */
export function createSipTrace(logger: Logger): SipTrace {
  return {
    received: (m) => {
      const text = Buffer.from(serializeMessage(m.message)).toString('utf8');
      logger.info(
        {
          dir: 'in',
          transport: m.source.transport,
          from: `${m.source.host}:${m.source.port}`,
          callId: m.message.callId,
        },
        text,
      );
    },
    sent: (protocol, target, bytes) => {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      logger.info(
        { dir: 'out', transport: protocol, to: `${target.address}:${target.port}`, callId: callIdOf(text) },
        text,
      );
    },
  };
}
