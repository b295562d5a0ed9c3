// SRTP benchmark: protect / unprotect of 172-byte RTP packets (12-byte header + 160-byte payload,
// one 20 ms G.711 frame) with @tsvoip/rtp and werift-rtp, measured in the same run.
// Run: npm run bench -w @tsvoip/rtp
import { createHash, createHmac, createSecretKey } from 'node:crypto';
import { cpus } from 'node:os';
import { RtpHeader, SrtpSession } from 'werift-rtp';
import { HmacSha1 } from '../src/srtp/hmac-sha1.js';
import { createSrtpContext } from '../src/srtp/index.js';

const PACKETS = 40_000;
const RUNS = 7;

type Profile = 'AES_CM_128_HMAC_SHA1_80' | 'AEAD_AES_128_GCM';
const WERIFT_PROFILE: Record<Profile, number> = { AES_CM_128_HMAC_SHA1_80: 0x0001, AEAD_AES_128_GCM: 0x0007 };

function keys(profile: Profile) {
  return {
    masterKey: Buffer.from(Array.from({ length: 16 }, (_, i) => i * 11 + 3)),
    masterSalt: Buffer.from(
      Array.from({ length: profile === 'AEAD_AES_128_GCM' ? 12 : 14 }, (_, i) => i * 7 + 1),
    ),
  };
}

function werift(profile: Profile): SrtpSession {
  const k = keys(profile);
  return new SrtpSession({
    keys: {
      localMasterKey: k.masterKey,
      localMasterSalt: k.masterSalt,
      remoteMasterKey: k.masterKey,
      remoteMasterSalt: k.masterSalt,
    },
    profile: WERIFT_PROFILE[profile],
  });
}

/** 172-byte RTP packets, PCMU, one SSRC, consecutive sequence numbers (wrapping past 65535). */
function makePackets(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < PACKETS; i++) {
    const p = Buffer.alloc(172);
    p[0] = 0x80;
    p[1] = 0;
    p.writeUInt16BE((60000 + i) & 0xffff, 2);
    p.writeUInt32BE((i * 160) >>> 0, 4);
    p.writeUInt32BE(0x5eed1234, 8);
    for (let j = 12; j < 172; j++) p[j] = (i + j) & 0xff;
    out.push(p);
  }
  return out;
}

/** Runs `fn` (which processes PACKETS packets) and returns packets per second. */
function rate(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return PACKETS / s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Alternates the two candidates RUNS times after one warm-up each; medians in packets/s. */
function compare(ours: () => number, peer: () => number): [number, number] {
  ours();
  peer();
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    a.push(ours());
    b.push(peer());
  }
  return [median(a), median(b)];
}

const plain = makePackets();
const headers = plain.map((p) => RtpHeader.deSerialize(p));
const payloads = plain.map((p) => p.subarray(12));
let sink = 0;

interface Row {
  metric: string;
  ours: number;
  peer: number;
  peerName: string;
  goal: number | undefined;
}
const rows: Row[] = [];

for (const profile of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] as const) {
  const k = keys(profile);
  const protectedOurs = (() => {
    const tx = createSrtpContext({ profile, ...k });
    return plain.map((p) => tx.protectRtp(p));
  })();
  const protectedWerift = (() => {
    const tx = werift(profile);
    return plain.map((_, i) => tx.encrypt(payloads[i], headers[i]));
  })();
  if (Buffer.compare(Buffer.from(protectedOurs[0]), protectedWerift[0]) !== 0) {
    throw new Error(`${profile}: tsvoip and werift disagree on the first packet`);
  }

  const [po, pw] = compare(
    () => {
      const tx = createSrtpContext({ profile, ...k });
      return rate(() => {
        for (let i = 0; i < PACKETS; i++) sink ^= tx.protectRtp(plain[i]).length;
      });
    },
    () => {
      const tx = werift(profile);
      return rate(() => {
        for (let i = 0; i < PACKETS; i++) sink ^= tx.encrypt(payloads[i], headers[i]).length;
      });
    },
  );
  const goal = profile === 'AES_CM_128_HMAC_SHA1_80' ? 2 : undefined;
  rows.push({ metric: `SRTP protect ${profile} (pkt/s)`, ours: po, peer: pw, peerName: 'werift-rtp', goal });

  const [uo, uw] = compare(
    () => {
      const rx = createSrtpContext({ profile, ...k });
      return rate(() => {
        for (let i = 0; i < PACKETS; i++) sink ^= rx.unprotectRtp(protectedOurs[i]).length;
      });
    },
    () => {
      const rx = werift(profile);
      return rate(() => {
        for (let i = 0; i < PACKETS; i++) sink ^= rx.decrypt(protectedWerift[i]).length;
      });
    },
  );
  rows.push({
    metric: `SRTP unprotect ${profile} (pkt/s)`,
    ours: uo,
    peer: uw,
    peerName: 'werift-rtp',
    goal,
  });
}

// The HMAC-SHA1 choice: our precomputed-state HMAC vs node's two options, over packet || ROC.
{
  const authKey = Buffer.alloc(20, 0x42);
  const roc = Buffer.alloc(4);
  const ours = new HmacSha1(authKey);
  const tag = new Uint8Array(20);
  const keyObject = createSecretKey(authKey);
  const ipad = Buffer.alloc(64, 0x36);
  const opad = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < 20; i++) {
    ipad[i] ^= authKey[i];
    opad[i] ^= authKey[i];
  }
  const inner = createHash('sha1').update(ipad);
  const outer = createHash('sha1').update(opad);
  const oursRate = () =>
    rate(() => {
      for (let i = 0; i < PACKETS; i++) ours.compute(plain[i], 172, 0, tag, 0, 10);
    });
  const [h1, n1] = compare(oursRate, () =>
    rate(() => {
      for (let i = 0; i < PACKETS; i++)
        sink ^= createHmac('sha1', keyObject).update(plain[i]).update(roc).digest()[0];
    }),
  );
  rows.push({
    metric: 'HMAC-SHA1 tag, 176 B (ops/s)',
    ours: h1,
    peer: n1,
    peerName: 'createHmac/pkt',
    goal: undefined,
  });
  const [h2, n2] = compare(oursRate, () =>
    rate(() => {
      for (let i = 0; i < PACKETS; i++) {
        const h = inner.copy().update(plain[i]).update(roc).digest();
        sink ^= outer.copy().update(h).digest()[0];
      }
    }),
  );
  rows.push({
    metric: 'HMAC-SHA1 tag, 176 B (ops/s)',
    ours: h2,
    peer: n2,
    peerName: 'hash.copy()/pkt',
    goal: undefined,
  });
}

const fmt = (n: number) => `${Math.round(n / 1000)}k`;
const cpu = cpus();
console.log(
  `SRTP benchmark: ${PACKETS} packets of 172 B per run, median of ${RUNS} runs after warm-up; ` +
    `${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), Node ${process.version}`,
);
const table = [
  ['metric', 'tsvoip', 'peer (same run)', 'ratio', 'goal'],
  ...rows.map((r) => [
    r.metric,
    fmt(r.ours),
    `${fmt(r.peer)} ${r.peerName}`,
    `${(r.ours / r.peer).toFixed(2)}x`,
    r.goal === undefined ? '-' : `>= ${r.goal}x ${r.ours / r.peer >= r.goal ? 'met' : 'NOT met'}`,
  ]),
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
for (const [i, row] of table.entries()) {
  console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`);
  if (i === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
}
if (sink === 0.5) console.log(sink);
