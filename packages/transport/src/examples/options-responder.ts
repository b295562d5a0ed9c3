/**
 * Example: a UDP listener that answers every OPTIONS with 200 OK, applying RFC 3581 rport and
 * RFC 3261 §18.2.1 received to the top Via and sending the response where §18.2.2 says.
 *
 * Run: `node --conditions=source --import tsx packages/transport/src/examples/options-responder.ts [port]`
 * @module
 */
import { createResponse, serializeMessage } from '@tsvoip/sip';
import { UdpTransport } from '../node/udp-transport.js';
import { responseTarget, stampVia } from '../sip/via-received.js';

/** Starts the responder on `host:port`; resolves with the bound transport (close it to stop). */
export async function startOptionsResponder(host: string, port: number): Promise<UdpTransport> {
  const udp = new UdpTransport();
  udp.on('message', ({ message, source }) => {
    if (!message.isRequest || message.method !== 'OPTIONS') return;
    const [top, ...rest] = message.getHeaders('Via');
    if (top === undefined) return;
    const via = stampVia(top, { address: source.host, port: source.port });
    message.setHeader('Via', [via, ...rest]);
    const target = responseTarget(via);
    if (target === undefined) return;
    const response = createResponse(message, 200, undefined, {
      headers: [['Allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS']],
    });
    udp
      .send({ address: target.host, port: target.port }, serializeMessage(response))
      .catch((err: unknown) => {
        console.error('options-responder: send failed', err);
      });
  });
  udp.on('invalid', ({ error, source }) =>
    console.error(`options-responder: ${source.host}:${source.port}: ${error.message}`),
  );
  udp.on('transportError', (err) => console.error('options-responder:', err.message));
  await udp.listen(host, port);
  return udp;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const udp = await startOptionsResponder('127.0.0.1', Number(process.argv[2] ?? 5060));
  console.log(`answering OPTIONS on udp ${udp.listening?.host}:${udp.listening?.port}`);
}
