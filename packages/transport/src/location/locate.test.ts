import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocateError } from '../errors.js';
import { createPrng } from '../sim/prng.js';
import { type LocateOptions, locate } from './locate.js';
import type { LocateUri } from './select-transport.js';
import { StaticResolver, type StaticZone } from './static-resolver.js';

const uri = (
  host: string,
  extra: Partial<LocateUri> & { transport?: string; maddr?: string } = {},
): LocateUri => {
  const params = new Map<string, string | null>();
  if (extra.transport) params.set('transport', extra.transport);
  if (extra.maddr) params.set('maddr', extra.maddr);
  return { scheme: extra.scheme ?? 'sip', host, port: extra.port, params };
};

const naptr = (order: number, preference: number, service: string, replacement: string) => ({
  order,
  preference,
  flags: 's',
  service,
  regexp: '',
  replacement,
});

function run(zone: StaticZone, u: LocateUri, opts: Partial<LocateOptions> = {}) {
  const resolver = new StaticResolver(zone);
  return { resolver, result: locate(u, { resolver, random: createPrng(1), ...opts }) };
}

describe('locate: RFC 3263 §4.1 transport selection', () => {
  it('uses the transport parameter and SRV for it (§4.1, §4.2)', async () => {
    const { result, resolver } = run(
      {
        srv: { '_sip._tcp.example.com': [{ priority: 1, weight: 0, port: 5070, target: 'pbx.example.com' }] },
        a: { 'pbx.example.com': ['192.0.2.10'] },
      },
      uri('example.com', { transport: 'tcp' }),
    );
    assert.deepEqual(await result, [
      { transport: 'TCP', host: 'pbx.example.com', port: 5070, address: '192.0.2.10' },
    ]);
    assert.ok(!resolver.queries.some((q) => q.rrtype === 'NAPTR'), 'no NAPTR when the transport is given');
  });

  it('maps transport=tcp in a SIPS URI to TLS and uses _sips._tcp (RFC 3261 §26.2.2)', async () => {
    const { result } = run(
      {
        srv: {
          '_sips._tcp.example.com': [{ priority: 1, weight: 0, port: 5061, target: 'tls.example.com' }],
        },
        a: { 'tls.example.com': ['192.0.2.11'] },
      },
      uri('example.com', { scheme: 'sips', transport: 'tcp' }),
    );
    assert.deepEqual(await result, [
      { transport: 'TLS', host: 'tls.example.com', port: 5061, address: '192.0.2.11' },
    ]);
  });

  it('rejects a transport parameter outside the supported set', async () => {
    const { result } = run({}, uri('example.com', { transport: 'ws' }));
    await assert.rejects(
      result,
      (e: unknown) => e instanceof LocateError && e.code === 'unsupported-transport',
    );
    const { result: r2 } = run({}, uri('example.com', { scheme: 'sips', transport: 'udp' }));
    await assert.rejects(r2, (e: unknown) => e instanceof LocateError && e.code === 'unsupported-transport');
  });

  it('numeric IPv4 TARGET: UDP for SIP, TLS for SIPS, no DNS (§4.1)', async () => {
    const a = run({}, uri('192.0.2.1'));
    assert.deepEqual(await a.result, [
      { transport: 'UDP', host: '192.0.2.1', port: 5060, address: '192.0.2.1' },
    ]);
    assert.equal(a.resolver.queries.length, 0);
    const b = run({}, uri('192.0.2.1', { scheme: 'sips', port: 6000 }));
    assert.deepEqual(await b.result, [
      { transport: 'TLS', host: '192.0.2.1', port: 6000, address: '192.0.2.1' },
    ]);
  });

  it('numeric IPv6 reference [::1]: brackets removed from the address (§4.1)', async () => {
    const a = run({}, uri('[::1]', { port: 5080 }));
    assert.deepEqual(await a.result, [{ transport: 'UDP', host: '::1', port: 5080, address: '::1' }]);
    const b = run({}, uri('[2001:db8::5]', { transport: 'tcp' }));
    assert.deepEqual(await b.result, [
      { transport: 'TCP', host: '2001:db8::5', port: 5060, address: '2001:db8::5' },
    ]);
  });

  it('maddr replaces the host as TARGET (§4)', async () => {
    const { result, resolver } = run({}, uri('example.com', { maddr: '198.51.100.7' }));
    assert.deepEqual(await result, [
      { transport: 'UDP', host: '198.51.100.7', port: 5060, address: '198.51.100.7' },
    ]);
    assert.equal(resolver.queries.length, 0);
  });

  it('a name with an explicit port: A/AAAA only, UDP (§4.1, §4.2)', async () => {
    const { result, resolver } = run(
      { a: { 'pbx.example.com': ['192.0.2.20'] }, aaaa: { 'pbx.example.com': ['2001:db8::20'] } },
      uri('pbx.example.com', { port: 5090 }),
    );
    assert.deepEqual(await result, [
      { transport: 'UDP', host: 'pbx.example.com', port: 5090, address: '192.0.2.20' },
      { transport: 'UDP', host: 'pbx.example.com', port: 5090, address: '2001:db8::20' },
    ]);
    assert.deepEqual(
      resolver.queries.map((q) => q.rrtype).sort(),
      ['A', 'AAAA'],
      'neither NAPTR nor SRV with an explicit port',
    );
  });

  it('family preference orders or filters the addresses', async () => {
    const zone = { a: { h: ['192.0.2.1'] }, aaaa: { h: ['2001:db8::1'] } };
    const six = await run(zone, uri('h', { port: 1 }), { family: 'ipv6-first' }).result;
    assert.deepEqual(
      six.map((t) => t.address),
      ['2001:db8::1', '192.0.2.1'],
    );
    const only4 = await run(zone, uri('h', { port: 1 }), { family: 'ipv4' }).result;
    assert.deepEqual(
      only4.map((t) => t.address),
      ['192.0.2.1'],
    );
  });

  it('NAPTR: ordered by order then preference, unsupported services dropped (§4.1)', async () => {
    const { result } = run(
      {
        naptr: {
          'example.com': [
            naptr(20, 10, 'SIP+D2U', '_sip._udp.example.com'),
            naptr(10, 20, 'SIP+D2T', '_sip._tcp.example.com'),
            naptr(10, 10, 'SIPS+D2T', '_sips._tcp.example.com'),
            naptr(5, 10, 'SIP+D2W', '_sip._ws.example.com'),
            naptr(1, 1, 'E2U+sip', 'nothing.example.com'),
          ],
        },
        srv: {
          '_sip._udp.example.com': [{ priority: 0, weight: 0, port: 5060, target: 'u.example.com' }],
          '_sip._tcp.example.com': [{ priority: 0, weight: 0, port: 5060, target: 't.example.com' }],
          '_sips._tcp.example.com': [{ priority: 0, weight: 0, port: 5061, target: 's.example.com' }],
          '_sip._ws.example.com': [{ priority: 0, weight: 0, port: 80, target: 'w.example.com' }],
        },
        a: {
          'u.example.com': ['192.0.2.1'],
          't.example.com': ['192.0.2.2'],
          's.example.com': ['192.0.2.3'],
          'w.example.com': ['192.0.2.4'],
        },
      },
      uri('example.com'),
    );
    assert.deepEqual(
      (await result).map((t) => `${t.transport} ${t.host}:${t.port}`),
      ['TLS s.example.com:5061', 'TCP t.example.com:5060', 'UDP u.example.com:5060'],
    );
  });

  it('NAPTR with WS supported: SIP+D2W selected (RFC 7118 §8)', async () => {
    const { result } = run(
      {
        naptr: { 'example.com': [naptr(5, 10, 'SIP+D2W', '_sip._ws.example.com')] },
        srv: { '_sip._ws.example.com': [{ priority: 0, weight: 0, port: 80, target: 'w.example.com' }] },
        a: { 'w.example.com': ['192.0.2.4'] },
      },
      uri('example.com'),
      { supported: ['WS', 'UDP'] },
    );
    assert.deepEqual(await result, [
      { transport: 'WS', host: 'w.example.com', port: 80, address: '192.0.2.4' },
    ]);
  });

  it('NAPTR whose SRV names are empty: A/AAAA of TARGET with the NAPTR transport and its default port (§4.2)', async () => {
    const { result } = run(
      {
        naptr: { 'example.com': [naptr(10, 10, 'SIP+D2T', '_sip._tcp.example.com')] },
        a: { 'example.com': ['192.0.2.77'] },
      },
      uri('example.com'),
    );
    assert.deepEqual(await result, [
      { transport: 'TCP', host: 'example.com', port: 5060, address: '192.0.2.77' },
    ]);
  });

  it('SIPS URI keeps only SIPS+D2T / SIPS+D2W NAPTR services (§4.1)', async () => {
    const { result } = run(
      {
        naptr: {
          'example.com': [
            naptr(1, 1, 'SIP+D2U', '_sip._udp.example.com'),
            naptr(2, 1, 'SIPS+D2T', '_sips._tcp.example.com'),
          ],
        },
        srv: {
          '_sip._udp.example.com': [{ priority: 0, weight: 0, port: 5060, target: 'u.example.com' }],
          '_sips._tcp.example.com': [{ priority: 0, weight: 0, port: 5061, target: 's.example.com' }],
        },
        a: { 'u.example.com': ['192.0.2.1'], 's.example.com': ['192.0.2.3'] },
      },
      uri('example.com', { scheme: 'sips' }),
    );
    assert.deepEqual(await result, [
      { transport: 'TLS', host: 's.example.com', port: 5061, address: '192.0.2.3' },
    ]);
  });

  it('no NAPTR: SRV for _sips._tcp, _sip._tcp, _sip._udp in that order (§4.1)', async () => {
    const { result, resolver } = run(
      {
        srv: {
          '_sip._udp.example.com': [{ priority: 0, weight: 0, port: 5060, target: 'u.example.com' }],
          '_sips._tcp.example.com': [{ priority: 0, weight: 0, port: 5061, target: 's.example.com' }],
        },
        a: { 'u.example.com': ['192.0.2.1'], 's.example.com': ['192.0.2.3'] },
      },
      uri('example.com'),
    );
    assert.deepEqual(
      (await result).map((t) => t.transport),
      ['TLS', 'UDP'],
    );
    assert.deepEqual(
      resolver.queries.filter((q) => q.rrtype === 'SRV').map((q) => q.name),
      ['_sips._tcp.example.com', '_sip._tcp.example.com', '_sip._udp.example.com'],
    );
  });

  it('no NAPTR and no SRV: A/AAAA with UDP:5060 for SIP, TLS:5061 for SIPS (§4.1, §4.2)', async () => {
    const zone = { a: { 'example.com': ['192.0.2.9'] }, aaaa: { 'example.com': ['2001:db8::9'] } };
    assert.deepEqual(await run(zone, uri('example.com')).result, [
      { transport: 'UDP', host: 'example.com', port: 5060, address: '192.0.2.9' },
      { transport: 'UDP', host: 'example.com', port: 5060, address: '2001:db8::9' },
    ]);
    assert.deepEqual(
      (await run(zone, uri('example.com', { scheme: 'sips' })).result).map((t) => `${t.transport}:${t.port}`),
      ['TLS:5061', 'TLS:5061'],
    );
  });

  it('transport parameter without SRV records: A/AAAA with the default port (§4.2)', async () => {
    const { result } = run({ a: { 'example.com': ['192.0.2.9'] } }, uri('example.com', { transport: 'tls' }));
    assert.deepEqual(await result, [
      { transport: 'TLS', host: 'example.com', port: 5061, address: '192.0.2.9' },
    ]);
  });

  it('SRV target "." means the service is not available (RFC 2782)', async () => {
    const { result } = run(
      { srv: { '_sip._udp.example.com': [{ priority: 0, weight: 0, port: 0, target: '.' }] } },
      uri('example.com', { transport: 'udp' }),
    );
    await assert.rejects(result, (e: unknown) => e instanceof LocateError && e.code === 'no-targets');
  });

  it('reports a resolver failure when nothing was found, but not when something was', async () => {
    const { result } = run({ failing: ['example.com'] }, uri('example.com', { port: 5060 }));
    await assert.rejects(result, (e: unknown) => e instanceof LocateError && e.code === 'resolver-failure');
    const ok = run(
      {
        failing: ['_sip._tcp.example.com'],
        srv: { '_sip._udp.example.com': [{ priority: 0, weight: 0, port: 5060, target: 'u' }] },
        a: { u: ['192.0.2.1'] },
      },
      uri('example.com'),
    );
    assert.deepEqual(
      (await ok.result).map((t) => t.address),
      ['192.0.2.1'],
    );
  });

  it('unknown name: no-targets', async () => {
    const { result } = run({}, uri('nowhere.invalid'));
    await assert.rejects(result, (e: unknown) => e instanceof LocateError && e.code === 'no-targets');
  });
});
