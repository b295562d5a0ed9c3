import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  getConnection,
  getMediaConnection,
  getMediaLine,
  getOrigin,
  getSessionName,
  getTimings,
} from './accessors.js';
import { SdpParseError } from './errors.js';
import { parseSdp } from './parse.js';
import { serializeSdp } from './serialize.js';
import { sdpText } from './test/arbitraries.js';

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

// RFC 8866 §5: the example session description.
const RFC8866_EXAMPLE = crlf([
  'v=0',
  'o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1',
  's=Call to John Smith',
  'i=SDP Offer #1',
  'u=http://www.jdoe.example.com/home.html',
  'e=Jane Doe <jane@jdoe.example.com>',
  'p=+1 617 555-6011',
  'c=IN IP4 198.51.100.1',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'm=audio 49180 RTP/AVP 0',
  'm=video 51372 RTP/AVP 99',
  'c=IN IP6 2001:db8::2',
  'a=rtpmap:99 h263-1998/90000',
]);

function parseError(input: string | Uint8Array, opts?: Parameters<typeof parseSdp>[1]): SdpParseError {
  try {
    parseSdp(input, opts);
  } catch (e) {
    assert.ok(e instanceof SdpParseError, `expected SdpParseError, got ${e}`);
    return e;
  }
  assert.fail('parseSdp did not throw');
}

describe('parseSdp: RFC 8866 §5 example', () => {
  const sd = parseSdp(RFC8866_EXAMPLE);

  it('round-trips byte for byte', () => {
    assert.equal(serializeSdp(sd), RFC8866_EXAMPLE);
  });

  it('splits session level and three media descriptions', () => {
    assert.equal(sd.session.length, 9);
    assert.deepEqual(
      sd.media.map((m) => m.lines.length),
      [1, 1, 3],
    );
    assert.equal(getSessionName(sd), 'Call to John Smith');
  });

  it('reads the origin, timing and connections', () => {
    assert.deepEqual(getOrigin(sd), {
      username: 'jdoe',
      sessionId: '3724394400',
      sessionVersion: '3724394405',
      netType: 'IN',
      addrType: 'IP4',
      unicastAddress: '198.51.100.1',
    });
    assert.deepEqual(getTimings(sd), [{ start: 0, stop: 0 }]);
    // RFC 8866 §5.7: a media-level c= overrides the session-level one.
    assert.equal(getMediaConnection(sd, sd.media[0])?.address, '198.51.100.1');
    assert.deepEqual(getMediaConnection(sd, sd.media[2]), {
      netType: 'IN',
      addrType: 'IP6',
      address: '2001:db8::2',
    });
    assert.equal(getConnection(sd.media[0].lines), undefined);
  });

  it('reads the m= lines', () => {
    assert.deepEqual(getMediaLine(sd.media[2]), {
      media: 'video',
      port: 51372,
      proto: 'RTP/AVP',
      formats: ['99'],
    });
  });

  it('records line numbers', () => {
    assert.equal(sd.media[2].lines[2].lineNumber, 14);
  });
});

describe('parseSdp: line endings and input forms', () => {
  it('accepts LF-only input and serializes it with CRLF', () => {
    const lf = RFC8866_EXAMPLE.replaceAll('\r\n', '\n');
    assert.equal(serializeSdp(parseSdp(lf)), RFC8866_EXAMPLE);
  });

  it('accepts a missing final line ending', () => {
    assert.equal(serializeSdp(parseSdp(RFC8866_EXAMPLE.slice(0, -2))), RFC8866_EXAMPLE);
  });

  it('ignores empty lines at the very end', () => {
    assert.equal(serializeSdp(parseSdp(`${RFC8866_EXAMPLE}\r\n\r\n`)), RFC8866_EXAMPLE);
  });

  it('parses UTF-8 bytes', () => {
    const s = crlf(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=Grüße 📞', 't=0 0']);
    assert.equal(getSessionName(parseSdp(Buffer.from(s, 'utf8'))), 'Grüße 📞');
  });

  it('keeps unknown line types, unknown attributes and odd spacing byte for byte', () => {
    const s = crlf([
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.1',
      's= ',
      't=0 0',
      'x=something unknown: with spaces ',
      'a=X-vendor-thing:1 2  3',
      'a=msid-semantic: WMS',
      'm=audio 4000 RTP/AVP 0',
      'y=media-level unknown',
      'a=rtpmap:0 PCMU/8000 ',
    ]);
    assert.equal(serializeSdp(parseSdp(s)), s);
  });
});

describe('parseSdp: errors carry the line number and reason', () => {
  const base = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0'];
  const cases: Array<[string, string[], number, RegExp]> = [
    ['empty input', [], 1, /empty/],
    ['first line not v=', ['o=- 1 1 IN IP4 192.0.2.1'], 1, /expected "v="/],
    ['unsupported version', ['v=1', ...base.slice(1)], 1, /version/],
    ['o= with 5 fields', ['v=0', 'o=- 1 1 IN IP4', 's=-'], 2, /6 fields/],
    ['o= non-numeric id', ['v=0', 'o=- abc 1 IN IP4 192.0.2.1', 's=-'], 2, /sess-id/],
    ['missing s=', ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 't=0 0'], 3, /expected "s="/],
    ['no "="', [...base, 'a'], 5, /<type>=<value>/],
    ['type not a letter', [...base, '1=x'], 5, /not a letter/],
    ['empty line inside', [...base, '', 'a=x'], 5, /empty line/],
    ['bad c=', [...base, 'c=IN IP4'], 5, /c= needs 3/],
    ['bad t=', ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0'], 4, /t= needs 2/],
    ['bad b=', [...base, 'b=AS'], 5, /b= needs/],
    ['bad m= port', [...base, 'm=audio x RTP/AVP 0'], 5, /port/],
    ['m= port too big', [...base, 'm=audio 70000 RTP/AVP 0'], 5, /exceeds 65535/],
    ['m= without format', [...base, 'm=audio 4000 RTP/AVP'], 5, /no media format/],
    ['t= inside media', [...base, 'm=audio 4000 RTP/AVP 0', 't=0 0'], 6, /not allowed in a media/],
    ['duplicate o=', [...base, 'o=- 1 1 IN IP4 192.0.2.1'], 5, /duplicate/],
    ['attribute name not a token', [...base, 'a=bad name:x'], 5, /not a token/],
    ['bad r= unit', [...base, 'r=7x 1h 0'], 5, /time unit/],
  ];
  for (const [name, lines, line, reason] of cases) {
    it(name, () => {
      const e = parseError(lines.length === 0 ? '' : crlf(lines));
      assert.equal(e.line, line);
      assert.match(e.reason, reason);
      assert.match(e.message, new RegExp(`line ${line}`));
    });
  }

  it('rejects a bare CR inside a line', () => {
    const e = parseError(`v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=a\rb\r\nt=0 0\r\n`);
    assert.equal(e.line, 3);
  });

  it('rejects a NUL character', () => {
    assert.equal(parseError(crlf([...base, 'a=x\0y'])).line, 5);
  });

  it('rejects invalid UTF-8 bytes', () => {
    const bytes = Buffer.concat([Buffer.from(crlf(base)), Buffer.from([0x61, 0x3d, 0xff, 0x0d, 0x0a])]);
    assert.match(parseError(bytes).reason, /UTF-8/);
  });
});

describe('parseSdp: limits', () => {
  const base = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0'];
  it('maxBytes', () => {
    const s = crlf(base);
    assert.match(parseError(s, { limits: { maxBytes: s.length - 1 } }).reason, /limit/);
    assert.doesNotThrow(() => parseSdp(s, { limits: { maxBytes: s.length } }));
    assert.match(parseError(Buffer.from(s), { limits: { maxBytes: 10 } }).reason, /bytes, limit 10/);
  });
  it('maxLines', () => {
    assert.match(parseError(crlf([...base, 'a=x']), { limits: { maxLines: 4 } }).reason, /more than 4 lines/);
    assert.doesNotThrow(() => parseSdp(crlf(base), { limits: { maxLines: 4 } }));
  });
  it('maxLineLength', () => {
    const e = parseError(crlf([...base, `a=${'x'.repeat(40)}`]), { limits: { maxLineLength: 30 } });
    assert.equal(e.line, 5);
  });
  it('maxMediaSections', () => {
    const m = ['m=audio 1 RTP/AVP 0', 'm=audio 2 RTP/AVP 0', 'm=audio 3 RTP/AVP 0'];
    const e = parseError(crlf([...base, ...m]), { limits: { maxMediaSections: 2 } });
    assert.equal(e.line, 7);
    assert.equal(parseSdp(crlf([...base, ...m]), { limits: { maxMediaSections: 3 } }).media.length, 3);
  });
});

describe('parseSdp: real descriptions', () => {
  it("Chromium's offer (captured by scripts/capture-chromium-offer.ts) round-trips byte for byte", () => {
    const text = readFileSync(new URL('./fixtures/chromium-offer.sdp', import.meta.url), 'utf8');
    assert.ok(text.includes('\r\n'));
    const sd = parseSdp(text);
    assert.equal(serializeSdp(sd), text);
    assert.equal(sd.media.length, 1);
    assert.equal(getMediaLine(sd.media[0]).proto, 'UDP/TLS/RTP/SAVPF');
  });

  it('RFC 3264 §9 capability description (t= before c=) parses and round-trips', () => {
    const s = crlf([
      'v=0',
      'o=carol 28908764872 28908764872 IN IP4 100.3.6.6',
      's=-',
      't=0 0',
      'c=IN IP4 192.0.2.4',
      'm=audio 0 RTP/AVP 0 1 3',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:1 1016/8000',
      'a=rtpmap:3 GSM/8000',
      'm=video 0 RTP/AVP 31 34',
      'a=rtpmap:31 H261/90000',
      'a=rtpmap:34 H263/90000',
    ]);
    const sd = parseSdp(s);
    assert.equal(serializeSdp(sd), s);
    assert.deepEqual(
      sd.media.map((m) => getMediaLine(m).port),
      [0, 0],
    );
  });
});

describe('parseSdp: properties', () => {
  it('generated descriptions round-trip byte for byte', () => {
    fc.assert(
      fc.property(sdpText, (s) => {
        assert.equal(serializeSdp(parseSdp(s)), s);
      }),
      { numRuns: 300 },
    );
  });

  it('generated descriptions round-trip as UTF-8 bytes and with LF endings', () => {
    fc.assert(
      fc.property(sdpText, (s) => {
        assert.equal(serializeSdp(parseSdp(Buffer.from(s, 'utf8'))), s);
        assert.equal(serializeSdp(parseSdp(s.replaceAll('\r\n', '\n'))), s);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws anything but SdpParseError on mutated descriptions', () => {
    fc.assert(
      fc.property(sdpText, fc.nat(), fc.nat(), fc.string({ maxLength: 3 }), (s, at, len, insert) => {
        const i = at % s.length;
        const mutated = s.slice(0, i) + insert + s.slice(i + (len % 4));
        try {
          const sd = parseSdp(mutated);
          // Whatever parses must serialize back to its CRLF form.
          assert.equal(serializeSdp(parseSdp(serializeSdp(sd))), serializeSdp(sd));
        } catch (e) {
          assert.ok(e instanceof SdpParseError, String(e));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but SdpParseError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        try {
          parseSdp(`v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n${s}`);
        } catch (e) {
          assert.ok(e instanceof SdpParseError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
