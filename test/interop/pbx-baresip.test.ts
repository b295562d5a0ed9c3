/**
 * `tsvoip pbx` against real softphones: two headless baresip 1.0.0 register to it with digest auth
 * (MD5: libre computes nothing else) and call each other through it, each hearing the other's tone;
 * hangup from either side; CANCEL while ringing (the callee sees the call end, the caller gets 487
 * from the PBX); and the `tsvoip phone` command (spawned) registers and calls a baresip through it.
 *
 * Ports on 127.0.0.1: PBX 15300 (UDP+TCP); baresip 1000 on 15303 (TLS 15304, ctrl_tcp 15305, RTP
 * 23000-23099), baresip 1001 on 15306 (15307, 15308, RTP 23100-23199); tsvoip phone 1002 on 15310
 * (RTP 23200-23299). Every process is killed in `after`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeToneWav } from './baresip/audio.js';
import { Baresip, killAllBaresip } from './baresip/baresip.js';
import { spawnPhone } from './baresip/scenario.js';
import { killAll, type Proc, stop } from './harness.js';
import { assertTone, firstLines, sleep, startPbx, type Traced, traced, tracedWhen } from './pbx/pbx.js';

const PBX_PORT = 15300;
const PBX = `127.0.0.1:${PBX_PORT}`;
/** Tones: each side's recording must hold the other's. */
const HZ = { a: 1600, b: 1000, phone: 2400 } as const;
const USERS = [
  { name: '1000', password: 'pw-1000-x' },
  { name: '1001', password: 'pw-1001-y' },
  { name: '1002', password: 'pw-1002-z' },
] as const;

const dir = mkdtempSync(join(tmpdir(), 'tsvoip-pbx-baresip-'));
let pbx: Proc | undefined;
let a: Baresip | undefined;
let b: Baresip | undefined;

function peers(): { a: Baresip; b: Baresip; pbx: Proc } {
  assert.ok(a !== undefined && b !== undefined && pbx !== undefined, 'set-up failed');
  return { a, b, pbx };
}

async function startBaresip(name: 'a' | 'b', user: string, password: string, sipPort: number, rtp: string) {
  return Baresip.start({
    dir: join(dir, name),
    sipPort,
    rtpPorts: rtp,
    toneHz: HZ[name],
    aor: `sip:${user}@${PBX}`,
    password,
    regint: 300,
    quitAfterS: 85,
  });
}

/**
 * `caller` dials `callee` through the PBX, the callee accepts; both established; the call runs
 * `talkMs`, then `hanger` hangs up and the other side sees CALL_CLOSED.
 */
async function callThrough(
  caller: Baresip,
  callee: Baresip,
  calleeUser: string,
  hanger: Baresip,
  talkMs: number,
) {
  const c0 = caller.events.length;
  const e0 = callee.events.length;
  const r = await caller.command('dial', `sip:${calleeUser}@${PBX}`);
  assert.ok(r.ok, `dial: ${r.data}`);
  await callee.waitForEvent('CALL_INCOMING', 8000, e0);
  assert.ok((await callee.command('accept')).ok);
  await caller.waitForEvent('CALL_ESTABLISHED', 5000, c0);
  await callee.waitForEvent('CALL_ESTABLISHED', 5000, e0);
  await sleep(talkMs);
  const other = hanger === caller ? callee : caller;
  const o0 = other.events.length;
  assert.ok((await hanger.command('hangup')).ok);
  await other.waitForEvent('CALL_CLOSED', 5000, o0);
  await hanger.waitForEvent('CALL_CLOSED', 5000, hanger === caller ? c0 : e0);
  // sndfile closes its dumps with the call.
  await sleep(300);
}

before(
  async () => {
    pbx = await startPbx({ dir, port: PBX_PORT, users: USERS, limitMs: 88_000 });
    [a, b] = await Promise.all([
      startBaresip('a', '1000', USERS[0].password, 15303, '23000-23099'),
      startBaresip('b', '1001', USERS[1].password, 15306, '23100-23199'),
    ]);
  },
  { timeout: 30_000 },
);

after(
  async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    if (pbx !== undefined) await stop(pbx);
    killAllBaresip();
    killAll();
    if (process.env.KEEP_INTEROP_RUN !== '1') rmSync(dir, { recursive: true, force: true });
  },
  { timeout: 15_000 },
);

describe('baresip <-> tsvoip pbx <-> baresip', { concurrency: false }, () => {
  it('both baresips register with digest auth: 401, then 200 (RFC 3261 §10.3, §22.4)', {
    timeout: 15_000,
  }, async () => {
    const p = peers();
    await p.a.waitForRegistered(8000);
    await p.b.waitForRegistered(8000);
    for (const port of [15303, 15306]) {
      const out = (t: Traced[]) => t.filter((m) => m.dir === 'out' && m.peer === `127.0.0.1:${port}`);
      const answers = (t: Traced[]) =>
        out(t)
          .map((m) => m.text.slice(0, 11))
          .filter((s) => s.startsWith('SIP/2.0 '));
      const all = await tracedWhen(p.pbx, (t) => answers(t).length >= 2);
      const toBaresip = out(all);
      const statuses = answers(all);
      assert.deepEqual(statuses.slice(0, 2), ['SIP/2.0 401', 'SIP/2.0 200'], `to ${port}`);
      assert.match(toBaresip[0]?.text ?? '', /WWW-Authenticate: Digest realm="tsvoip"[^\r]*algorithm=MD5/);
    }
  });

  it('1000 calls 1001, the caller hangs up; each hears the other’s tone', { timeout: 30_000 }, async () => {
    const p = peers();
    await callThrough(p.a, p.b, '1001', p.a, 4500);
    assertTone(p.a.dump('dec'), HZ.b, 3, '1000 hears 1001');
    assertTone(p.b.dump('dec'), HZ.a, 3, '1001 hears 1000');
    // The INVITE was challenged (407) and the BYE went through the PBX (Record-Route, RFC 3261 §16.6).
    const fromA = traced(p.pbx).filter((m) => m.dir === 'in' && m.peer === '127.0.0.1:15303');
    assert.ok(
      fromA.some((m) => m.text.startsWith('BYE ')),
      'the BYE did not go through the PBX',
    );
    const toA = traced(p.pbx).filter((m) => m.dir === 'out' && m.peer === '127.0.0.1:15303');
    assert.ok(
      toA.some((m) => m.text.startsWith('SIP/2.0 407')),
      'the INVITE was not challenged',
    );
  });

  it('1001 calls 1000, the callee hangs up; each hears the other’s tone', { timeout: 30_000 }, async () => {
    const p = peers();
    await callThrough(p.b, p.a, '1000', p.a, 4500);
    assertTone(p.a.dump('dec'), HZ.b, 3, '1000 hears 1001');
    assertTone(p.b.dump('dec'), HZ.a, 3, '1001 hears 1000');
  });

  it('CANCEL while ringing: the callee sees the call end, the caller gets 487 (RFC 3261 §9.2, §16.10)', {
    timeout: 30_000,
  }, async () => {
    const p = peers();
    const c0 = p.a.events.length;
    const e0 = p.b.events.length;
    assert.ok((await p.a.command('dial', `sip:1001@${PBX}`)).ok);
    const incoming = await p.b.waitForEvent('CALL_INCOMING', 8000, e0);
    await p.a.waitForEvent('CALL_RINGING', 5000, c0);
    assert.ok((await p.a.command('hangup')).ok);
    const closed = await p.b.waitForEvent('CALL_CLOSED', 5000, e0);
    await p.a.waitForEvent('CALL_CLOSED', 5000, c0);
    assert.equal(
      p.b.events.slice(e0).some((e) => e.type === 'CALL_ESTABLISHED'),
      false,
      'the callee answered',
    );
    const callId = String(incoming.id ?? '');
    assert.notEqual(callId, '', JSON.stringify(incoming));
    // The PBX: CANCEL in from the caller (200), CANCEL out to the callee, 487 from it, 487 to the caller.
    const deadline = Date.now() + 3000;
    let lines = firstLines(p.pbx, callId);
    while (!lines.some((l) => l.startsWith('out 127.0.0.1:15303 SIP/2.0 487')) && Date.now() < deadline) {
      await sleep(50);
      lines = firstLines(p.pbx, callId);
    }
    const expect = [
      /^in 127\.0\.0\.1:15303 CANCEL /,
      /^out 127\.0\.0\.1:15303 SIP\/2\.0 200/,
      /^out 127\.0\.0\.1:15306 CANCEL /,
      /^in 127\.0\.0\.1:15306 SIP\/2\.0 487/,
      /^out 127\.0\.0\.1:15303 SIP\/2\.0 487/,
    ];
    for (const re of expect)
      assert.ok(
        lines.some((l) => re.test(l)),
        `${re} not in:\n${lines.join('\n')}\n${JSON.stringify(closed)}`,
      );
  });

  it('tsvoip phone (1002) registers to the PBX and calls baresip 1001 through it; tones both ways', {
    timeout: 30_000,
  }, async () => {
    const p = peers();
    const play = join(dir, 'phone-tone.wav');
    writeToneWav(play, HZ.phone, 8000, 1, 10);
    const heard = join(dir, 'phone-heard.wav');
    const e0 = p.b.events.length;
    const phone = spawnPhone(
      [
        'call',
        `sip:1001@${PBX}`,
        '--account',
        `sip:1002@${PBX}`,
        '--password',
        USERS[2].password,
        '--listen',
        'udp:127.0.0.1:15310',
        '--rtp-ports',
        '23200-23299',
        '--codecs',
        'PCMU',
        '--play',
        play,
        '--record',
        heard,
        '--duration',
        '5',
      ],
      25_000,
    );
    await p.b.waitForEvent('CALL_INCOMING', 15_000, e0);
    assert.ok((await p.b.command('accept')).ok);
    const exit = await phone.exited;
    assert.equal(exit.code, 0, `tsvoip phone call failed:\n${exit.stdout}${exit.stderr}`);
    assert.match(exit.stdout, /^answered: PCMU sendrecv$/m);
    assert.match(exit.stdout, /^call ended: local-bye$/m);
    await p.b.waitForEvent('CALL_CLOSED', 5000, e0);
    await sleep(300);
    assertTone(heard, HZ.b, 3, 'tsvoip phone hears 1001');
    assertTone(p.b.dump('dec'), HZ.phone, 3, '1001 hears tsvoip phone');
    // The phone registered (401 then 200) before it called.
    const toPhone = traced(p.pbx).filter((m) => m.dir === 'out' && m.peer === '127.0.0.1:15310');
    const statuses = toPhone.map((m) => m.text.slice(0, 11));
    assert.deepEqual(statuses.slice(0, 2), ['SIP/2.0 401', 'SIP/2.0 200']);
  });
});
