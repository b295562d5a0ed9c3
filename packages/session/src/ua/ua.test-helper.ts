/** Helpers of the user-agent tests: UAs on 127.0.0.1, audio capture and Goertzel checks. */
import { concat, goertzelPower, sineSource, toneMarginDb } from '../media/virtual-network.test-helper.js';
import type { Call } from './call.js';
import type { UserAgentConfigInput } from './config.js';
import { createUserAgent, type UserAgent } from './user-agent.js';

export { toneMarginDb };

/** Every UA created, closed by the test file's `after`. */
export const created: UserAgent[] = [];

/** A UA on 127.0.0.1 (any SIP port) with a media port range of its own. */
export async function makeUa(
  name: string,
  portBase: number,
  extra: Partial<UserAgentConfigInput> = {},
): Promise<UserAgent> {
  const ua = await createUserAgent({
    uri: `sip:${name}@127.0.0.1`,
    sip: { host: '127.0.0.1', port: 0 },
    t1: 100,
    ...extra,
    media: { portMin: portBase, portMax: portBase + 99, rtcpMinIntervalMs: 500, ...extra.media },
  });
  created.push(ua);
  return ua;
}

/** The URI to call `ua` at. */
export function uriOf(ua: UserAgent): string {
  return ua.contactUri;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `ms` of a sine tone as 20 ms frames at `rate`. */
export function toneFrames(frequency: number, rate: number, ms: number): Int16Array[] {
  const next = sineSource(frequency, rate);
  return Array.from({ length: Math.ceil(ms / 20) }, () => next());
}

/** Captures what `call` hears (through the media stream's audio listener). */
export function capture(call: Call): { samples(): Int16Array; rate(): number; reset(): void; stop(): void } {
  let frames: Int16Array[] = [];
  let rate = 8000;
  const off = call.stream.onAudio((s, r) => {
    frames.push(s.slice());
    rate = r;
  });
  return {
    samples: () => concat(frames),
    rate: () => rate,
    reset: () => {
      frames = [];
    },
    stop: () => off(),
  };
}

/** Goertzel power of `frequency` per sample (0 for silence). */
export function tonePower(samples: Int16Array, frequency: number, rate: number): number {
  return samples.length === 0 ? 0 : goertzelPower(samples, frequency, rate) / samples.length ** 2;
}

/** Resolves with the first value `event` emits, or rejects after `ms`. */
export function waitFor<T extends unknown[]>(
  emitter: { once(event: string, listener: (...args: T) => void): unknown },
  event: string,
  ms = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${event}`)), ms);
    emitter.once(event, (...args: T) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Accepts the next incoming call of `ua`. */
export async function answerNext(ua: UserAgent): Promise<Call> {
  const [incoming] = await waitFor<[import('./incoming-call.js').IncomingCall]>(ua, 'incoming');
  return incoming.accept();
}

/** Polls `condition` every 20 ms until it holds or `ms` elapsed (then returns false). */
export async function until(condition: () => boolean, ms = 3000): Promise<boolean> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) return false;
    await sleep(20);
  }
  return true;
}
