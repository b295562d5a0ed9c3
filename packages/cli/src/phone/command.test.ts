import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readWav, writeWav } from '@tsvoip/dsp';
import { runCli } from '../cli.js';
import { parseSummaryJson } from './report.js';

/** Runs the CLI in this process, collecting its lines. */
async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Goertzel power of `hz` in `x` at `rate`. */
function power(x: Int16Array, hz: number, rate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

describe('tsvoip phone (command)', () => {
  it('bad arguments: one line on stderr, exit 2, no call placed', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['phone', 'dial', 'sip:x@127.0.0.1'], /unknown mode "dial"/],
      [['phone', 'call'], /call needs a target/],
      [['phone', 'call', 'mailto:bob'], /target "mailto:bob": expected a sip: URI/],
      [['phone', 'listen'], /listen needs --auto-answer/],
      [['phone', 'listen', 'sip:x@y', '--auto-answer'], /unexpected argument/],
      [['phone', 'call', 'sip:x@127.0.0.1', '--listen', 'tcp:127.0.0.1:0'], /udp only/],
      [['phone', 'call', 'sip:x@127.0.0.1', '--codecs', 'GSM'], /unknown codec "GSM"/],
      [['phone', 'call', 'sip:x@127.0.0.1', '--duration', '0'], /--duration "0"/],
      [['phone', 'call', 'sip:x@127.0.0.1', '--dtmf', '12x'], /not a DTMF digit/],
      [
        ['phone', 'call', 'sip:x@127.0.0.1', '--play', '/nonexistent/x.wav'],
        /--play \/nonexistent\/x.wav: ENOENT/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.length, 1, `${args.join(' ')}: ${r.err.join(' | ')}`);
      assert.match(r.err[0], message);
      assert.equal(r.out.length, 0);
    }
  });

  it('--help lists the modes and the options', async () => {
    const r = await cli(['phone', '--help']);
    assert.equal(r.code, 0);
    const help = r.out.join('\n');
    for (const w of [
      'call',
      'listen',
      '--play',
      '--record',
      '--duration',
      '--dtmf',
      '--codecs',
      '--srtp',
      '--auto-answer',
    ])
      assert.ok(help.includes(w), w);
  });

  it('call → listen in one process: answered, tone heard, DTMF reported, both print statistics and exit 0', {
    timeout: 15_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phone-cmd-'));
    const tone = join(dir, 'tone.wav');
    const samples = new Int16Array(22_050 * 4);
    for (let i = 0; i < samples.length; i++)
      samples[i] = Math.round(12000 * Math.sin((2 * Math.PI * 1000 * i) / 22_050));
    writeFileSync(tone, writeWav({ sampleRate: 22_050, channels: 1, samples }));
    const heard = join(dir, 'heard.wav');
    const listen = cli([
      'phone',
      'listen',
      '--listen',
      'udp:127.0.0.1:15145',
      '--rtp-ports',
      '21800-21899',
      '--auto-answer',
      '--record',
      heard,
      '--duration',
      '1.5',
    ]);
    await new Promise((r) => setTimeout(r, 200));
    const call = await cli([
      'phone',
      'call',
      'sip:bob@127.0.0.1:15145',
      '--rtp-ports',
      '21900-21999',
      '--codecs',
      'PCMA',
      '--play',
      tone,
      '--dtmf',
      '7#',
    ]);
    const l = await listen;
    assert.equal(call.code, 0, call.err.join('\n'));
    assert.equal(l.code, 0, l.err.join('\n'));
    assert.ok(call.out.includes('answered: PCMA sendrecv'), call.out.join('\n'));
    assert.ok(call.out.includes('call ended: remote-bye'), call.out.join('\n'));
    assert.ok(l.out.includes('call ended: local-bye'));
    assert.deepEqual(
      l.out.filter((x) => x.startsWith('dtmf received')),
      ['dtmf received: 7 (rfc4733)', 'dtmf received: # (rfc4733)'],
    );
    const stats = l.out.map(parseSummaryJson).find((s) => s !== undefined);
    assert.ok(stats !== undefined);
    assert.equal(stats.codec, 'PCMA');
    assert.equal(stats.dtmfReceived, '7#');
    assert.ok(stats.packetsReceived > 40, `received ${stats.packetsReceived}`);
    assert.ok(stats.durationS >= 1.4 && stats.durationS < 3, `duration ${stats.durationS}`);
    const wav = readWav(readFileSync(heard));
    const x = wav.samples.subarray(wav.sampleRate / 2);
    assert.ok(
      power(x, 1000, wav.sampleRate) > 100 * power(x, 1600, wav.sampleRate),
      'the 1 kHz tone was heard',
    );
  });

  it('a call nobody answers ends after --answer-timeout: one line on stderr, exit 1', {
    timeout: 10_000,
  }, async () => {
    // Nothing listens on 15146: the INVITE goes unanswered.
    const r = await cli([
      'phone',
      'call',
      'sip:nobody@127.0.0.1:15146',
      '--rtp-ports',
      '21900-21999',
      '--answer-timeout',
      '0.5',
    ]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.err, ['tsvoip: call to sip:nobody@127.0.0.1:15146: no answer within 0.5 s']);
  });
});
