import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CliUsageError } from '../errors.js';
import { parseListenSpec } from '../listen-spec.js';
import {
  formatCodecs,
  formatPortRange,
  PHONE_CODECS,
  type PhoneOptions,
  parseCodecs,
  parseDtmfDigits,
  parsePortRange,
  parseSeconds,
  parseSipUri,
  userAgentConfig,
  userOf,
} from './options.js';

const base: PhoneOptions = {
  account: 'sip:alice@127.0.0.1',
  register: false,
  listen: parseListenSpec('udp:127.0.0.1:0'),
  rtpPorts: { min: 21800, max: 21999 },
  rtpAddress: '127.0.0.1',
  codecs: ['PCMU'],
  srtp: false,
  autoAnswer: false,
  answerTimeoutMs: 60_000,
};

describe('phone options', () => {
  it('--codecs: any ordered subset round-trips through format and parse', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...PHONE_CODECS], { minLength: 1 }), (codecs) => {
        assert.deepEqual(parseCodecs(formatCodecs(codecs)), codecs);
      }),
    );
  });

  it('--codecs: case-insensitive, spaces ignored; unknown and repeated names are usage errors', () => {
    assert.deepEqual(parseCodecs('pcma, g722,OPUS'), ['PCMA', 'G722', 'opus']);
    assert.throws(
      () => parseCodecs('PCMU,GSM'),
      (e: unknown) => e instanceof CliUsageError && /unknown codec "GSM"/.test(e.message),
    );
    assert.throws(() => parseCodecs('PCMU,pcmu'), /PCMU given twice/);
    assert.throws(() => parseCodecs(''), CliUsageError);
  });

  it('--dtmf: every string of DTMF digits is accepted (upper-cased); any other character is refused', () => {
    const digit = fc.constantFrom(...'0123456789*#ABCDabcd');
    fc.assert(
      fc.property(fc.array(digit, { minLength: 1, maxLength: 20 }), (ds) => {
        assert.equal(parseDtmfDigits('--dtmf', ds.join('')), ds.join('').toUpperCase());
      }),
    );
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 3 })
          .filter((s) => [...s].some((c) => !'0123456789*#ABCDabcd'.includes(c))),
        (s) => {
          assert.throws(() => parseDtmfDigits('--dtmf', s), CliUsageError);
        },
      ),
    );
  });

  it('--rtp-ports: min-max round-trips; reversed, privileged or malformed ranges are refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 65534 }), fc.integer({ min: 1, max: 5000 }), (min, span) => {
        const r = { min, max: Math.min(65535, min + span) };
        assert.deepEqual(parsePortRange(formatPortRange(r)), r);
      }),
    );
    for (const bad of ['21000', '21999-21000', '80-1000', '21000-70000', '21000-21000', 'a-b'])
      assert.throws(() => parsePortRange(bad), CliUsageError, bad);
  });

  it('--duration: seconds (decimals too) to ms; zero, negative and text are refused', () => {
    assert.equal(parseSeconds('--duration', '5'), 5000);
    assert.equal(parseSeconds('--duration', '2.25'), 2250);
    for (const bad of ['0', '-1', '1e3', 'five', '', '100000'])
      assert.throws(() => parseSeconds('--duration', bad), CliUsageError, bad);
  });

  it('SIP URIs: sip: and sips: accepted, anything else refused', () => {
    assert.equal(parseSipUri('target', 'sip:600@127.0.0.1:5060'), 'sip:600@127.0.0.1:5060');
    assert.equal(parseSipUri('target', 'sips:bob@example.com'), 'sips:bob@example.com');
    assert.throws(() => parseSipUri('target', 'tel:+123'), /expected a sip: URI/);
    assert.equal(userOf('sip:alice@host'), 'alice');
    assert.equal(userOf('sip:host'), undefined);
  });

  it('makes the user-agent config: SIP and RTP addresses, codecs, SDES when --srtp, digest user from the account', () => {
    const c = userAgentConfig({
      ...base,
      listen: parseListenSpec('udp:127.0.0.1:15099'),
      password: 'pw',
      codecs: ['G722', 'PCMA'],
      srtp: true,
    });
    assert.deepEqual(c.sip, { host: '127.0.0.1', port: 15099 });
    assert.deepEqual(c.auth, { username: 'alice', password: 'pw' });
    assert.equal(c.media?.srtp, 'sdes');
    assert.deepEqual(c.media?.codecs, ['G722', 'PCMA']);
    assert.equal(c.media?.portMin, 21800);
    assert.equal(userAgentConfig(base).auth, undefined);
    assert.equal(userAgentConfig(base).media?.srtp, 'off');
    assert.throws(
      () => userAgentConfig({ ...base, account: 'sip:example.com', password: 'x' }),
      /needs a user/,
    );
  });
});
