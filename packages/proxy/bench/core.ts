/**
 * In-process benchmark of the proxy core: full calls (INVITE/180/200/ACK/BYE/200) through a
 * stateful SipProxy, no sockets, virtual time. The harness plays both UAs from text templates.
 */
import { parseMessage, type SipMessage } from '@tsvoip/sip';
import type { TransmitOutput } from '@tsvoip/stack';
import { SipProxy } from '../src/proxy.js';

const PROXY = { transport: 'UDP' as const, host: '192.0.2.10', port: 5060 };
const UAC = { transport: 'UDP' as const, host: '10.0.0.1', port: 5090 };
const UAS = { transport: 'UDP' as const, host: '10.0.0.2', port: 5080 };
const SDP =
  'v=0\r\no=user1 53655765 2353687637 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

function invite(i: number): Buffer {
  return Buffer.from(
    `INVITE sip:service@10.0.0.2:5080 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5090;branch=z9hG4bK-${i}-1\r\nFrom: sipp <sip:sipp@10.0.0.1:5090>;tag=${i}SIPpTag00\r\nTo: service <sip:service@10.0.0.2:5080>\r\nCall-ID: ${i}-bench@10.0.0.1\r\nCSeq: 1 INVITE\r\nContact: sip:sipp@10.0.0.1:5090\r\nMax-Forwards: 70\r\nSubject: Performance Test\r\nContent-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`,
  );
}

/** A response to a forwarded request, built like a UAS would (Vias, RR, From, To, Call-ID, CSeq copied). */
function respond(req: SipMessage, status: number, reason: string, toTag: boolean): Buffer {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const v of req.getHeaders('Via')) lines.push(`Via: ${v}`);
  for (const r of req.getHeaders('Record-Route')) lines.push(`Record-Route: ${r}`);
  lines.push(`From: ${req.getHeader('From')}`);
  lines.push(`To: ${req.getHeader('To')}${toTag && req.to?.tag === undefined ? ';tag=uas1' : ''}`);
  lines.push(`Call-ID: ${req.callId}`, `CSeq: ${req.getHeader('CSeq')}`);
  if (status === 200 && req.method === 'INVITE') lines.push('Contact: <sip:service@10.0.0.2:5080>');
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'));
}

function inDialog(method: string, i: number, cseq: number, branch: string): Buffer {
  return Buffer.from(
    `${method} sip:service@10.0.0.2:5080 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5090;branch=z9hG4bK-${i}-${branch}\r\nRoute: <sip:192.0.2.10:5060;lr>\r\nFrom: sipp <sip:sipp@10.0.0.1:5090>;tag=${i}SIPpTag00\r\nTo: service <sip:service@10.0.0.2:5080>;tag=uas1\r\nCall-ID: ${i}-bench@10.0.0.1\r\nCSeq: ${cseq} ${method}\r\nContact: sip:sipp@10.0.0.1:5090\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** Runs `calls` calls; returns calls per second of wall time. */
export function runCoreCalls(calls: number, startIndex = 0): number {
  const out: TransmitOutput[] = [];
  let now = 0;
  let deadline = Infinity;
  const proxy = new SipProxy({ localAddresses: [PROXY], timers: { trying: 1_000_000 } });
  proxy.attach({ transmit: (o) => out.push(o), schedule: (at) => (deadline = at), now: () => now });
  const feed = (bytes: Buffer, from: typeof UAC) =>
    proxy.handleInput({ type: 'datagram', bytes, source: from, local: PROXY }, now);
  const take = (): SipMessage => {
    const o = out.shift();
    if (o === undefined) throw new Error('the proxy sent nothing');
    return parseMessage(o.bytes, { stream: false });
  };
  const t0 = performance.now();
  for (let k = 0; k < calls; k++) {
    const i = startIndex + k;
    now += 1;
    if (deadline <= now) proxy.handleInput({ type: 'timer' }, now);
    out.length = 0;
    feed(invite(i), UAC);
    const fwd = take();
    feed(respond(fwd, 180, 'Ringing', true), UAS);
    feed(respond(fwd, 200, 'OK', true), UAS);
    out.length = 0;
    feed(inDialog('ACK', i, 1, 'ack'), UAC);
    feed(inDialog('BYE', i, 2, 'bye'), UAC);
    const bye = take();
    if (bye.method !== 'ACK') throw new Error(`expected the ACK first, got ${bye.method}`);
    const byeOut = take();
    feed(respond(byeOut, 200, 'OK', false), UAS);
    if (out.length !== 1) throw new Error(`BYE 200 not forwarded (${out.length})`);
  }
  return calls / ((performance.now() - t0) / 1000);
}
