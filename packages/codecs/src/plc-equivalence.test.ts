// The ring-buffer history of WaveformRepeatPlc must conceal exactly as the earlier implementation, which
// shifted its whole history on every frame; that implementation is kept below as the reference.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { xorshift32 } from './comfort-noise.js';
import { WaveformRepeatPlc } from './plc.js';
import { noise, speechLike, tone } from './signals.test-helper.js';

/**
 * Drives both implementations through the same deterministic mix of good frames (of varying lengths,
 * some longer than the history), losses of 1–8 frames, concealment into caller buffers and resets;
 * returns how many concealed samples were compared.
 */
function compare(rate: number, frameSize: number, signal: Int16Array, seed: number): number {
  const plc = new WaveformRepeatPlc(rate, frameSize);
  const ref = new ReferencePlc(rate, frameSize);
  const rnd = xorshift32(seed);
  const lengths = [frameSize, frameSize, frameSize, frameSize >> 1, frameSize * 2, frameSize * 3 + 7, 13];
  let at = 0;
  let concealed = 0;
  let step = 0;
  while (at < signal.length) {
    const r = rnd();
    if (r < 0.2) {
      const lost = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < lost; k++) {
        const intoBuffer = rnd() < 0.5;
        const a = plc.conceal(intoBuffer ? new Int16Array(frameSize).fill(99) : undefined);
        const b = ref.conceal(intoBuffer ? new Int16Array(frameSize).fill(99) : undefined);
        assert.deepEqual(a, b, `conceal differs at step ${step}, lost frame ${k}`);
        assert.equal(plc.concealing, ref.concealing);
        concealed += a.length;
        at += frameSize;
      }
    } else if (r < 0.21) {
      plc.reset();
      ref.reset();
    } else {
      const n = lengths[Math.floor(rnd() * lengths.length)];
      const a = signal.slice(at, at + n);
      const b = a.slice();
      plc.receive(a);
      ref.receive(b);
      assert.deepEqual(a, b, `receive (cross-fade) differs at step ${step}`);
      assert.equal(plc.concealing, ref.concealing);
      at += n;
    }
    step++;
  }
  return concealed;
}

describe('waveform-repeat PLC ring-buffer history', () => {
  it('conceals exactly as the shifting-history reference at 8 kHz (G.711)', () => {
    const signal = new Int16Array(8000 * 20);
    signal.set(speechLike(8000, 8000 * 10));
    signal.set(tone(170, 8000, 8000 * 5), 8000 * 10);
    signal.set(noise(8000 * 5, 12000, 3), 8000 * 15);
    for (const frameSize of [80, 160, 240, 480]) {
      const concealed = compare(8000, frameSize, signal, 12345 + frameSize);
      assert.ok(concealed > 8000, `only ${concealed} concealed samples compared`);
    }
  });

  it('conceals exactly as the shifting-history reference at 16 kHz (G.722)', () => {
    const signal = speechLike(16000, 16000 * 20);
    const concealed = compare(16000, 320, signal, 777);
    assert.ok(concealed > 16000, `only ${concealed} concealed samples compared`);
  });
});

const HISTORY_MS = 48.75;
const MIN_PITCH_MS = 5; // 200 Hz
const MAX_PITCH_MS = 15; // 66.7 Hz
const CORRELATION_MS = 20;

/** The implementation before the ring buffer, verbatim: it shifted the whole history on each frame. */
class ReferencePlc {
  private readonly history: Int16Array;
  private readonly period: Float64Array;
  private readonly samplesPer10ms: number;
  private readonly minPitch: number;
  private readonly maxPitch: number;
  private readonly window: number;
  private filled = 0;
  private pitch = 0;
  private phase = 0;
  private lostSamples = 0;

  /** @param sampleRate PCM rate (8000 for G.711, 16000 for G.722). */
  constructor(
    private readonly sampleRate: number,
    private readonly frameSize: number,
  ) {
    this.history = new Int16Array(Math.ceil((sampleRate * HISTORY_MS) / 1000));
    this.samplesPer10ms = sampleRate / 100;
    this.minPitch = Math.round((sampleRate * MIN_PITCH_MS) / 1000);
    this.maxPitch = Math.round((sampleRate * MAX_PITCH_MS) / 1000);
    this.window = Math.round((sampleRate * CORRELATION_MS) / 1000);
    this.period = new Float64Array(this.maxPitch);
  }

  /** Whether the previous call was {@link conceal} (a loss is in progress). */
  get concealing(): boolean {
    return this.lostSamples > 0;
  }

  /**
   * Records a correctly decoded frame. After a loss, the start of `frame` is cross-faded in place from the
   * synthetic continuation (ITU-T G.711 Appendix I: a quarter pitch period plus 4 ms per extra 10 ms lost).
   */
  receive(frame: Int16Array): void {
    if (this.lostSamples > 0) {
      const extra = Math.floor(this.lostSamples / this.samplesPer10ms) - 1;
      let fade = (this.pitch >> 2) + (extra > 0 ? extra * ((this.sampleRate * 4) / 1000) : 0);
      if (fade > frame.length) fade = frame.length;
      const gain0 = this.gainAt(this.lostSamples);
      for (let i = 0; i < fade; i++) {
        const w = (i + 1) / (fade + 1);
        const synthetic = this.period[this.phase] * gain0;
        this.phase = this.phase + 1 === this.pitch ? 0 : this.phase + 1;
        frame[i] = clip16(Math.round(synthetic * (1 - w) + frame[i] * w));
      }
      this.lostSamples = 0;
    }
    this.push(frame);
  }

  /** Produces one frame of concealment (`out`, or a new array of the frame size). */
  conceal(out?: Int16Array): Int16Array {
    const dst = out ?? new Int16Array(this.frameSize);
    if (this.filled < this.history.length) {
      // Not enough history to find a pitch: play silence (and do not cross-fade from it later).
      dst.fill(0);
      return dst;
    }
    if (this.lostSamples === 0) this.startLoss();
    for (let i = 0; i < dst.length; i++) {
      const g = this.gainAt(this.lostSamples);
      dst[i] = g === 0 ? 0 : clip16(Math.round(this.period[this.phase] * g));
      this.phase = this.phase + 1 === this.pitch ? 0 : this.phase + 1;
      this.lostSamples++;
    }
    this.push(dst);
    return dst;
  }

  /** Forgets the history (e.g. on a new SSRC). */
  reset(): void {
    this.history.fill(0);
    this.filled = 0;
    this.lostSamples = 0;
  }

  // G.711 Appendix I: full gain for the first 10 ms, then −20 % per 10 ms, silence from 60 ms on.
  private gainAt(lost: number): number {
    const t = lost / this.samplesPer10ms;
    if (t < 1) return 1;
    const g = 1 - 0.2 * (t - 1);
    return Math.max(g, 0);
  }

  private startLoss(): void {
    const h = this.history;
    const end = h.length;
    const pitch = this.findPitch();
    this.pitch = pitch;
    // The last pitch period, with its last quarter cross-faded into the samples that precede the period so
    // that the loop point (end → start of the period) is continuous.
    const quarter = pitch >> 2;
    const start = end - pitch;
    for (let i = 0; i < pitch; i++) this.period[i] = h[start + i];
    for (let j = 0; j < quarter; j++) {
      const w = (j + 1) / (quarter + 1);
      this.period[pitch - quarter + j] = h[end - quarter + j] * (1 - w) + h[start - quarter + j] * w;
    }
    this.phase = 0;
  }

  // Normalized cross-correlation of the last 20 ms against lags of 5–15 ms; the best lag is the pitch.
  private findPitch(): number {
    const h = this.history;
    const end = h.length;
    const n = this.window;
    let best = this.minPitch;
    let bestScore = -Infinity;
    for (let lag = this.minPitch; lag <= this.maxPitch; lag++) {
      let cross = 0;
      let energy = 0;
      for (let i = end - n; i < end; i++) {
        const past = h[i - lag];
        cross += h[i] * past;
        energy += past * past;
      }
      const score = energy > 0 ? cross / Math.sqrt(energy) : 0;
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    return best;
  }

  private push(frame: Int16Array): void {
    const h = this.history;
    const n = frame.length;
    if (n >= h.length) {
      h.set(frame.subarray(n - h.length));
    } else {
      h.copyWithin(0, n);
      h.set(frame, h.length - n);
    }
    this.filled = Math.min(h.length, this.filled + n);
  }
}

function clip16(x: number): number {
  return x > 32767 ? 32767 : Math.max(x, -32768);
}
