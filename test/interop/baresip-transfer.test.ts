/**
 * Blind transfer requested by baresip 1.0.0 (RFC 3515 REFER, RFC 5589 §6) over UDP with PCMU:
 * baresip A calls tsvoip B, then transfers B (ctrl_tcp `transfer <uri>`) to a second baresip C.
 * B accepts the REFER (202 + NOTIFY 100), calls C, NOTIFYs the progress (180) and the outcome
 * (sipfrag 200), and A ends its call with BYE. Then C hears B's tone and B hears C's (> 20 dB
 * above every other bin, Goertzel, ≥ 3 whole seconds); A plays a third tone, which must not be
 * what B hears on the new call. The signaling is read on both sides: what B's UA received, and
 * A's and C's own SIP traces (`baresip -s`). Ports: SIP 15420-15428, RTP 24200-24499.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Call, createUserAgent, type UserAgent } from '@tsvoip/session';
import type { IncomingRefer } from '@tsvoip/stack';
import { BARESIP_HZ, checkTone, describeTone, secondsWithTone, TSVOIP_HZ } from './baresip/audio.js';
import { Baresip, killAllBaresip, type TracedMessage } from './baresip/baresip.js';
import { playAndRecord, sleep, workDir } from './baresip/scenario.js';

const A_SIP = 15420;
const B_SIP = 15424;
const C_SIP = 15426;
/** A's tone (C plays BARESIP_HZ, B plays TSVOIP_HZ). */
const A_HZ = 600;
const CALL_MS = 4500;

const uas: UserAgent[] = [];
after(async () => {
  await Promise.allSettled(uas.map((ua) => ua.close({ timeoutMs: 500 })));
  killAllBaresip();
});

function summary(ms: readonly TracedMessage[]): string[] {
  return ms.map((m) => `${m.way} ${m.status === 0 ? m.method : `${m.status} ${m.method}`}`);
}

/** The sipfrag status line in a NOTIFY body (RFC 3515 §2.4.5). */
function sipfrag(m: TracedMessage): number {
  const s = /^SIP\/2\.0 (\d{3})/m.exec(
    m.text
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n'),
  );
  return s === null ? 0 : Number(s[1]);
}

describe('baresip interop: blind transfer requested by baresip (REFER, UDP, PCMU)', () => {
  it('baresip A transfers tsvoip B to baresip C: REFER followed, NOTIFY 100/200, BYE from A, tones B ⇄ C', {
    timeout: 30_000,
  }, async (t) => {
    const dir = workDir('transfer');
    const [a, c] = await Promise.all([
      Baresip.start({
        dir: join(dir, 'a'),
        sipPort: A_SIP,
        rtpPorts: '24200-24299',
        toneHz: A_HZ,
        autoAnswer: false,
        quitAfterS: 25,
        user: 'alice',
        trace: true,
      }),
      Baresip.start({
        dir: join(dir, 'c'),
        sipPort: C_SIP,
        rtpPorts: '24400-24499',
        toneHz: BARESIP_HZ,
        autoAnswer: true,
        quitAfterS: 25,
        user: 'carol',
        trace: true,
      }),
    ]);
    const heardFromA = join(dir, 'b-heard-a.wav');
    const heardFromC = join(dir, 'b-heard-c.wav');
    let refer: IncomingRefer | undefined;
    let fromCall: Call | undefined;
    let toCall: Call | undefined;
    let abEnd: string | undefined;
    try {
      const b = await createUserAgent({
        uri: 'sip:bob@127.0.0.1',
        sip: { host: '127.0.0.1', port: B_SIP },
        media: { address: '127.0.0.1', portMin: 24300, portMax: 24399, codecs: ['PCMU'] },
      });
      uas.push(b);
      const answered = new Promise<Call>((resolve, reject) => {
        b.once('incoming', (inc) => inc.accept().then(resolve, reject));
      });
      const transferred = new Promise<[Call, Call]>((resolve) => {
        b.once('transferred', (from, to) => resolve([from, to]));
      });
      const r = await a.command('dial', `sip:bob@127.0.0.1:${B_SIP}`);
      assert.ok(r.ok, `baresip A dial: ${r.data}`);
      const ab = await answered;
      ab.session?.on('refer', (x) => {
        refer = x;
      });
      playAndRecord(ab, heardFromA, 20);
      await a.waitForEvent('CALL_ESTABLISHED', 3000);
      await sleep(2000);

      const tr = await a.command('transfer', `sip:carol@127.0.0.1:${C_SIP}`);
      assert.ok(tr.ok, `baresip A transfer: ${tr.data}`);
      [fromCall, toCall] = await Promise.race([
        transferred,
        sleep(8000).then(() => {
          throw new Error('B did not report a transfer within 8 s');
        }),
      ]);
      playAndRecord(toCall, heardFromC, 15);
      // RFC 5589 §6: the transferor ends its call once the NOTIFY says the transfer worked.
      abEnd = await Promise.race([ab.ended(), sleep(5000).then(() => 'no BYE from A within 5 s')]);
      await c.waitForEvent('CALL_ESTABLISHED', 3000);
      await sleep(CALL_MS);
      await toCall.hangup();
      await c.waitForEvent('CALL_CLOSED', 3000);
      assert.equal(fromCall, ab, 'the transfer came from the call with A');
      await b.close();
    } finally {
      await Promise.all([a.stop(), c.stop()]);
    }
    const aTrace = a.messages();
    const cTrace = c.messages();
    const aSteps = summary(aTrace);
    t.diagnostic(`A: ${aSteps.join(' | ')}`);
    t.diagnostic(`C: ${summary(cTrace).join(' | ')}`);

    // B got the REFER (RFC 3515 §2.1) with Refer-To C.
    assert.ok(refer !== undefined, 'B saw no REFER');
    assert.match(refer.referTo, new RegExp(`^<?sip:carol@127\\.0\\.0\\.1:${C_SIP}`));
    assert.equal(abEnd, 'remote-bye', 'A hung up the transferred call with BYE');
    assert.equal(toCall?.state, 'ended');

    // A's side: REFER sent and accepted with 202 (§2.4.2), NOTIFYs with sipfrag 100 then a final 200
    // (§2.4.5), each answered 200, and A's BYE.
    assert.ok(aSteps.includes('sent REFER'), aSteps.join(' | '));
    assert.ok(aSteps.includes('received 202 REFER'), aSteps.join(' | '));
    const notifies = aTrace.filter((m) => m.way === 'received' && m.status === 0 && m.method === 'NOTIFY');
    const frags = notifies.map(sipfrag);
    assert.equal(frags[0], 100, `first NOTIFY sipfrag: ${frags.join(',')}`);
    assert.equal(frags.at(-1), 200, `last NOTIFY sipfrag: ${frags.join(',')}`);
    // §2.4.6: the NOTIFYs' Event carries id = the REFER's CSeq number.
    const referCSeq = /^CSeq:\s*(\d+)\s+REFER/im.exec(
      aTrace.find((m) => m.method === 'REFER')?.text ?? '',
    )?.[1];
    for (const n of notifies) {
      assert.match(n.text, new RegExp(`^Event:\\s*refer;id=${referCSeq}\\s*$`, 'im'));
      assert.match(n.text, /^Content-Type:\s*message\/sipfrag/im);
    }
    assert.match(notifies.at(-1)?.text ?? '', /^Subscription-State:\s*terminated/im, 'RFC 3515 §2.4.7');
    assert.equal(
      aTrace.filter((m) => m.way === 'sent' && m.status === 200 && m.method === 'NOTIFY').length,
      notifies.length,
      'A answered every NOTIFY',
    );
    const referAt = aSteps.indexOf('sent REFER');
    const byeAt = aSteps.indexOf('sent BYE');
    assert.ok(byeAt > referAt, `A sent BYE after the REFER: ${aSteps.join(' | ')}`);
    assert.ok(aSteps.includes('received 200 BYE'), "B answered A's BYE");

    // C's side: B's INVITE.
    const invite = cTrace.find((m) => m.way === 'received' && m.status === 0 && m.method === 'INVITE');
    assert.ok(invite !== undefined, 'C received no INVITE');
    assert.match(invite.text, /^From:.*sip:bob@127\.0\.0\.1/im);
    // RFC 3892 §3: the INVITE carries the REFER's Referred-By, and none when the REFER had none
    // (baresip 1.0 sends none).
    const referredBy = /^Referred-By:[ \t]*(.*?)\s*$/im.exec(invite.text)?.[1];
    assert.equal(referredBy, refer.referredBy, 'Referred-By of the INVITE to C');

    // Audio: C hears B, B hears C (and not A) on the new call.
    const bHearsC = checkTone(heardFromC, BARESIP_HZ);
    assert.ok(secondsWithTone(bHearsC) >= 3, `B should hear C's ${BARESIP_HZ} Hz: ${describeTone(bHearsC)}`);
    assert.equal(secondsWithTone(checkTone(heardFromC, A_HZ), 10), 0, 'B hears A on the call to C');
    const cDump = c.dump('dec');
    assert.ok(cDump !== undefined, 'C wrote no dump of what it heard');
    const cHearsB = checkTone(cDump, TSVOIP_HZ);
    assert.ok(secondsWithTone(cHearsB) >= 3, `C should hear B's ${TSVOIP_HZ} Hz: ${describeTone(cHearsB)}`);
    const bHearsA = checkTone(heardFromA, A_HZ, 0.3);
    assert.ok(secondsWithTone(bHearsA) >= 1, `B heard A before the transfer: ${describeTone(bHearsA)}`);
    t.diagnostic(
      `B heard A ${describeTone(bHearsA)}; B heard C ${describeTone(bHearsC)}; C heard B ${describeTone(cHearsB)}`,
    );
  });
});
