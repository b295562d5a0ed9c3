import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { responseTarget, stampVia } from './via-received.js';

const src = { address: '192.0.2.4', port: 40000 };

describe('stampVia (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('adds received when the sent-by host differs from the source (§18.2.1)', () => {
    assert.equal(
      stampVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776', src),
      'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776;received=192.0.2.4',
    );
  });

  it('adds received when sent-by is a domain name (§18.2.1)', () => {
    assert.equal(
      stampVia('SIP/2.0/TCP pc33.example.com;branch=z9hG4bKx', src),
      'SIP/2.0/TCP pc33.example.com;branch=z9hG4bKx;received=192.0.2.4',
    );
  });

  it('leaves the value alone when the host matches and there is no rport', () => {
    const v = 'SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1';
    assert.equal(stampVia(v, src), v);
  });

  it('fills an empty rport with the source port and adds received even when the host matches (RFC 3581 §4)', () => {
    assert.equal(
      stampVia('SIP/2.0/UDP 192.0.2.4:5060;rport;branch=z9hG4bK1', src),
      'SIP/2.0/UDP 192.0.2.4:5060;rport=40000;branch=z9hG4bK1;received=192.0.2.4',
    );
  });

  it('RFC 3581 §4 example: rport and received filled', () => {
    assert.equal(
      stampVia('SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff', {
        address: '192.0.2.1',
        port: 9988,
      }),
      'SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1',
    );
  });

  it('keeps an rport that already has a value', () => {
    assert.equal(
      stampVia('SIP/2.0/UDP 10.0.0.1;rport=1234;branch=z9hG4bK1', src),
      'SIP/2.0/UDP 10.0.0.1;rport=1234;branch=z9hG4bK1;received=192.0.2.4',
    );
  });

  it('replaces an existing received value in place', () => {
    assert.equal(
      stampVia('SIP/2.0/UDP 10.0.0.1;received=1.2.3.4;branch=z9hG4bK1', src),
      'SIP/2.0/UDP 10.0.0.1;received=192.0.2.4;branch=z9hG4bK1',
    );
  });

  it('IPv6: compares by value, writes received without brackets (RFC 5118 §4.5)', () => {
    const v6 = { address: '2001:db8::9', port: 5062 };
    assert.equal(
      stampVia('SIP/2.0/UDP [2001:DB8:0::9]:5062;branch=z9hG4bK1', v6),
      'SIP/2.0/UDP [2001:DB8:0::9]:5062;branch=z9hG4bK1',
    );
    assert.equal(
      stampVia('SIP/2.0/UDP [::1]:5062;rport;branch=z9hG4bK1', v6),
      'SIP/2.0/UDP [::1]:5062;rport=5062;branch=z9hG4bK1;received=2001:db8::9',
    );
  });

  it('works on the top via-parm only, keeping the rest byte for byte', () => {
    assert.equal(
      stampVia('SIP/2.0/UDP 10.0.0.1 ; rport ; branch=z9hG4bK1 , SIP/2.0/UDP 10.0.0.2;rport', src),
      'SIP/2.0/UDP 10.0.0.1 ; rport=40000 ; branch=z9hG4bK1;received=192.0.2.4 , SIP/2.0/UDP 10.0.0.2;rport',
    );
  });

  it('handles LWS inside sent-protocol and quoted parameter values', () => {
    assert.equal(
      stampVia('SIP / 2.0 / UDP 10.0.0.1;x="a;b,c";rport', src),
      'SIP / 2.0 / UDP 10.0.0.1;x="a;b,c";rport=40000;received=192.0.2.4',
    );
  });

  it('returns a malformed value unchanged', () => {
    for (const v of [
      '',
      'garbage',
      'SIP/2.0/UDP',
      'SIP/2.0/UDP [::1',
      'SIP/2.0/UDP h:99999',
      'SIP/2.0/UDP h;x="open',
    ]) {
      assert.equal(stampVia(v, src), v);
    }
  });

  const arbHost = fc.oneof(
    fc.ipV4(),
    fc.ipV6().map((a) => `[${a}]`),
    fc.domain(),
  );
  const arbParam = fc.oneof(
    fc.constant('rport'),
    fc.integer({ min: 1, max: 65535 }).map((p) => `rport=${p}`),
    fc.stringMatching(/^[a-zA-Z0-9]{1,10}$/).map((b) => `branch=z9hG4bK${b}`),
    fc.constant('ttl=16'),
    fc.constant('lr'),
    fc.constant('x="q;,"'),
  );
  const arbVia = fc.record({
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'udp'),
    host: arbHost,
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    params: fc.uniqueArray(arbParam, { selector: (p) => p.split('=')[0], maxLength: 4 }),
  });
  const arbSource = fc.record({
    address: fc.oneof(fc.ipV4(), fc.ipV6()),
    port: fc.integer({ min: 1, max: 65535 }),
  });

  it('property: received is the source when required, rport filled, other params kept in order, idempotent', () => {
    fc.assert(
      fc.property(arbVia, arbSource, (v, s) => {
        const via = `SIP/2.0/${v.transport} ${v.host}${v.port ? `:${v.port}` : ''}${v.params.map((p) => `;${p}`).join('')}`;
        const out = stampVia(via, s);
        // Everything before the first ';' (sent-protocol and sent-by) is untouched.
        assert.equal(out.split(';')[0], via.split(';')[0]);
        const params = out.slice(out.indexOf(';') + 1).split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
        const byName = new Map(params.map((p) => [p.split('=')[0], p.split('=').slice(1).join('=')]));
        const hadEmptyRport = v.params.includes('rport');
        if (hadEmptyRport) assert.equal(byName.get('rport'), String(s.port));
        // Independent oracle for "same host": the WHATWG URL parser's canonical host form.
        const canon = (h: string) =>
          new URL(`http://${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}/`).hostname;
        const hostDiffers = canon(v.host) !== canon(s.address);
        assert.equal(byName.has('received'), hadEmptyRport || hostDiffers);
        if (!hadEmptyRport && !hostDiffers) assert.equal(out, via);
        if (byName.has('received')) assert.equal(byName.get('received'), s.address);
        // Parameters other than rport/received keep their order and text.
        const others = (xs: string[]) =>
          xs.filter((p) => !p.startsWith('rport') && !p.startsWith('received'));
        assert.deepEqual(others(params), others(v.params));
        assert.equal(stampVia(out, s), out);
      }),
    );
  });
});

describe('responseTarget (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('received + rport: the source address and port', () => {
    assert.deepEqual(
      responseTarget('SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bK1;received=192.0.2.1'),
      {
        transport: 'UDP',
        host: '192.0.2.1',
        port: 9988,
        rule: 'received',
      },
    );
  });

  it('received without rport: sent-by port, or 5060', () => {
    assert.equal(responseTarget('SIP/2.0/UDP h:5070;received=192.0.2.1')?.port, 5070);
    assert.equal(responseTarget('SIP/2.0/UDP h;received=192.0.2.1')?.port, 5060);
  });

  it('maddr wins over received', () => {
    const t = responseTarget('SIP/2.0/UDP h:5070;maddr=239.1.1.1;received=192.0.2.1');
    assert.deepEqual(t, { transport: 'UDP', host: '239.1.1.1', port: 5070, rule: 'maddr' });
  });

  it('sent-by with the TLS default port 5061; IPv6 unbracketed', () => {
    assert.deepEqual(responseTarget('SIP/2.0/TLS [2001:db8::1]'), {
      transport: 'TLS',
      host: '2001:db8::1',
      port: 5061,
      rule: 'sent-by',
    });
    assert.equal(responseTarget('nonsense'), undefined);
  });

  it('stampVia then responseTarget sends back to the packet source', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (address, port) => {
        const t = responseTarget(
          stampVia('SIP/2.0/UDP client.invalid:5060;rport;branch=z9hG4bK9', { address, port }),
        );
        assert.deepEqual(t, { transport: 'UDP', host: address, port, rule: 'received' });
      }),
    );
  });
});
