import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DtmfDetector, type DtmfDetectorOptions, type DtmfEvent } from './dtmf-detector.js';
import { gaussian } from './test-support.js';

/** ITU-T Q.23 keypad, typed in from the Recommendation. */
const ROWS = [697, 770, 852, 941];
const COLS = [1209, 1336, 1477, 1633];
const KEYS = ['123A', '456B', '789C', '*0#D'];
const pairOf = (d: string): [number, number] => {
  const row = KEYS.findIndex((r) => r.includes(d));
  return [ROWS[row], COLS[KEYS[row].indexOf(d)]];
};
/** dBm0 → peak amplitude (0 dBm0 = 3.17 dB below full scale, G.711 µ-law). */
const amp = (dbm0: number) => 32767 / 10 ** ((3.17 - dbm0) / 20);

interface Burst {
  /** [frequency, dBm0][] of the tone; empty for silence. */
  parts: [number, number][];
  samples: number;
}

/** Builds a signal from bursts, each sinusoid at a random phase, plus optional white noise. */
function signal(bursts: Burst[], opts: { rate?: number; noiseRms?: number; seed?: number } = {}): Int16Array {
  const { rate = 8000, noiseRms = 0, seed = 1 } = opts;
  const total = bursts.reduce((a, b) => a + b.samples, 0);
  const out = new Int16Array(total);
  const noise = gaussian(seed);
  let phaseSeed = seed;
  let pos = 0;
  for (const b of bursts) {
    const phases = b.parts.map(() => {
      phaseSeed = (phaseSeed * 16807) % 2147483647;
      return (phaseSeed / 2147483647) * 2 * Math.PI;
    });
    for (let n = 0; n < b.samples; n++) {
      let v = noiseRms * noise();
      b.parts.forEach(([f, dbm0], i) => {
        v += amp(dbm0) * Math.sin((2 * Math.PI * f * n) / rate + phases[i]);
      });
      out[pos + n] = Math.max(-32768, Math.min(32767, Math.round(v)));
    }
    pos += b.samples;
  }
  return out;
}

const silence = (samples: number): Burst => ({ parts: [], samples });
const digitBurst = (d: string, samples: number, low = -10, high = -8): Burst => {
  const [fl, fh] = pairOf(d);
  return {
    parts: [
      [fl, low],
      [fh, high],
    ],
    samples,
  };
};

function detect(x: Int16Array, options: DtmfDetectorOptions = {}, frame = 160): DtmfEvent[] {
  const det = new DtmfDetector(options);
  for (let i = 0; i < x.length; i += frame) det.process(x.subarray(i, i + frame));
  det.flush();
  const events: DtmfEvent[] = [];
  for (let e = det.poll(); e !== undefined; e = det.poll()) events.push(e);
  return events;
}

const digitsOf = (events: DtmfEvent[]) =>
  events
    .filter((e) => e.type === 'start')
    .map((e) => e.digit)
    .join('');

describe('DtmfDetector: digits in noise', () => {
  it('detects every digit (50 ms on / 50 ms off) at 20 dB SNR with accurate timestamps', () => {
    const sequence = '123A456B789C*0#D';
    const bursts: Burst[] = [silence(400)];
    for (const d of sequence) bursts.push(digitBurst(d, 400), silence(400));
    // Tone power: (A(-10)² + A(-8)²)/2; noise 20 dB below it.
    const noiseRms = Math.sqrt((amp(-10) ** 2 + amp(-8) ** 2) / 2 / 100);
    for (const seed of [1, 2, 3]) {
      const events = detect(signal(bursts, { noiseRms, seed }));
      assert.equal(digitsOf(events), sequence, `seed ${seed}`);
      assert.equal(events.length, 2 * sequence.length);
      for (let i = 0; i < sequence.length; i++) {
        const start = events[2 * i];
        const end = events[2 * i + 1];
        assert.equal(start.type, 'start');
        assert.equal(end.type, 'end');
        assert.equal(end.digit, sequence[i]);
        const trueStart = 400 + i * 800;
        // timestamps are block-aligned (102 samples at 8 kHz)
        assert.ok(Math.abs(start.sample - trueStart) <= 102, `start ${start.sample} vs ${trueStart}`);
        assert.ok(Math.abs(end.sample - (trueStart + 400)) <= 102, `end ${end.sample}`);
        assert.equal(end.durationSamples, end.sample - start.sample);
      }
    }
  });

  it('still detects every digit at 15 dB SNR', () => {
    const sequence = '123A456B789C*0#D';
    const bursts: Burst[] = [silence(400)];
    for (const d of sequence) bursts.push(digitBurst(d, 400), silence(400));
    const noiseRms = Math.sqrt((amp(-10) ** 2 + amp(-8) ** 2) / 2 / 10 ** 1.5);
    for (const seed of [21, 22, 23]) {
      assert.equal(digitsOf(detect(signal(bursts, { noiseRms, seed }))), sequence, `seed ${seed}`);
    }
  });

  it('works at 16 kHz', () => {
    const x = signal(
      [silence(800), digitBurst('7', 1600), silence(800), digitBurst('#', 1600), silence(800)],
      {
        rate: 16000,
      },
    );
    assert.equal(digitsOf(detect(x, { sampleRate: 16000 }, 320)), '7#');
  });

  it('gives the same events whatever the frame size', () => {
    const x = signal([silence(333), digitBurst('5', 500), silence(350), digitBurst('D', 420), silence(300)], {
      noiseRms: 200,
    });
    const reference = detect(x, {}, x.length);
    assert.equal(digitsOf(reference), '5D');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1200 }), (frame) => {
        assert.deepEqual(detect(x, {}, frame), reference);
      }),
      { numRuns: 25 },
    );
  });
});

describe('DtmfDetector: ITU-T Q.24 frequency tolerance', () => {
  for (const [row, f] of ROWS.entries()) {
    it(`low group ${f} Hz: accepts ±1.5%, rejects ±3.5%`, () => {
      const digit = KEYS[row][1];
      const col = COLS[1];
      for (const [dev, ok] of [
        [0.015, true],
        [-0.015, true],
        [0.035, false],
        [-0.035, false],
      ] as const) {
        const x = signal([
          silence(200),
          {
            parts: [
              [f * (1 + dev), -10],
              [col, -8],
            ],
            samples: 640,
          },
          silence(400),
        ]);
        assert.equal(digitsOf(detect(x)), ok ? digit : '', `${f} Hz ${dev * 100}%`);
      }
    });
  }
  for (const [col, f] of COLS.entries()) {
    it(`high group ${f} Hz: accepts ±1.5%, rejects ±3.5%`, () => {
      const digit = KEYS[2][col];
      for (const [dev, ok] of [
        [0.015, true],
        [-0.015, true],
        [0.035, false],
        [-0.035, false],
      ] as const) {
        const x = signal([
          silence(200),
          {
            parts: [
              [ROWS[2], -10],
              [f * (1 + dev), -8],
            ],
            samples: 640,
          },
          silence(400),
        ]);
        assert.equal(digitsOf(detect(x)), ok ? digit : '', `${f} Hz ${dev * 100}%`);
      }
    });
  }

  it('rejects ±3.5% by the frequency estimate (a looser tolerance accepts it)', () => {
    const x = signal([
      silence(200),
      {
        parts: [
          [852 * 1.035, -10],
          [1477, -8],
        ],
        samples: 640,
      },
      silence(400),
    ]);
    assert.equal(digitsOf(detect(x)), '');
    assert.equal(digitsOf(detect(x, { frequencyTolerance: 0.045 })), '9');
  });

  it('accepts ±1.5% on both tones at once, in 20 dB SNR noise', () => {
    const noiseRms = Math.sqrt((amp(-10) ** 2 + amp(-8) ** 2) / 2 / 100);
    for (const [dl, dh] of [
      [0.015, 0.015],
      [-0.015, 0.015],
      [0.015, -0.015],
      [-0.015, -0.015],
    ]) {
      for (const d of '159D') {
        const [fl, fh] = pairOf(d);
        const x = signal(
          [
            silence(200),
            {
              parts: [
                [fl * (1 + dl), -10],
                [fh * (1 + dh), -8],
              ],
              samples: 640,
            },
            silence(400),
          ],
          { noiseRms, seed: 11 },
        );
        assert.equal(digitsOf(detect(x)), d, `${d} ${dl} ${dh}`);
      }
    }
  });
});

describe('DtmfDetector: twist (Q.24)', () => {
  const burst = (low: number, high: number) =>
    signal([silence(200), digitBurst('8', 640, low, high), silence(400)]);
  it('accepts normal twist (high louder) up to 8 dB, rejects beyond', () => {
    assert.equal(digitsOf(detect(burst(-16, -8.5))), '8'); // +7.5 dB
    assert.equal(digitsOf(detect(burst(-16.5, -8))), ''); // +8.5 dB
  });
  it('accepts reverse twist (low louder) up to 4 dB, rejects beyond', () => {
    assert.equal(digitsOf(detect(burst(-8, -11.5))), '8'); // −3.5 dB
    assert.equal(digitsOf(detect(burst(-8, -12.5))), ''); // −4.5 dB
  });
  it('honours configured twist limits', () => {
    assert.equal(digitsOf(detect(burst(-8, -12.5), { reverseTwistDb: 6 })), '8');
    assert.equal(digitsOf(detect(burst(-16, -8.5), { normalTwistDb: 6 })), '');
  });
  it('rejects tones below the minimum level (−30 dBm0 default)', () => {
    assert.equal(digitsOf(detect(burst(-27, -25))), '8');
    assert.equal(digitsOf(detect(burst(-35, -33))), '');
  });
});

describe('DtmfDetector: timing (Q.24 minimum tone and pause)', () => {
  it('detects a 40 ms tone at every alignment with the analysis blocks', () => {
    for (let lead = 0; lead < 102; lead += 7) {
      const x = signal([silence(200 + lead), digitBurst('3', 320), silence(400)], { seed: lead + 1 });
      assert.equal(digitsOf(detect(x)), '3', `lead ${lead}`);
    }
  });

  it('rejects a 20 ms tone at every alignment', () => {
    for (let lead = 0; lead < 102; lead += 7) {
      const x = signal([silence(200 + lead), digitBurst('3', 160), silence(400)], { seed: lead + 1 });
      assert.equal(digitsOf(detect(x)), '', `lead ${lead}`);
    }
  });

  it('separates two presses of the same key by a 40 ms pause', () => {
    for (let lead = 0; lead < 102; lead += 13) {
      const x = signal([
        silence(200 + lead),
        digitBurst('0', 480),
        silence(320),
        digitBurst('0', 480),
        silence(400),
      ]);
      assert.equal(digitsOf(detect(x)), '00', `lead ${lead}`);
    }
  });

  it('bridges a 10 ms interruption (one press, not two)', () => {
    for (let lead = 0; lead < 102; lead += 13) {
      const x = signal([
        silence(200 + lead),
        digitBurst('0', 480),
        silence(80),
        digitBurst('0', 480),
        silence(400),
      ]);
      const events = detect(x);
      assert.equal(digitsOf(events), '0', `lead ${lead}`);
      assert.equal(events.length, 2);
    }
  });

  it('reports a digit change without a pause as end then start', () => {
    const x = signal([silence(200), digitBurst('1', 480), digitBurst('2', 480), silence(400)]);
    const events = detect(x);
    assert.deepEqual(
      events.map((e) => `${e.type}:${e.digit}`),
      ['start:1', 'end:1', 'start:2', 'end:2'],
    );
  });
});

describe('DtmfDetector: talk-off (no false digits)', () => {
  it('rejects a DTMF pair carrying second harmonics at −10 dB (and accepts it without)', () => {
    const [fl, fh] = pairOf('6');
    const clean = signal([silence(200), digitBurst('6', 640, -10, -10), silence(400)]);
    assert.equal(digitsOf(detect(clean)), '6');
    const rich = signal([
      silence(200),
      {
        parts: [
          [fl, -10],
          [fh, -10],
          [2 * fl, -20],
          [2 * fh, -20],
        ],
        samples: 640,
      },
      silence(400),
    ]);
    assert.equal(digitsOf(detect(rich)), '');
    // Control: it is the harmonic guard that rejects it, not purity.
    assert.equal(digitsOf(detect(rich, { maxSecondHarmonicDb: 0 })), '6');
  });

  it('ignores single tones at every DTMF frequency', () => {
    for (const f of [...ROWS, ...COLS]) {
      const x = signal([silence(100), { parts: [[f, -5]], samples: 2000 }, silence(100)]);
      assert.equal(detect(x).length, 0, `${f} Hz`);
    }
  });

  it('ignores tone pairs away from the DTMF grid (dial tone, 1 kHz + 2 kHz)', () => {
    for (const pair of [
      [350, 440],
      [1000, 2000],
      [480, 620],
      [425, 1400],
    ]) {
      const x = signal([{ parts: pair.map((f) => [f, -10] as [number, number]), samples: 4000 }]);
      assert.equal(detect(x).length, 0, pair.join('+'));
    }
  });

  it('ignores white noise', () => {
    const x = signal([silence(16000)], { noiseRms: 3000, seed: 5 });
    assert.equal(detect(x).length, 0);
  });

  it('ignores speech-like signals: voiced harmonics with gliding pitch and formants', () => {
    // Synthetic vowels: a glottal-like harmonic series (pitch 90..260 Hz, gliding) shaped by two
    // formants, several vowels in turn, 10 s in all. Harmonics sweep through the DTMF frequencies.
    const rate = 8000;
    const x = new Int16Array(rate * 10);
    const vowels = [
      [700, 1220],
      [270, 2290],
      [300, 870],
      [530, 1840],
      [640, 1190],
      [440, 1020],
    ];
    let phase = 0;
    const noise = gaussian(9);
    for (let n = 0; n < x.length; n++) {
      const t = n / rate;
      const f0 = 175 + 85 * Math.sin(2 * Math.PI * 0.37 * t) * Math.sin(2 * Math.PI * 0.11 * t + 1);
      phase += (2 * Math.PI * f0) / rate;
      const [f1, f2] = vowels[Math.floor(t / 0.4) % vowels.length];
      let v = 0;
      for (let h = 1; f0 * h < 3800; h++) {
        const fh = f0 * h;
        const gain = 1 / (1 + ((fh - f1) / 120) ** 2) + 0.6 / (1 + ((fh - f2) / 150) ** 2);
        v += (gain / h ** 0.5) * Math.sin(h * phase);
      }
      x[n] = Math.round(4000 * v + 50 * noise());
    }
    assert.equal(detect(x).length, 0, JSON.stringify(detect(x).slice(0, 4)));
  });
});
