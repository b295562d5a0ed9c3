/** baresip's SIP trace (`baresip -s`: every message with its transport and addresses) as messages. */

/** One SIP message of baresip's trace. */
export interface TracedMessage {
  /** `UDP`, `TCP` or `TLS`. */
  readonly transport: string;
  /** `sent` by baresip or `received` by it. */
  readonly way: 'sent' | 'received';
  /** The first line (`INVITE sip:... SIP/2.0`, `SIP/2.0 200 OK`). */
  readonly startLine: string;
  /** Method (requests) or CSeq method (responses). */
  readonly method: string;
  /** Status code of a response, 0 for a request. */
  readonly status: number;
  /** The whole message text. */
  readonly text: string;
}

/**
 * Splits baresip 1.0's SIP trace into messages. Each message is printed as a line
 * `<TCP|UDP> <src> -> <dst>` followed by the message (and whatever else baresip logged up to the
 * next one). `ownPort` is baresip's SIP port, which tells what it sent from what it received.
 */
export function parseSipTrace(log: string, ownPort: number): TracedMessage[] {
  const out: TracedMessage[] = [];
  const lines = log.split(/\r?\n/);
  const head = /^(UDP|TCP|TLS) (\S+):(\d+) -> (\S+):(\d+)\s*$/;
  for (let i = 0; i < lines.length; i++) {
    const m = head.exec(lines[i]);
    if (m === null) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !head.test(lines[j]); j++) body.push(lines[j]);
    const startLine = body[0] ?? '';
    const text = body.join('\n');
    const cseq = /^CSeq:\s*\d+\s+(\S+)/im.exec(text);
    const status = /^SIP\/2\.0 (\d{3})/.exec(startLine);
    // The top Via is the request's sender (RFC 3261 §8.1.1.7, §8.2.6.2): ours on what we sent and
    // on the responses to our requests. Ports alone do not tell: TCP connections use ephemeral ones.
    const via = /^Via:\s*SIP\/2\.0\/\S+\s+[^:;\s]+:(\d+)/im.exec(text);
    const viaIsOurs = via !== null && Number(via[1]) === ownPort;
    out.push({
      transport: m[1],
      way: viaIsOurs === (status === null) ? 'sent' : 'received',
      startLine,
      method: status === null ? startLine.split(' ')[0] : (cseq?.[1] ?? ''),
      status: status === null ? 0 : Number(status[1]),
      text,
    });
    i = j - 1;
  }
  return out;
}
