import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from '@tsvoip/sip';
import fc from 'fast-check';
import { challengesToAdd, selectBest } from './best-response.js';

const statusArb = fc.integer({ min: 300, max: 699 });

describe('best response (RFC 3261 §16.7 items 6-7)', () => {
  it('a 6xx is chosen whenever there is one; otherwise the lowest class (property)', () => {
    fc.assert(
      fc.property(fc.array(statusArb, { minLength: 1, maxLength: 8 }), (statuses) => {
        const best = statuses[selectBest(statuses.map((status) => ({ status })))];
        if (statuses.some((s) => s >= 600)) assert.ok(best >= 600);
        else assert.equal(Math.floor(best / 100), Math.min(...statuses.map((s) => Math.floor(s / 100))));
      }),
    );
  });

  it('the choice does not depend on arrival order (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(statusArb, { minLength: 1, maxLength: 8 }), (statuses) => {
        const a = statuses[selectBest(statuses.map((status) => ({ status })))];
        const rev = [...statuses].reverse();
        assert.equal(rev[selectBest(rev.map((status) => ({ status })))], a);
      }),
    );
  });

  it('prefers responses that help a retry (401/407/415/420/484), then 486 over 404/408', () => {
    const pick = (s: number[]) => s[selectBest(s.map((status) => ({ status })))];
    assert.equal(pick([404, 486]), 486);
    assert.equal(pick([408, 404, 480]), 480);
    assert.equal(pick([486, 407]), 407);
    assert.equal(pick([404, 503]), 404);
    assert.equal(pick([503, 302]), 302);
    assert.equal(selectBest([]), -1);
  });

  it('challenges of every 401/407 are collected, each once', () => {
    const res = (status: number, h: string) =>
      parseMessage(
        Buffer.from(
          `SIP/2.0 ${status} X\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@b>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n${h}\r\nContent-Length: 0\r\n\r\n`,
        ),
        { stream: false },
      );
    const a = res(401, 'WWW-Authenticate: Digest realm="a", nonce="1"');
    const b = res(407, 'Proxy-Authenticate: Digest realm="b", nonce="2"');
    const c = res(401, 'WWW-Authenticate: Digest realm="a", nonce="1"');
    const add = challengesToAdd(a, [
      { status: 401, message: a },
      { status: 407, message: b },
      { status: 401, message: c },
      { status: 486 },
    ]);
    assert.deepEqual(add, [['Proxy-Authenticate', 'Digest realm="b", nonce="2"']]);
  });
});
