import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DspConfigError } from './errors.js';
import { gaussian } from './test-support.js';
import { Vad } from './vad.js';

const RATE = 8000;
const FRAME = 160;

/** Low-pass (one-pole) noise at `rms`: a quiet background hum/rumble, few zero crossings. */
function lowNoise(length: number, rms: number, seed: number): Float64Array {
  const g = gaussian(seed);
  const out = new Float64Array(length);
  let y = 0;
  for (let n = 0; n < length; n++) {
    y = 0.95 * y + g();
    out[n] = y;
  }
  return scale(out, rms);
}

/** High-pass (differenced) noise: fricative-like, many zero crossings. */
function hissNoise(length: number, rms: number, seed: number): Float64Array {
  const g = gaussian(seed);
  const out = new Float64Array(length);
  let prev = 0;
  for (let n = 0; n < length; n++) {
    const v = g();
    out[n] = v - prev;
    prev = v;
  }
  return scale(out, rms);
}

/** A vowel-like voiced sound: 140 Hz harmonics shaped by a formant at 600 Hz. */
function vowel(length: number, rms: number): Float64Array {
  const out = new Float64Array(length);
  for (let n = 0; n < length; n++) {
    for (let h = 1; h * 140 < 3500; h++) {
      out[n] += Math.sin((2 * Math.PI * 140 * h * n) / RATE) / (1 + ((140 * h - 600) / 200) ** 2);
    }
  }
  return scale(out, rms);
}

function scale(x: Float64Array, rms: number): Float64Array {
  let e = 0;
  for (const v of x) e += v * v;
  const k = rms / Math.sqrt(e / x.length);
  return x.map((v) => v * k);
}

const dbovToRms = (dbov: number) => 32768 * 10 ** (dbov / 20);

function mix(...parts: Float64Array[]): Int16Array {
  const out = new Int16Array(parts[0].length);
  for (let n = 0; n < out.length; n++) {
    let v = 0;
    for (const p of parts) v += p[n];
    out[n] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return out;
}

function decisions(vad: Vad, x: Int16Array): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i + FRAME <= x.length; i += FRAME) out.push(vad.process(x.subarray(i, i + FRAME)));
  return out;
}

describe('Vad (energy + zero crossings, hangover)', () => {
  it('stays silent on digital silence and on steady background noise', () => {
    assert.ok(decisions(new Vad(), new Int16Array(RATE)).every((d) => !d));
    const bg = mix(lowNoise(RATE * 3, dbovToRms(-45), 1));
    assert.ok(decisions(new Vad(), bg).every((d) => !d));
  });

  it('detects a vowel 20 dB above the background from its first frame, then holds 200 ms of hangover', () => {
    const bg = lowNoise(RATE * 3, dbovToRms(-45), 2);
    const speech = new Float64Array(RATE * 3);
    speech.set(vowel(RATE, dbovToRms(-25)), RATE); // 1 s .. 2 s
    const d = decisions(new Vad({ hangoverMs: 200 }), mix(bg, speech));
    const first = d.indexOf(true);
    assert.equal(first, 50, 'speech starts at frame 50 (1 s)');
    assert.ok(d.slice(50, 100).every(Boolean), 'speech throughout the vowel');
    // Vowel ends at frame 100: hangover keeps frames 100..109 (200 ms) as speech, then silence.
    assert.ok(d.slice(100, 110).every(Boolean), 'hangover');
    assert.ok(
      d.slice(110).every((v) => !v),
      'silent after hangover',
    );
  });

  it('hangover length is configurable (0 ms: decision follows the frame)', () => {
    const bg = lowNoise(RATE * 2, dbovToRms(-45), 3);
    const speech = new Float64Array(RATE * 2);
    speech.set(vowel(RATE / 2, dbovToRms(-25)), RATE);
    const d = decisions(new Vad({ hangoverMs: 0 }), mix(bg, speech));
    assert.equal(d.lastIndexOf(true), 74);
    const d2 = decisions(new Vad({ hangoverMs: 100 }), mix(bg, speech));
    assert.equal(d2.lastIndexOf(true), 79);
  });

  it('catches quiet fricatives by their zero-crossing rate, not a low hum of the same level', () => {
    // White background at −50 dBov; bursts 5 dB louder (≈ 7 dB over the frame level, under 9 dB).
    const bg = scale(Float64Array.from({ length: RATE * 3 }, gaussian(4)), dbovToRms(-50));
    const hiss = new Float64Array(RATE * 3);
    hiss.set(hissNoise(RATE / 2, dbovToRms(-45), 5), RATE);
    const hum = new Float64Array(RATE * 3);
    hum.set(
      scale(
        Float64Array.from({ length: RATE / 2 }, (_, n) => Math.sin((2 * Math.PI * 150 * n) / RATE)),
        dbovToRms(-45),
      ),
      RATE,
    );
    const withHiss = decisions(new Vad({ hangoverMs: 0 }), mix(bg, hiss));
    const withHum = decisions(new Vad({ hangoverMs: 0 }), mix(bg, hum));
    assert.ok(withHiss.slice(51, 74).filter(Boolean).length >= 20, 'hiss detected');
    assert.ok(
      withHum.every((v) => !v),
      'hum ignored',
    );
    // Control: with the zero-crossing rule disabled, the hiss is missed too.
    const noZcr = decisions(new Vad({ hangoverMs: 0, zeroCrossingRate: 1e9 }), mix(bg, hiss));
    assert.ok(noZcr.every((v) => !v));
  });

  it('adapts its noise floor up to a louder background', () => {
    const quiet = lowNoise(RATE * 2, dbovToRms(-55), 7);
    const loud = lowNoise(RATE * 20, dbovToRms(-35), 8);
    const x = mix(new Float64Array([...quiet, ...loud]));
    const vad = new Vad();
    const d = decisions(vad, x);
    assert.ok(d[150], 'a sudden 20 dB louder background first looks like speech');
    assert.ok(
      d.slice(-100).every((v) => !v),
      'but is learned as noise within seconds',
    );
    assert.ok(Math.abs(vad.noiseFloorDbov - -35) < 3, `floor ${vad.noiseFloorDbov}`);
  });

  it('never calls frames below minSpeechDbov speech', () => {
    const x = new Float64Array(RATE * 2);
    x.set(vowel(RATE, dbovToRms(-60)), RATE / 2);
    assert.ok(decisions(new Vad(), mix(x)).every((v) => !v));
  });

  it('rejects bad options', () => {
    assert.throws(() => new Vad({ sampleRate: 0 }), DspConfigError);
    assert.throws(() => new Vad({ hangoverMs: -1 }), DspConfigError);
  });
});
