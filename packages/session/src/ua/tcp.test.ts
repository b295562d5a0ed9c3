import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { UserAgentConfigError, UserAgentError } from './errors.js';
import type { IncomingCall } from './incoming-call.js';
import { startRegistrar } from './registrar.test-helper.js';
import {
  capture,
  created,
  makeUa,
  sleep,
  toneFrames,
  toneMarginDb,
  uriOf,
  waitFor,
} from './ua.test-helper.js';
import { createUserAgent } from './user-agent.js';

const registrars: Array<{ close(): Promise<void> }> = [];
after(async () => {
  await Promise.all(created.map((ua) => ua.close({ timeoutMs: 500 })));
  await Promise.all(registrars.map((r) => r.close()));
});

describe('user agents over TCP on 127.0.0.1 (RFC 3261 §18)', () => {
  it('calls over TCP: Contact and Via say TCP, a tone each way, BYE over TCP', async () => {
    const alice = await makeUa('alice-tcp', 46000, { sip: { host: '127.0.0.1', port: 0, transport: 'tcp' } });
    const bob = await makeUa('bob-tcp', 46100, { sip: { host: '127.0.0.1', port: 0, transport: 'tcp' } });
    assert.deepEqual(
      alice.listening.map((a) => a.transport),
      ['TCP'],
    );
    // RFC 3261 §19.1.4: a TCP-only UA says so in its Contact.
    assert.match(alice.contactUri, /;transport=tcp$/);
    // Neither UA has a UDP socket: the call can only go over TCP.
    const arriving = waitFor<[IncomingCall]>(bob, 'incoming');
    const calling = alice.call(uriOf(bob));
    const [inc] = await arriving;
    // RFC 3261 §18.1.1: the Via names the transport the request was sent on.
    assert.equal(inc.invite.request.via[0]?.transport, 'TCP');
    assert.match(inc.invite.request.getHeader('Contact') ?? '', /;transport=tcp/);
    const b = await inc.accept();
    const a = await calling;
    assert.equal(a.state, 'active');
    const heardByB = capture(b);
    const heardByA = capture(a);
    await sleep(100);
    heardByA.reset();
    heardByB.reset();
    await Promise.all([
      a.play(toneFrames(1000, 8000, 600), { sampleRate: 8000 }),
      b.play(toneFrames(1600, 8000, 600), { sampleRate: 8000 }),
    ]);
    await sleep(200);
    assert.ok(
      toneMarginDb(heardByB.samples(), 1000, [1600, 500, 2000], heardByB.rate()) > 20,
      'bob hears 1 kHz',
    );
    assert.ok(
      toneMarginDb(heardByA.samples(), 1600, [1000, 500, 2000], heardByA.rate()) > 20,
      'alice hears 1.6 kHz',
    );
    const bEnded = b.ended();
    await a.hangup();
    assert.equal(await bEnded, 'remote-bye');
  });

  it('a UDP-preferred UA reaches a ;transport=tcp target over TCP', async () => {
    const carol = await makeUa('carol-both', 46200, {
      sip: { host: '127.0.0.1', port: 0, transport: ['udp', 'tcp'] },
    });
    const dave = await makeUa('dave-tcp', 46300, { sip: { host: '127.0.0.1', port: 0, transport: 'tcp' } });
    assert.deepEqual(
      carol.listening.map((a) => `${a.transport}:${a.port}`),
      [`UDP:${carol.address.port}`, `TCP:${carol.address.port}`],
      'both transports on one port',
    );
    assert.doesNotMatch(carol.contactUri, /transport=/, 'UDP preferred: a plain Contact');
    const arriving = waitFor<[IncomingCall]>(dave, 'incoming');
    const calling = carol.call(uriOf(dave));
    const [inc] = await arriving;
    assert.equal(inc.invite.request.via[0]?.transport, 'TCP');
    const d = await inc.accept();
    const c = await calling;
    // Dave's BYE goes to Carol's plain Contact: UDP (RFC 3263 §4.1), which she listens on too.
    const cEnded = c.ended();
    await d.hangup();
    assert.equal(await cEnded, 'remote-bye');
  });

  it('a target on a transport the UA does not listen on fails before sending anything', async () => {
    const erin = await makeUa('erin-udp', 46400);
    const err = await erin.call('sip:nobody@127.0.0.1:5999;transport=tcp').catch((e: unknown) => e);
    assert.ok(err instanceof UserAgentError);
    assert.match(err.message, /no TCP transport/);
    assert.equal(erin.calls.size, 0);
  });

  it('rejects a transport listed twice', async () => {
    await assert.rejects(
      createUserAgent({ uri: 'sip:a@127.0.0.1', sip: { port: 0, transport: ['tcp', 'tcp'] } }),
      (e: unknown) => e instanceof UserAgentConfigError && e.path === 'sip.transport',
    );
  });

  it('registers over TCP with digest auth and unregisters on close', async () => {
    const registrar = await startRegistrar(60, 'tcp');
    registrars.push(registrar);
    const frank = await makeUa('alice', 46500, {
      sip: { host: '127.0.0.1', port: 0, transport: 'tcp' },
      registrar: registrar.uri,
      auth: { username: 'alice', password: 'wonderland' },
    });
    assert.equal(await frank.register(), 60);
    assert.equal(registrar.bindings.get('sip:alice@127.0.0.1'), frank.contactUri);
    assert.match(frank.contactUri, /;transport=tcp$/);
    assert.deepEqual(
      registrar.log.map((l) => [l.authorized, l.via]),
      [
        [false, 'TCP'],
        [true, 'TCP'],
      ],
    );
    assert.ok(
      registrar.log.every((l) => l.connectionId !== undefined),
      'received on a TCP connection',
    );
    await frank.close();
    assert.equal(registrar.bindings.size, 0, 'close() unregistered over TCP');
  });
});
