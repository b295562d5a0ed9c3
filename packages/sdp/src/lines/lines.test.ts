import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SdpParseError } from '../errors.js';
import { decimal, field, ipv4, plain, token } from '../test/arbitraries.js';
import { type Bandwidth, formatBandwidth, parseBandwidth } from './bandwidth.js';
import { type Connection, formatConnection, isLegacyHoldAddress, parseConnection } from './connection.js';
import { type EncryptionKey, formatEncryptionKey, parseEncryptionKey } from './encryption-key.js';
import { formatMediaLine, type MediaLine, parseMediaLine } from './media-line.js';
import { formatOrigin, type Origin, parseOrigin } from './origin.js';
import {
  formatRepeatTimes,
  formatTimeZones,
  formatTiming,
  parseRepeatTimes,
  parseTimeZones,
  parseTiming,
  type RepeatTimes,
  type TimeZoneAdjustment,
  type Timing,
} from './timing.js';

describe('o= (RFC 8866 §5.2)', () => {
  it('keeps 64-bit session ids exact as strings', () => {
    const o = parseOrigin('- 7749202158748492726 2 IN IP4 127.0.0.1');
    assert.equal(o.sessionId, '7749202158748492726');
    assert.equal(o.sessionVersion, '2');
  });
  it('rejects wrong field counts and non-numeric versions', () => {
    assert.throws(() => parseOrigin('- 1 1 IN IP4'), SdpParseError);
    assert.throws(() => parseOrigin('- 1 x IN IP4 a'), /sess-version/);
    assert.throws(() => formatOrigin({ ...parseOrigin('- 1 1 IN IP4 a'), username: 'a b' }), SdpParseError);
  });
  it('property: parse(format(o)) = o', () => {
    const arb: fc.Arbitrary<Origin> = fc.record({
      username: field(),
      sessionId: decimal,
      sessionVersion: decimal,
      netType: fc.constant('IN'),
      addrType: fc.constantFrom('IP4', 'IP6'),
      unicastAddress: field(),
    });
    fc.assert(fc.property(arb, (o) => assert.deepEqual(parseOrigin(formatOrigin(o)), plain(o))));
  });
});

describe('c= (RFC 8866 §5.7)', () => {
  it('parses IP4 multicast TTL and address count (RFC 8866 §5.7 examples)', () => {
    assert.deepEqual(parseConnection('IN IP4 233.252.0.1/127/3'), {
      netType: 'IN',
      addrType: 'IP4',
      address: '233.252.0.1',
      ttl: 127,
      numberOfAddresses: 3,
    });
    assert.deepEqual(parseConnection('IN IP6 ff00::db8:0:101/3'), {
      netType: 'IN',
      addrType: 'IP6',
      address: 'ff00::db8:0:101',
      numberOfAddresses: 3,
    });
  });
  it('recognises the legacy hold address 0.0.0.0 (RFC 3264 §8.4)', () => {
    assert.equal(isLegacyHoldAddress(parseConnection('IN IP4 0.0.0.0')), true);
    assert.equal(isLegacyHoldAddress(parseConnection('IN IP4 192.0.2.1')), false);
    assert.equal(isLegacyHoldAddress(undefined), false);
  });
  it('rejects a TTL above 255 and extra parts', () => {
    assert.throws(() => parseConnection('IN IP4 233.252.0.1/256'), /exceeds 255/);
    assert.throws(() => parseConnection('IN IP6 ff00::1/1/2'), /too many/);
  });
  it('property: parse(format(c)) = c', () => {
    const arb: fc.Arbitrary<Connection> = fc.oneof(
      fc.record({ netType: fc.constant('IN'), addrType: fc.constant('IP4'), address: ipv4 }),
      fc.record({
        netType: fc.constant('IN'),
        addrType: fc.constant('IP4'),
        address: ipv4,
        ttl: fc.nat(255),
        numberOfAddresses: fc.nat(),
      }),
      fc.record({
        netType: fc.constant('IN'),
        addrType: fc.constant('IP6'),
        address: fc.constant('2001:db8::1'),
        numberOfAddresses: fc.nat(),
      }),
    );
    fc.assert(fc.property(arb, (c) => assert.deepEqual(parseConnection(formatConnection(c)), plain(c))));
  });
});

describe('m= (RFC 8866 §5.14)', () => {
  it('parses port/count and formats', () => {
    assert.deepEqual(parseMediaLine('video 49170/2 RTP/AVP 31'), {
      media: 'video',
      port: 49170,
      numberOfPorts: 2,
      proto: 'RTP/AVP',
      formats: ['31'],
    });
  });
  it('tolerates no format only on a port-0 line', () => {
    assert.deepEqual(parseMediaLine('video 0 RTP/AVP').formats, []);
    assert.throws(() => parseMediaLine('video 1 RTP/AVP'), /no media format/);
  });
  it('property: parse(format(m)) = m', () => {
    const arb: fc.Arbitrary<MediaLine> = fc.record(
      {
        media: token(),
        port: fc.integer({ min: 1, max: 65535 }),
        numberOfPorts: fc.integer({ min: 1, max: 65535 }),
        proto: field(),
        formats: fc.array(field(4), { minLength: 1, maxLength: 6 }),
      },
      { requiredKeys: ['media', 'port', 'proto', 'formats'] },
    );
    fc.assert(fc.property(arb, (m) => assert.deepEqual(parseMediaLine(formatMediaLine(m)), plain(m))));
  });
});

describe('t= r= z= (RFC 8866 §5.9-5.11)', () => {
  it('reads typed times in r= (RFC 8866 §5.10 example: 7d 1h 0 25h)', () => {
    assert.deepEqual(parseRepeatTimes('7d 1h 0 25h'), {
      interval: 604800,
      duration: 3600,
      offsets: [0, 90000],
    });
    assert.deepEqual(parseRepeatTimes('604800 3600 0 90000'), parseRepeatTimes('7d 1h 0 25h'));
  });
  it('reads z= adjustments with negative offsets (RFC 8866 §5.11 example)', () => {
    assert.deepEqual(parseTimeZones('2882844526 -1h 2898848070 0'), [
      { time: 2882844526, offset: -3600 },
      { time: 2898848070, offset: 0 },
    ]);
    assert.throws(() => parseTimeZones('2882844526'), /pairs/);
  });
  it('properties: parse(format(x)) = x', () => {
    const t: fc.Arbitrary<Timing> = fc.record({ start: fc.nat(), stop: fc.nat() });
    fc.assert(fc.property(t, (x) => assert.deepEqual(parseTiming(formatTiming(x)), plain(x))));
    const r: fc.Arbitrary<RepeatTimes> = fc.record({
      interval: fc.nat(),
      duration: fc.nat(),
      offsets: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(fc.property(r, (x) => assert.deepEqual(parseRepeatTimes(formatRepeatTimes(x)), plain(x))));
    const z: fc.Arbitrary<TimeZoneAdjustment[]> = fc.array(
      fc.record({ time: fc.nat(), offset: fc.integer({ min: -86400, max: 86400 }) }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(z, (x) =>
        assert.deepEqual(
          parseTimeZones(formatTimeZones(x)),
          // -0 formats as "0"
          x.map((a) => ({ time: a.time, offset: a.offset === 0 ? 0 : a.offset })),
        ),
      ),
    );
  });
});

describe('b= and k= (RFC 8866 §5.8, §5.12)', () => {
  it('parses AS and TIAS', () => {
    assert.deepEqual(parseBandwidth('AS:64'), { type: 'AS', bandwidth: 64 });
    assert.throws(() => parseBandwidth('AS:x'), SdpParseError);
  });
  it('parses k= with and without key', () => {
    assert.deepEqual(parseEncryptionKey('prompt'), { method: 'prompt' });
    assert.deepEqual(parseEncryptionKey('uri:https://x.example/k'), {
      method: 'uri',
      key: 'https://x.example/k',
    });
  });
  it('properties: parse(format(x)) = x', () => {
    const b: fc.Arbitrary<Bandwidth> = fc.record({ type: token(6), bandwidth: fc.nat() });
    fc.assert(fc.property(b, (x) => assert.deepEqual(parseBandwidth(formatBandwidth(x)), plain(x))));
    const k: fc.Arbitrary<EncryptionKey> = fc.record(
      { method: token(6), key: fc.string({ maxLength: 10 }) },
      { requiredKeys: ['method'] },
    );
    fc.assert(fc.property(k, (x) => assert.deepEqual(parseEncryptionKey(formatEncryptionKey(x)), plain(x))));
  });
});
