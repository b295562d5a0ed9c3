import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRequest, createResponse, newBranch } from './builders.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';

const REQ = [
  'INVITE sip:bob@biloxi.com SIP/2.0',
  'Via:  SIP/2.0/UDP  proxy.example.com;branch=z9hG4bK-p',
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds ;received=192.0.2.1',
  'Max-Forwards: 69',
  'Record-Route: <sip:proxy.example.com;lr>',
  'To: Bob <sip:bob@biloxi.com>',
  'f: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.com',
  'CSeq: 314159 INVITE',
  'Timestamp: 54',
  'Contact: <sip:alice@pc33.atlanta.com>',
  'Content-Length: 0',
];
const request = () => parseMessage(`${REQ.join('\r\n')}\r\n\r\n`);
const headLines = (b: Uint8Array) => {
  const s = Buffer.from(b).toString('latin1');
  return s.slice(0, s.indexOf('\r\n\r\n')).split('\r\n');
};

describe('createResponse (RFC 3261 §8.2.6)', () => {
  it('copies Via (all, in order), From, To, Call-ID, CSeq as received, adds Content-Length', () => {
    const r = createResponse(request(), 486);
    assert.deepEqual(headLines(serializeMessage(r)), [
      'SIP/2.0 486 Busy Here',
      REQ[1],
      REQ[2],
      REQ[5],
      REQ[6],
      REQ[7],
      REQ[8],
      'Content-Length: 0',
    ]);
    assert.equal(r.status, 486);
    assert.equal(r.reason, 'Busy Here');
    assert.equal(r.method, 'INVITE');
    assert.equal(r.via.length, 2);
  });

  it('adds the To tag when asked and To has none (§8.2.6.2); keeps an existing tag', () => {
    const r = createResponse(request(), 180, undefined, { toTag: 'as83kd9bs' });
    assert.equal(r.to?.tag, 'as83kd9bs');
    const wire = parseMessage(serializeMessage(r));
    assert.equal(wire.to?.tag, 'as83kd9bs');
    assert.equal(wire.getHeader('to'), 'Bob <sip:bob@biloxi.com>;tag=as83kd9bs');
    const inDialog = parseMessage(
      `${REQ.join('\r\n').replace('To: Bob <sip:bob@biloxi.com>', 'To: <sip:bob@biloxi.com>;tag=old')}\r\n\r\n`,
    );
    assert.equal(createResponse(inDialog, 200, undefined, { toTag: 'new' }).to?.tag, 'old');
  });

  it('copies Record-Route for 101-299 when asked (§12.1.1), Timestamp for 100 (§8.2.6.1)', () => {
    assert.ok(
      headLines(serializeMessage(createResponse(request(), 200, 'OK', { copyRecordRoute: true }))).includes(
        REQ[4],
      ),
    );
    assert.ok(
      !headLines(
        serializeMessage(createResponse(request(), 404, undefined, { copyRecordRoute: true })),
      ).includes(REQ[4]),
    );
    assert.ok(headLines(serializeMessage(createResponse(request(), 100))).includes(REQ[9]));
    assert.ok(!headLines(serializeMessage(createResponse(request(), 180))).includes(REQ[9]));
  });

  it('custom reason, extra headers and a body with Content-Type/Length', () => {
    const r = createResponse(request(), 200, 'Fine', {
      headers: [['Allow', 'INVITE, ACK']],
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    const wire = parseMessage(serializeMessage(r));
    assert.equal(wire.reason, 'Fine');
    assert.deepEqual(wire.allow, ['INVITE', 'ACK']);
    assert.equal(wire.contentType?.mediaType, 'application/sdp');
    assert.equal(Buffer.from(wire.body).toString(), 'v=0\r\n');
  });

  it('responses to a proxied request copy the new Via too', () => {
    const req = request();
    req.addHeader('Via', 'SIP/2.0/UDP me.example.com;branch=z9hG4bKme', { position: 'first' });
    const r = parseMessage(serializeMessage(createResponse(req, 200)));
    assert.deepEqual(
      r.via.map((v) => v.host),
      ['me.example.com', 'proxy.example.com', 'pc33.atlanta.com'],
    );
  });

  it('rejects bad status codes and responses as input', () => {
    assert.throws(() => createResponse(request(), 99), RangeError);
    assert.throws(() => createResponse(request(), 700), RangeError);
    assert.throws(() => createResponse(createResponse(request(), 200), 200), TypeError);
  });
});

describe('createRequest (RFC 3261 §8.1.1)', () => {
  let n = 0;
  const random = () => `r${++n}`;

  it('builds a request that parses back with every mandatory header', () => {
    const m = createRequest({
      method: 'OPTIONS',
      requestUri: 'sip:bob@biloxi.com',
      from: 'Alice <sip:alice@atlanta.com>',
      to: {
        uri: { kind: 'sip', scheme: 'sip', user: 'bob', host: 'biloxi.com', params: new Map(), headers: [] },
        params: new Map(),
      },
      via: `SIP/2.0/UDP pc33.atlanta.com;branch=${newBranch(random)}`,
      contact: '<sip:alice@pc33.atlanta.com>',
      random,
    });
    const wire = parseMessage(serializeMessage(m));
    assert.equal(wire.method, 'OPTIONS');
    assert.equal(wire.requestUri, 'sip:bob@biloxi.com');
    assert.equal(wire.via[0].branch, 'z9hG4bKr1');
    assert.equal(wire.from?.tag, 'r2');
    assert.equal(wire.callId, 'r3');
    assert.deepEqual(wire.cseq, { seq: 1, method: 'OPTIONS' });
    assert.equal(wire.maxForwards, 70);
    assert.equal(wire.to?.uri.kind === 'sip' && wire.to.uri.user, 'bob');
    assert.equal(wire.contentLength, 0);
  });

  it('keeps a given From tag, Call-ID and CSeq; adds routes and a body', () => {
    const m = createRequest({
      method: 'INVITE',
      requestUri: 'sip:bob@biloxi.com',
      from: '<sip:alice@atlanta.com>;tag=abc',
      to: '<sip:bob@biloxi.com>',
      callId: 'call-1',
      cseq: 7,
      route: ['<sip:p1.example.com;lr>'],
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    const wire = parseMessage(serializeMessage(m));
    assert.equal(wire.from?.tag, 'abc');
    assert.equal(wire.callId, 'call-1');
    assert.equal(wire.cseq?.seq, 7);
    assert.equal(wire.route.length, 1);
    assert.equal(wire.contentLength, 5);
  });

  it('rejects a bad method or Request-URI', () => {
    assert.throws(() =>
      createRequest({ method: 'IN VITE', requestUri: 'sip:a@b', from: '<sip:a@b>', to: '<sip:a@b>' }),
    );
    assert.throws(() =>
      createRequest({ method: 'INVITE', requestUri: 'sip:a@b c', from: '<sip:a@b>', to: '<sip:a@b>' }),
    );
  });

  it('newBranch starts with the magic cookie (§8.1.1.7)', () => {
    assert.ok(newBranch().startsWith('z9hG4bK'));
    assert.notEqual(newBranch(), newBranch());
  });
});

describe('createResponse with extra headers, a body and a Content-Type', () => {
  // The oracle: the same response built by the general editing API, as createResponse did before
  // it wrote these entries straight into the index.
  const edited = (
    status: number,
    headers: ReadonlyArray<readonly [string, string]>,
    body: string | undefined,
    contentType: string | undefined,
  ) => {
    const r = createResponse(request(), status, undefined, { toTag: 't1' });
    r.removeFirstHeader('Content-Length');
    for (const [n, v] of headers) r.addHeader(n, v);
    if (body !== undefined) r.setBody(body, contentType);
    else {
      if (contentType !== undefined) r.addHeader('Content-Type', contentType);
      r.addHeader('Content-Length', '0');
    }
    return r;
  };
  const NAMES = [
    'Contact',
    'Allow',
    'X-Thing',
    'Supported',
    'Via',
    'Content-Type',
    'Content-Length',
    'Server',
  ];
  it('serializes and reads back as the editing API builds it, for any mix', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(180, 200, 486),
        fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.string({ unit: 'grapheme', maxLength: 12 })), {
          maxLength: 4,
        }),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
        fc.option(fc.constantFrom('application/sdp', 'text/plain;charset=utf-8'), { nil: undefined }),
        (status, headers, body, contentType) => {
          const clean = headers.map(([n, v]) => [n, v.replace(/[\r\n]/g, ' ')] as const);
          const got = createResponse(request(), status, undefined, {
            toTag: 't1',
            headers: clean,
            ...(body === undefined ? {} : { body }),
            ...(contentType === undefined ? {} : { contentType }),
          });
          const want = edited(status, clean, body, contentType);
          assert.deepEqual(Buffer.from(serializeMessage(got)), Buffer.from(serializeMessage(want)));
          assert.equal(got.contentLength, want.contentLength);
          assert.equal(got.to?.tag, 't1');
        },
      ),
    );
  });
});
