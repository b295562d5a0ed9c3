/**
 * `tsvoip pbx` with Kamailio 5.6 (test/interop/kamailio/kamailio.cfg without auth) on either side:
 *
 * - in front (edge proxy): baresip `1000` sends through Kamailio as its outbound proxy; Kamailio
 *   relays to the PBX, which challenges (407, answered through Kamailio) and routes to baresip
 *   `1001` registered at the PBX;
 * - behind (destination): the PBX routes numbers starting with 8 through a trunk (strip 1) to
 *   Kamailio, which delivers to baresip `2001` registered there.
 *
 * Both calls carry audio both ways (each recording holds the other's tone). Ports on 127.0.0.1:
 * Kamailio 15325/15326, PBX 15330 (UDP+TCP), baresip 1000 on 15333 (TLS +1, ctrl_tcp +2, RTP
 * 23500-23599), 1001 on 15336 (RTP 23600-23699), 2001 on 15340 (RTP 23700-23799).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Baresip, type BaresipAccount, killAllBaresip } from './baresip/baresip.js';
import { killAll, type Proc, stop } from './harness.js';
import { type Kamailio, startKamailio } from './kamailio/kamailio.js';
import { assertTone, sleep, startPbx, traced } from './pbx/pbx.js';

const KAM_PORT = 15325;
const KAM = `127.0.0.1:${KAM_PORT}`;
const PBX_PORT = 15330;
const PBX = `127.0.0.1:${PBX_PORT}`;
const HZ = { edge: 1600, pbxUser: 1000, kamUser: 2400 } as const;
const USERS = [
  { name: '1000', password: 'pw-1000-k' },
  { name: '1001', password: 'pw-1001-k' },
] as const;

const dir = mkdtempSync(join(tmpdir(), 'tsvoip-pbx-kamailio-'));
let pbx: Proc | undefined;
let kam: Kamailio | undefined;
/** 1000 through Kamailio (outbound proxy, no REGISTER). */
let edge: Baresip | undefined;
/** 1001 registered at the PBX. */
let pbxUser: Baresip | undefined;
/** 2001 registered at Kamailio. */
let kamUser: Baresip | undefined;

/** A process of the set-up (fails the test when `before` could not start it). */
function peer<T>(p: T | undefined): T {
  assert.ok(p !== undefined, 'set-up failed');
  return p;
}

function startPeer(
  name: keyof typeof HZ,
  sipPort: number,
  rtpPorts: string,
  account: BaresipAccount,
): Promise<Baresip> {
  return Baresip.start({
    dir: join(dir, name),
    sipPort,
    rtpPorts,
    toneHz: HZ[name],
    quitAfterS: 85,
    ...account,
  });
}

/** `caller` dials `uri`, `callee` accepts, `talkMs` of audio, the caller hangs up; returns the callee's INVITE event. */
async function call(caller: Baresip, callee: Baresip, uri: string, talkMs: number) {
  const c0 = caller.events.length;
  const e0 = callee.events.length;
  const r = await caller.command('dial', uri);
  assert.ok(r.ok, `dial: ${r.data}`);
  const incoming = await callee.waitForEvent('CALL_INCOMING', 8000, e0);
  assert.ok((await callee.command('accept')).ok);
  await caller.waitForEvent('CALL_ESTABLISHED', 5000, c0);
  await callee.waitForEvent('CALL_ESTABLISHED', 5000, e0);
  await sleep(talkMs);
  assert.ok((await caller.command('hangup')).ok);
  await callee.waitForEvent('CALL_CLOSED', 5000, e0);
  await caller.waitForEvent('CALL_CLOSED', 5000, c0);
  await sleep(300);
  return incoming;
}

before(
  async () => {
    kam = await startKamailio({ port: KAM_PORT, regOnlyPort: KAM_PORT + 1, auth: false });
    pbx = await startPbx({
      dir,
      port: PBX_PORT,
      users: USERS,
      limitMs: 88_000,
      extra: ['trunks:', `  - { name: kamailio, address: "${KAM}", prefixes: ["8"], strip: 1 }`],
    });
    [edge, pbxUser, kamUser] = await Promise.all([
      startPeer('edge', 15333, '23500-23599', {
        aor: `sip:1000@${PBX}`,
        password: USERS[0].password,
        regint: 0,
        outbound: `sip:${KAM};lr`,
      }),
      startPeer('pbxUser', 15336, '23600-23699', {
        aor: `sip:1001@${PBX}`,
        password: USERS[1].password,
        regint: 300,
      }),
      startPeer('kamUser', 15340, '23700-23799', { aor: `sip:2001@${KAM}`, regint: 300 }),
    ]);
    await peer(pbxUser).waitForRegistered(8000);
    await peer(kamUser).waitForRegistered(8000);
  },
  { timeout: 40_000 },
);

after(
  async () => {
    await Promise.allSettled([edge?.stop(), pbxUser?.stop(), kamUser?.stop()]);
    if (pbx !== undefined) await stop(pbx);
    await kam?.stop();
    killAllBaresip();
    killAll();
    if (process.env.KEEP_INTEROP_RUN !== '1') rmSync(dir, { recursive: true, force: true });
  },
  { timeout: 15_000 },
);

describe('Kamailio and tsvoip pbx in one path', { concurrency: false }, () => {
  it('Kamailio in front: 1000 -> Kamailio -> PBX (407 through Kamailio) -> 1001; tones both ways', {
    timeout: 30_000,
  }, async () => {
    const p = peer(pbx);
    const incoming = await call(peer(edge), peer(pbxUser), `sip:1001@${PBX}`, 4000);
    assertTone(peer(edge).dump('dec'), HZ.pbxUser, 3, '1000 (via Kamailio) hears 1001');
    assertTone(peer(pbxUser).dump('dec'), HZ.edge, 3, '1001 hears 1000 (via Kamailio)');
    const callId = String(incoming.id ?? '');
    const ofCall = traced(p).filter((m) => m.text.includes(`Call-ID: ${callId}\r\n`));
    // Every request of the caller reached the PBX from Kamailio, never directly.
    const requestsIn = ofCall.filter((m) => m.dir === 'in' && !m.text.startsWith('SIP/2.0'));
    assert.ok(requestsIn.length >= 4, requestsIn.map((m) => m.text.slice(0, 40)).join('\n'));
    for (const m of requestsIn.filter((x) => !x.text.includes('Via: SIP/2.0/UDP 127.0.0.1:15336')))
      assert.equal(m.peer, KAM, m.text.slice(0, 200));
    // The PBX challenged the INVITE and it came back with credentials, through Kamailio.
    assert.ok(ofCall.some((m) => m.dir === 'out' && m.peer === KAM && m.text.startsWith('SIP/2.0 407')));
    assert.ok(
      requestsIn.some(
        (m) => m.text.startsWith('INVITE ') && m.text.includes('\r\nProxy-Authorization: Digest '),
      ),
    );
    // Kamailio record-routed the dialog, and its BYE went through it too (loose routing).
    const invite = ofCall.find((m) => m.dir === 'out' && m.text.startsWith('INVITE '));
    assert.match(invite?.text ?? '', new RegExp(`Record-Route: <sip:127\\.0\\.0\\.1:${KAM_PORT};lr`));
    assert.ok(requestsIn.some((m) => m.text.startsWith('BYE ') && m.peer === KAM));
    assert.ok((await peer(kam).waitForLines('INDIALOG BYE')).length >= 1, peer(kam).log().slice(-2000));
  });

  it('Kamailio behind: 1001 dials 82001, the PBX trunk (strip 1) -> Kamailio -> 2001; tones both ways', {
    timeout: 30_000,
  }, async () => {
    const p = peer(pbx);
    const incoming = await call(peer(pbxUser), peer(kamUser), `sip:82001@${PBX}`, 4000);
    assertTone(peer(pbxUser).dump('dec'), HZ.kamUser, 3, '1001 hears 2001 (at Kamailio)');
    assertTone(peer(kamUser).dump('dec'), HZ.pbxUser, 3, '2001 (at Kamailio) hears 1001');
    const callId = String(incoming.id ?? '');
    const toKam = traced(p).filter(
      (m) => m.dir === 'out' && m.peer === KAM && m.text.includes(`Call-ID: ${callId}\r\n`),
    );
    // RFC 3261 §16.6: the trunk's Request-URI (8 stripped), record-routed by the PBX.
    const invite = toKam.find((m) => m.text.startsWith('INVITE '));
    assert.ok(invite !== undefined, 'no INVITE to Kamailio');
    assert.ok(invite.text.startsWith(`INVITE sip:2001@${KAM} SIP/2.0`), invite.text.slice(0, 80));
    assert.match(invite.text, new RegExp(`Record-Route: <sip:127\\.0\\.0\\.1:${PBX_PORT};lr`));
    assert.ok(
      toKam.some((m) => m.text.startsWith('BYE ')),
      'the BYE did not go through the PBX',
    );
    // Kamailio found 2001's binding (its log names the To user, which a proxy leaves as dialled).
    const routed = await peer(kam).waitForLines('ROUTE INVITE 82001 via 15325 -> sip:2001');
    assert.ok(routed.length >= 1, peer(kam).log().slice(-2000));
  });
});
