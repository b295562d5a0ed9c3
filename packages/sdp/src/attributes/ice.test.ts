import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  getCandidates,
  getIceOptions,
  getIcePwd,
  getIceUfrag,
  hasEndOfCandidates,
  isIceLite,
} from '../accessors.js';
import { SdpParseError } from '../errors.js';
import { parseSdp } from '../parse.js';
import { serializeSdp } from '../serialize.js';
import { field, iceChars, ipv4, plain, token } from '../test/arbitraries.js';
import { type Candidate, formatCandidate, parseCandidate } from './candidate.js';
import { formatIceOptions, parseIceOptions, parseIcePwd, parseIceUfrag } from './ice.js';

// RFC 8839 §4.2.6: example SDP with ICE attributes (the folded raddr line joined).
const RFC8839_EXAMPLE = [
  'v=0',
  'o=jdoe 2890844526 2890842807 IN IP4 203.0.113.141',
  's=',
  'c=IN IP4 192.0.2.3',
  't=0 0',
  'a=ice-options:ice2',
  'a=ice-pacing:50',
  'a=ice-pwd:asd88fgpdd777uzjYhagZg',
  'a=ice-ufrag:8hhY',
  'm=audio 45664 RTP/AVP 0',
  'b=RS:0',
  'b=RR:0',
  'a=rtpmap:0 PCMU/8000',
  'a=candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host',
  'a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998',
]
  .map((l) => `${l}\r\n`)
  .join('');

describe('ICE attributes (RFC 8839 §5)', () => {
  const sd = parseSdp(RFC8839_EXAMPLE);

  it('round-trips the RFC 8839 example', () => {
    assert.equal(serializeSdp(sd), RFC8839_EXAMPLE);
  });

  it('reads session-level ufrag, pwd and options for the media', () => {
    assert.equal(getIceUfrag(sd, sd.media[0]), '8hhY');
    assert.equal(getIcePwd(sd, sd.media[0]), 'asd88fgpdd777uzjYhagZg');
    assert.deepEqual(getIceOptions(sd, sd.media[0]), ['ice2']);
    assert.equal(isIceLite(sd), false);
    assert.equal(hasEndOfCandidates(sd, sd.media[0]), false);
  });

  it('reads the host and srflx candidates of the example', () => {
    assert.deepEqual(getCandidates(sd.media[0]), [
      {
        foundation: '1',
        component: 1,
        transport: 'UDP',
        priority: 2130706431,
        address: '203.0.113.141',
        port: 8998,
        type: 'host',
        extensions: [],
      },
      {
        foundation: '2',
        component: 1,
        transport: 'UDP',
        priority: 1694498815,
        address: '192.0.2.3',
        port: 45664,
        type: 'srflx',
        relatedAddress: '203.0.113.141',
        relatedPort: 8998,
        extensions: [],
      },
    ]);
  });

  it('reads Chromium-style extensions and TCP candidates', () => {
    const c = parseCandidate(
      '2247829272 1 udp 2113937151 x.local 38022 typ host generation 0 network-cost 999',
    );
    assert.deepEqual(c.extensions, [
      ['generation', '0'],
      ['network-cost', '999'],
    ]);
    assert.deepEqual(parseCandidate('1 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active').extensions, [
      ['tcptype', 'active'],
    ]);
  });

  it('recognises ice-lite and end-of-candidates', () => {
    const lite = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\nm=audio 1 RTP/AVP 0\r\na=end-of-candidates\r\n',
    );
    assert.equal(isIceLite(lite), true);
    assert.equal(hasEndOfCandidates(lite, lite.media[0]), true);
  });

  it('rejects malformed values (RFC 8839 §5.1, §5.4)', () => {
    assert.throws(() => parseCandidate('1 1 UDP 2130706431 203.0.113.141 8998 host'), SdpParseError);
    assert.throws(() => parseCandidate('1 1 UDP 2130706431 203.0.113.141 8998 type host'), /typ/);
    assert.throws(
      () => parseCandidate('1 1 UDP 2130706431 203.0.113.141 8998 typ host generation'),
      /extension/,
    );
    assert.throws(() => parseIceUfrag('abc'), /4-256/);
    assert.throws(() => parseIcePwd('short'), /22-256/);
    assert.throws(() => parseIceUfrag('ab$d'), SdpParseError);
  });

  it('properties: candidate, ufrag/pwd and options round-trip', () => {
    const arb: fc.Arbitrary<Candidate> = fc.record(
      {
        foundation: iceChars(1, 32),
        component: fc.integer({ min: 1, max: 256 }),
        transport: fc.constantFrom('UDP', 'udp', 'tcp'),
        priority: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        address: fc.oneof(ipv4, field()),
        port: fc.nat(65535),
        type: fc.constantFrom('host', 'srflx', 'prflx', 'relay'),
        relatedAddress: ipv4,
        relatedPort: fc.nat(65535),
        extensions: fc.array(
          fc.tuple(
            token().filter((t) => t !== 'raddr' && t !== 'rport'),
            field(),
          ),
          { maxLength: 3 },
        ),
      },
      {
        requiredKeys: [
          'foundation',
          'component',
          'transport',
          'priority',
          'address',
          'port',
          'type',
          'extensions',
        ],
      },
    );
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseCandidate(formatCandidate(x)), plain(x))));
    fc.assert(fc.property(iceChars(4, 256), (u) => assert.equal(parseIceUfrag(u), u)));
    fc.assert(fc.property(iceChars(22, 256), (p) => assert.equal(parseIcePwd(p), p)));
    fc.assert(
      fc.property(fc.array(token(), { minLength: 1, maxLength: 4 }), (o) =>
        assert.deepEqual(parseIceOptions(formatIceOptions(o)), o),
      ),
    );
  });
});
