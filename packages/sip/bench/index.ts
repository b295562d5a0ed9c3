/**
 * @tsvoip/sip benchmark: parse and serialize throughput against npm `sip`, JsSIP and SIP.js,
 * measured in the same run on the same corpus (corpus.ts). Prints one table.
 *
 *   npm run bench -w @tsvoip/sip
 */
import { cpus, loadavg } from 'node:os';
import { createResponse, parseMessage, type SipMessage, serializeMessage } from '../src/index.js';
import { CORPUS, INVITE } from './corpus.js';
import {
  jssipParse,
  jssipParseRead,
  jssipReply,
  type NpmSipMessage,
  npmSip,
  npmSipParseRead,
  sipJsParse,
  sipJsParseRead,
  sipJsRespond,
} from './peers.js';

const RUNS = 9;
const RUN_MS = 150;
let sink = 0;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Iterations of `fn` that take about RUN_MS, after a warm-up. */
function calibrate(fn: (i: number) => number): number {
  const warmEnd = performance.now() + 300;
  let i = 0;
  while (performance.now() < warmEnd) for (let k = 0; k < 1000; k++) sink += fn(i++);
  let n = 1000;
  for (;;) {
    const t0 = performance.now();
    for (let k = 0; k < n; k++) sink += fn(k);
    const dt = performance.now() - t0;
    if (dt > RUN_MS / 4) return Math.max(1000, Math.round((n * RUN_MS) / dt));
    n *= 4;
  }
}

/**
 * Ops/s of each function: RUNS rounds, each timing every function once in turn, so a change in
 * machine load hits all sides of a round alike. Returns the median rate of each function and,
 * for each function after the first, the median over rounds of (first's rate / its rate).
 */
function race(fns: ReadonlyArray<(i: number) => number>): {
  rates: number[];
  ratios: number[];
  rounds: number[][];
} {
  const ns = fns.map(calibrate);
  const perFn: number[][] = fns.map(() => []);
  const perRatio: number[][] = fns.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    const round = fns.map((fn, j) => {
      const n = ns[j];
      const t0 = performance.now();
      for (let k = 0; k < n; k++) sink += fn(k);
      return n / ((performance.now() - t0) / 1000);
    });
    round.forEach((x, j) => {
      perFn[j].push(x);
      perRatio[j].push(round[0] / x);
    });
  }
  return { rates: perFn.map(median), ratios: perRatio.map(median), rounds: perFn };
}

/** Median over rounds of side `i`'s rate divided by side `j`'s. */
function pairRatio(rounds: number[][], i: number, j: number): number {
  return median(rounds[i].map((x, r) => x / rounds[j][r]));
}

/** Like {@link race}, over fresh items made by `make` outside the timed region. */
function raceBatch(sides: ReadonlyArray<{ make: () => unknown; work: (t: never) => number }>, batch = 5000) {
  const perFn: number[][] = sides.map(() => []);
  const perRatio: number[][] = sides.map(() => []);
  const once = (side: (typeof sides)[number]) => {
    const xs = Array.from({ length: batch }, side.make) as never[];
    const t0 = performance.now();
    for (let k = 0; k < xs.length; k++) sink += side.work(xs[k]);
    return xs.length / ((performance.now() - t0) / 1000);
  };
  for (let w = 0; w < 3; w++) sides.forEach(once);
  for (let r = 0; r < RUNS; r++) {
    const round = sides.map(once);
    round.forEach((x, j) => {
      perFn[j].push(x);
      perRatio[j].push(round[0] / x);
    });
  }
  return { rates: perFn.map(median), ratios: perRatio.map(median) };
}

// ---- (a) parse + read ---------------------------------------------------------------------------
const bytes = CORPUS.map((s) => Buffer.from(s, 'latin1'));
const lazy = { validate: false };

function readA(m: SipMessage): number {
  let x = (m.via[0].branch ?? '').length + (m.from?.tag ?? '').length + (m.to?.tag ?? '').length;
  x += (m.callId ?? '').length + (m.cseq?.seq ?? 0);
  const u = m.parsedRequestUri;
  if (u !== undefined && u.kind === 'sip') x += u.host.length;
  const c = m.contact[0];
  if (c !== undefined && c !== '*' && c.uri.kind === 'sip') x += c.uri.host.length;
  return x;
}

const results: { metric: string; ours: number; peer: string; theirs: number; ratio: number; goal: string }[] =
  [];
const add = (metric: string, ours: number, peer: string, theirs: number, ratio: number, goal = '—') =>
  results.push({ metric, ours, peer, theirs, ratio, goal });

const a = race([
  (i) => readA(parseMessage(bytes[i % 6])),
  (i) => npmSipParseRead(CORPUS[i % 6]),
  (i) => jssipParseRead(CORPUS[i % 6]),
  (i) => sipJsParseRead(CORPUS[i % 6]),
  (i) => readA(parseMessage(bytes[i % 6], lazy)),
]);
add('(a) parse+read, msgs/s', a.rates[0], 'npm sip', a.rates[1], a.ratios[1], '≥ 8×');
add('(a) parse+read, msgs/s', a.rates[0], 'JsSIP', a.rates[2], a.ratios[2]);
add('(a) parse+read, msgs/s', a.rates[0], 'SIP.js', a.rates[3], a.ratios[3]);
add(
  '(a) parse+read validate:false, msgs/s',
  a.rates[4],
  'npm sip',
  a.rates[1],
  pairRatio(a.rounds, 4, 1),
  '≥ 8×',
);

// ---- (b) serialize ------------------------------------------------------------------------------
const inviteBytes = Buffer.from(INVITE, 'latin1');
const ourInvite = parseMessage(inviteBytes);
const npmInvite = npmSip.parse(INVITE);
const jsInvite = jssipParse(INVITE);
const sipJsInvite = sipJsParse(INVITE);

const resp = race([
  () => serializeMessage(createResponse(ourInvite, 200, undefined, { toTag: 'a6c85cf' })).length,
  () => {
    const r = npmSip.makeResponse(npmInvite, 200, 'OK');
    r.headers.to = { ...r.headers.to, params: { ...r.headers.to.params, tag: 'a6c85cf' } };
    return npmSip.stringify(r).length;
  },
  () => jssipReply(jsInvite),
  () => sipJsRespond(sipJsInvite),
]);
add('(b) 200 response build+serialize, /s', resp.rates[0], 'npm sip', resp.rates[1], resp.ratios[1], '≥ 4×');
add('(b) 200 response build+serialize, /s', resp.rates[0], 'JsSIP', resp.rates[2], resp.ratios[2]);
add('(b) 200 response build+serialize, /s', resp.rates[0], 'SIP.js', resp.rates[3], resp.ratios[3]);

const proxy = raceBatch([
  {
    make: () => parseMessage(inviteBytes),
    work: (m: SipMessage) => {
      m.addHeader('Via', 'SIP/2.0/UDP proxy.example.com:5060;branch=z9hG4bKproxy1', { position: 'first' });
      m.setHeader('Max-Forwards', String((m.maxForwards ?? 70) - 1));
      return serializeMessage(m).length;
    },
  },
  {
    make: () => npmSip.parse(INVITE),
    work: (m: NpmSipMessage) => {
      m.headers.via.unshift({
        version: '2.0',
        protocol: 'UDP',
        host: 'proxy.example.com',
        port: 5060,
        params: { branch: 'z9hG4bKproxy1' },
      });
      m.headers['max-forwards'] = Number(m.headers['max-forwards']) - 1;
      return npmSip.stringify(m).length;
    },
  },
]);
add(
  '(b) proxied INVITE mutate+serialize, /s',
  proxy.rates[0],
  'npm sip',
  proxy.rates[1],
  proxy.ratios[1],
  '≥ 4×',
);

// ---- table --------------------------------------------------------------------------------------
const k = (n: number) => `${(n / 1000).toFixed(n < 10000 ? 1 : 0)}k`;
const rows = results.map((r) => [
  r.metric,
  k(r.ours),
  `${r.peer} ${k(r.theirs)}`,
  `${r.ratio.toFixed(2)}×`,
  r.goal,
]);
const head = ['metric', 'tsvoip', 'peer (same run)', 'ratio', 'goal'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const cpu = cpus();
console.log(
  `machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}`,
);
console.log(
  `rates: median of ${RUNS} rounds after warm-up, each round timing every side in turn; ratio: median of per-round ratios.\ncorpus: INVITE+SDP (2 Via), 180, 200+SDP, ACK, BYE, REGISTER+Digest`,
);
console.log(line(head));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
console.log(`
(a) tsvoip: parseMessage(Buffer) [default options: eager validation of Request-URI, Via, From, To,
    Call-ID, CSeq, Max-Forwards, Contact], then read via[0].branch, from.tag, to.tag, callId,
    cseq.seq, parsedRequestUri.host, contact[0].uri.host. "validate:false" defers all header
    parsing to the reads. npm sip: sip.parse(string) + the same fields (sip.parseUri for the two
    hosts). JsSIP: Parser.parseMessage(string, stubUA) + via_branch, from_tag, to_tag, call_id,
    cseq, ruri.host, parseHeader('contact').uri.host. SIP.js: core Parser.parseMessage(string,
    logger) + viaBranch, fromTag, toTag, callId, cseq, ruri.host, parseHeader('contact').uri.host.
(b) response: tsvoip createResponse(parsed INVITE, 200, {toTag}) + serializeMessage → bytes;
    npm sip makeResponse + To tag + stringify → string; JsSIP IncomingRequest.reply(200) with a
    stub transaction capturing the text; SIP.js constructOutgoingResponse(200, toTag) → string.
    proxied: on a freshly parsed INVITE (parsing not timed) push a Via, decrement Max-Forwards,
    serialize. tsvoip → bytes (other headers copied as received); npm sip via.unshift +
    max-forwards - 1 + stringify → string (peers' strings are not encoded to bytes).
(sink ${sink > 0 ? 'ok' : '0'})`);
