import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { databaseTarget, loadConfig, PbxConfigError, validateConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvoip-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('PBX config', () => {
  it('defaults: UDP and TCP 5060, realm tsvoip, PGlite in ./data/db, MD5 and SHA-256, throttle 5/60 s/300 s', () => {
    const c = loadConfig(undefined, {});
    assert.deepEqual(c.listen, ['udp:0.0.0.0:5060', 'tcp:0.0.0.0:5060']);
    assert.equal(c.realm, 'tsvoip');
    assert.equal(databaseTarget(c), join('data', 'db'));
    assert.deepEqual(c.auth, {
      algorithms: ['MD5', 'SHA-256'],
      maxFailures: 5,
      windowSeconds: 60,
      banSeconds: 300,
    });
    assert.deepEqual(c.registrar, { minExpires: 60, maxExpires: 7200, defaultExpires: 3600 });
    assert.deepEqual(c.trusted, []);
    assert.deepEqual(c.trunks, []);
    assert.equal(c.demoUsers, true);
    assert.deepEqual(c.log, { level: 'info', sipTrace: false });
  });

  it('reads YAML, keeping defaults for what the file omits', () => {
    const p = file(
      'pbx.yaml',
      [
        'listen: [udp:127.0.0.1:15150]',
        'realm: example.org',
        'auth:',
        '  maxFailures: 3',
        'trunks:',
        '  - name: provider',
        '    address: 192.0.2.1:5060',
        '    prefixes: ["0"]',
        '    strip: 1',
      ].join('\n'),
    );
    const c = loadConfig(p, {});
    assert.deepEqual(c.listen, ['udp:127.0.0.1:15150']);
    assert.equal(c.realm, 'example.org');
    assert.equal(c.auth.maxFailures, 3);
    assert.equal(c.auth.banSeconds, 300);
    assert.equal(c.trunks[0]?.transport, 'udp');
    assert.equal(c.trunks[0]?.strip, 1);
  });

  it('reads JSON by extension', () => {
    const p = file('pbx.json', JSON.stringify({ domains: ['pbx.example'], trusted: ['10.0.0.0/8'] }));
    const c = loadConfig(p, {});
    assert.deepEqual(c.domains, ['pbx.example']);
    assert.deepEqual(c.trusted, ['10.0.0.0/8']);
  });

  it('rejects an unknown key, naming it (top level and nested)', () => {
    const top = file('bad1.yaml', 'listn: [udp:127.0.0.1:5060]\n');
    assert.throws(
      () => loadConfig(top, {}),
      (e: unknown) => e instanceof PbxConfigError && e.key === 'listn' && e.message.includes('"listn"'),
    );
    const nested = file('bad2.yaml', 'auth:\n  maxFailure: 3\n');
    assert.throws(
      () => loadConfig(nested, {}),
      (e: unknown) =>
        e instanceof PbxConfigError && e.key === 'auth.maxFailure' && e.message.includes(nested),
    );
    const inTrunk = file(
      'bad3.json',
      JSON.stringify({ trunks: [{ name: 'a', address: '1.2.3.4:5060', passwd: 'x' }] }),
    );
    assert.throws(() => loadConfig(inTrunk, {}), /unknown key "trunks\.\[0\]\.passwd"/);
  });

  it('rejects bad values with the key at fault', () => {
    assert.throws(() => validateConfig({ listen: ['udp:nowhere'] }), /"listen\.\[0\]"/);
    assert.throws(() => validateConfig({ trusted: ['10.0.0.0/33'] }), /"trusted\.\[0\]"/);
    assert.throws(() => validateConfig({ log: { level: 'loud' } }), /"log\.level"/);
    assert.throws(() => loadConfig(file('bad.yaml', 'listen: [\n'), {}), PbxConfigError);
  });

  it('environment overrides the file; the command line overrides both', () => {
    const p = file('env.yaml', 'realm: file-realm\nlisten: [udp:127.0.0.1:1]\nlog: { level: warn }\n');
    const env = {
      TSVOIP_PBX_LISTEN: 'udp:127.0.0.1:15150, tcp:127.0.0.1:15150',
      TSVOIP_PBX_REALM: 'env-realm',
      TSVOIP_DATABASE: 'postgres://db.example/pbx',
      TSVOIP_PBX_TRUSTED: '127.0.0.1,::1',
      TSVOIP_SIP_TRACE: '1',
      TSVOIP_PBX_DEMO_USERS: 'false',
    };
    const c = loadConfig(p, env);
    assert.deepEqual(c.listen, ['udp:127.0.0.1:15150', 'tcp:127.0.0.1:15150']);
    assert.equal(c.realm, 'env-realm');
    assert.equal(databaseTarget(c), 'postgres://db.example/pbx');
    assert.deepEqual(c.trusted, ['127.0.0.1', '::1']);
    assert.deepEqual(c.log, { level: 'warn', sipTrace: true });
    assert.equal(c.demoUsers, false);
    const o = loadConfig(p, env, { listen: ['tcp:127.0.0.1:2'], logLevel: 'debug', dataDir: '/tmp/x' });
    assert.deepEqual(o.listen, ['tcp:127.0.0.1:2']);
    assert.equal(o.log.level, 'debug');
    assert.equal(o.dataDir, '/tmp/x');
    assert.equal(loadConfig(undefined, { ...env, TSVOIP_CONFIG: p }).log.level, 'warn');
  });

  it('YAML and JSON of the same configuration load alike (property)', () => {
    const arb = fc.record(
      {
        realm: fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/),
        domains: fc.array(fc.domain(), { maxLength: 3 }),
        demoUsers: fc.boolean(),
        auth: fc.record({
          maxFailures: fc.integer({ min: 1, max: 100 }),
          banSeconds: fc.integer({ min: 1, max: 9999 }),
        }),
      },
      { requiredKeys: [] },
    );
    let n = 0;
    fc.assert(
      fc.property(arb, (raw) => {
        n++;
        const y = loadConfig(file(`p${n}.yaml`, stringify(raw)), {});
        const j = loadConfig(file(`p${n}.json`, JSON.stringify(raw)), {});
        assert.deepEqual(y, j);
        if (raw.realm !== undefined) assert.equal(y.realm, raw.realm);
      }),
      { numRuns: 40 },
    );
  });
});
