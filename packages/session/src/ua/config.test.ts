import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUserAgentConfig } from './config.js';
import { UserAgentConfigError } from './errors.js';
import { createUserAgent } from './user-agent.js';

function configError(input: unknown): UserAgentConfigError {
  try {
    parseUserAgentConfig(input);
  } catch (e) {
    assert.ok(e instanceof UserAgentConfigError);
    return e;
  }
  assert.fail('the config was accepted');
}

describe('user agent configuration', () => {
  it('fills every default from the URI alone: session timers on, PCMU first, no SRTP', () => {
    const c = parseUserAgentConfig({ uri: 'sip:alice@example.com' });
    assert.deepEqual(c.sessionTimer, { sessionExpires: 1800, minSE: 90 });
    assert.equal(c.media.codecs[0], 'PCMU');
    assert.equal(c.media.srtp, 'off');
    assert.equal(c.register.expires, 600);
    assert.equal(c.sip.port, 5060);
  });

  it('rejects unknown keys, naming them', () => {
    assert.equal(configError({ uri: 'sip:a@b', colour: 'red' }).message.includes('colour'), true);
    const nested = configError({ uri: 'sip:a@b', media: { portmin: 1 } });
    assert.equal(nested.path, 'media.portmin');
  });

  it('rejects bad values with their path', () => {
    assert.equal(configError({ uri: 'http://x' }).path, 'uri');
    assert.equal(configError({ uri: 'sip:a@b', media: { codecs: ['GSM'] } }).path, 'media.codecs.0');
    assert.equal(
      configError({ uri: 'sip:a@b', media: { portMin: 30000, portMax: 20000 } }).path,
      'media.portMin',
    );
    assert.equal(configError({ uri: 'sip:a@b', register: { expires: 0 } }).path, 'register.expires');
  });

  it('media.sharedPorts: off by default, a whole number, at most the pairs of the port range', () => {
    assert.equal(parseUserAgentConfig({ uri: 'sip:a@b' }).media.sharedPorts, 0);
    const ok = parseUserAgentConfig({
      uri: 'sip:a@b',
      media: { portMin: 30001, portMax: 30006, sharedPorts: 2 },
    });
    assert.equal(ok.media.sharedPorts, 2);
    // 30001-30006 holds two even/odd pairs (30002-3, 30004-5; RFC 3550 §11), not three.
    const tooMany = configError({
      uri: 'sip:a@b',
      media: { portMin: 30001, portMax: 30006, sharedPorts: 3 },
    });
    assert.equal(tooMany.path, 'media.sharedPorts');
    assert.equal(configError({ uri: 'sip:a@b', media: { sharedPorts: -1 } }).path, 'media.sharedPorts');
    assert.equal(configError({ uri: 'sip:a@b', media: { sharedPorts: 1.5 } }).path, 'media.sharedPorts');
  });

  it('createUserAgent validates before binding anything', async () => {
    await assert.rejects(createUserAgent({ uri: 'sip:a@b', sip: { hots: 'x' } }), UserAgentConfigError);
  });
});
