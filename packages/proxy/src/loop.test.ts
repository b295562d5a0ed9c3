import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage, type SipMessage } from '@tsvoip/sip';
import fc from 'fast-check';
import { detectLoop, hashOfBranch, loopHash, statefulBranchToken, statelessBranch } from './loop.js';

const US = [{ transport: 'UDP' as const, host: '192.0.2.10', port: 5060 }];

function req(
  o: {
    ruri?: string;
    vias?: string[];
    fromTag?: string;
    callId?: string;
    cseq?: number;
    extra?: string[];
  } = {},
): SipMessage {
  const text = [
    `INVITE ${o.ruri ?? 'sip:bob@example.com'} SIP/2.0`,
    ...(o.vias ?? ['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa']).map((v) => `Via: ${v}`),
    `From: <sip:a@example.com>;tag=${o.fromTag ?? 'f1'}`,
    'To: <sip:bob@example.com>',
    `Call-ID: ${o.callId ?? 'c1'}`,
    `CSeq: ${o.cseq ?? 1} INVITE`,
    ...(o.extra ?? []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  return parseMessage(Buffer.from(text), { stream: false });
}

describe('loop detection (RFC 3261 §16.3 item 4, §16.6 item 8)', () => {
  it('the hash ignores the Vias (they change at every hop) (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9]{1,12}$/), { minLength: 1, maxLength: 4 }),
        (branches) => {
          const vias = branches.map((b) => `SIP/2.0/UDP 10.0.0.7;branch=z9hG4bK${b}`);
          assert.equal(loopHash(req({ vias })), loopHash(req()));
        },
      ),
    );
  });

  it('the hash changes with each invariant part', () => {
    const base = loopHash(req());
    assert.notEqual(loopHash(req({ ruri: 'sip:carol@example.com' })), base);
    assert.notEqual(loopHash(req({ fromTag: 'f2' })), base);
    assert.notEqual(loopHash(req({ callId: 'c2' })), base);
    assert.notEqual(loopHash(req({ cseq: 2 })), base);
    assert.notEqual(loopHash(req({ extra: ['Proxy-Require: foo'] })), base);
    assert.notEqual(loopHash(req({ extra: ['Proxy-Authorization: Digest username="a"'] })), base);
    assert.match(base, /^[0-9a-f]{16}$/);
  });

  it('the hash is stable across releases (pinned value)', () => {
    // Pinned value: a change of the hash or of its hex form would show here.
    assert.equal(loopHash(req()), 'e12ad53411422905');
  });

  it('branch tokens carry the hash and give it back (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{16}$/),
        fc.stringMatching(/^[A-Za-z0-9]{1,20}$/),
        (hash, unique) => {
          assert.equal(hashOfBranch(`z9hG4bK${statefulBranchToken(hash, unique)}`), hash);
        },
      ),
    );
    assert.equal(hashOfBranch('z9hG4bKnodot'), undefined);
    assert.equal(hashOfBranch('oldbranch.x'), undefined);
  });

  it('detectLoop: loop with our sent-by and the hash, spiral with another hash, none without us', () => {
    const r = req();
    const h = loopHash(r);
    const looped = req({
      vias: ['SIP/2.0/UDP 10.0.0.5;branch=z9hG4bKx', `SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK${h}.1`],
    });
    assert.equal(detectLoop(looped, US), 'loop');
    const spiral = req({ vias: [`SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK${'0'.repeat(16)}.1`] });
    assert.equal(detectLoop(spiral, US), 'spiral');
    // Another port or transport is not us.
    const other = req({ vias: [`SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK${h}.1`] });
    assert.equal(detectLoop(other, US), 'none');
  });

  it('§16.11: the stateless branch is deterministic, and differs per received branch', () => {
    const a = statelessBranch(req());
    assert.equal(statelessBranch(req()), a);
    assert.notEqual(statelessBranch(req({ vias: ['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb'] })), a);
    assert.equal(hashOfBranch(a), loopHash(req()));
  });
});
