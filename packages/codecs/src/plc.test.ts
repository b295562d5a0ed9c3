import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaveformRepeatPlc } from './plc.js';
import { correlation, rms, tone } from './signals.test-helper.js';

describe('waveform-repeat PLC (after ITU-T G.711 Appendix I)', () => {
  const signal = tone(200, 8000, 8000, 10000); // period: exactly 40 samples

  function primed(frames: number): WaveformRepeatPlc {
    const plc = new WaveformRepeatPlc(8000, 80);
    for (let i = 0; i < frames; i++) plc.receive(signal.slice(i * 80, i * 80 + 80));
    return plc;
  }

  it('continues a periodic signal through the first 10 ms of a loss', () => {
    const plc = primed(10);
    const out = plc.conceal();
    assert.equal(out.length, 80);
    const truth = signal.subarray(800, 880);
    assert.ok(correlation(out, truth) > 0.98, `correlation ${correlation(out, truth)}`);
    assert.ok(Math.abs(rms(out) - rms(truth)) < 0.05 * rms(truth));
  });

  it('fades by 20 % per 10 ms after the first 10 ms and is silent from 60 ms on', () => {
    const plc = primed(10);
    const levels = Array.from({ length: 8 }, () => rms(plc.conceal()));
    for (let i = 1; i < 6; i++) assert.ok(levels[i] < levels[i - 1], `frame ${i} not quieter`);
    assert.equal(levels[6], 0);
    assert.equal(levels[7], 0);
  });

  it('cross-fades the first good frame after a loss, leaving the rest of it untouched', () => {
    const plc = primed(10);
    plc.conceal();
    const good = new Int16Array(80).fill(5000); // a frame that does not continue the synthesis
    const original = good.slice();
    plc.receive(good);
    assert.notEqual(good[0], original[0]);
    assert.deepEqual(good.subarray(40), original.subarray(40));
    assert.equal(plc.concealing, false);
  });

  it('plays silence when there is not yet enough history to find a pitch', () => {
    const plc = new WaveformRepeatPlc(8000, 160);
    assert.equal(rms(plc.conceal()), 0);
  });

  it('finds the pitch at 16 kHz too (G.722)', () => {
    const wide = tone(250, 16000, 16000, 8000);
    const plc = new WaveformRepeatPlc(16000, 320);
    for (let i = 0; i < 5; i++) plc.receive(wide.slice(i * 320, i * 320 + 320));
    const out = plc.conceal();
    assert.ok(correlation(out.subarray(0, 160), wide.subarray(1600, 1760)) > 0.98);
  });
});
