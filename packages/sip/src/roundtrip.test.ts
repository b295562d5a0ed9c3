// Property tests: generated messages round-trip through parse and serialize byte for byte, and
// a mutation leaves every untouched header line's bytes as they were.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createResponse } from './builders.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';

const token = fc.stringMatching(/^[A-Za-z0-9.!%*_+`'~-]{1,12}$/);
const host = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,8}(\.[a-z]{2,4}){1,2}$/),
  fc.ipV4(),
  fc.ipV6().map((s) => `[${s}]`),
);
const ws = fc.constantFrom(' ', '', '  ', '\t', '\r\n ', ' \r\n\t');
const text = fc.stringMatching(/^[ -~]{0,30}$/).map((s) => s.trim());
const displayName = fc.option(
  fc.stringMatching(/^[ -~]{0,10}$/).map((s) => `"${s.replace(/["\\]/g, '\\$&')}" `),
  { nil: '' },
);
const nameAddr = fc
  .tuple(displayName, token, host)
  .map(([d, u, h]) => `${d}<sip:${u.replace(/[`'%*!~+]/g, 'x')}@${h}>`);
const via = fc
  .tuple(
    fc.constantFrom('UDP', 'TCP', 'TLS', 'WS'),
    host,
    fc.option(fc.integer({ min: 1, max: 65535 })),
    token,
  )
  .map(([t, h, p, b]) => `SIP/2.0/${t} ${h}${p === null ? '' : `:${p}`};branch=z9hG4bK${b}`);

interface Gen {
  isRequest: boolean;
  method: string;
  headers: [string, string][];
  body: string;
}

const header = fc.oneof(
  fc.tuple(
    fc.constantFrom('Via', 'v', 'VIA'),
    fc.array(via, { minLength: 1, maxLength: 3 }).map((a) => a.join(', ')),
  ),
  fc.tuple(
    fc.constantFrom('Contact', 'm'),
    fc.array(nameAddr, { minLength: 1, maxLength: 3 }).map((a) => a.join(', ')),
  ),
  fc.tuple(
    fc.constantFrom('Route', 'Record-Route'),
    nameAddr.map((n) => n.replace('>', ';lr>')),
  ),
  fc.tuple(fc.constantFrom('Subject', 's', 'X-Note', 'User-Agent'), text),
  fc.tuple(
    token.map((t) => `X-${t}`),
    text,
  ),
  fc.tuple(
    fc.constantFrom('Supported', 'k', 'Allow'),
    fc.array(token, { minLength: 1, maxLength: 4 }).map((a) => a.join(', ')),
  ),
);

const message: fc.Arbitrary<Gen> = fc
  .record({
    isRequest: fc.boolean(),
    method: fc.constantFrom('INVITE', 'OPTIONS', 'BYE', 'REGISTER', 'X-METHOD'),
    status: fc.integer({ min: 100, max: 699 }),
    from: nameAddr,
    to: nameAddr,
    tag: token,
    callId: fc.tuple(token, host).map(([a, b]) => `${a}@${b}`),
    seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    extra: fc.array(header, { maxLength: 8 }),
    body: fc.stringMatching(/^[\x00-\x7f]{0,60}$/),
    sep: fc.array(ws, { minLength: 8, maxLength: 8 }),
    compactCl: fc.boolean(),
  })
  .map((r) => {
    const headers: [string, string][] = [
      ['Via', `SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK${r.tag}`],
      ['From', `${r.from};tag=${r.tag}`],
      ['To', r.to],
      ['Call-ID', r.callId],
      ['CSeq', `${r.seq} ${r.method}`],
      ['Max-Forwards', '70'],
      ...r.extra,
      [r.compactCl ? 'l' : 'Content-Length', String(Buffer.byteLength(r.body))],
    ];
    const spaced: [string, string][] = headers.map(([n, v], i) => [n, `${r.sep[i % r.sep.length]}${v}`]);
    return {
      isRequest: r.isRequest,
      method: r.isRequest ? r.method : String(r.status),
      headers: spaced,
      body: r.body,
    };
  });

function wire(g: Gen): Buffer {
  const start = g.isRequest ? `${g.method} sip:bob@example.com SIP/2.0` : `SIP/2.0 ${g.method} Reason Text`;
  const lines = g.headers.map(([n, v]) => `${n}:${v}`);
  return Buffer.from(`${start}\r\n${lines.join('\r\n')}\r\n\r\n${g.body}`, 'latin1');
}

describe('message properties (fast-check)', () => {
  it('serializeMessage(parseMessage(bytes)) equals the bytes', () => {
    fc.assert(
      fc.property(message, (g) => {
        const bytes = wire(g);
        const m = parseMessage(bytes);
        assert.deepEqual(Buffer.from(serializeMessage(m)), bytes);
        assert.equal(Buffer.from(m.body).toString('latin1'), g.body);
      }),
      { numRuns: 300 },
    );
  });

  it('parse ∘ serialize keeps every typed view', () => {
    fc.assert(
      fc.property(message, (g) => {
        const a = parseMessage(wire(g));
        const b = parseMessage(serializeMessage(a));
        const views = (m: typeof a) =>
          JSON.stringify([
            m.via,
            m.from,
            m.to,
            m.callId,
            m.cseq,
            m.contact,
            m.route,
            m.recordRoute,
            m.supported,
            m.allow,
            m.getHeaders('subject'),
          ]);
        assert.equal(views(b), views(a));
      }),
      { numRuns: 200 },
    );
  });

  it('adding a Via and changing Max-Forwards leaves every other header line byte-identical', () => {
    fc.assert(
      fc.property(message, via, (g, v) => {
        const bytes = wire(g);
        const m = parseMessage(bytes);
        m.addHeader('Via', v, { position: 'first' });
        m.setHeader('Max-Forwards', '69');
        const out = Buffer.from(serializeMessage(m)).toString('latin1');
        const orig = bytes.toString('latin1');
        const origHead = orig.slice(0, orig.indexOf('\r\n\r\n') + 2);
        // Every original header line (folding included) other than Max-Forwards appears verbatim.
        const origLines = origHead.split(/\r\n(?![ \t])/).slice(1, -1);
        for (const line of origLines) {
          if (line.startsWith('Max-Forwards')) continue;
          assert.ok(out.includes(`\r\n${line}\r\n`), line);
        }
        assert.equal(parseMessage(out).maxForwards, 69);
      }),
      { numRuns: 200 },
    );
  });

  it('responses built from generated requests carry the request Vias, From, To, Call-ID, CSeq', () => {
    fc.assert(
      fc.property(
        message.filter((g) => g.isRequest),
        fc.integer({ min: 100, max: 699 }),
        (g, status) => {
          const req = parseMessage(wire(g));
          const res = parseMessage(serializeMessage(createResponse(req, status, undefined, { toTag: 'tt' })));
          assert.equal(res.status, status);
          assert.equal(JSON.stringify(res.via), JSON.stringify(req.via));
          assert.equal(JSON.stringify(res.from), JSON.stringify(req.from));
          assert.equal(res.callId, req.callId);
          assert.deepEqual(res.cseq, req.cseq);
          assert.equal(res.to?.tag, req.to?.tag ?? 'tt');
        },
      ),
      { numRuns: 200 },
    );
  });
});
