/**
 * Audio in and out of a media stream for applications: sources paced by the driver's 20 ms clock
 * (WAV files, PCM iterables, tones, written frames), a WAV recorder, and received frames as an
 * async iterable.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import {
  createResampler,
  type Resampler,
  readWav,
  ToneGenerator,
  type ToneSpec,
  writeWav,
} from '@tsvoip/dsp';

/** A frame of mono PCM at a sample rate. */
export interface AudioFrame {
  /** Mono samples. */
  samples: Int16Array;
  /** Sample rate, Hz. */
  sampleRate: number;
}

/**
 * Something that yields one 20 ms frame per clock tick: `undefined` when it has nothing now
 * (async source not ready), `null` when it has ended.
 */
export interface FrameSource {
  /** The next frame, `undefined` if none is ready, `null` at the end. */
  next(): AudioFrame | undefined | null;
  /** Stops the source early. */
  close(): void;
}

/** Frames of 20 ms cut from a whole buffer of samples. */
export function bufferSource(samples: Int16Array, sampleRate: number): FrameSource {
  const size = Math.round(sampleRate / 50);
  let at = 0;
  return {
    next: () => {
      if (at >= samples.length) return null;
      const frame = { samples: samples.subarray(at, Math.min(samples.length, at + size)), sampleRate };
      at += size;
      return frame;
    },
    close: () => {
      at = samples.length;
    },
  };
}

/** Reads a WAV file (PCM16, µ-law or A-law; stereo is mixed down) as a 20 ms frame source. */
export async function wavFileSource(path: string): Promise<FrameSource> {
  const wav = readWav(await readFile(path));
  let mono = wav.samples;
  if (wav.channels === 2) {
    mono = new Int16Array(wav.samples.length / 2);
    for (let i = 0; i < mono.length; i++) mono[i] = (wav.samples[2 * i] + wav.samples[2 * i + 1]) >> 1;
  }
  return bufferSource(mono, wav.sampleRate);
}

/** A tone (DTMF, call progress, plain sine) generated 20 ms at a time at `sampleRate`. */
export function toneSource(
  spec: ToneSpec,
  sampleRate: number,
  durationMs = Number.POSITIVE_INFINITY,
): FrameSource {
  const generator = new ToneGenerator(spec, sampleRate);
  const size = Math.round(sampleRate / 50);
  let remainingMs = durationMs;
  return {
    next: () => {
      if (generator.done || remainingMs <= 0) return null;
      remainingMs -= 20;
      const samples = new Int16Array(size);
      generator.generate(samples);
      return { samples, sampleRate };
    },
    close: () => {
      remainingMs = 0;
    },
  };
}

/** A queue of frames written by the application or pulled from an async iterable, read ahead. */
export class QueuedSource implements FrameSource {
  private readonly frames: AudioFrame[] = [];
  private ended = false;
  private waiter: (() => void) | undefined;

  /** @param highWaterMark frames queued before {@link write} reports back-pressure. */
  constructor(readonly highWaterMark = 10) {}

  /** Queues a frame; returns false once `highWaterMark` frames wait (slow down). */
  write(frame: AudioFrame): boolean {
    if (!this.ended) this.frames.push(frame);
    return this.frames.length < this.highWaterMark;
  }

  /** Resolves when the queue is below its high-water mark. */
  drained(): Promise<void> {
    if (this.frames.length < this.highWaterMark || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Marks the end: once the queue empties the source ends. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  next(): AudioFrame | undefined | null {
    const frame = this.frames.shift();
    if (this.frames.length < this.highWaterMark) this.wake();
    if (frame !== undefined) return frame;
    return this.ended ? null : undefined;
  }

  close(): void {
    this.frames.length = 0;
    this.end();
  }

  /** Pumps an (async) iterable of 20 ms frames into this queue, respecting back-pressure. */
  async pump(frames: AsyncIterable<Int16Array> | Iterable<Int16Array>, sampleRate: number): Promise<void> {
    for await (const samples of frames) {
      if (this.ended) return;
      if (!this.write({ samples, sampleRate })) await this.drained();
    }
    this.end();
  }
}

/** Received frames as an async iterable (frames are copies; a slow reader drops the oldest beyond `limit`). */
export class FrameStream implements AsyncIterable<AudioFrame> {
  private readonly queue: AudioFrame[] = [];
  private waiter: ((r: IteratorResult<AudioFrame>) => void) | undefined;
  private closed = false;
  /** Frames dropped because the reader was too slow. */
  dropped = 0;

  constructor(private readonly limit = 500) {}

  /** Adds a received frame (copied). */
  push(samples: Int16Array, sampleRate: number): void {
    if (this.closed) return;
    const frame = { samples: samples.slice(), sampleRate };
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w({ value: frame, done: false });
      return;
    }
    this.queue.push(frame);
    if (this.queue.length > this.limit) {
      this.queue.shift();
      this.dropped++;
    }
  }

  /** Ends the iteration. */
  close(): void {
    this.closed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<AudioFrame> {
    return {
      next: () => {
        const frame = this.queue.shift();
        if (frame !== undefined) return Promise.resolve({ value: frame, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiter = resolve;
        });
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/** Collects received audio and writes it as a mono PCM16 WAV file on {@link stop}. */
export class WavRecorder {
  private readonly chunks: Int16Array[] = [];
  private rate: number | undefined;
  private resampler: Resampler | undefined;
  private stopped = false;

  /** @param sampleRate rate of the file; default the rate of the first frame. */
  constructor(
    readonly path: string,
    sampleRate?: number,
  ) {
    this.rate = sampleRate;
  }

  /** Appends a received frame (copied, resampled to the file's rate when needed). */
  push(samples: Int16Array, sampleRate: number): void {
    if (this.stopped) return;
    this.rate ??= sampleRate;
    if (sampleRate === this.rate) {
      this.chunks.push(samples.slice());
      return;
    }
    if (this.resampler === undefined || this.resampler.inputRate !== sampleRate) {
      this.resampler = createResampler(sampleRate, this.rate);
    }
    const out = new Int16Array(this.resampler.outputLength(samples.length));
    const n = this.resampler.process(samples, out);
    this.chunks.push(out.subarray(0, n));
  }

  /** Seconds recorded so far. */
  get durationSeconds(): number {
    const n = this.chunks.reduce((s, c) => s + c.length, 0);
    return this.rate === undefined ? 0 : n / this.rate;
  }

  /** Stops recording and writes the file. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const total = this.chunks.reduce((s, c) => s + c.length, 0);
    const samples = new Int16Array(total);
    let at = 0;
    for (const c of this.chunks) {
      samples.set(c, at);
      at += c.length;
    }
    await writeFile(this.path, writeWav({ sampleRate: this.rate ?? 8000, channels: 1, samples }));
  }
}
