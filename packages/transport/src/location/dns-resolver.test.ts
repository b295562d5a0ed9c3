import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ResolverError } from '../errors.js';
import { type DnsBackend, DnsResolver, dnsErrorCode } from './dns-resolver.js';
import { startDnsServer } from './dns-test-server.js';
import { locate } from './locate.js';

const sysErr = (code: string) => Object.assign(new Error(code), { code });

function backend(over: Partial<DnsBackend>): DnsBackend {
  const fail = () => Promise.reject(sysErr('ENOTFOUND'));
  return { resolveNaptr: fail, resolveSrv: fail, resolve4: fail, resolve6: fail, ...over };
}

describe('DnsResolver over node:dns', () => {
  it('maps node:dns error codes to ResolverError codes', () => {
    assert.equal(dnsErrorCode(sysErr('ENOTFOUND')), 'not-found');
    assert.equal(dnsErrorCode(sysErr('ENODATA')), 'no-data');
    assert.equal(dnsErrorCode(sysErr('ESERVFAIL')), 'failure');
    assert.equal(dnsErrorCode(sysErr('ETIMEOUT')), 'failure');
    assert.equal(dnsErrorCode(null), 'failure');
  });

  it('renames SRV name to target and passes records through', async () => {
    const r = new DnsResolver({
      backend: backend({
        resolveSrv: async () => [{ priority: 1, weight: 2, port: 5060, name: 'pbx.example.com' }],
        resolve4: async () => ['192.0.2.1'],
      }),
    });
    assert.deepEqual(await r.srv('_sip._udp.example.com'), [
      { priority: 1, weight: 2, port: 5060, target: 'pbx.example.com' },
    ]);
    assert.deepEqual(await r.a('pbx.example.com'), ['192.0.2.1']);
  });

  it('throws a typed ResolverError carrying type, name and code', async () => {
    const r = new DnsResolver({ backend: backend({ resolve6: () => Promise.reject(sysErr('ENODATA')) }) });
    await assert.rejects(
      r.aaaa('h.example.com'),
      (e: unknown) =>
        e instanceof ResolverError &&
        e.code === 'no-data' &&
        e.rrtype === 'AAAA' &&
        e.query === 'h.example.com',
    );
    await assert.rejects(r.naptr('x'), (e: unknown) => e instanceof ResolverError && e.code === 'not-found');
  });

  it('an empty answer is no-data', async () => {
    const r = new DnsResolver({ backend: backend({ resolve4: async () => [] }) });
    await assert.rejects(r.a('x'), (e: unknown) => e instanceof ResolverError && e.code === 'no-data');
  });
});

describe('DnsResolver against a loopback DNS server (real node:dns)', () => {
  const zone = {
    naptr: {
      'example.test': [
        {
          order: 10,
          preference: 10,
          flags: 's',
          service: 'SIP+D2T',
          regexp: '',
          replacement: '_sip._tcp.example.test',
        },
        {
          order: 20,
          preference: 10,
          flags: 's',
          service: 'SIP+D2U',
          regexp: '',
          replacement: '_sip._udp.example.test',
        },
      ],
    },
    srv: {
      '_sip._tcp.example.test': [{ priority: 1, weight: 10, port: 5070, target: 'pbx.example.test' }],
      '_sip._udp.example.test': [{ priority: 1, weight: 10, port: 5060, target: 'pbx.example.test' }],
    },
    a: { 'pbx.example.test': ['192.0.2.10'] },
    aaaa: { 'pbx.example.test': ['2001:db8::10'] },
  };
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  before(async () => {
    dns = await startDnsServer(zone);
  });
  after(() => dns.close());

  it('reads NAPTR, SRV, A and AAAA records', async () => {
    const r = new DnsResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    const naptr = await r.naptr('example.test');
    assert.deepEqual(
      naptr.map((n) => [n.order, n.service, n.replacement]),
      [
        [10, 'SIP+D2T', '_sip._tcp.example.test'],
        [20, 'SIP+D2U', '_sip._udp.example.test'],
      ],
    );
    assert.deepEqual(await r.srv('_sip._tcp.example.test'), [
      { priority: 1, weight: 10, port: 5070, target: 'pbx.example.test' },
    ]);
    assert.deepEqual(await r.a('pbx.example.test'), ['192.0.2.10']);
    assert.deepEqual(await r.aaaa('pbx.example.test'), ['2001:db8::10']);
  });

  it('maps NXDOMAIN to not-found and NODATA to no-data', async () => {
    const r = new DnsResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    await assert.rejects(
      r.a('missing.example.test'),
      (e: unknown) => e instanceof ResolverError && e.code === 'not-found',
    );
    await assert.rejects(
      r.naptr('pbx.example.test'),
      (e: unknown) => e instanceof ResolverError && e.code === 'no-data',
    );
  });

  it('locate() runs RFC 3263 end to end over node:dns', async () => {
    const resolver = new DnsResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    const targets = await locate({ scheme: 'sip', host: 'example.test' }, { resolver, random: () => 0 });
    assert.deepEqual(
      targets.map((t) => `${t.transport} ${t.host} ${t.address} ${t.port}`),
      [
        'TCP pbx.example.test 192.0.2.10 5070',
        'TCP pbx.example.test 2001:db8::10 5070',
        'UDP pbx.example.test 192.0.2.10 5060',
        'UDP pbx.example.test 2001:db8::10 5060',
      ],
    );
  });
});
