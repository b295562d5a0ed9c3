import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  getDirection,
  getExtmaps,
  getFmtps,
  getMaxptime,
  getMsids,
  getPtime,
  getRtcp,
  getRtcpFeedbacks,
  getRtpmaps,
  getSsrcGroups,
  getSsrcs,
  isRtcpMux,
} from '../accessors.js';
import { SdpParseError } from '../errors.js';
import { attributeLine } from '../model.js';
import { parseSdp } from '../parse.js';
import { serializeSdp } from '../serialize.js';
import { field, ipv4, plain, token } from '../test/arbitraries.js';
import {
  findAttributes,
  getAttributeValue,
  hasAttribute,
  listAttributes,
  splitAttribute,
} from './attribute.js';
import {
  directionOf,
  directionReceives,
  directionSends,
  effectiveDirection,
  type MediaDirection,
  reverseDirection,
} from './direction.js';
import { type Extmap, formatExtmap, parseExtmap } from './extmap.js';
import { type Fmtp, formatFmtp, formatFmtpParameters, parseFmtp, parseFmtpParameters } from './fmtp.js';
import { formatMsid, type Msid, parseMsid } from './msid.js';
import { formatPacketTime, parsePacketTime } from './packet-time.js';
import { formatRtcp, parseRtcp, type RtcpAttribute } from './rtcp.js';
import { formatRtcpFeedback, parseRtcpFeedback, type RtcpFeedback } from './rtcp-fb.js';
import { formatRtpmap, parseRtpmap, type Rtpmap } from './rtpmap.js';
import {
  formatSsrc,
  formatSsrcGroup,
  parseSsrc,
  parseSsrcGroup,
  type SsrcAttribute,
  type SsrcGroup,
} from './ssrc.js';

const direction = fc.constantFrom<MediaDirection>('sendrecv', 'sendonly', 'recvonly', 'inactive');

describe('generic attributes (RFC 8866 §5.13)', () => {
  const sd = parseSdp(
    'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\na=recvonly\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\na=tool:x:y z\r\na=rtcp-muxer\r\n',
  );
  it('splits name and value at the first colon', () => {
    assert.deepEqual(
      listAttributes(sd.media[0].lines).map((a) => [a.name, a.value]),
      [
        ['rtcp-mux', undefined],
        ['tool', 'x:y z'],
        ['rtcp-muxer', undefined],
      ],
    );
    assert.equal(splitAttribute(attributeLine('a', '')).value, '');
  });
  it('finds by exact name, not by prefix', () => {
    assert.equal(hasAttribute(sd.media[0].lines, 'rtcp-mux'), true);
    assert.equal(hasAttribute(sd.media[0].lines, 'rtcp'), false);
    assert.equal(findAttributes(sd.media[0].lines, 'rtcp-muxer').length, 1);
    assert.equal(getAttributeValue(sd.media[0].lines, 'tool'), 'x:y z');
    assert.equal(getAttributeValue(sd.media[0].lines, 'rtcp-mux'), '');
  });
});

describe('a=rtpmap (RFC 8866 §6.6)', () => {
  it('parses with and without encoding parameters', () => {
    assert.deepEqual(parseRtpmap('111 opus/48000/2'), {
      payloadType: 111,
      encodingName: 'opus',
      clockRate: 48000,
      channels: 2,
    });
    assert.deepEqual(parseRtpmap('0 PCMU/8000'), { payloadType: 0, encodingName: 'PCMU', clockRate: 8000 });
  });
  it('rejects payload types above 127 and malformed encodings', () => {
    assert.throws(() => parseRtpmap('128 x/8000'), /exceeds 127/);
    assert.throws(() => parseRtpmap('96 opus'), SdpParseError);
    assert.throws(() => parseRtpmap('96 opus/x'), SdpParseError);
  });
  it('reports the line number through the accessor', () => {
    const sd = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 96\r\na=rtpmap:96 opus\r\n',
    );
    assert.throws(
      () => getRtpmaps(sd.media[0]),
      (e: unknown) => e instanceof SdpParseError && e.line === 6 && e.reason.startsWith('a=rtpmap:'),
    );
  });
  it('property: parse(format(x)) = x', () => {
    const arb: fc.Arbitrary<Rtpmap> = fc.record(
      { payloadType: fc.nat(127), encodingName: token(), clockRate: fc.nat(), channels: fc.nat(8) },
      { requiredKeys: ['payloadType', 'encodingName', 'clockRate'] },
    );
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseRtpmap(formatRtpmap(x)), plain(x))));
  });
});

describe('a=fmtp (RFC 8866 §6.15)', () => {
  it('keeps parameters opaque and splits name=value lists', () => {
    assert.deepEqual(parseFmtp('111 minptime=10;useinbandfec=1'), {
      format: '111',
      parameters: 'minptime=10;useinbandfec=1',
    });
    assert.deepEqual(parseFmtpParameters('minptime=10; useinbandfec=1;stereo'), [
      { name: 'minptime', value: '10' },
      { name: 'useinbandfec', value: '1' },
      { name: 'stereo' },
    ]);
    assert.throws(() => parseFmtp('111'), SdpParseError);
  });
  it('properties: parse(format(x)) = x', () => {
    const arb: fc.Arbitrary<Fmtp> = fc.record({ format: field(4), parameters: fc.string({ maxLength: 20 }) });
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseFmtp(formatFmtp(x)), plain(x))));
    const params = fc.array(fc.record({ name: token(), value: token() }, { requiredKeys: ['name'] }), {
      maxLength: 5,
    });
    fc.assert(
      fc.property(params, (x) => assert.deepEqual(parseFmtpParameters(formatFmtpParameters(x)), plain(x))),
    );
  });
});

describe('a=rtcp (RFC 3605 §2.1)', () => {
  it('parses the RFC 3605 examples', () => {
    assert.deepEqual(parseRtcp('53020'), { port: 53020 });
    assert.deepEqual(parseRtcp('53020 IN IP4 126.16.64.4'), {
      port: 53020,
      netType: 'IN',
      addrType: 'IP4',
      address: '126.16.64.4',
    });
    assert.throws(() => parseRtcp('53020 IN IP4'), SdpParseError);
  });
  it('property: parse(format(x)) = x', () => {
    const arb: fc.Arbitrary<RtcpAttribute> = fc.oneof(
      fc.record({ port: fc.nat(65535) }),
      fc.record({
        port: fc.nat(65535),
        netType: fc.constant('IN'),
        addrType: fc.constant('IP4'),
        address: ipv4,
      }),
    );
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseRtcp(formatRtcp(x)), plain(x))));
  });
});

describe('a=ptime / a=maxptime (RFC 8866 §6.4, §6.5)', () => {
  it('parses integers and fractions', () => {
    assert.equal(parsePacketTime('20'), 20);
    assert.equal(parsePacketTime('0.5'), 0.5);
    for (const bad of ['', '.5', '5.', '2x', '1.2.3'])
      assert.throws(() => parsePacketTime(bad), SdpParseError);
  });
  it('is read through the media accessors', () => {
    const sd = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\na=ptime:20\r\na=maxptime:40\r\n',
    );
    assert.equal(getPtime(sd.media[0]), 20);
    assert.equal(getMaxptime(sd.media[0]), 40);
  });
  it('property: parse(format(x)) = x', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 }), fc.nat(99), (i, f) => {
        const ms = i + f / 100;
        assert.equal(parsePacketTime(formatPacketTime(ms)), ms);
      }),
    );
  });
});

describe('direction attributes (RFC 8866 §6.7, RFC 3264 §5.1)', () => {
  it('media overrides session; default sendrecv', () => {
    const sd = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\na=recvonly\r\nm=audio 1 RTP/AVP 0\r\nm=audio 2 RTP/AVP 0\r\na=inactive\r\n',
    );
    assert.equal(getDirection(sd, sd.media[0]), 'recvonly');
    assert.equal(getDirection(sd, sd.media[1]), 'inactive');
    assert.equal(effectiveDirection([], []), 'sendrecv');
  });
  it('property: reverse is an involution and swaps send/receive', () => {
    fc.assert(
      fc.property(direction, (d) => {
        assert.equal(reverseDirection(reverseDirection(d)), d);
        assert.equal(directionSends(reverseDirection(d)), directionReceives(d));
        assert.equal(directionOf(directionSends(d), directionReceives(d)), d);
      }),
    );
  });
});

describe('a=rtcp-fb (RFC 4585 §4.2)', () => {
  it('parses wildcard and parameters', () => {
    assert.deepEqual(parseRtcpFeedback('* nack'), { payloadType: '*', type: 'nack' });
    assert.deepEqual(parseRtcpFeedback('96 nack pli'), { payloadType: 96, type: 'nack', parameter: 'pli' });
    assert.deepEqual(parseRtcpFeedback('96 trr-int 100'), {
      payloadType: 96,
      type: 'trr-int',
      parameter: '100',
    });
    assert.throws(() => parseRtcpFeedback('96'), SdpParseError);
  });
  it('property: parse(format(x)) = x', () => {
    const arb: fc.Arbitrary<RtcpFeedback> = fc.record(
      {
        payloadType: fc.oneof(fc.nat(127), fc.constant<'*'>('*')),
        type: token(),
        parameter: fc.array(token(), { minLength: 1, maxLength: 3 }).map((x) => x.join(' ')),
      },
      { requiredKeys: ['payloadType', 'type'] },
    );
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseRtcpFeedback(formatRtcpFeedback(x)), plain(x))));
  });
});

describe('a=extmap (RFC 8285 §8)', () => {
  it('parses direction and extension attributes', () => {
    assert.deepEqual(parseExtmap('1 urn:ietf:params:rtp-hdrext:ssrc-audio-level'), {
      id: 1,
      uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    });
    assert.deepEqual(parseExtmap('2/sendrecv urn:ietf:params:rtp-hdrext:toffset attr'), {
      id: 2,
      direction: 'sendrecv',
      uri: 'urn:ietf:params:rtp-hdrext:toffset',
      attributes: 'attr',
    });
    assert.throws(() => parseExtmap('0 urn:x'), /reserved/);
    assert.throws(() => parseExtmap('1/sideways urn:x'), /direction/);
  });
  it('property: parse(format(x)) = x', () => {
    const arb: fc.Arbitrary<Extmap> = fc.record(
      { id: fc.integer({ min: 1, max: 255 }), direction, uri: field(20), attributes: field() },
      { requiredKeys: ['id', 'uri'] },
    );
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseExtmap(formatExtmap(x)), plain(x))));
  });
});

describe('a=ssrc / a=ssrc-group (RFC 5576 §4)', () => {
  it('parses source attributes whose value contains spaces', () => {
    assert.deepEqual(parseSsrc('1156564302 msid:- 2aeceba7-bb48'), {
      ssrc: 1156564302,
      attribute: 'msid',
      value: '- 2aeceba7-bb48',
    });
    assert.deepEqual(parseSsrcGroup('FID 1 2'), { semantics: 'FID', ssrcs: [1, 2] });
    assert.throws(() => parseSsrc('4294967296 cname:x'), /exceeds/);
  });
  it('properties: parse(format(x)) = x', () => {
    const s: fc.Arbitrary<SsrcAttribute> = fc.record(
      { ssrc: fc.nat(0xffffffff), attribute: token(), value: fc.string({ maxLength: 15 }) },
      { requiredKeys: ['ssrc', 'attribute'] },
    );
    fc.assert(fc.property(s, (x) => assert.deepEqual(parseSsrc(formatSsrc(x)), plain(x))));
    const g: fc.Arbitrary<SsrcGroup> = fc.record({
      semantics: token(),
      ssrcs: fc.array(fc.nat(0xffffffff), { maxLength: 4 }),
    });
    fc.assert(fc.property(g, (x) => assert.deepEqual(parseSsrcGroup(formatSsrcGroup(x)), plain(x))));
  });
});

describe('a=msid (RFC 8830 §2)', () => {
  it('parses id and appdata', () => {
    assert.deepEqual(parseMsid('- 2aeceba7'), { id: '-', appData: '2aeceba7' });
    assert.deepEqual(parseMsid('stream'), { id: 'stream' });
    assert.throws(() => parseMsid(`${'x'.repeat(65)}`), /64/);
  });
  it('property: parse(format(x)) = x', () => {
    const arb: fc.Arbitrary<Msid> = fc.record({ id: field(), appData: field() }, { requiredKeys: ['id'] });
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseMsid(formatMsid(x)), plain(x))));
  });
});

describe('typed accessors do not alter the raw lines', () => {
  it('reading every typed view leaves serialization unchanged', () => {
    const text =
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0 96\r\na=rtpmap:96   opus/48000/2\r\na=fmtp:96 a=1;b=2\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=rtcp-mux\r\na=rtcp-fb:96   nack\r\na=extmap:1 urn:x\r\na=ssrc:1 cname:x\r\na=ssrc-group:FID 1 2\r\na=msid:a b\r\n';
    const sd = parseSdp(text);
    const m = sd.media[0];
    assert.equal(getRtpmaps(m)[0].encodingName, 'opus');
    assert.equal(getFmtps(m)[0].parameters, 'a=1;b=2');
    assert.equal(getRtcp(m)?.port, 9);
    assert.equal(isRtcpMux(m), true);
    assert.equal(getRtcpFeedbacks(m).length, 1);
    assert.equal(getExtmaps(m)[0].uri, 'urn:x');
    assert.equal(getSsrcs(m)[0].value, 'x');
    assert.deepEqual(getSsrcGroups(m)[0].ssrcs, [1, 2]);
    assert.equal(getMsids(m)[0].appData, 'b');
    assert.equal(serializeSdp(sd), text);
  });
});
