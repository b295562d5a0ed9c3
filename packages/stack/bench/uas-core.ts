/**
 * Micro-benchmark of the server-side hot path of the stack core, as `tsvoip uas` uses it: one
 * {@link SipStack} fed pre-built INVITE / ACK / BYE datagrams (sipp's `uac` scenario), with a
 * minimal transaction user answering 180 + 200 and 200 to the BYE. Simulated time advances at
 * `--rate` calls/s so Timer L (INVITE) and Timer J (BYE) keep 64*T1 = 32 s of transactions alive,
 * as in the real benchmark. Prints CPU µs per call, GC time per call and retained heap per live
 * call, median of several runs.
 *
 * Run: node --conditions=source --import tsx bench/uas-core.ts [--rate 8000] [--calls 400000]
 *      [--runs 5] [--src <dir with core/stack.ts>]   (--src: compare against another copy)
 */
import { cpus } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createResponse } from '@tsvoip/sip';
import type { SipAddress } from '../src/core/address.js';
import type { SipStack as SipStackType } from '../src/core/stack.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const RATE = Number(arg('rate', '8000'));
const CALLS = Number(arg('calls', '400000'));
const RUNS = Number(arg('runs', '5'));
const SRC = arg('src', new URL('../src', import.meta.url).pathname);
const { SipStack } = (await import(`${SRC}/core/stack.ts`)) as { SipStack: typeof SipStackType };

const UAS: SipAddress = { transport: 'UDP', host: '127.0.0.1', port: 5080 };
const UAC: SipAddress = { transport: 'UDP', host: '127.0.0.1', port: 5061 };
const CONTACT: ReadonlyArray<readonly [string, string]> = [['Contact', '<sip:uas@127.0.0.1:5080>']];
const SDP = Buffer.from(
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
);

const OFFER =
  'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

/** sipp's `uac` messages with `#########` (9 digits) where the call number goes. */
function template(method: 'INVITE' | 'ACK' | 'BYE'): { bytes: Buffer; holes: number[] } {
  const n = '#########';
  const cseq = method === 'BYE' ? '2 BYE' : `1 ${method}`;
  const toTag = method === 'INVITE' ? '' : `;tag=u${n}`;
  const body = method === 'INVITE' ? OFFER : '';
  const text =
    `${method} sip:service@127.0.0.1:5080 SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-${n}-${method === 'INVITE' ? 0 : method === 'ACK' ? 5 : 6}\r\n` +
    `From: sipp <sip:sipp@127.0.0.1:5061>;tag=4242SIPpTag00${n}\r\n` +
    `To: service <sip:service@127.0.0.1:5080>${toTag}\r\n` +
    `Call-ID: ${n}-4242@127.0.0.1\r\n` +
    `CSeq: ${cseq}\r\n` +
    'Contact: sip:sipp@127.0.0.1:5061\r\n' +
    'Max-Forwards: 70\r\n' +
    'Subject: Performance Test\r\n' +
    (method === 'INVITE' ? 'Content-Type: application/sdp\r\n' : '') +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const bytes = Buffer.from(text, 'latin1');
  const holes: number[] = [];
  for (let i = bytes.indexOf(n); i >= 0; i = bytes.indexOf(n, i + 1)) holes.push(i);
  return { bytes, holes };
}

const T = { INVITE: template('INVITE'), ACK: template('ACK'), BYE: template('BYE') };

/** A fresh copy of a template with the call number written in (the stack keeps the buffer). */
function datagram(t: { bytes: Buffer; holes: number[] }, call: number): Buffer {
  const b = Buffer.allocUnsafe(t.bytes.length);
  t.bytes.copy(b);
  for (const h of t.holes) {
    let v = call;
    for (let i = 8; i >= 0; i--) {
      b[h + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
  }
  return b;
}

function tag(call: number): string {
  return `u${String(call).padStart(9, '0')}`;
}

let window: [number, number] = [0, 0];
const gcEntries: Array<{ startTime: number; duration: number }> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcEntries.push({ startTime: e.startTime, duration: e.duration });
}).observe({ entryTypes: ['gc'] });

/** GC milliseconds inside the last run's measured window (entries arrive asynchronously). */
async function gcInWindow(): Promise<number> {
  await new Promise((r) => setTimeout(r, 50));
  let ms = 0;
  for (const e of gcEntries) if (e.startTime >= window[0] && e.startTime < window[1]) ms += e.duration;
  gcEntries.length = 0;
  return ms;
}

interface RunResult {
  usPerCall: number;
  gcUsPerCall: number;
  heapPerLiveCall: number;
  live: number;
}

function run(calls: number): RunResult {
  const stack = new SipStack({ localAddresses: [UAS] });
  let transmits = 0;
  let acks = 0;
  const step = 1000 / RATE;
  let now = 0;
  const drain = () => {
    for (let o = stack.pollOutput(now); o !== undefined; o = stack.pollOutput(now)) {
      if (o.type === 'transmit') transmits++;
      else if (o.type === 'event') {
        const e = o.event;
        if (e.type === 'request') {
          const req = e.request;
          if (req.method === 'INVITE') {
            const toTag = tag(Number(req.callId?.slice(0, 9)));
            stack.sendResponse(
              e.transactionId,
              createResponse(req, 180, undefined, { toTag, copyRecordRoute: true, headers: CONTACT }),
              now,
            );
            stack.sendResponse(
              e.transactionId,
              createResponse(req, 200, undefined, {
                toTag,
                copyRecordRoute: true,
                headers: CONTACT,
                body: SDP,
                contentType: 'application/sdp',
              }),
              now,
            );
          } else stack.sendResponse(e.transactionId, createResponse(req, 200), now);
        } else if (e.type === 'ack') acks++;
      }
    }
  };
  const warm = Math.min(calls >> 1, Math.ceil(40 * RATE)); // past 32 s: Timer L/J steady state
  let cpu0 = process.cpuUsage();
  let t0 = 0;
  for (let i = 0; i < calls; i++) {
    if (i === warm) {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
    }
    now += step;
    if (stack.nextDeadline() <= now) {
      stack.handleInput({ type: 'timer' }, now);
      drain();
    }
    stack.handleInput({ type: 'datagram', bytes: datagram(T.INVITE, i), source: UAC, local: UAS }, now);
    drain();
    stack.handleInput({ type: 'datagram', bytes: datagram(T.ACK, i), source: UAC, local: UAS }, now);
    drain();
    stack.handleInput({ type: 'datagram', bytes: datagram(T.BYE, i), source: UAC, local: UAS }, now);
    drain();
  }
  const cpu = process.cpuUsage(cpu0);
  window = [t0, performance.now()];
  if (acks !== calls || transmits !== 3 * calls) throw new Error(`bad run: ${acks} acks, ${transmits} sends`);
  const n = calls - warm;
  const live = stack.transactionCount;
  gc();
  const withStack = process.memoryUsage().heapUsed;
  return {
    usPerCall: (cpu.user + cpu.system) / n,
    gcUsPerCall: n,
    heapPerLiveCall: withStack,
    live,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

run(Math.min(CALLS, 50000)); // warm-up (JIT)
const results: RunResult[] = [];
for (let r = 0; r < RUNS; r++) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const res = run(CALLS);
  res.gcUsPerCall = ((await gcInWindow()) * 1000) / res.gcUsPerCall;
  res.heapPerLiveCall = (res.heapPerLiveCall - before) / (res.live / 2);
  results.push(res);
}
const c = cpus();
console.log(`machine: ${c.length} × ${c[0]?.model ?? '?'}, Node ${process.version}; src ${SRC}`);
console.log(`rate ${RATE} calls/s simulated, ${CALLS} calls per run, median of ${RUNS}`);
console.log('| metric | value |');
console.log('| --- | --- |');
console.log(`| CPU per call (µs, INVITE+ACK+BYE) | ${median(results.map((r) => r.usPerCall)).toFixed(2)} |`);
console.log(`| GC per call (µs) | ${median(results.map((r) => r.gcUsPerCall)).toFixed(2)} |`);
console.log(
  `| retained heap per live call (bytes, Timer L + J) | ${median(results.map((r) => r.heapPerLiveCall)).toFixed(0)} |`,
);
console.log(`| live transactions at end | ${results[0].live} |`);
