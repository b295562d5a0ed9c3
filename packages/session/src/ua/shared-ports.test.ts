import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getSsrcs, parseSdp } from '@tsvoip/sdp';
import type { Call } from './call.js';
import {
  answerNext,
  capture,
  created,
  makeUa,
  sleep,
  toneFrames,
  toneMarginDb,
  uriOf,
} from './ua.test-helper.js';
import type { UserAgent } from './user-agent.js';

let alice: UserAgent;
let bob: UserAgent;

before(async () => {
  // Both UAs in shared-port mode: every call on two port pairs per side, so the calls between
  // them share sockets and come from the same remote addresses; only the SSRCs tell them apart.
  alice = await makeUa('alice-shared', 42800, { media: { portMax: 42849, sharedPorts: 2 } });
  bob = await makeUa('bob-shared', 42850, { media: { portMax: 42899, sharedPorts: 2 } });
});

after(async () => {
  await Promise.all(created.map((ua) => ua.close({ timeoutMs: 500 })));
});

async function connect(): Promise<[Call, Call]> {
  const answered = answerNext(bob);
  const out = await alice.call(uriOf(bob));
  return [out, await answered];
}

/** The SSRC announced in an SDP body (RFC 5576 `a=ssrc`). */
function sdpSsrc(sdp: string | undefined): number | undefined {
  assert.ok(sdp !== undefined);
  return getSsrcs(parseSdp(sdp).media[0])[0]?.ssrc;
}

describe('user agents in shared-port media mode (media.sharedPorts)', () => {
  it('announces each stream’s SSRC and routes by the far end’s, through re-offers', async () => {
    const [a, b] = await connect();
    const oa = a.session?.offerAnswer;
    assert.equal(sdpSsrc(oa?.localDescription), a.stream.ssrc, 'our SDP announces our stream’s SSRC');
    assert.equal(sdpSsrc(oa?.remoteDescription), b.stream.ssrc);
    assert.equal(a.mediaConfig?.remoteSsrc, b.stream.ssrc, 'remoteSsrc from the answer');
    assert.equal(b.mediaConfig?.remoteSsrc, a.stream.ssrc, 'remoteSsrc from the offer');
    assert.equal(a.stream.remoteSsrc, b.stream.ssrc, 'the stream routes by it');
    // The far end re-offers (hold/resume, RFC 3264 §8.4): still announced, still taken.
    await b.hold();
    await b.resume();
    assert.equal(sdpSsrc(b.session?.offerAnswer.localDescription), b.stream.ssrc);
    assert.equal(a.mediaConfig?.remoteSsrc, b.stream.ssrc);
    await a.hangup();
  });

  it('carries concurrent calls on shared ports, each call’s tones to its own far end only', async () => {
    const n = 4;
    const pairs: Array<[Call, Call]> = [];
    for (let i = 0; i < n; i++) pairs.push(await connect());
    const out = pairs.map(([a]) => a);
    const inc = pairs.map(([, b]) => b);
    // Four calls over two pairs per side: ports are shared, SSRCs are distinct.
    assert.equal(new Set(out.map((c) => c.stream.ports.rtp)).size, 2);
    assert.equal(new Set(inc.map((c) => c.stream.ports.rtp)).size, 2);
    assert.equal(new Set([...out, ...inc].map((c) => c.stream.ssrc)).size, 2 * n);
    const forward = [500, 900, 1300, 1700];
    const backward = [700, 1100, 1500, 1900];
    const atB = inc.map((c) => capture(c));
    const atA = out.map((c) => capture(c));
    await sleep(100);
    for (const h of [...atA, ...atB]) h.reset();
    await Promise.all([
      ...out.map((c, i) => c.play(toneFrames(forward[i], 8000, 600), { sampleRate: 8000 })),
      ...inc.map((c, i) => c.play(toneFrames(backward[i], 8000, 600), { sampleRate: 8000 })),
    ]);
    await sleep(200);
    const all = [...forward, ...backward];
    for (let i = 0; i < n; i++) {
      for (const [who, heard, tone] of [
        ['bob', atB[i], forward[i]],
        ['alice', atA[i], backward[i]],
      ] as const) {
        const samples = heard.samples();
        assert.ok(samples.length >= 8000 * 0.4, `${who} call ${i} heard ${samples.length} samples`);
        const others = all.filter((t) => t !== tone);
        const margin = toneMarginDb(samples, tone, others, heard.rate());
        assert.ok(margin > 20, `${who} call ${i} hears ${tone} Hz only (margin ${margin.toFixed(1)} dB)`);
      }
    }
    for (const c of out) await c.hangup();
    assert.equal(alice.media.size, 0);
  });
});
