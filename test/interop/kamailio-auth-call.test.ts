/**
 * tsvoip's user agent against real peers: it REGISTERs to Kamailio 5.6 with digest auth and calls a
 * headless baresip through it, with audio both ways.
 *
 * - Kamailio (test/interop/kamailio/kamailio.cfg, `-A WITH_AUTH`, password `<user>-secret`) on UDP
 *   127.0.0.1:15270 (REGISTER 401, initial INVITE 407) and 127.0.0.1:15271 (REGISTER 401 only).
 * - baresip callee `bob` on 127.0.0.1:15260 (TLS 15261, ctrl_tcp 15262, RTP 22000-22099):
 *   registers with digest auth, answers at once, plays a 1.6 kHz tone and dumps what it decodes
 *   to a WAV.
 * - tsvoip `alice` on 127.0.0.1:15265 (RTP 22100-22199); `carol` (wrong password) on 15266.
 *
 * The media call goes to the REGISTER-only port; a second call goes through 15270, where Kamailio
 * challenges the INVITE with 407 and the UA answers with Proxy-Authorization (RFC 3261 §22.3).
 * Every process is killed by PID in `after`; each test is bounded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CallFailedError, createUserAgent, RegistrationError, type UserAgent } from '@tsvoip/session';
import { readMono, rmsDbfs, sine, toneMarginDb } from './baresip/audio.js';
import { Baresip } from './baresip/baresip.js';
import { type Kamailio, startKamailio } from './kamailio/kamailio.js';

const HOST = '127.0.0.1';
const KAM_PORT = 15270;
const KAM_REG_ONLY_PORT = 15271;
const BOB_SIP_PORT = 15260;
const ALICE_SIP_PORT = 15265;
const CAROL_SIP_PORT = 15266;
const RATE = 8000;
const ALICE_HZ = 1000;
const BOB_HZ = 1600;
/** Bins that must stay > 20 dB under the tone heard (the sender's own tone among them). */
const OTHER_BINS = [400, 700, 1300, 2200, 2800, 3400];

let kam: Kamailio | undefined;
let bob: Baresip | undefined;
let dir = '';
const uas: UserAgent[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` so a hung promise fails the test with a message instead of hanging it. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

async function userAgent(
  user: string,
  password: string,
  sipPort: number,
  rtpBase: number,
): Promise<UserAgent> {
  const ua = await createUserAgent({
    uri: `sip:${user}@${HOST}:${KAM_PORT}`,
    sip: { host: HOST, port: sipPort },
    auth: { username: user, password },
    registrar: `sip:${HOST}:${KAM_PORT}`,
    media: { address: HOST, portMin: rtpBase, portMax: rtpBase + 99, codecs: ['PCMU'] },
  });
  uas.push(ua);
  return ua;
}

let alice: UserAgent | undefined;
/** alice, registered (the registration test's UA, or a fresh one when it runs alone). */
async function registeredAlice(): Promise<UserAgent> {
  if (alice === undefined) alice = await userAgent('alice', 'alice-secret', ALICE_SIP_PORT, 22100);
  if (alice.registration?.registered !== true) await within(alice.register(), 5000, 'alice REGISTER');
  return alice;
}

/** Polls until `path`'s size stops changing (baresip's sndfile closes the dump at call end). */
async function settledFile(path: string, ms: number): Promise<void> {
  const end = performance.now() + ms;
  let last = -1;
  while (performance.now() < end) {
    const size = statSync(path).size;
    if (size === last && size > 44) return;
    last = size;
    await sleep(200);
  }
}

before(
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsvoip-kamailio-test-'));
    kam = await startKamailio({ port: KAM_PORT, regOnlyPort: KAM_REG_ONLY_PORT, auth: true });
    bob = await Baresip.start({
      dir: join(dir, 'bob'),
      aor: `sip:bob@${HOST}:${KAM_PORT}`,
      password: 'bob-secret',
      regint: 60,
      autoAnswer: true,
      sipPort: BOB_SIP_PORT,
      rtpPorts: '22000-22099',
      // aufile stops sending at the end of the file: long enough for every call of this file.
      toneHz: BOB_HZ,
      toneSeconds: 60,
      quitAfterS: 120,
    });
    await bob.waitForRegistered(8000);
  },
  { timeout: 20_000 },
);

after(
  async () => {
    await Promise.allSettled(uas.map((ua) => ua.close({ timeoutMs: 1000 })));
    await bob?.stop();
    await kam?.stop();
    if (dir !== '' && process.env.KEEP_INTEROP_RUN !== '1') rmSync(dir, { recursive: true, force: true });
  },
  { timeout: 15_000 },
);

describe('tsvoip registers to Kamailio with digest auth and calls baresip through it', () => {
  it('baresip registered through a digest challenge (the peer set-up works)', async () => {
    assert.ok(((await kam?.waitForLines('AUTH challenge REGISTER bob'))?.length ?? 0) >= 1, kam?.log());
    assert.ok(((await kam?.waitForLines('AUTH ok REGISTER bob'))?.length ?? 0) >= 1, kam?.log());
  });

  it('REGISTER is challenged with 401, answered with credentials, and bound (RFC 3261 §22.2)', {
    timeout: 15_000,
  }, async () => {
    const ua = await registeredAlice();
    const reg = ua.registration;
    assert.ok(reg !== undefined);
    assert.equal(reg.registered, true);
    // Kamailio grants what we asked (600 s is within its min 10 / max 3600).
    assert.equal(reg.expires, 600);
    // Two REGISTERs: the first without credentials (challenged), the second with them (200).
    assert.equal(reg.requestsSent, 2);
    assert.equal(reg.refreshes, 1);
    // Kamailio's side of it: one 401 challenge (no credentials), then a verified digest.
    const challenged = (await kam?.waitForLines('AUTH challenge REGISTER alice')) ?? [];
    const verified = (await kam?.waitForLines('AUTH ok REGISTER alice')) ?? [];
    assert.equal(challenged.length, 1, kam?.log());
    assert.equal(verified.length, 1, kam?.log());
  });

  it('calls bob through Kamailio; each side records the other side’s tone', {
    timeout: 30_000,
  }, async (t) => {
    const ua = await registeredAlice();
    const bobHears = bob?.dumps('dec').length ?? 0;
    const call = await within(
      ua.call(`sip:bob@${HOST}:${KAM_REG_ONLY_PORT}`, { signal: AbortSignal.timeout(8000) }),
      10_000,
      'call',
    );
    assert.equal(call.stats().codec, 'PCMU');
    const recording = call.record(join(dir, 'alice-hears.wav'), RATE);
    await call.play(sine(ALICE_HZ, RATE, 3.5), { sampleRate: RATE });
    await call.hangup();
    await recording.stop();
    await bob?.waitForLog(/terminated/, 5000);

    // The signaling went through Kamailio: the INVITE routed by its location lookup, the BYE
    // loose-routed along the Record-Route.
    assert.equal(
      (await kam?.waitForLines(`ROUTE INVITE bob via ${KAM_REG_ONLY_PORT}`))?.length,
      1,
      kam?.log(),
    );
    assert.ok(((await kam?.waitForLines('INDIALOG BYE'))?.length ?? 0) >= 1, kam?.log());

    // What alice heard (the UA's recording): bob's 1.6 kHz tone, > 20 dB over the other bins and
    // over alice's own 1 kHz.
    const ours = readMono(join(dir, 'alice-hears.wav'));
    assert.equal(ours.rate, RATE);
    assert.ok(ours.x.length >= 3 * RATE, `alice recorded ${ours.x.length / RATE} s`);
    const oursBody = ours.x.subarray(RATE / 2);
    const oursMargin = toneMarginDb(oursBody, BOB_HZ, RATE, [ALICE_HZ, ...OTHER_BINS]);
    assert.ok(oursMargin > 20, `alice hears ${BOB_HZ} Hz only ${oursMargin.toFixed(1)} dB over other bins`);
    assert.ok(
      rmsDbfs(oursBody) > -20,
      `alice's recording is too quiet: ${rmsDbfs(oursBody).toFixed(1)} dBFS`,
    );

    // What bob heard (baresip's decoded-audio dump): alice's 1 kHz tone.
    const dumps = bob?.dumps('dec') ?? [];
    assert.equal(dumps.length, bobHears + 1, `baresip dumps: ${dumps.join(', ')}`);
    const dump = dumps[dumps.length - 1];
    await settledFile(dump, 3000);
    const theirs = readMono(dump);
    assert.equal(theirs.rate, RATE);
    assert.ok(theirs.x.length >= 3 * RATE, `baresip recorded ${theirs.x.length / RATE} s`);
    const theirsBody = theirs.x.subarray(RATE / 2, RATE * 3.5);
    const theirsMargin = toneMarginDb(theirsBody, ALICE_HZ, RATE, [BOB_HZ, ...OTHER_BINS]);
    // A clean periodic tone has (numerically) no energy in these bins: margins over 120 dB mean that.
    const db = (m: number) => (m > 120 ? '> 120' : `+${m.toFixed(1)}`);
    t.diagnostic(
      `alice hears ${BOB_HZ} Hz ${db(oursMargin)} dB (${(ours.x.length / RATE).toFixed(1)} s); ` +
        `bob hears ${ALICE_HZ} Hz ${db(theirsMargin)} dB (${(theirs.x.length / RATE).toFixed(1)} s)`,
    );
    assert.ok(
      theirsMargin > 20,
      `bob hears ${ALICE_HZ} Hz only ${theirsMargin.toFixed(1)} dB over other bins`,
    );
    assert.ok(
      rmsDbfs(theirsBody) > -20,
      `baresip's recording is too quiet: ${rmsDbfs(theirsBody).toFixed(1)} dBFS`,
    );
  });

  it('a wrong password fails registration with RegistrationError 401', { timeout: 15_000 }, async () => {
    const carol = await userAgent('carol', 'not-carols-secret', CAROL_SIP_PORT, 22200);
    await assert.rejects(within(carol.register(), 5000, 'carol REGISTER'), (e: unknown) => {
      assert.ok(e instanceof RegistrationError, String(e));
      assert.equal(e.status, 401);
      assert.match(e.message, /^registration failed: 401 Unauthorized$/);
      return true;
    });
    assert.equal(carol.registration?.registered, false);
    // Challenged once, answered once with the wrong digest, and not retried in a loop.
    assert.equal(carol.registration?.requestsSent, 2);
    // Kamailio saw the credentials and found the password wrong (auth module rc -2).
    assert.equal((await kam?.waitForLines('AUTH challenge REGISTER carol rc=-2'))?.length, 1, kam?.log());
    assert.equal(kam?.lines('AUTH ok REGISTER carol').length, 0);
  });

  it('an INVITE challenged with 407 is retried with Proxy-Authorization (RFC 3261 §22.3)', {
    timeout: 20_000,
  }, async () => {
    const ua = await registeredAlice();
    let call: Awaited<ReturnType<UserAgent['call']>>;
    try {
      call = await within(
        ua.call(`sip:bob@${HOST}:${KAM_PORT}`, { signal: AbortSignal.timeout(8000) }),
        10_000,
        'call',
      );
    } catch (e) {
      if (e instanceof CallFailedError) assert.fail(`call failed: ${e.status} ${e.reason}`);
      throw e;
    }
    await sleep(1000);
    await call.hangup();
    assert.equal((await kam?.waitForLines('AUTH challenge INVITE alice'))?.length, 1, kam?.log());
    assert.equal((await kam?.waitForLines('AUTH ok INVITE alice'))?.length, 1, kam?.log());
    assert.equal((await kam?.waitForLines(`ROUTE INVITE bob via ${KAM_PORT}`))?.length, 1, kam?.log());
  });
});
