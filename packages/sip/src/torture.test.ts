// RFC 4475 (SIP torture tests) and RFC 5118 (IPv6 torture tests), driven by the manifest: one
// test per archived message.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SipParseError } from './errors.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';

interface Entry {
  file: string;
  rfc: number;
  section: string | null;
  expect: 'valid' | 'invalid' | 'liberal' | 'transaction' | 'application' | 'backward' | 'unreferenced';
  response?: number | null;
  note?: string;
}

const dir = new URL('./fixtures/', import.meta.url);
const manifest: Entry[] = JSON.parse(readFileSync(new URL('torture-manifest.json', dir), 'utf8'));

/**
 * RFC 5118's archive uses bare LF line endings (two §4.10 files also lack the final empty line,
 * and §4.6/§4.8 declare a wrong Content-Length): convert to CRLF, add the empty line, and set
 * Content-Length to the CRLF body length.
 */
function crlfForm(raw: Buffer): Buffer {
  let s = raw.toString('latin1').replace(/\r?\n/g, '\r\n');
  if (s.indexOf('\r\n\r\n') < 0) s += '\r\n';
  const h = s.indexOf('\r\n\r\n');
  const head = s.slice(0, h + 4);
  const body = s.slice(h + 4);
  const fixed = head.replace(
    /^(Content-Length|l)([ \t]*:[ \t]*)\d+/im,
    (_m, n, sep) => `${n}${sep}${body.length}`,
  );
  return Buffer.from(fixed + body, 'latin1');
}

function load(e: Entry): Buffer {
  const raw = readFileSync(new URL(e.file, dir));
  return e.rfc === 5118 ? crlfForm(raw) : raw;
}

// §3.1.2 messages the RFC lets a liberal element accept. Our choice per file, and why.
const LIBERAL_CHOICE: Record<string, { accept: boolean; why: string }> = {
  'rfc4475/quotbal.dat': {
    accept: false,
    why: 'To has an unterminated quoted-string; To is validated eagerly',
  },
  'rfc4475/ltgtruri.dat': {
    accept: false,
    why: 'Request-URI enclosed in <>; the Request-URI is validated eagerly',
  },
  'rfc4475/lwsruri.dat': { accept: false, why: 'LWS inside the Request-URI makes it malformed' },
  'rfc4475/lwsstart.dat': { accept: true, why: 'extra SP between Request-Line elements is tolerated' },
  'rfc4475/trws.dat': { accept: true, why: 'trailing SP after SIP-Version is tolerated' },
  'rfc4475/escruri.dat': { accept: false, why: 'RFC 3261 §19.1.1 Table 1: no headers in a Request-URI' },
  'rfc4475/baddate.dat': {
    accept: true,
    why: 'Date is not a header every element must understand; not validated',
  },
  'rfc4475/regbadct.dat': {
    accept: false,
    why: 'RFC 3261 §20.10: a URI with "?" must be in <> (Contact is validated)',
  },
  'rfc4475/badaspec.dat': { accept: true, why: 'whitespace inside <...> around the URI is ignored' },
  'rfc4475/baddn.dat': { accept: false, why: 'the archived file has no empty line after the headers' },
};

function isRejected(data: Buffer): SipParseError | undefined {
  try {
    parseMessage(data);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof SipParseError, `expected SipParseError, got ${e}`);
    return e;
  }
}

describe('RFC 4475 / RFC 5118 torture messages', () => {
  for (const e of manifest) {
    const label = `${e.file} (RFC ${e.rfc} §${e.section ?? '-'}, ${e.expect})`;
    if (e.expect === 'valid') {
      it(`${label} parses and re-serializes to equal bytes`, () => {
        const data = load(e);
        const m = parseMessage(data);
        const out = serializeMessage(m);
        // RFC 3261 §18.3 (dblreq.dat): octets after Content-Length are not part of the message.
        const cl = m.contentLength;
        const text = data.toString('latin1');
        const end = text.indexOf('\r\n\r\n') + 4 + cl;
        assert.equal(end <= data.length, true);
        assert.deepEqual(Buffer.from(out), data.subarray(0, end));
      });
    } else if (e.expect === 'invalid') {
      it(`${label} is rejected by parseMessage`, () => {
        const err = isRejected(load(e));
        assert.ok(err !== undefined, 'message was accepted');
        if (e.response === 505) assert.equal(err.status, 505);
        assert.ok(err.offset >= 0);
      });
    } else if (e.expect === 'liberal') {
      const choice = LIBERAL_CHOICE[e.file];
      it(`${label}: ${choice.accept ? 'accepted' : 'rejected'} (${choice.why})`, () => {
        const err = isRejected(load(e));
        assert.equal(err === undefined, choice.accept, err?.message);
      });
    } else if (e.expect === 'unreferenced') {
      it(`${label} (no SIP-Version in the Request-Line) is rejected`, () => {
        assert.ok(isRejected(load(e)) !== undefined);
      });
    } else {
      it(`${label} parses (the ${e.expect} layer answers ${e.response ?? 'by dropping'})`, () => {
        const m = parseMessage(load(e));
        assert.equal(typeof m.isRequest, 'boolean');
      });
    }
  }
});

describe('torture messages: what the parser exposes', () => {
  const get = (f: string) => parseMessage(readFileSync(new URL(f, dir)));

  it('wsinv.dat: folding, LWS and odd case are understood (RFC 4475 §3.1.1.1)', () => {
    const m = get('rfc4475/wsinv.dat');
    assert.equal(m.to?.tag, '1918181833n');
    assert.equal(m.from?.displayName, 'J Rosenberg \\"');
    assert.equal(m.from?.tag, '98asjd8');
    assert.equal(m.maxForwards, 68);
    assert.deepEqual(m.cseq, { seq: 9, method: 'INVITE' });
    assert.equal(m.via.length, 3);
    assert.deepEqual(
      m.via.map((v) => [v.protocol, v.transport, v.host, v.branch]),
      [
        ['SIP/2.0', 'UDP', '192.0.2.2', '390skdjuw'],
        ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
      ],
    );
    assert.equal(m.getHeader('s'), '');
    assert.equal(
      m.getHeader('NewFangledHeader'),
      'newfangled value\r\n continued newfangled value'.replace('\r\n', ''),
    );
    const c = m.contact[0];
    assert.ok(c !== '*');
    assert.equal(c.displayName, 'Quoted string ""');
    assert.equal(c.params.get('newparam'), 'newvalue');
    assert.equal(c.params.get('q'), '0.33');
    assert.equal(m.route[0].uri.kind === 'sip' && m.route[0].uri.params.has('lr'), true);
  });

  it('intmeth.dat: unusual method, URI user and password (RFC 4475 §3.1.1.2)', () => {
    const m = get('rfc4475/intmeth.dat');
    assert.equal(m.method, "!interesting-Method0123456789_*+`.%indeed'~");
    const u = m.parsedRequestUri;
    assert.ok(u?.kind === 'sip');
    assert.equal(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(m.to?.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
  });

  it('dblreq.dat: octets beyond Content-Length are discarded (RFC 3261 §18.3)', () => {
    const data = readFileSync(new URL('rfc4475/dblreq.dat', dir));
    const m = parseMessage(data);
    assert.equal(m.body.length, 0);
    assert.ok(serializeMessage(m).length < data.length);
  });

  it('mpart01.dat: binary body with bare CR/LF is kept intact', () => {
    const data = readFileSync(new URL('rfc4475/mpart01.dat', dir));
    const m = parseMessage(data);
    assert.equal(m.body.length, m.contentLength);
    assert.equal(m.contentType?.mediaType, 'multipart/mixed');
    assert.ok(m.contentType?.params.get('boundary') !== undefined);
  });

  it('unreason.dat: UTF-8 reason phrase is decoded (RFC 4475 §3.1.1.12)', () => {
    const m = get('rfc4475/unreason.dat');
    assert.equal(m.status, 200);
    assert.ok(
      m.reason.includes('\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e'),
      m.reason,
    );
  });

  it('noreason.dat: empty reason phrase', () => {
    const m = get('rfc4475/noreason.dat');
    assert.equal(m.status, 100);
    assert.equal(m.reason, '');
  });

  it('escnull.dat / esc01.dat: escaped URIs parse, compare decoded', () => {
    const m = get('rfc4475/esc01.dat');
    const to = m.to?.uri;
    assert.ok(to?.kind === 'sip');
    assert.equal(to.user, '%75se%72');
    assert.equal(get('rfc4475/escnull.dat').contact.length, 2);
  });

  it('baddn.dat is also rejected for its display name once the empty line is added', () => {
    const data = Buffer.concat([readFileSync(new URL('rfc4475/baddn.dat', dir)), Buffer.from('\r\n')]);
    assert.throws(
      () => parseMessage(data),
      (e: unknown) => e instanceof SipParseError && e.reason.startsWith('From'),
    );
  });

  it('badvers.dat suggests 505; bigcode.dat and clerr.dat give offsets', () => {
    const v = isRejected(readFileSync(new URL('rfc4475/badvers.dat', dir)));
    assert.equal(v?.kind, 'version');
    const c = isRejected(readFileSync(new URL('rfc4475/clerr.dat', dir)));
    assert.match(c?.reason ?? '', /Content-Length/);
  });

  it('mcl01.dat: the first Content-Length frames a datagram; both values stay visible', () => {
    const m = get('rfc4475/mcl01.dat');
    assert.deepEqual(m.getHeaders('content-length'), ['13', '5']);
    assert.equal(m.body.length, 13);
  });

  it('RFC 5118 §4.5: received with and without brackets', () => {
    const e = manifest.filter((x) => x.file.includes('via-received-param'));
    const got = e.map((x) => parseMessage(load(x)).via[0].received);
    assert.deepEqual(got.sort(), ['2001:db8::9:255', '[2001:db8::9:255]'].sort());
  });
});
