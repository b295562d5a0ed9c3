// REGISTER benchmark: REGISTER-with-digest per second per core through Registrar.handleRegister
// (parse + digest verify + store upsert + lookup + 200 serialize) on the memory store and on PGlite,
// against npm `sip` 0.0.6 doing the same job the way its registrar example does (sip.parse,
// digest.authenticateRequest with a per-user session, a Map of contacts, makeResponse + stringify)
// in the same run; and heap bytes per binding with 100k bindings in the memory store, against the
// same Binding objects in plain nested Maps.
// Run: npm run bench:register -w @tsvoip/registrar
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { parseMessage, type SipMessage, serializeMessage } from '@tsvoip/sip';
import { DigestClientSession, DigestServer } from '@tsvoip/stack';
import { Registrar, sipUriMatches } from '../src/registrar/index.js';
import type { Binding } from '../src/store/binding.js';
import { computeHa1 } from '../src/store/ha1.js';
import type { LocationStore } from '../src/store/location-store.js';
import { MemoryLocationStore } from '../src/store/memory-location-store.js';
import { MemoryUserStore } from '../src/store/memory-user-store.js';
import { openDatabase } from '../src/store/open-database.js';
import type { UserStore } from '../src/store/user-store.js';

const DOMAIN = 'pbx.example';
const USERS = 500;
const RUNS = 5;
const NOW = 1_700_000_000_000;
const SOURCE = { transport: 'UDP', address: '198.51.100.7', port: 5060 } as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const name = (i: number) => `${10000 + i}`;

function registerText(user: string, cseq: number, auth?: string): string {
  return (
    `REGISTER sip:${DOMAIN} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK${user}x${cseq};rport\r\n` +
    'Max-Forwards: 70\r\n' +
    `From: <sip:${user}@${DOMAIN}>;tag=f${user}\r\n` +
    `To: <sip:${user}@${DOMAIN}>\r\n` +
    `Call-ID: reg-${user}@192.0.2.10\r\n` +
    `CSeq: ${cseq} REGISTER\r\n` +
    `Contact: <sip:${user}@192.0.2.10:5060;transport=udp>;expires=3600\r\n` +
    'User-Agent: bench/1.0\r\n' +
    (auth !== undefined ? `Authorization: ${auth}\r\n` : '') +
    'Content-Length: 0\r\n\r\n'
  );
}

// ---------- tsvoip ----------
interface TsvoipRig {
  registrar: Registrar;
  clients: DigestClientSession[];
  cseq: number[];
}

async function tsvoipRig(locations: LocationStore, users: UserStore): Promise<TsvoipRig> {
  for (let i = 0; i < USERS; i++) {
    if ((await users.get(name(i))) === undefined) {
      await users.add({ username: name(i), realm: DOMAIN, password: `pw${i}` }, NOW);
    }
  }
  // MD5 only, like the peer (the client would otherwise pick SHA-256).
  const digest = new DigestServer({
    realm: DOMAIN,
    secret: new Uint8Array(32).fill(3),
    algorithms: ['MD5'],
    uriMatches: sipUriMatches,
  });
  const registrar = new Registrar({ domains: [DOMAIN], locations, users, digest });
  const clients: DigestClientSession[] = [];
  const cseq: number[] = [];
  for (let i = 0; i < USERS; i++) {
    const challenge = await registrar.handleRegister(parseMessage(registerText(name(i), 1)), SOURCE, NOW);
    const client = new DigestClientSession({ credentials: { username: name(i), password: `pw${i}` } });
    const a = client.respond(
      { statusCode: challenge.status, challenges: challenge.getHeaders('WWW-Authenticate') },
      { method: 'REGISTER', uri: `sip:${DOMAIN}`, authorization: [] },
    );
    if (!a.ok) throw a.error;
    clients.push(client);
    cseq.push(1);
  }
  return { registrar, clients, cseq };
}

/** `ops` authorized REGISTERs as wire bytes (client work done here, outside the timing). */
function tsvoipInputs(rig: TsvoipRig, ops: number): Buffer[] {
  const out: Buffer[] = [];
  for (let k = 0; k < ops; k++) {
    const i = k % USERS;
    const [h] = rig.clients[i]?.authorize({ method: 'REGISTER', uri: `sip:${DOMAIN}` }) ?? [];
    rig.cseq[i] = (rig.cseq[i] as number) + 1;
    out.push(Buffer.from(registerText(name(i), rig.cseq[i] as number, h?.value)));
  }
  return out;
}

/** CPU seconds (user + system, all threads) since `c0`: steadier than wall time on a loaded machine. */
function cpuSeconds(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

async function tsvoipRate(rig: TsvoipRig, inputs: Buffer[]): Promise<number> {
  const c0 = process.cpuUsage();
  for (const bytes of inputs) {
    const res: SipMessage = await rig.registrar.handleRegister(parseMessage(bytes), SOURCE, NOW);
    if (res.status !== 200) throw new Error(`tsvoip answered ${res.status}`);
    serializeMessage(res);
  }
  return inputs.length / cpuSeconds(c0);
}

// ---------- npm sip 0.0.6 ----------
interface NpmSipMessage {
  method?: string;
  status?: number;
  uri: string;
  headers: Record<string, unknown> & { to: { uri: string }; contact?: Array<{ uri: string }> };
}
interface NpmSip {
  parse(s: string): NpmSipMessage;
  stringify(m: NpmSipMessage): string;
  makeResponse(rq: NpmSipMessage, status: number, reason: string): NpmSipMessage;
  parseUri(s: string): { user: string };
}
interface NpmDigest {
  challenge(ctx: object, rs: NpmSipMessage): NpmSipMessage;
  authenticateRequest(ctx: object, rq: NpmSipMessage, creds: { user: string; hash: string }): boolean;
  signRequest(ctx: object, rq: NpmSipMessage, rs?: NpmSipMessage, creds?: object): object | null;
}
const require = createRequire(import.meta.url);
const sip = require('sip') as NpmSip;
const sipDigest = require('sip/digest') as NpmDigest;

interface PeerRig {
  sessions: object[];
  clients: object[];
  ha1: string[];
  cseq: number[];
  contacts: Map<string, unknown>;
}

function peerRig(): PeerRig {
  const rig: PeerRig = { sessions: [], clients: [], ha1: [], cseq: [], contacts: new Map() };
  for (let i = 0; i < USERS; i++) {
    const rq = sip.parse(registerText(name(i), 1));
    const session = { realm: DOMAIN };
    const rs = sipDigest.challenge(session, sip.makeResponse(rq, 401, 'Unauthorized'));
    const client = {};
    const rq2 = sip.parse(registerText(name(i), 2));
    sipDigest.signRequest(client, rq2, rs, { user: name(i), password: `pw${i}` });
    const ha1 = computeHa1('MD5', name(i), DOMAIN, `pw${i}`);
    // The server consumes nc=1 here, so client and server nonce counts stay in step.
    if (
      !sipDigest.authenticateRequest(session, sip.parse(sip.stringify(rq2)), { user: name(i), hash: ha1 })
    ) {
      throw new Error('npm sip: set-up authentication failed');
    }
    rig.sessions.push(session);
    rig.clients.push(client);
    rig.ha1.push(ha1);
    rig.cseq.push(2);
  }
  return rig;
}

function peerInputs(rig: PeerRig, ops: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < ops; k++) {
    const i = k % USERS;
    rig.cseq[i] = (rig.cseq[i] as number) + 1;
    const rq = sip.parse(registerText(name(i), rig.cseq[i] as number));
    sipDigest.signRequest(rig.clients[i] as object, rq);
    out.push(sip.stringify(rq));
  }
  return out;
}

function peerRate(rig: PeerRig, inputs: string[]): number {
  const c0 = process.cpuUsage();
  for (let k = 0; k < inputs.length; k++) {
    const i = k % USERS;
    const rq = sip.parse(inputs[k] as string);
    const user = sip.parseUri(rq.headers.to.uri).user;
    if (!sipDigest.authenticateRequest(rig.sessions[i] as object, rq, { user, hash: rig.ha1[i] as string })) {
      throw new Error('npm sip: authentication failed');
    }
    rig.contacts.set(user, rq.headers.contact);
    const rs = sip.makeResponse(rq, 200, 'OK');
    rs.headers.contact = rq.headers.contact;
    sip.stringify(rs);
  }
  return inputs.length / cpuSeconds(c0);
}

// ---------- memory per binding ----------
function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error('run with --expose-gc (npm run bench:register)');
  g();
  g();
}

function binding(i: number): Binding {
  const user = `${100000 + i}`;
  return {
    aor: `sip:${user}@${DOMAIN}`,
    contact: `sip:${user}@10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:5060;transport=udp`,
    expiresAt: NOW + 3600_000,
    q: 1,
    callId: `c${i}-a84b4c76e66710@10.0.0.1`,
    cseq: 1,
    received: { transport: 'UDP', address: `198.51.${(i >> 8) & 255}.${i & 255}`, port: 5060 + (i % 1000) },
    path: [],
    userAgent: 'Phone/1.0',
    updatedAt: NOW,
  };
}

/** Heap growth per binding, strings included (each binding is built inside the measured region). */
function minimalRegister(i: number): Buffer {
  const user = `${100000 + i}`;
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return Buffer.from(
    `REGISTER sip:${DOMAIN} SIP/2.0\r\nVia: SIP/2.0/UDP ${ip}:5060;branch=z9hG4bK${i}f00d;rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:${user}@${DOMAIN}>;tag=f${i}\r\nTo: <sip:${user}@${DOMAIN}>\r\n` +
      `Call-ID: c${i}-a84b4c76e66710@10.0.0.1\r\nCSeq: 1 REGISTER\r\n` +
      `Contact: <sip:${user}@${ip}:5060;transport=udp>;expires=3600\r\nUser-Agent: Phone/1.0\r\n` +
      'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, REFER, MESSAGE\r\nContent-Length: 0\r\n\r\n',
  );
}

async function bytesPerBinding(n: number, mode: 'register' | 'store' | 'maps'): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let keep: unknown;
  if (mode === 'register') {
    const store = new MemoryLocationStore();
    const registrar = new Registrar({ domains: [DOMAIN], locations: store, authenticate: false });
    for (let i = 0; i < n; i++) {
      const source = {
        transport: 'UDP',
        address: `198.51.${(i >> 8) & 255}.${i & 255}`,
        port: 5060 + (i % 1000),
      };
      await registrar.handleRegister(parseMessage(minimalRegister(i)), source, NOW);
    }
    keep = store;
  } else if (mode === 'maps') {
    const maps = new Map<string, Map<string, Binding>>();
    for (let i = 0; i < n; i++) {
      const b = binding(i);
      maps.set(b.aor, new Map([[b.contact, b]]));
    }
    keep = maps;
  } else {
    const store = new MemoryLocationStore();
    for (let i = 0; i < n; i++) await store.upsert(binding(i));
    keep = store;
  }
  gc();
  const delta = process.memoryUsage().heapUsed - before;
  if (keep === undefined) throw new Error('unreachable');
  return delta / n;
}

// ---------- run ----------
async function main(): Promise<void> {
  const rows: string[][] = [];
  const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)}k/s` : `${x.toFixed(0)}/s`);

  // Memory store, alternated with the peer, median of RUNS after a warm-up.
  const memRig = await tsvoipRig(new MemoryLocationStore(), new MemoryUserStore());
  const peer = peerRig();
  const OPS = 5000;
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let r = -1; r < RUNS; r++) {
    const a = await tsvoipRate(memRig, tsvoipInputs(memRig, OPS));
    const b = peerRate(peer, peerInputs(peer, OPS));
    if (r >= 0) {
      mine.push(a);
      theirs.push(b);
    }
  }
  const m = median(mine);
  const p = median(theirs);
  rows.push([
    'REGISTER+digest/s, memory store',
    fmt(m),
    `${fmt(p)} (npm sip 0.0.6, Map)`,
    (m / p).toFixed(2),
    '>= 20k/s',
  ]);

  // PGlite memory://
  const db = await openDatabase('memory://');
  try {
    const rig = await tsvoipRig(db.locations, db.users);
    const pg: number[] = [];
    for (let r = -1; r < RUNS; r++) {
      const a = await tsvoipRate(rig, tsvoipInputs(rig, 500));
      if (r >= 0) pg.push(a);
    }
    const g = median(pg);
    rows.push([
      'REGISTER+digest/s, PGlite memory://',
      fmt(g),
      `${fmt(p)} (npm sip, no DB)`,
      (g / p).toFixed(2),
      '(none; store goal 1k/s)',
    ]);
  } finally {
    await db.close();
  }

  // Memory per binding, 100k bindings.
  const N = 100_000;
  const viaRegister: number[] = [];
  const viaStore: number[] = [];
  const naive: number[] = [];
  for (let r = 0; r < 3; r++) {
    viaRegister.push(await bytesPerBinding(N, 'register'));
    viaStore.push(await bytesPerBinding(N, 'store'));
    naive.push(await bytesPerBinding(N, 'maps'));
  }
  const rb = median(viaRegister);
  const sb = median(viaStore);
  const nb = median(naive);
  const peerMaps = `${nb.toFixed(0)} B (same Bindings, nested Maps)`;
  rows.push([
    'heap B/binding, 100k via handleRegister',
    `${rb.toFixed(0)} B`,
    peerMaps,
    (rb / nb).toFixed(2),
    '<= 1 KB',
  ]);
  rows.push([
    'heap B/binding, 100k via store.upsert',
    `${sb.toFixed(0)} B`,
    peerMaps,
    (sb / nb).toFixed(2),
    '<= 1 KB',
  ]);

  const head = ['metric', 'tsvoip', 'peer (same run)', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  console.log(
    `median of ${RUNS} runs after a warm-up; ${USERS} users, sequential awaited calls, MD5 digest with qop=auth; rates per CPU second (process.cpuUsage)`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

await main();
