/**
 * Calls between tsvoip and baresip for the interop tests, each bounded in time and leaving no
 * process behind: tsvoip through the UA API in this process, or through the `tsvoip phone`
 * command spawned as a process (tracked by `../harness.ts`). Ports: SIP 15100-15149, RTP
 * 21000-21999 (see `PORTS`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Call, createUserAgent, type UserAgent } from '@tsvoip/session';
import { type Proc, start, tsvoipArgs } from '../harness.js';
import { BARESIP_HZ, checkTone, describeTone, secondsWithTone, sine, TSVOIP_HZ } from './audio.js';
import { Baresip, type BaresipCodec } from './baresip.js';

/** Ports of one test file: baresip SIP (+1 TLS, +2 ctrl_tcp), tsvoip SIP, and two RTP ranges. */
export interface PortSlot {
  readonly baresipSip: number;
  readonly tsvoipSip: number;
  readonly baresipRtp: string;
  readonly tsvoipRtp: { readonly min: number; readonly max: number };
}

/** One slot per test file so the files may run in parallel. */
export const PORTS = {
  tones: {
    baresipSip: 15100,
    tsvoipSip: 15104,
    baresipRtp: '21000-21099',
    tsvoipRtp: { min: 21100, max: 21199 },
  },
  cli: {
    baresipSip: 15110,
    tsvoipSip: 15114,
    baresipRtp: '21200-21299',
    tsvoipRtp: { min: 21300, max: 21399 },
  },
  features: {
    baresipSip: 15120,
    tsvoipSip: 15124,
    baresipRtp: '21400-21499',
    tsvoipRtp: { min: 21500, max: 21599 },
  },
  srtp: {
    baresipSip: 15130,
    tsvoipSip: 15134,
    baresipRtp: '21600-21699',
    tsvoipRtp: { min: 21700, max: 21799 },
  },
} as const satisfies Record<string, PortSlot>;

/** A fresh directory for one test's files. */
export function workDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `tsvoip-baresip-${name}-`));
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `seconds` of tsvoip's tone as mono PCM at 16 kHz (the stream resamples it to the codec). */
export function tsvoipTone(seconds: number): { samples: Int16Array; sampleRate: number } {
  const sampleRate = 16000;
  return { samples: sine(TSVOIP_HZ, sampleRate, seconds), sampleRate };
}

/** Starts baresip playing its tone for `codec` (auto-answering unless told otherwise). */
export function startBaresip(
  dir: string,
  slot: PortSlot,
  codec: BaresipCodec,
  o: { autoAnswer: boolean; srtp?: boolean; quitAfterS?: number },
): Promise<Baresip> {
  return Baresip.start({
    dir: join(dir, 'baresip'),
    sipPort: slot.baresipSip,
    rtpPorts: slot.baresipRtp,
    codec,
    toneHz: BARESIP_HZ,
    autoAnswer: o.autoAnswer,
    srtp: o.srtp,
    quitAfterS: o.quitAfterS ?? 20,
  });
}

/** A tsvoip user agent in this process on the slot's ports. */
export function startTsvoip(slot: PortSlot, codec: BaresipCodec, srtp = false): Promise<UserAgent> {
  return createUserAgent({
    uri: 'sip:tsvoip@127.0.0.1',
    sip: { host: '127.0.0.1', port: slot.tsvoipSip },
    media: {
      address: '127.0.0.1',
      portMin: slot.tsvoipRtp.min,
      portMax: slot.tsvoipRtp.max,
      codecs: [codec],
      srtp: srtp ? 'sdes' : 'off',
    },
  });
}

/** Resolves with the first incoming call, accepted. */
export function acceptNext(ua: UserAgent): Promise<Call> {
  return new Promise((resolve, reject) => {
    ua.once('incoming', (incoming) => incoming.accept().then(resolve, reject));
  });
}

/** Records and plays tsvoip's tone on an answered call. */
export function playAndRecord(call: Call, heard: string, seconds = 15): void {
  call.record(heard);
  const tone = tsvoipTone(seconds);
  void call.play(tone.samples, { sampleRate: tone.sampleRate }).catch(() => undefined);
}

/**
 * Asserts tsvoip's recording holds baresip's tone and baresip's dump holds tsvoip's, each in ≥ 3
 * whole seconds (> 20 dB over every other bin); returns what was measured.
 */
export function assertTonesBothWays(
  tsvoipHeard: string,
  baresipHeard: string | undefined,
  what: string,
): string {
  const t = checkTone(tsvoipHeard, BARESIP_HZ);
  assert.ok(
    secondsWithTone(t) >= 3,
    `${what}: tsvoip should hear ${BARESIP_HZ} Hz for 3 s: ${describeTone(t)}`,
  );
  assert.ok(baresipHeard !== undefined, `${what}: baresip wrote no dump of what it heard`);
  const b = checkTone(baresipHeard, TSVOIP_HZ);
  assert.ok(
    secondsWithTone(b) >= 3,
    `${what}: baresip should hear ${TSVOIP_HZ} Hz for 3 s: ${describeTone(b)}`,
  );
  return `tsvoip heard ${describeTone(t)}; baresip heard ${describeTone(b)}`;
}

/** Spawns `tsvoip phone ...args` from source; SIGKILLed after `limitMs` (or by the harness's `killAll`). */
export function spawnPhone(args: readonly string[], limitMs: number): Proc {
  return start(process.execPath, tsvoipArgs(['phone', ...args]), limitMs);
}
