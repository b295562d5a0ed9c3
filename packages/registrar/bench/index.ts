// Registrar store benchmark: REGISTER refresh (upsert), INVITE routing (lookup) and digest check
// (getHa1) through the stores, against the same statements issued straight to the driver (the peer:
// what the store layer costs; for the memory store, plain nested Maps), on memory, PGlite (memory://
// and a directory) and PostgreSQL.
// Run: npm run bench -w @tsvoip/registrar   (PostgreSQL rows need TSVOIP_TEST_POSTGRES_URL)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binding } from '../src/store/binding.js';
import type { LocationStore } from '../src/store/location-store.js';
import { MemoryLocationStore } from '../src/store/memory-location-store.js';
import { MemoryUserStore } from '../src/store/memory-user-store.js';
import { openDatabase } from '../src/store/open-database.js';
import type { SqlClient } from '../src/store/sql-client.js';
import type { UserStore } from '../src/store/user-store.js';
import { createTestDatabase, postgresTestUrl } from '../src/test/postgres.js';

const AORS = 1_000;
const OPS = 1_000;
const RUNS = 5;

/** The memory peer: the same data in nested Maps, with no validation or ordering rule. */
class NaiveMaps {
  readonly bindings = new Map<string, Map<string, Binding>>();
  readonly ha1 = new Map<string, string>();
}

interface Backend {
  name: string;
  naive?: NaiveMaps;
  locations: LocationStore;
  users: UserStore;
  client?: SqlClient;
  close(): Promise<void>;
}

const aor = (i: number) => `sip:${1000 + (i % AORS)}@pbx.example`;
let cseq = 1;
function binding(i: number): Binding {
  return {
    aor: aor(i),
    contact: `sip:${1000 + (i % AORS)}@192.0.2.${i % 250}:5060`,
    expiresAt: 3_600_000 + cseq,
    q: 1,
    callId: `call-${i % AORS}`,
    cseq: cseq++,
    received: { transport: 'UDP', address: '198.51.100.1', port: 5060 + (i % 1000) },
    path: [],
    userAgent: 'bench/1.0',
    updatedAt: cseq,
  };
}

type Op = (i: number) => Promise<unknown>;

/** Ops per second of `op` over OPS sequential awaited calls. */
async function rate(op: Op): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) await op(i);
  return OPS / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Medians of `ours` and `peer`, runs alternated so load drifts hit both alike; one warm-up each. */
async function compare(ours: Op, peer: Op | undefined): Promise<[number, number | undefined]> {
  await rate(ours);
  if (peer) await rate(peer);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    a.push(await rate(ours));
    if (peer) b.push(await rate(peer));
  }
  return [median(a), peer ? median(b) : undefined];
}

// The peer: the same statements as the store, hand-written and sent straight to the driver, so the
// ratio is what the store layer (validation, parameters, row mapping) costs.
const RAW_UPSERT = `INSERT INTO registrar_bindings (aor, binding_key, contact, expires_at, q_millis, call_id, cseq,
  received_transport, received_address, received_port, received_listener_id, received_connection_id,
  path, instance_id, reg_id, gruu, user_agent, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14, $15, $16, $17, $18)
ON CONFLICT (aor, binding_key) DO UPDATE SET contact = EXCLUDED.contact, expires_at = EXCLUDED.expires_at,
  q_millis = EXCLUDED.q_millis, call_id = EXCLUDED.call_id, cseq = EXCLUDED.cseq,
  received_transport = EXCLUDED.received_transport, received_address = EXCLUDED.received_address,
  received_port = EXCLUDED.received_port, received_listener_id = EXCLUDED.received_listener_id,
  received_connection_id = EXCLUDED.received_connection_id, path = EXCLUDED.path,
  instance_id = EXCLUDED.instance_id, reg_id = EXCLUDED.reg_id, gruu = EXCLUDED.gruu,
  user_agent = EXCLUDED.user_agent, updated_at = EXCLUDED.updated_at
WHERE registrar_bindings.call_id <> EXCLUDED.call_id OR EXCLUDED.cseq > registrar_bindings.cseq
RETURNING (xmax = 0) AS inserted`;
const RAW_LOOKUP = `SELECT * FROM registrar_bindings WHERE aor = $1 AND expires_at > $2
  ORDER BY q_millis DESC, updated_at DESC`;
const RAW_HA1 = 'SELECT ha1_sha256 FROM registrar_users WHERE username = $1 AND realm = $2 AND enabled';

/** The peers of one backend: plain Maps for memory, the raw driver for SQL. */
function peers(b: Backend): { upsert: Op; lookup: Op; ha1: Op } | undefined {
  const n = b.naive;
  if (n !== undefined) {
    for (let i = 0; i < AORS; i++) n.ha1.set(`${1000 + i}`, 'x'.repeat(64));
    return {
      async upsert(i) {
        const x = binding(i);
        let m = n.bindings.get(x.aor);
        if (m === undefined) {
          m = new Map();
          n.bindings.set(x.aor, m);
        }
        m.set(x.contact, x);
      },
      async lookup(i) {
        return [...(n.bindings.get(aor(i))?.values() ?? [])].filter((x) => x.expiresAt > 0);
      },
      async ha1(i) {
        return n.ha1.get(`${1000 + (i % AORS)}`);
      },
    };
  }
  const c = b.client;
  if (c === undefined) return undefined;
  return {
    upsert(i) {
      const x = binding(i);
      const r = x.received;
      return c.query(RAW_UPSERT, [
        x.aor,
        `contact ${x.contact}`,
        x.contact,
        x.expiresAt,
        1000,
        x.callId,
        x.cseq,
        r?.transport ?? null,
        r?.address ?? null,
        r?.port ?? null,
        null,
        null,
        x.path,
        null,
        null,
        null,
        x.userAgent ?? null,
        x.updatedAt,
      ]);
    },
    lookup: (i) => c.query(RAW_LOOKUP, [aor(i), 0]),
    ha1: (i) => c.query(RAW_HA1, [`${1000 + (i % AORS)}`, 'pbx.example']),
  };
}

async function measure(b: Backend): Promise<string[][]> {
  for (let i = 0; i < AORS; i++) {
    await b.locations.upsert(binding(i));
    await b.users.add({ username: `${1000 + i}`, realm: 'pbx.example', password: `pw${i}` }, 0);
  }
  const rows: string[][] = [];
  // The ratio goal is the store layer's cost over the driver; a Map without the rules is only a ceiling.
  const goal = b.naive ? '>= 1,000/s' : '>= 1,000/s; ratio >= 0.8';
  const row = (metric: string, [ours, peer]: [number, number | undefined]) =>
    rows.push([
      `${metric} (${b.name})`,
      `${Math.round(ours).toLocaleString('en')}/s`,
      peer === undefined
        ? 'n/a'
        : `${Math.round(peer).toLocaleString('en')}/s ${b.naive ? 'plain Map' : 'raw driver'}`,
      peer === undefined ? 'n/a' : (ours / peer).toFixed(2),
      goal,
    ]);
  const p = peers(b);
  row('upsert (REGISTER refresh)', await compare((i) => b.locations.upsert(binding(i)), p?.upsert));
  row('lookup (route INVITE)', await compare((i) => b.locations.lookup(aor(i), 0), p?.lookup));
  row(
    'getHa1 (digest check)',
    await compare((i) => b.users.getHa1(`${1000 + (i % AORS)}`, 'pbx.example', 'SHA-256'), p?.ha1),
  );
  return rows;
}

async function sqlBackend(name: string, target: string, cleanup: () => Promise<void>): Promise<Backend> {
  const db = await openDatabase(target);
  return {
    name,
    locations: db.locations,
    users: db.users,
    client: db.client,
    async close() {
      await db.close();
      await cleanup();
    },
  };
}

const backends: (() => Promise<Backend>)[] = [
  async () => ({
    name: 'memory',
    naive: new NaiveMaps(),
    locations: new MemoryLocationStore(),
    users: new MemoryUserStore(),
    close: async () => {},
  }),
  () => sqlBackend('PGlite memory://', 'memory://', async () => {}),
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvoip-registrar-bench-'));
    return sqlBackend('PGlite dir', dir, async () => rmSync(dir, { recursive: true, force: true }));
  },
];
const pgUrl = postgresTestUrl();
if (pgUrl !== undefined) {
  backends.push(async () => {
    const db = await createTestDatabase(pgUrl);
    return sqlBackend('PostgreSQL 127.0.0.1', db.url, () => db.drop());
  });
}

const table: string[][] = [['metric', 'tsvoip', 'peer (same run)', 'ratio', 'goal']];
for (const open of backends) {
  const b = await open();
  try {
    table.push(...(await measure(b)));
  } finally {
    await b.close();
  }
}
if (pgUrl === undefined) table.push(['PostgreSQL rows', 'skipped', 'set TSVOIP_TEST_POSTGRES_URL', '', '']);

const widths = table[0].map((_, col) => Math.max(...table.map((r) => r[col].length)));
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
console.log(
  `sequential awaited calls, ${OPS} per run, median of ${RUNS} alternated runs after a warm-up, ${AORS} AoRs/users`,
);
for (const [i, r] of table.entries()) {
  console.log(`| ${r.map((c, j) => c.padEnd(widths[j])).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
}
