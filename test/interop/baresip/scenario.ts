/**
 * Calls between tsvoip and baresip for the interop tests, each bounded in time and leaving no
 * process behind: tsvoip through the UA API in this process, or through the `tsvoip phone`
 * command spawned as a process. Ports: SIP 15100-15149, RTP 21000-21999 (see `PORTS`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Call, createUserAgent, type UserAgent } from '@tsvoip/session';
import { BARESIP_HZ, TSVOIP_HZ, writeToneWav } from './audio.js';
import { BARESIP_CODECS, Baresip, type BaresipCodec } from './baresip.js';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAIN = join(ROOT, 'packages', 'cli', 'src', 'main.ts');

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
  const samples = new Int16Array(sampleRate * seconds);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(16000 * Math.sin((2 * Math.PI * TSVOIP_HZ * i) / sampleRate));
  return { samples, sampleRate };
}

/** Starts baresip playing its tone for `codec` (auto-answering unless told otherwise). */
export async function startBaresip(
  dir: string,
  slot: PortSlot,
  codec: BaresipCodec,
  o: { autoAnswer: boolean; srtp?: boolean; quitAfterS?: number },
): Promise<Baresip> {
  const { rate, channels } = BARESIP_CODECS[codec];
  const toneWav = join(dir, `baresip-${BARESIP_HZ}.wav`);
  // aufile stops sending (and baresip hangs up) at the end of the file: longer than any call.
  writeToneWav(toneWav, BARESIP_HZ, rate, channels, 25);
  return Baresip.start({
    dir: join(dir, 'baresip'),
    sipPort: slot.baresipSip,
    rtpPorts: slot.baresipRtp,
    codec,
    toneWav,
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

/** A spawned `tsvoip phone` process. */
export interface PhoneProcess {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const phones = new Set<ChildProcess>();

/** Kills every `tsvoip phone` still running: for `after`. */
export function killAllPhones(): void {
  for (const c of phones) c.kill('SIGKILL');
}

/** Spawns `tsvoip phone ...args` from source; SIGKILLed after `limitMs`. */
export function spawnPhone(args: readonly string[], limitMs: number): PhoneProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, 'phone', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  phones.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    output.stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    output.stderr += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      phones.delete(child);
      resolve({ code, ...output });
    }),
  );
  return { child, output, exited };
}

/** Resolves once the phone printed `text` on stdout (rejects on exit or after `ms`). */
export async function waitForPhone(p: PhoneProcess, text: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!p.output.stdout.includes(text)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(
        `tsvoip phone exited before printing ${JSON.stringify(text)}:\n${p.output.stdout}${p.output.stderr}`,
      );
    if (Date.now() > until)
      throw new Error(
        `tsvoip phone did not print ${JSON.stringify(text)} within ${ms} ms:\n${p.output.stdout}${p.output.stderr}`,
      );
    await sleep(25);
  }
}
