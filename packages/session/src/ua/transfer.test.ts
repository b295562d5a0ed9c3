import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Call } from './call.js';
import {
  capture,
  created,
  makeUa,
  sleep,
  toneFrames,
  toneMarginDb,
  uriOf,
  waitFor,
} from './ua.test-helper.js';

after(async () => {
  await Promise.all(created.map((ua) => ua.close({ timeoutMs: 500 })));
});

describe('transfer (RFC 3515 REFER, RFC 3891 Replaces)', () => {
  it('blind transfer: bob REFERs alice to carol; alice places the call and reports NOTIFY progress', async () => {
    const alice = await makeUa('alice', 44000);
    const bob = await makeUa('bob', 44100);
    const carol = await makeUa('carol', 44200);
    bob.once('incoming', (c) => void c.accept());
    const ab = await alice.call(uriOf(bob));
    const [ba] = [...bob.calls];
    await sleep(50);
    let referredBy: string | undefined;
    carol.once('incoming', (c) => {
      referredBy = c.referredBy;
      void c.accept();
    });
    const transferred = waitFor<[Call, Call]>(alice, 'transferred');
    const progress: number[] = [];
    ba.on('transfer-progress', (s) => progress.push(s));
    await ba.transfer(uriOf(carol));
    // RFC 3515 §2.4.5: 100 Trying on accepting the REFER, then the referred call's statuses, final 200.
    assert.deepEqual(
      progress.filter((s) => s !== 180),
      [100, 200],
    );
    assert.match(referredBy ?? '', /bob/, 'RFC 3892 Referred-By');
    const [from, ac] = await transferred;
    assert.equal(from, ab);
    assert.equal(ac.state, 'active');
    // RFC 5589 §6: the transferor ends its call once the transfer succeeded.
    await ba.hangup();
    assert.equal(await ab.ended(), 'remote-bye');
    const [ca] = [...carol.calls];
    const heard = capture(ca);
    await ac.play(toneFrames(1000, 8000, 400), { sampleRate: 8000 });
    await sleep(150);
    assert.ok(toneMarginDb(heard.samples(), 1000, [1600, 500, 2000], heard.rate()) > 20, 'carol hears alice');
    await ac.hangup();
  });

  it('attended transfer: the new call replaces the consultation dialog at the target', async () => {
    const alice = await makeUa('alice2', 44300);
    const bob = await makeUa('bob2', 44400);
    const carol = await makeUa('carol2', 44500);
    bob.on('incoming', (c) => void c.accept());
    const ab = await alice.call(uriOf(bob));
    const [ba] = [...bob.calls];
    carol.once('incoming', (c) => void c.accept());
    const bc = await bob.call(uriOf(carol));
    const [cb] = [...carol.calls];
    const replacing = waitFor<[import('./incoming-call.js').IncomingCall]>(carol, 'incoming');
    const transfer = ba.attendedTransfer(bc);
    const [incoming] = await replacing;
    assert.equal(incoming.replaces, cb, 'RFC 3891: the INVITE names the consultation dialog');
    await incoming.accept();
    await transfer;
    // RFC 3891 §3: accepting the replacement ends the replaced dialog with BYE.
    assert.equal(await cb.ended(), 'local-bye');
    assert.equal(await bc.ended(), 'remote-bye');
    await ba.hangup();
    await ab.ended();
    assert.equal(alice.calls.size, 1);
    await [...alice.calls][0].hangup();
  });
});
