/**
 * RFC 4475 torture messages fed to a core as datagrams: the transaction, application and backward
 * cases of the manifest (packages/sip/src/fixtures/torture-manifest.json) get the response the
 * manifest names, from the stack's intake (RFC 3261 §8.2) or from the simple TU below.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createResponse, type SipMessage } from '@tsvoip/sip';
import { SimNetwork } from '@tsvoip/transport';
import { SimDriver, type SimEventHandler } from '../drivers/sim-driver.js';
import { addr, makeStack, parsed, RAW } from '../testing.test-helper.js';

interface Entry {
  file: string;
  section: string | null;
  expect: string;
  response?: number | null;
  alt_responses?: number[];
}

const fixtures = new URL('../../../sip/src/fixtures/', import.meta.url);
const manifest: Entry[] = JSON.parse(readFileSync(new URL('torture-manifest.json', fixtures), 'utf8'));
const UA = '192.0.2.200';

/**
 * A simple UA/registrar TU: REGISTER needs a SIP(S) To (else 400), refuses credentials of a scheme
 * it does not know with a new challenge (401); INVITE needs an SDP body it can read (415) and an
 * Accept that allows SDP (406); everything else gets 200.
 */
function statusFor(req: SipMessage): [number, Array<[string, string]>] {
  if (req.method === 'REGISTER') {
    const scheme = req.to?.uri.scheme;
    if (scheme !== 'sip' && scheme !== 'sips') return [400, []];
    const auth = req.authorization[0];
    if (auth !== undefined && auth.scheme.toLowerCase() !== 'digest') {
      return [401, [['WWW-Authenticate', 'Digest realm="example.com", nonce="n1", qop="auth"']]];
    }
  }
  if (req.method === 'INVITE') {
    const type = req.contentType?.mediaType;
    if (req.body.length > 0 && type !== 'application/sdp') return [415, [['Accept', 'application/sdp']]];
    const accept = req.getHeaders('Accept');
    if (accept.length > 0 && !accept.some((a) => a.toLowerCase().startsWith('application/sdp'))) {
      return [406, [['Accept', 'application/sdp']]];
    }
  }
  return [200, []];
}

const tu: SimEventHandler = (event, node, now) => {
  if (event.type !== 'request') return;
  const [status, headers] = statusFor(event.request);
  node.stack.sendResponse(
    event.transactionId,
    createResponse(event.request, status, undefined, { toTag: 'tu', headers }),
    now,
  );
};

/** Feeds one fixture from a raw peer; returns the responses the peer received and the TU's requests. */
function feed(file: string): { statuses: number[]; tuSaw: number } {
  const network = new SimNetwork();
  const driver = new SimDriver(network);
  const node = driver.add(
    makeStack(UA, {
      localAddresses: [addr(UA, 'UDP')],
      allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER'],
    }),
    [addr(UA, 'UDP')],
    tu,
  );
  const peer = addr(RAW);
  network.bind(peer);
  network.send(peer, addr(UA), readFileSync(new URL(file, fixtures)), 0);
  driver.advance(100);
  return {
    statuses: parsed(network.drain(peer)).map((d) => d.msg.status),
    tuSaw: node.events.filter((e) => e.event.type === 'request').length,
  };
}

describe('RFC 4475 torture messages through the stack core', () => {
  const cases = manifest.filter((e) => ['transaction', 'application', 'backward'].includes(e.expect));
  it('covers every transaction, application and backward entry of the manifest', () => {
    assert.equal(cases.length, 17);
  });
  for (const e of cases) {
    it(`${e.file} (RFC 4475 §${e.section}, ${e.expect})`, () => {
      const { statuses, tuSaw } = feed(e.file);
      if (e.file.endsWith('zeromf.dat')) {
        // RFC 4475 §3.3.11: the 483 is a proxy's answer; "an endpoint receiving this request
        // would process it normally": our UA answers the OPTIONS.
        assert.deepEqual(statuses, [200]);
        return;
      }
      if (e.file.endsWith('bcast.dat')) {
        // RFC 4475 §3.3.10: a response with a broadcast Via is discarded (RFC 3261 §8.1.3.3, §18.1.2).
        assert.deepEqual(statuses, []);
        assert.equal(tuSaw, 0);
        return;
      }
      if (e.response === null) {
        // RFC 4475 §3.3.9 mcl01: "respond with an error" (no code given).
        assert.equal(statuses.length, 1);
        assert.ok(statuses[0] >= 400 && statuses[0] < 500, `got ${statuses}`);
        return;
      }
      if (e.expect === 'backward') {
        // RFC 4475 §3.4.1: RFC 2543 syntax is accepted and reaches the TU.
        assert.equal(tuSaw, 1);
        assert.deepEqual(statuses, [200]);
        return;
      }
      const allowed = [e.response, ...(e.alt_responses ?? [])];
      assert.equal(statuses.length, 1, `one response expected, got ${statuses}`);
      assert.ok(allowed.includes(statuses[0]), `${e.file}: got ${statuses[0]}, expected one of ${allowed}`);
    });
  }

  it('answers the malformed requests it can address: badvers 505, mismatch02 501, clerr 400; drops badinv01', () => {
    const expected: Array<[string, number[]]> = [
      ['rfc4475/badvers.dat', [505]],
      ['rfc4475/mismatch01.dat', [400]],
      ['rfc4475/mismatch02.dat', [501]],
      ['rfc4475/clerr.dat', [400]],
      ['rfc4475/ncl.dat', [400]],
      // The Via itself is broken: no address to answer to (RFC 3261 §18.2.2).
      ['rfc4475/badinv01.dat', []],
      // A response with an out-of-range status code is dropped (RFC 4475 §3.1.2.19).
      ['rfc4475/bigcode.dat', []],
    ];
    for (const [file, statuses] of expected) assert.deepEqual(feed(file).statuses, statuses, file);
  });
});
