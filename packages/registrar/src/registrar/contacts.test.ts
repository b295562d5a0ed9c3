import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUri } from '@tsvoip/sip';
import fc from 'fast-check';
import { canonicalAor } from './aor.js';
import { formatQValue, normalizeContactUri, parseQValue } from './contacts.js';

describe('q-values (RFC 3261 §20.10)', () => {
  it('parses the qvalue grammar and rejects anything else', () => {
    assert.equal(parseQValue('1'), 1);
    assert.equal(parseQValue('1.000'), 1);
    assert.equal(parseQValue('0'), 0);
    assert.equal(parseQValue('0.5'), 0.5);
    assert.equal(parseQValue('0.125'), 0.125);
    assert.equal(parseQValue('0.'), 0);
    for (const bad of ['', '1.5', '1.001', '2', '0.1234', '.5', '0,5', 'x', '-0']) {
      assert.equal(parseQValue(bad), undefined, bad);
    }
  });

  it('property: formatQValue then parseQValue gives back every value in thousandths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (millis) => {
        const q = millis / 1000;
        const text = formatQValue(q);
        assert.equal(parseQValue(text), q);
        assert.ok(text.length <= 5);
      }),
    );
  });
});

describe('AoR canonical form (RFC 3261 §10.3 step 5)', () => {
  it('drops parameters, port and password, decodes escapes and lower-cases the host', () => {
    const a = canonicalAor(parseUri('sips:%41lice:pw@Example.COM:5061;user=phone;transport=tcp'));
    assert.deepEqual(a, { aor: 'sips:Alice@example.com', user: 'Alice', domain: 'example.com' });
    assert.equal(canonicalAor(parseUri('sip:example.com')), undefined);
    assert.equal(canonicalAor(parseUri('tel:+15551234')), undefined);
  });

  it('property: URIs that differ only in host case, escapes of the user and parameters share one AoR', () => {
    const user = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    const host = fc.stringMatching(/^[a-z]{1,10}\.[a-z]{2,5}$/);
    fc.assert(
      fc.property(user, host, fc.boolean(), fc.boolean(), (u, h, upper, escaped) => {
        const first = u.charCodeAt(0).toString(16).toUpperCase();
        const written = `sip:${escaped ? `%${first}${u.slice(1)}` : u}@${upper ? h.toUpperCase() : h};user=ip`;
        assert.equal(canonicalAor(parseUri(written))?.aor, `sip:${u}@${h}`);
      }),
    );
  });
});

describe('Contact URI normal form', () => {
  it('lower-cases scheme and host, keeps user, port and parameters', () => {
    assert.equal(
      normalizeContactUri(parseUri('SIP:Bob@Phone.Example:5062;transport=TCP')),
      'sip:Bob@phone.example:5062;transport=TCP',
    );
  });
});
