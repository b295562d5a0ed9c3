import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expandIPv6, isIPv4, isIPv6, isNumericHost, sameHost, stripBrackets } from './ip.js';

describe('ip helpers', () => {
  it('accepts and rejects IPv4 like node:net', () => {
    for (const s of ['0.0.0.0', '127.0.0.1', '255.255.255.255', '192.0.2.1']) assert.ok(isIPv4(s), s);
    for (const s of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1..2.3', '', 'a.b.c.d', '1.2.3.4 ', '1234.1.1.1']) {
      assert.ok(!isIPv4(s), s);
    }
  });

  it('agrees with node:net on generated IPv4 and IPv6 addresses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (s) => {
        assert.equal(isIPv4(s), isIP(s) === 4, s);
        assert.equal(isIPv6(s), isIP(s) === 6, s);
      }),
    );
  });

  it('agrees with node:net that near-miss strings are not IPv6', () => {
    for (const s of [
      ':::',
      '1:',
      ':1',
      '1::2::3',
      '12345::',
      '1:2:3:4:5:6:7:8:9',
      'g::1',
      '::1.2.3',
      'example.com',
    ]) {
      assert.equal(isIPv6(s), isIP(s) === 6, s);
    }
  });

  it('expands IPv6 forms to 8 groups', () => {
    assert.deepEqual(expandIPv6('::1'), [0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(expandIPv6('2001:db8::'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(expandIPv6('::ffff:192.0.2.1'), [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
  });

  it('compares hosts: IPv6 by value, names case-insensitively, brackets ignored', () => {
    assert.ok(sameHost('[::1]', '0:0:0:0:0:0:0:1'));
    assert.ok(sameHost('2001:DB8::1', '[2001:db8:0::1]'));
    assert.ok(sameHost('Example.COM', 'example.com'));
    assert.ok(!sameHost('192.0.2.1', '192.0.2.2'));
    assert.ok(!sameHost('::1', '::2'));
    assert.equal(stripBrackets('[::1]'), '::1');
    assert.ok(isNumericHost('[::1]') && isNumericHost('10.0.0.1') && !isNumericHost('host'));
  });
});
