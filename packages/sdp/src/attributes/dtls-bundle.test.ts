import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getFingerprints, getGroups, getMid, getSetup } from '../accessors.js';
import { SdpParseError } from '../errors.js';
import { parseSdp } from '../parse.js';
import { hexBytes, plain, token } from '../test/arbitraries.js';
import { formatGroup, type Group, parseGroup, parseMid } from './bundle.js';
import {
  type Fingerprint,
  fingerprintBytes,
  fingerprintFromBytes,
  formatFingerprint,
  parseFingerprint,
} from './fingerprint.js';
import { answerSetup, parseSetup } from './setup.js';

const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 192.0.2.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE a v',
  'a=fingerprint:sha-256 43:80:21:AB:AD:28:2D:C4:01:6F:B2:CD:0E:D8:50:CE:D6:6A:90:69:0F:B6:4E:70:F9:FB:A2:DF:B1:2B:37:EE',
  'a=setup:actpass',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:a',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:v',
  'a=setup:passive',
  'a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB',
]
  .map((l) => `${l}\r\n`)
  .join('');

describe('a=fingerprint (RFC 8122 §5)', () => {
  const sd = parseSdp(SDP);
  it('media level overrides session level', () => {
    assert.equal(getFingerprints(sd, sd.media[0])[0].hashFunction, 'sha-256');
    assert.equal(getFingerprints(sd, sd.media[1])[0].hashFunction, 'sha-1');
  });
  it('gives the digest bytes', () => {
    const bytes = fingerprintBytes(getFingerprints(sd)[0]);
    assert.equal(bytes.length, 32);
    assert.equal(bytes[0], 0x43);
    assert.equal(bytes[31], 0xee);
  });
  it('rejects malformed fingerprints', () => {
    assert.throws(() => parseFingerprint('sha-256 43:80:2'), SdpParseError);
    assert.throws(() => parseFingerprint('sha-256 43-80'), SdpParseError);
    assert.throws(() => parseFingerprint('sha-256'), SdpParseError);
  });
  it('properties: parse(format(x)) = x and bytes round-trip', () => {
    const arb: fc.Arbitrary<Fingerprint> = fc.record({
      hashFunction: fc.constantFrom('sha-1', 'sha-256', 'sha-512'),
      fingerprint: hexBytes(1, 64),
    });
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseFingerprint(formatFingerprint(x)), plain(x))));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (b) =>
        assert.deepEqual(fingerprintBytes(fingerprintFromBytes('sha-256', b)), b),
      ),
    );
  });
});

describe('a=setup (RFC 4145 §4)', () => {
  const sd = parseSdp(SDP);
  it('media level overrides session level', () => {
    assert.equal(getSetup(sd, sd.media[0]), 'actpass');
    assert.equal(getSetup(sd, sd.media[1]), 'passive');
    assert.throws(() => parseSetup('both'), SdpParseError);
  });
  it('answers actpass with the preferred role and mirrors active/passive', () => {
    assert.equal(answerSetup('actpass'), 'active');
    assert.equal(answerSetup('actpass', 'passive'), 'passive');
    assert.equal(answerSetup('active'), 'passive');
    assert.equal(answerSetup('passive'), 'active');
    assert.equal(answerSetup('holdconn'), 'holdconn');
  });
});

describe('a=mid and a=group:BUNDLE (RFC 5888, RFC 9143)', () => {
  const sd = parseSdp(SDP);
  it('reads the group and the mids', () => {
    assert.deepEqual(getGroups(sd), [{ semantics: 'BUNDLE', mids: ['a', 'v'] }]);
    assert.deepEqual(
      sd.media.map((m) => getMid(m)),
      ['a', 'v'],
    );
    assert.throws(() => parseMid('a b'), SdpParseError);
  });
  it('property: parse(format(x)) = x', () => {
    const arb: fc.Arbitrary<Group> = fc.record({
      semantics: token(),
      mids: fc.array(token(), { maxLength: 5 }),
    });
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseGroup(formatGroup(x)), plain(x))));
  });
});
