/**
 * In-process benchmark of `tsvoip uas`'s work per call without sockets: the stack core and the
 * transaction-layer responder fed sipp's uac-bench calls (INVITE with SDP, ACK, BYE) as datagrams
 * on virtual time at a fixed call rate, so transactions pile up and expire (RFC 6026 Timers L and
 * J, 32 s) as they do under sipp. Prints CPU µs per call and GC figures of the steady state (after
 * the first 64*T1 of virtual time). What the sipp bench adds on top is the kernel and libuv.
 *
 *   node --conditions=source --import tsx bench/uas-core.ts [calls/s] [seconds]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { SipStack, type StackEvent, type StackOutput } from '@tsvoip/stack';
import { UasResponder } from '../src/uas/responder.js';
import { SdpAnswerer } from '../src/uas/sdp-answerer.js';

const RATE = Number(process.argv[2] ?? 2000);
const SECONDS = Number(process.argv[3] ?? 60);
const WARM_SECONDS = 34; // past 64*T1: Timer L/J expiries are part of the measured steady state
const UAS = { transport: 'UDP' as const, host: '127.0.0.1', port: 15090 };
const UAC = { transport: 'UDP' as const, host: '127.0.0.1', port: 15091 };
const SDP =
  'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
const PID = 4242;

function request(method: string, i: number, cseq: number, toTag: string, body = ''): Buffer {
  const head =
    `${method} sip:service@127.0.0.1:15090 SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:15091;branch=z9hG4bK-${PID}-${i}-${cseq}${method === 'ACK' ? '-ack' : ''}\r\n` +
    `From: sipp <sip:sipp@127.0.0.1:15091>;tag=${PID}SIPpTag00${i}\r\n` +
    `To: service <sip:service@127.0.0.1:15090>${toTag === '' ? '' : `;tag=${toTag}`}\r\n` +
    `Call-ID: ${i}-${PID}@127.0.0.1\r\nCSeq: ${cseq} ${method}\r\nContact: sip:sipp@127.0.0.1:15091\r\n` +
    `Max-Forwards: 70\r\nSubject: Performance Test\r\n` +
    (body === '' ? '' : 'Content-Type: application/sdp\r\n') +
    `Content-Length: ${body.length}\r\n\r\n${body}`;
  return Buffer.from(head, 'latin1');
}

/** The To tag of a response's bytes (the harness's one read of what the UAS sent). */
function toTagOf(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).latin1Slice(0, bytes.length);
  const at = s.indexOf(';tag=', s.indexOf('\nTo:'));
  return s.slice(at + 5, s.indexOf('\r', at));
}

const stack = new SipStack({
  localAddresses: [UAS],
  allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE', 'INFO', 'REGISTER'],
});
const noop = () => {};
const logger = { debug: noop, info: noop, warn: noop, error: noop } as never;
const responder = new UasResponder({
  contact: '<sip:uas@127.0.0.1:15090>',
  answerer: new SdpAnswerer({ address: '127.0.0.1', port: 40000, sessionId: '1234' }),
  tagPrefix: 'a1b2c3d4e5f6',
  logger,
});

let sent = 0;
let lastFinal: Uint8Array | undefined;
function drain(now: number): void {
  for (let o: StackOutput | undefined = stack.pollOutput(now); o !== undefined; o = stack.pollOutput(now)) {
    if (o.type === 'transmit') {
      sent++;
      lastFinal = o.bytes;
    } else if (o.type === 'event') responder.handleEvent(o.event as StackEvent, stack, now);
  }
}
function feed(bytes: Buffer, now: number): void {
  stack.handleInput({ type: 'datagram', bytes, source: UAC, local: UAS }, now);
  drain(now);
}
function timers(now: number): void {
  stack.handleInput({ type: 'timer' }, now);
  responder.handleTimer(stack, now);
  drain(now);
}

let gcMs = 0;
let gcs = 0;
let measuring = false;
new PerformanceObserver((list) => {
  if (!measuring) return;
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    gcs++;
  }
}).observe({ entryTypes: ['gc'] });

const total = RATE * SECONDS;
const warm = RATE * WARM_SECONDS;
let cpu0 = process.cpuUsage();
let t0 = performance.now();
for (let i = 0; i < total; i++) {
  if (i === warm) {
    measuring = true;
    cpu0 = process.cpuUsage();
    t0 = performance.now();
  }
  // Yield now and then: GC entries reach the PerformanceObserver only from the event loop.
  if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  const now = (i * 1000) / RATE;
  const next = Math.min(stack.nextDeadline(), responder.nextDeadline());
  if (next <= now) timers(now);
  feed(request('INVITE', i, 1, '', SDP), now);
  const tag = toTagOf(lastFinal as Uint8Array);
  feed(request('ACK', i, 1, tag), now + 0.1);
  feed(request('BYE', i, 2, tag), now + 0.2);
}
const cpu = process.cpuUsage(cpu0);
await new Promise((resolve) => setImmediate(resolve));
// `SNAP=file` writes a heap snapshot at the end (what the live transactions keep).
if (process.env.SNAP) (await import('node:v8')).writeHeapSnapshot(process.env.SNAP);
const wall = performance.now() - t0;
const calls = total - warm;
if (sent < total * 3) throw new Error(`only ${sent} responses for ${total} calls`);
console.log(
  `uas core, ${RATE} calls/s virtual, ${calls} calls measured after ${WARM_SECONDS} s: ` +
    `${((cpu.user + cpu.system) / calls).toFixed(1)} µs CPU per call (${((wall * 1000) / calls).toFixed(1)} µs wall), ` +
    `GC ${gcs} pauses, ${((gcMs * 1000) / calls).toFixed(1)} µs per call on the main thread, ` +
    `heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, live calls ${responder.callCount}`,
);
