/**
 * @tsvoip/stack benchmark: the transaction layer against SIP.js's (measured in the same run).
 * Run: npm run bench -w @tsvoip/stack
 */
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRequest, createResponse } from '@tsvoip/sip';
import {
  constructOutgoingResponse,
  type IncomingRequestMessage,
  type IncomingResponseMessage,
  InviteClientTransaction,
  LoggerFactory,
  NonInviteClientTransaction,
  NonInviteServerTransaction,
  OutgoingRequestMessage,
  Parser,
  URI,
} from 'sip.js/lib/core/index.js';
import type { SipAddress } from '../src/core/address.js';
import { DeadlineQueue } from '../src/core/deadline-queue.js';
import { SipStack } from '../src/core/stack.js';

const RUNS = 5;
// A collectable heap for the memory rows without needing `node --expose-gc`.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const A: SipAddress = { transport: 'UDP', host: '10.0.0.1', port: 5060 };
const B: SipAddress = { transport: 'UDP', host: '10.0.0.2', port: 5060 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function measure(fn: () => number): number {
  fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) out.push(fn());
  return median(out);
}

// ---- non-INVITE transactions, UAC core ↔ UAS core, bytes parsed and serialized both ways ----------

function tsvoipTransactions(n: number): number {
  let seq = 0;
  const random = () => (++seq).toString(36);
  const alice = new SipStack({ localAddresses: [A], random });
  const bob = new SipStack({ localAddresses: [B], random });
  let done = 0;
  const pump = (now: number) => {
    let moved = true;
    while (moved) {
      moved = false;
      for (let o = alice.pollOutput(now); o !== undefined; o = alice.pollOutput(now)) {
        if (o.type === 'transmit') {
          bob.handleInput({ type: 'datagram', bytes: o.bytes, source: A, local: B }, now);
          moved = true;
        } else if (o.type === 'event' && o.event.type === 'response' && o.event.response.status >= 200)
          done++;
      }
      for (let o = bob.pollOutput(now); o !== undefined; o = bob.pollOutput(now)) {
        if (o.type === 'transmit') {
          alice.handleInput({ type: 'datagram', bytes: o.bytes, source: B, local: A }, now);
          moved = true;
        } else if (o.type === 'event' && o.event.type === 'request') {
          bob.sendResponse(
            o.event.transactionId,
            createResponse(o.event.request, 200, undefined, { toTag: 'b' }),
            now,
          );
          moved = true;
        }
      }
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const req = createRequest({
      method: 'OPTIONS',
      requestUri: 'sip:bob@10.0.0.2',
      from: '<sip:alice@10.0.0.1>',
      to: '<sip:bob@10.0.0.2>',
      callId: `c${i}`,
      cseq: 1,
      random,
    });
    alice.sendRequest(req, B, i);
    pump(i);
  }
  const ms = performance.now() - t0;
  if (done !== n) throw new Error(`tsvoip: ${done}/${n} transactions completed`);
  return (n / ms) * 1000;
}

const lf = new LoggerFactory();
lf.builtinEnabled = false;
const logger = lf.getLogger('bench');

function sipjsTransactions(n: number): number {
  let done = 0;
  const servers: NonInviteServerTransaction[] = [];
  const clients: NonInviteClientTransaction[] = [];
  let current: NonInviteClientTransaction | undefined;
  // Wire queue, pumped after each transaction starts (SIP.js sends from its constructors).
  const wire: Array<[boolean, string]> = [];
  const toClient = {
    protocol: 'UDP',
    send(message: string): Promise<void> {
      wire.push([true, message]);
      return Promise.resolve();
    },
  };
  const toServer = {
    protocol: 'UDP',
    send(message: string): Promise<void> {
      wire.push([false, message]);
      return Promise.resolve();
    },
  };
  const pump = () => {
    for (let m = wire.shift(); m !== undefined; m = wire.shift()) {
      if (m[0]) {
        current!.receiveResponse(Parser.parseMessage(m[1], logger) as IncomingResponseMessage);
        continue;
      }
      const req = Parser.parseMessage(m[1], logger) as IncomingRequestMessage;
      const st = new NonInviteServerTransaction(req, toClient, { loggerFactory: lf });
      servers.push(st);
      st.receiveResponse(200, constructOutgoingResponse(req, { statusCode: 200, toTag: 'b' }).message);
    }
  };
  const ruri = new URI('sip', 'bob', '10.0.0.2');
  const from = new URI('sip', 'alice', '10.0.0.1');
  const user = {
    loggerFactory: lf,
    receiveResponse(r: IncomingResponseMessage) {
      if (r.statusCode !== undefined && r.statusCode >= 200) done++;
    },
  };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const req = new OutgoingRequestMessage('OPTIONS', ruri, from, ruri, {
      callId: `c${i}`,
      cseq: 1,
      viaHost: '10.0.0.1',
    });
    current = new NonInviteClientTransaction(req, toServer, user);
    clients.push(current);
    pump();
  }
  const ms = performance.now() - t0;
  for (const t of clients) t.dispose();
  for (const t of servers) t.dispose();
  if (done !== n) throw new Error(`sip.js: ${done}/${n} transactions completed`);
  return (n / ms) * 1000;
}

// ---- 100k live INVITE client transactions (UDP: Timer A and B running) ----------------------------

function tsvoipLive(n: number): { ms: number; mb: number; entries: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const stack = new SipStack({ localAddresses: [A] });
  for (let i = 0; i < n; i++) {
    const req = createRequest({
      method: 'INVITE',
      requestUri: 'sip:bob@10.0.0.2',
      from: '<sip:alice@10.0.0.1>',
      to: '<sip:bob@10.0.0.2>',
      callId: `c${i}`,
    });
    stack.sendRequest(req, B, 0);
    while (stack.pollOutput(0) !== undefined);
  }
  const ms = performance.now() - t0;
  gc();
  const mb = (process.memoryUsage().heapUsed - before) / 1e6;
  return { ms, mb, entries: stack.deadlineEntries };
}

function sipjsLive(n: number): { ms: number; mb: number; timers: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const sink = { protocol: 'UDP', send: (_m: string) => Promise.resolve() };
  const ruri = new URI('sip', 'bob', '10.0.0.2');
  const from = new URI('sip', 'alice', '10.0.0.1');
  const user = { loggerFactory: lf };
  const t0 = performance.now();
  const txns: InviteClientTransaction[] = [];
  for (let i = 0; i < n; i++) {
    const req = new OutgoingRequestMessage('INVITE', ruri, from, ruri, {
      callId: `c${i}`,
      viaHost: '10.0.0.1',
    });
    txns.push(new InviteClientTransaction(req, sink, user));
  }
  const ms = performance.now() - t0;
  gc();
  const mb = (process.memoryUsage().heapUsed - before) / 1e6;
  for (const t of txns) t.dispose();
  // Timers A and B: one Node timer each per transaction.
  return { ms, mb, timers: 2 * n };
}

// ---- the deadline queue against one Node timer per deadline ---------------------------------------

function heapScheduleCancel(n: number): number {
  const q = new DeadlineQueue<number>();
  const t0 = performance.now();
  const ds = [];
  for (let i = 0; i < n; i++) ds.push(q.schedule(32000 + (i % 1000), i));
  for (const d of ds) q.cancel(d);
  return performance.now() - t0;
}

function nodeTimersScheduleCancel(n: number): number {
  const noop = () => {};
  const t0 = performance.now();
  const ts = [];
  for (let i = 0; i < n; i++) ts.push(setTimeout(noop, 32000 + (i % 1000)));
  for (const t of ts) clearTimeout(t);
  return performance.now() - t0;
}

// ---- report -----------------------------------------------------------------------------------------

const rows: Array<[string, string, string, string, string]> = [];
const fmt = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const ours = measure(() => tsvoipTransactions(20_000));
// SIP.js parses with a PEG grammar (~2 ms a message here): fewer transactions per run.
const theirs = measure(() => sipjsTransactions(1_000));
rows.push([
  'non-INVITE transactions/s (UAC+UAS, parse+serialize; higher is better)',
  fmt(ours),
  `${fmt(theirs)} (SIP.js 0.21)`,
  `${(ours / theirs).toFixed(2)}x`,
  '>= peer',
]);

const N = 100_000;
const liveOurs = [tsvoipLive(N), tsvoipLive(N), tsvoipLive(N)];
const liveTheirs = [sipjsLive(N), sipjsLive(N), sipjsLive(N)];
const mOursMs = median(liveOurs.map((x) => x.ms));
const mTheirsMs = median(liveTheirs.map((x) => x.ms));
rows.push([
  '100k live INVITE client txns: time to start (ms; lower is better)',
  fmt(mOursMs),
  `${fmt(mTheirsMs)} (SIP.js)`,
  `${(mOursMs / mTheirsMs).toFixed(2)}x`,
  '-',
]);
const mbOurs = median(liveOurs.map((x) => x.mb));
const mbTheirs = median(liveTheirs.map((x) => x.mb));
rows.push([
  '100k live INVITE client txns: heap (MB; lower is better)',
  fmt(mbOurs, 1),
  `${fmt(mbTheirs, 1)} (SIP.js)`,
  `${(mbOurs / mbTheirs).toFixed(2)}x`,
  '-',
]);
rows.push([
  '100k live INVITE client txns: timer entries',
  fmt(liveOurs[0].entries),
  `${fmt(liveTheirs[0].timers)} Node timers (SIP.js)`,
  '-',
  '100k heap entries',
]);

const hq = measure(() => heapScheduleCancel(N));
const nt = measure(() => nodeTimersScheduleCancel(N));
rows.push([
  'schedule+cancel 100k deadlines (ms; lower is better)',
  fmt(hq, 1),
  `${fmt(nt, 1)} (setTimeout/clearTimeout)`,
  `${(hq / nt).toFixed(2)}x`,
  '-',
]);

console.log(
  `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}; median of ${RUNS} runs after a warm-up (live: median of 3; tsvoip 20k, SIP.js 1k transactions per run)`,
);
const header: [string, string, string, string, string] = [
  'metric',
  'tsvoip',
  'peer',
  'ratio (tsvoip/peer)',
  'goal',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
