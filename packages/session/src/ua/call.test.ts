import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Call } from './call.js';
import { CallFailedError } from './errors.js';
import type { IncomingCall } from './incoming-call.js';
import {
  answerNext,
  capture,
  created,
  makeUa,
  sleep,
  toneFrames,
  toneMarginDb,
  tonePower,
  until,
  uriOf,
  waitFor,
} from './ua.test-helper.js';
import type { UserAgent } from './user-agent.js';

let alice: UserAgent;
let bob: UserAgent;

before(async () => {
  alice = await makeUa('alice', 42000);
  bob = await makeUa('bob', 42100);
});

after(async () => {
  await Promise.all(created.map((ua) => ua.close({ timeoutMs: 500 })));
});

async function connect(caller: UserAgent, callee: UserAgent): Promise<[Call, Call]> {
  const answered = answerNext(callee);
  const out = await caller.call(uriOf(callee));
  return [out, await answered];
}

describe('user agents on 127.0.0.1 over real UDP', () => {
  it('calls, answers, carries a tone each way (Goertzel), and the caller hangs up with BYE', async () => {
    const progress: number[] = [];
    const answered = answerNext(bob);
    const a = await alice.call(uriOf(bob), { onProgress: (s) => progress.push(s) });
    const b = await answered;
    assert.equal(a.state, 'active');
    assert.equal(b.state, 'active');
    assert.equal(a.id, b.id, 'one dialog, one Call-ID');
    assert.ok(progress.includes(180), 'RFC 3261 §13.3.1.1: 180 Ringing before the answer');
    // RFC 4028: session timers are on by default.
    assert.equal(a.session?.sessionTimer?.interval, 1800);
    const heardByB = capture(b);
    const heardByA = capture(a);
    await sleep(100);
    heardByA.reset();
    heardByB.reset();
    await Promise.all([
      a.play(toneFrames(1000, 8000, 600), { sampleRate: 8000 }),
      b.play(toneFrames(1600, 8000, 600), { sampleRate: 8000 }),
    ]);
    await sleep(200);
    const atB = heardByB.samples();
    const atA = heardByA.samples();
    assert.ok(atB.length >= 8000 * 0.4, `bob heard ${atB.length} samples`);
    assert.ok(toneMarginDb(atB, 1000, [1600, 500, 2000], heardByB.rate()) > 20, 'bob hears 1 kHz');
    assert.ok(toneMarginDb(atA, 1600, [1000, 500, 2000], heardByA.rate()) > 20, 'alice hears 1.6 kHz');
    const bEnded = waitFor<[string]>(b, 'ended');
    await a.hangup();
    assert.deepEqual(await bEnded, ['remote-bye']);
    assert.equal(a.state, 'ended');
    const stats = a.stats();
    assert.equal(stats.codec, 'PCMU');
    assert.ok(stats.durationMs > 0);
    // The media figures outlive the stream: the snapshot taken at hangup, on both sides.
    for (const [who, call] of [
      ['alice', a],
      ['bob', b],
    ] as const) {
      const media = call.stats().media;
      assert.ok(media !== undefined, `${who} keeps media statistics after the end`);
      assert.ok(media.packetsReceived >= 25, `${who} received ${media.packetsReceived} packets`);
      assert.ok(media.packetsSent >= 25, `${who} sent ${media.packetsSent} packets`);
    }
    await sleep(100);
    assert.deepEqual(a.stats(), stats, 'frozen after the end');
  });

  it('the callee hangs up: the caller sees remote-bye', async () => {
    const [a, b] = await connect(alice, bob);
    const aEnded = a.ended();
    await b.hangup();
    assert.equal(await aEnded, 'remote-bye');
    assert.equal(alice.calls.size, 0);
    assert.equal(bob.calls.size, 0);
  });

  it('a rejected call fails with CallFailedError 486 (RFC 3261 §21.4.24)', async () => {
    bob.once('incoming', (c: IncomingCall) => c.reject(486));
    const err = await alice.call(uriOf(bob)).then(
      () => assert.fail('the call was answered'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CallFailedError);
    assert.equal(err.status, 486);
    assert.equal(err.reason, 'Busy Here');
    assert.equal(alice.calls.size, 0);
  });

  it('a redirect surfaces the 3xx contacts', async () => {
    bob.once('incoming', (c: IncomingCall) => c.redirect(['sip:carol@127.0.0.1:5999']));
    const err = await alice.call(uriOf(bob)).catch((e: unknown) => e);
    assert.ok(err instanceof CallFailedError);
    assert.equal(err.status, 302);
    assert.deepEqual(err.contacts, ['sip:carol@127.0.0.1:5999']);
  });

  it('aborting sends CANCEL: the callee sees cancelled and the caller gets 487 (RFC 3261 §9)', async () => {
    const ac = new AbortController();
    const incoming = waitFor<[IncomingCall]>(bob, 'incoming');
    const calling = alice.call(uriOf(bob), { signal: ac.signal });
    const [inc] = await incoming;
    const cancelled = waitFor(inc, 'cancelled');
    await sleep(50);
    ac.abort();
    const err = await calling.catch((e: unknown) => e);
    assert.ok(err instanceof CallFailedError);
    assert.equal(err.status, 487);
    assert.equal(err.aborted, true);
    await cancelled;
    assert.equal(inc.state, 'cancelled');
  });

  it('hold stops the held party’s audio toward us and resume brings it back (RFC 3264 §8.4)', async () => {
    const [a, b] = await connect(alice, bob);
    const heard = capture(a);
    const playing = b.play(toneFrames(1000, 8000, 3000), { sampleRate: 8000 });
    await sleep(500);
    const before = tonePower(heard.samples(), 1000, heard.rate());
    const remoteHold = waitFor<[boolean]>(b, 'remote-hold');
    await a.hold();
    assert.deepEqual(await remoteHold, [true]);
    assert.equal(a.mediaConfig?.direction, 'sendonly');
    assert.equal(b.mediaConfig?.direction, 'recvonly');
    await sleep(250);
    heard.reset();
    await sleep(600);
    const during = tonePower(heard.samples(), 1000, heard.rate());
    await a.resume();
    assert.equal(a.mediaConfig?.direction, 'sendrecv');
    await sleep(250);
    heard.reset();
    await sleep(500);
    const resumed = tonePower(heard.samples(), 1000, heard.rate());
    assert.ok(before > 1000 * Math.max(during, 1e-6), `tone before ${before} vs on hold ${during}`);
    assert.ok(resumed > 1000 * Math.max(during, 1e-6), `tone after resume ${resumed} vs on hold ${during}`);
    b.stream.stopPlayback();
    await playing;
    await a.hangup();
  });

  it('DTMF both ways with RFC 4733 telephone-events', async () => {
    const [a, b] = await connect(alice, bob);
    const atB: string[] = [];
    const atA: string[] = [];
    b.on('dtmf', (d, via) => atB.push(`${d}/${via}`));
    a.on('dtmf', (d, via) => atA.push(`${d}/${via}`));
    await a.sendDtmf('12#');
    await b.sendDtmf('9');
    await until(() => atB.length >= 3 && atA.length >= 1, 4000);
    assert.deepEqual(atB, ['1/rfc4733', '2/rfc4733', '#/rfc4733']);
    assert.deepEqual(atA, ['9/rfc4733']);
    await b.hangup();
  });

  it('DTMF falls back to INFO application/dtmf-relay without telephone-event', async () => {
    const dave = await makeUa('dave', 42300, { media: { telephoneEvent: false } });
    const [d, b] = await connect(dave, bob);
    assert.equal(d.mediaConfig?.telephoneEvent, undefined);
    const atB: string[] = [];
    const atD: string[] = [];
    b.on('dtmf', (x, via) => atB.push(`${x}/${via}`));
    d.on('dtmf', (x, via) => atD.push(`${x}/${via}`));
    await d.sendDtmf('5*');
    await b.sendDtmf('0');
    assert.deepEqual(atB, ['5/info', '*/info']);
    assert.deepEqual(atD, ['0/info']);
    await d.hangup();
  });

  it('a far-end re-INVITE changes the codec (PCMU → G.722) without dropping audio', async () => {
    const [a, b] = await connect(alice, bob);
    assert.equal(a.mediaConfig?.codecs[0].name, 'PCMU');
    const heard = capture(a);
    const playing = b.play(toneFrames(1000, 16000, 3000), { sampleRate: 16000 });
    await sleep(400);
    const updated = waitFor(a, 'media-updated');
    await b.changeCodecs(['G722']);
    await updated;
    assert.equal(a.mediaConfig?.codecs[0].name, 'G722');
    assert.equal(b.mediaConfig?.codecs[0].name, 'G722');
    assert.equal(a.state, 'active');
    await sleep(300);
    heard.reset();
    await sleep(500);
    assert.equal(heard.rate(), 16000, 'G.722 decodes at 16 kHz');
    assert.ok(toneMarginDb(heard.samples(), 1000, [1600, 500, 3000], 16000) > 20, 'the tone continues');
    b.stream.stopPlayback();
    await playing;
    await a.hangup();
  });

  it('SRTP with SDES keys in SDP (RFC 4568) carries audio', async () => {
    const erin = await makeUa('erin', 42400, { media: { srtp: 'sdes' } });
    const frank = await makeUa('frank', 42500, { media: { srtp: 'sdes' } });
    const [e, f] = await connect(erin, frank);
    assert.equal(e.stats().srtp, true);
    const heard = capture(f);
    await e.play(toneFrames(1000, 8000, 500), { sampleRate: 8000 });
    await sleep(200);
    assert.ok(toneMarginDb(heard.samples(), 1000, [1600, 500, 2000], heard.rate()) > 20);
    assert.ok((f.stats().media?.packetsReceived ?? 0) > 10);
    await e.hangup();
  });

  it('incoming calls also arrive through the async iterator', async () => {
    const carol = await makeUa('carol-it', 42600);
    const it = carol.incomingCalls();
    const calling = alice.call(uriOf(carol));
    const { value } = await it.next();
    assert.ok(value);
    assert.match(value.from, /alice/);
    const c = await value.accept();
    const a = await calling;
    await a.hangup();
    await c.ended();
    await it.return?.();
  });
});
