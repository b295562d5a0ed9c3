/**
 * The `tsvoip phone` command (spawned as a process) against baresip 1.0.0 over UDP: `phone call`
 * and `phone listen` with `--play` / `--record` / `--duration`, each side hearing the other's
 * tone; a 44.1 kHz stereo WAV resampled to G.722; DTMF from `--dtmf` in baresip's events; a call
 * that is not answered ends with one line on stderr and exit code 1.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TSVOIP_HZ, writeToneWav } from './baresip/audio.js';
import { killAllBaresip } from './baresip/baresip.js';
import { assertTonesBothWays, PORTS, spawnPhone, startBaresip, workDir } from './baresip/scenario.js';
import { killAll, waitForOutput } from './harness.js';

const SLOT = PORTS.cli;
const common = [
  '--listen',
  `udp:127.0.0.1:${SLOT.tsvoipSip}`,
  '--rtp-ports',
  `${SLOT.tsvoipRtp.min}-${SLOT.tsvoipRtp.max}`,
];

/** The `stats {...}` line a phone printed at the end of its call. */
function statsOf(stdout: string): Record<string, unknown> {
  const line = stdout.split('\n').find((l) => l.startsWith('stats {'));
  assert.ok(line !== undefined, `no stats line in:\n${stdout}`);
  return JSON.parse(line.slice(6)) as Record<string, unknown>;
}

describe('baresip interop: the tsvoip phone command', () => {
  after(() => {
    killAll();
    killAllBaresip();
  });

  it('phone call → baresip, G.722, a 44.1 kHz stereo WAV resampled; DTMF 1#9 reaches baresip', {
    timeout: 20_000,
  }, async (t) => {
    const dir = workDir('cli-call');
    const play = join(dir, 'tone-44k-stereo.wav');
    writeToneWav(play, TSVOIP_HZ, 44_100, 2, 10);
    const heard = join(dir, 'heard.wav');
    const bs = await startBaresip(dir, SLOT, 'G722', { autoAnswer: true });
    try {
      const phone = spawnPhone(
        [
          'call',
          bs.uri,
          ...common,
          '--codecs',
          'G722',
          '--play',
          play,
          '--record',
          heard,
          '--duration',
          '5',
          '--dtmf',
          '1#9',
        ],
        17_000,
      );
      const exit = await phone.exited;
      assert.equal(exit.code, 0, `tsvoip phone call failed:\n${exit.stdout}${exit.stderr}`);
      assert.match(exit.stdout, /^answered: G722 sendrecv$/m);
      assert.match(exit.stdout, /^dtmf sent: 1#9$/m);
      assert.match(exit.stdout, /^call ended: local-bye$/m);
      assert.match(exit.stdout, /^call statistics: /m);
      const stats = statsOf(exit.stdout);
      assert.equal(stats.codec, 'G722');
      assert.ok(Number(stats.packetsReceived) > 150, `packets received: ${stats.packetsReceived}`);
      await bs.waitForEvent('CALL_CLOSED', 3000);
      // RFC 4733 events as baresip reports them (ctrl_tcp CALL_DTMF_START), in order.
      const digits = bs.events.filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param);
      assert.deepEqual(digits, ['1', '#', '9']);
    } finally {
      await bs.stop();
    }
    t.diagnostic(assertTonesBothWays(heard, bs.dump('dec'), 'phone call → baresip'));
  });

  it('baresip → phone listen --auto-answer, PCMU: tones both ways, baresip DTMF printed in order, exit after the call', {
    timeout: 20_000,
  }, async (t) => {
    const dir = workDir('cli-listen');
    const play = join(dir, 'tone-8k.wav');
    writeToneWav(play, TSVOIP_HZ, 8000, 1, 10);
    const heard = join(dir, 'heard.wav');
    const phone = spawnPhone(
      [
        'listen',
        ...common,
        '--auto-answer',
        '--codecs',
        'PCMU',
        '--play',
        play,
        '--record',
        heard,
        '--duration',
        '4.5',
      ],
      17_000,
    );
    await waitForOutput(phone, 'tsvoip phone listening on', 8000);
    const bs = await startBaresip(dir, SLOT, 'PCMU', { autoAnswer: false });
    try {
      assert.ok((await bs.command('dial', `sip:tsvoip@127.0.0.1:${SLOT.tsvoipSip}`)).ok);
      await bs.waitForEvent('CALL_ESTABLISHED', 4000);
      for (const d of ['4', '2', '*']) {
        assert.ok((await bs.command('sndcode', d)).ok);
        await new Promise((r) => setTimeout(r, 300));
      }
      const exit = await phone.exited;
      assert.equal(exit.code, 0, `tsvoip phone listen failed:\n${exit.stdout}${exit.stderr}`);
      assert.match(exit.stdout, /^incoming call from /m);
      const received = [...exit.stdout.matchAll(/^dtmf received: (.) \(rfc4733\)$/gm)].map((m) => m[1]);
      assert.deepEqual(received, ['4', '2', '*']);
      assert.equal(statsOf(exit.stdout).dtmfReceived, '42*');
      await bs.waitForEvent('CALL_CLOSED', 3000);
    } finally {
      await bs.stop();
    }
    t.diagnostic(assertTonesBothWays(heard, bs.dump('dec'), 'baresip → phone listen'));
  });

  it('phone call that baresip does not answer: CANCEL after --answer-timeout, one line on stderr, exit 1', {
    timeout: 20_000,
  }, async () => {
    const dir = workDir('cli-noanswer');
    const bs = await startBaresip(dir, SLOT, 'PCMU', { autoAnswer: false });
    try {
      const phone = spawnPhone(['call', bs.uri, ...common, '--answer-timeout', '1.5'], 12_000);
      const exit = await phone.exited;
      assert.equal(exit.code, 1);
      assert.match(exit.stdout, /^progress 180 Ringing$/m);
      const errLines = exit.stderr.trim().split('\n');
      assert.equal(errLines.length, 1, exit.stderr);
      assert.equal(errLines[0], `tsvoip: call to ${bs.uri}: no answer within 1.5 s`);
      await bs.waitForEvent('CALL_CLOSED', 3000);
    } finally {
      await bs.stop();
    }
  });
});
