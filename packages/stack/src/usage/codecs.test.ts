import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { glareBackoff } from './glare.js';
import { OfferAnswer } from './offer-answer.js';
import { formatSipFrag, parseSipFrag } from './refer.js';
import { decideReplaces, formatReplaces, parseReplaces } from './replaces.js';
import { parseRAck } from './retransmit.js';
import { formatSessionExpires, parseSessionExpires, sessionTimerDelays } from './session-timer.js';
import {
  formatEvent,
  formatSubscriptionState,
  parseEvent,
  parseSubscriptionState,
} from './subscription-state.js';

const token = fc.stringMatching(/^[a-zA-Z0-9.!%*_+`'~-]{1,12}$/);

describe('header codecs round-trip (property)', () => {
  it('Session-Expires (RFC 4028 §4)', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.option(fc.constantFrom('uac' as const, 'uas' as const), { nil: undefined }),
        (interval, refresher) => {
          const se = refresher === undefined ? { interval } : { interval, refresher };
          assert.deepEqual(parseSessionExpires(formatSessionExpires(se)), se);
        },
      ),
    );
  });

  it('Subscription-State (RFC 6665 §8.2.3)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pending' as const, 'active' as const, 'terminated' as const),
        fc.option(fc.nat(100_000), { nil: undefined }),
        fc.option(fc.constantFrom('timeout', 'noresource', 'rejected'), { nil: undefined }),
        fc.option(fc.nat(1000), { nil: undefined }),
        (state, expires, reason, retryAfter) => {
          const s = {
            state,
            ...(expires !== undefined ? { expires } : {}),
            ...(reason !== undefined ? { reason } : {}),
            ...(retryAfter !== undefined ? { retryAfter } : {}),
          };
          assert.deepEqual(parseSubscriptionState(formatSubscriptionState(s)), s);
        },
      ),
    );
  });

  it('Event (RFC 6665 §8.2.1)', () => {
    fc.assert(
      fc.property(token, fc.option(token, { nil: undefined }), (type, id) => {
        const e = id === undefined ? { type: type.toLowerCase() } : { type: type.toLowerCase(), id };
        assert.deepEqual(parseEvent(formatEvent(e)), e);
      }),
    );
  });

  it('Replaces (RFC 3891 §6.1)', () => {
    fc.assert(
      fc.property(token, token, token, fc.boolean(), (callId, toTag, fromTag, earlyOnly) => {
        const r = { callId, toTag, fromTag, earlyOnly };
        assert.deepEqual(parseReplaces(formatReplaces(r)), r);
      }),
    );
  });

  it('message/sipfrag status line (RFC 3420)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 699 }),
        fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}[A-Za-z]$/),
        (status, reason) => {
          assert.deepEqual(parseSipFrag(formatSipFrag(status, reason)), { status, reason });
        },
      ),
    );
  });

  it('RAck (RFC 3262 §7.2)', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.nat(0x7fffffff), (rseq, cseq) => {
        assert.deepEqual(parseRAck(`${rseq} ${cseq} INVITE`), { rseq, cseq, method: 'INVITE' });
      }),
    );
    assert.equal(parseRAck('1 INVITE'), undefined);
    assert.equal(parseRAck('x 1 INVITE'), undefined);
  });
});

describe('RFC rules as plain functions', () => {
  it('glare back-off: owner 2.1-4 s, other 0-2 s, in 10 ms units (RFC 3261 §14.1)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => {
        const own = glareBackoff(true, () => r);
        const other = glareBackoff(false, () => r);
        assert.ok(own >= 2100 && own <= 4000 && own % 10 === 0);
        assert.ok(other >= 0 && other <= 2000 && other % 10 === 0);
      }),
    );
  });

  it('session timer delays: refresh at half, BYE at expiry - min(32 s, interval/3) (RFC 4028 §10)', () => {
    assert.deepEqual(sessionTimerDelays(1800), { refreshAfter: 900_000, expireAfter: 1_768_000 });
    assert.deepEqual(sessionTimerDelays(90), { refreshAfter: 45_000, expireAfter: 60_000 });
  });

  it('offer/answer: one offer at a time, 491 for crossing offers, 500 for a second remote one (RFC 3264 §4, RFC 6337)', () => {
    const oa = new OfferAnswer();
    assert.equal(oa.refuseRemoteOffer(), 0);
    oa.sendOffer('o1');
    assert.equal(oa.refuseRemoteOffer(), 491);
    assert.throws(() => oa.sendOffer('o2'));
    oa.receiveAnswer('a1');
    assert.equal(oa.state, 'stable');
    oa.receiveOffer('o3');
    assert.equal(oa.refuseRemoteOffer(), 500);
    oa.rollback();
    assert.equal(oa.remoteDescription, 'a1', 'a failed offer leaves the session as it was');
    oa.sendOffer('o4');
    oa.rollback();
    assert.equal(oa.localDescription, 'o1');
    assert.throws(() => oa.sendAnswer('x'));
  });

  it('Replaces decisions (RFC 3891 §3)', () => {
    const r = { callId: 'c', toTag: 't', fromTag: 'f', earlyOnly: false };
    const d = { id: 'x', state: 'confirmed' as const, isUac: false, hasInviteSession: true };
    assert.deepEqual(decideReplaces(undefined, d), { kind: 'reject', status: 400 });
    assert.deepEqual(decideReplaces(r, undefined), { kind: 'reject', status: 481 });
    assert.deepEqual(decideReplaces(r, { ...d, state: 'terminated' }), { kind: 'reject', status: 603 });
    assert.deepEqual(decideReplaces(r, { ...d, hasInviteSession: false }), { kind: 'reject', status: 481 });
    assert.deepEqual(decideReplaces({ ...r, earlyOnly: true }, d), { kind: 'reject', status: 486 });
    assert.deepEqual(decideReplaces(r, { ...d, state: 'early' }), { kind: 'reject', status: 481 });
    assert.deepEqual(decideReplaces(r, { ...d, state: 'early', isUac: true }), {
      kind: 'replace',
      dialogId: 'x',
    });
    assert.deepEqual(decideReplaces(r, d), { kind: 'replace', dialogId: 'x' });
  });
});
