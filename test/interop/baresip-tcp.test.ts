/**
 * tsvoip ⇄ baresip 1.0.0 over TCP on loopback (RFC 3261 §18), PCMU, through the UA API of
 * @tsvoip/session: each side plays its own tone (tsvoip 1 kHz, baresip 1.6 kHz) and each side's
 * recording (tsvoip's `call.record`, baresip's sndfile dump) holds the other's tone, > 20 dB above
 * every other bin (Goertzel), for at least 3 whole seconds. That the signaling went over TCP is
 * read from baresip's own SIP trace (`baresip -s`: every message with its transport) and from the
 * Via of what tsvoip received. Both UAs also listen on UDP, so TCP is what the URIs asked for,
 * not the only way left. Ports: SIP 15400-15406, RTP 24000-24199.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Call, createUserAgent, type IncomingCall, type UserAgent } from '@tsvoip/session';
import { BARESIP_HZ } from './baresip/audio.js';
import { Baresip, killAllBaresip, type TracedMessage } from './baresip/baresip.js';
import { assertTonesBothWays, playAndRecord, sleep, workDir } from './baresip/scenario.js';

const BARESIP_SIP = 15400;
const TSVOIP_SIP = 15404;
const BARESIP_RTP = '24000-24099';
const TSVOIP_RTP = { portMin: 24100, portMax: 24199 };
const CALL_MS = 4500;

const uas: UserAgent[] = [];
after(async () => {
  await Promise.allSettled(uas.map((ua) => ua.close({ timeoutMs: 500 })));
  killAllBaresip();
});

/** A tsvoip UA on UDP and TCP, `first` preferred (it goes in our Contact). */
async function startTsvoip(first: 'udp' | 'tcp'): Promise<UserAgent> {
  const ua = await createUserAgent({
    uri: 'sip:tsvoip@127.0.0.1',
    sip: {
      host: '127.0.0.1',
      port: TSVOIP_SIP,
      transport: first === 'udp' ? ['udp', 'tcp'] : ['tcp', 'udp'],
    },
    media: { address: '127.0.0.1', ...TSVOIP_RTP, codecs: ['PCMU'] },
  });
  uas.push(ua);
  return ua;
}

function startBaresip(dir: string, autoAnswer: boolean): Promise<Baresip> {
  return Baresip.start({
    dir: join(dir, 'baresip'),
    sipPort: BARESIP_SIP,
    rtpPorts: BARESIP_RTP,
    toneHz: BARESIP_HZ,
    autoAnswer,
    quitAfterS: 25,
    user: 'bob',
    trace: true,
    // Its AOR's transport: Contact with ;transport=tcp, requests it sends over TCP.
    accountParams: ['transport=tcp'],
  });
}

/** The messages of baresip's trace as `way transport first-line-or-status method`. */
function summary(ms: readonly TracedMessage[]): string[] {
  return ms.map((m) => `${m.way} ${m.transport} ${m.status === 0 ? m.method : m.status} ${m.method}`);
}

describe('baresip interop: calls over TCP (UA API, PCMU)', () => {
  it('tsvoip (UDP preferred) calls baresip at a ;transport=tcp URI: every SIP message over TCP, tones both ways', {
    timeout: 25_000,
  }, async (t) => {
    const dir = workDir('tcp-out');
    const bs = await startBaresip(dir, true);
    const heard = join(dir, 'tsvoip-heard.wav');
    let trace: TracedMessage[] = [];
    try {
      const ua = await startTsvoip('udp');
      // RFC 3263 §4.1: the transport parameter of the target URI picks TCP.
      const call = await ua.call(`${bs.uri};transport=tcp`);
      assert.equal(call.mediaConfig?.codecs[0]?.name, 'PCMU');
      playAndRecord(call, heard);
      await bs.waitForEvent('CALL_ESTABLISHED', 3000);
      await sleep(CALL_MS);
      await call.hangup();
      await bs.waitForEvent('CALL_CLOSED', 3000);
      await ua.close();
    } finally {
      await bs.stop();
      trace = bs.messages();
    }
    const s = summary(trace);
    // The whole dialog as baresip saw it: INVITE/180/200/ACK, BYE/200, and all of it on TCP.
    for (const step of [
      'received TCP INVITE INVITE',
      'sent TCP 200 INVITE',
      'received TCP ACK ACK',
      'received TCP BYE BYE',
      'sent TCP 200 BYE',
    ])
      assert.ok(s.includes(step), `baresip's trace lacks "${step}": ${s.join(' | ')}`);
    assert.deepEqual(
      trace.filter((m) => m.transport !== 'TCP').map((m) => m.startLine),
      [],
      'no SIP message over anything but TCP',
    );
    // RFC 3261 §18.1.1: our Via names the transport the request went on.
    const invite = trace.find((m) => m.method === 'INVITE' && m.status === 0);
    assert.match(invite?.text ?? '', /^Via: SIP\/2\.0\/TCP 127\.0\.0\.1:15404;/m);
    t.diagnostic(
      `${s.join(' | ')}; ${assertTonesBothWays(heard, bs.dump('dec'), 'tsvoip → baresip over TCP')}`,
    );
  });

  it('baresip (account and target ;transport=tcp) calls tsvoip (TCP preferred): every SIP message over TCP, tones both ways', {
    timeout: 25_000,
  }, async (t) => {
    const dir = workDir('tcp-in');
    const heard = join(dir, 'tsvoip-heard.wav');
    const bs = await startBaresip(dir, false);
    let trace: TracedMessage[] = [];
    let incoming: IncomingCall | undefined;
    try {
      const ua = await startTsvoip('tcp');
      assert.match(ua.contactUri, /;transport=tcp$/);
      const answered = new Promise<Call>((resolve, reject) => {
        ua.once('incoming', (c) => {
          incoming = c;
          c.accept().then(resolve, reject);
        });
      });
      // baresip 1.0 sends a dial over UDP whatever its account's transport: the URI asks for TCP.
      const r = await bs.command('dial', `sip:tsvoip@127.0.0.1:${TSVOIP_SIP};transport=tcp`);
      assert.ok(r.ok, `baresip dial: ${r.data}`);
      const call = await answered;
      assert.equal(call.mediaConfig?.codecs[0]?.name, 'PCMU');
      playAndRecord(call, heard);
      await bs.waitForEvent('CALL_ESTABLISHED', 3000);
      await sleep(CALL_MS);
      // baresip hangs up: its BYE goes to our Contact (;transport=tcp), so over TCP.
      await bs.command('hangup');
      assert.equal(await Promise.race([call.ended(), sleep(3000).then(() => 'no BYE seen')]), 'remote-bye');
      await ua.close();
    } finally {
      await bs.stop();
      trace = bs.messages();
    }
    // What tsvoip received: RFC 3261 §18.1.1, the Via names the transport baresip sent it on.
    assert.equal(incoming?.invite.request.via[0]?.transport, 'TCP');
    const s = summary(trace);
    for (const step of [
      'sent TCP INVITE INVITE',
      'received TCP 200 INVITE',
      'sent TCP ACK ACK',
      'sent TCP BYE BYE',
      'received TCP 200 BYE',
    ])
      assert.ok(s.includes(step), `baresip's trace lacks "${step}": ${s.join(' | ')}`);
    assert.deepEqual(
      trace.filter((m) => m.transport !== 'TCP').map((m) => m.startLine),
      [],
      'no SIP message over anything but TCP',
    );
    // Our 200 carried a TCP Contact (RFC 3261 §19.1.4), which is where baresip sent ACK and BYE.
    const ok = trace.find((m) => m.method === 'INVITE' && m.status === 200);
    assert.match(ok?.text ?? '', /^Contact: <sip:tsvoip@127\.0\.0\.1:15404;transport=tcp>/m);
    t.diagnostic(
      `${s.join(' | ')}; ${assertTonesBothWays(heard, bs.dump('dec'), 'baresip → tsvoip over TCP')}`,
    );
  });
});
