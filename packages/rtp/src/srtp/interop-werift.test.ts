import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RtpHeader, SrtcpSession, SrtpSession } from 'werift-rtp';
import { createSrtpContext } from './context.js';
import { SrtpAuthError } from './errors.js';

// Interop with an independent implementation (werift-rtp, a devDependency): werift protects and we
// unprotect, and the other way round. AES-CM and GCM are deterministic, so for the same keys, SSRC
// and index both sides must also produce the same bytes.

const WERIFT_PROFILE = { AES_CM_128_HMAC_SHA1_80: 0x0001, AEAD_AES_128_GCM: 0x0007 } as const;
type Profile = keyof typeof WERIFT_PROFILE;

function keys(profile: Profile, seed: number) {
  const saltLength = profile === 'AEAD_AES_128_GCM' ? 12 : 14;
  const masterKey = Buffer.from(Array.from({ length: 16 }, (_, i) => (seed * 31 + i * 7) & 0xff));
  const masterSalt = Buffer.from(
    Array.from({ length: saltLength }, (_, i) => (seed * 17 + i * 13 + 5) & 0xff),
  );
  return { masterKey, masterSalt };
}

function wsession<T>(
  Cls: new (c: ConstructorParameters<typeof SrtpSession>[0]) => T,
  profile: Profile,
  seed = 1,
): T {
  const { masterKey, masterSalt } = keys(profile, seed);
  return new Cls({
    keys: {
      localMasterKey: masterKey,
      localMasterSalt: masterSalt,
      remoteMasterKey: masterKey,
      remoteMasterSalt: masterSalt,
    },
    profile: WERIFT_PROFILE[profile],
  });
}

function rtp(seq: number, ssrc: number, payload: Uint8Array, pt = 0, ts = 1234): Uint8Array {
  const p = new Uint8Array(12 + payload.length);
  p[0] = 0x80;
  p[1] = pt & 0x7f;
  p[2] = seq >>> 8;
  p[3] = seq & 0xff;
  new DataView(p.buffer).setUint32(4, ts >>> 0);
  new DataView(p.buffer).setUint32(8, ssrc >>> 0);
  p.set(payload, 12);
  return p;
}

function werifEncrypt(session: SrtpSession, packet: Uint8Array): Uint8Array {
  const buf = Buffer.from(packet);
  const header = RtpHeader.deSerialize(buf);
  return new Uint8Array(session.encrypt(buf.subarray(header.payloadOffset), header));
}

function rtcpSr(ssrc: number, fill: number): Uint8Array {
  const p = new Uint8Array(28);
  p[0] = 0x80;
  p[1] = 200; // RFC 3550 §6.4.1: SR
  p[3] = 6;
  new DataView(p.buffer).setUint32(4, ssrc >>> 0);
  p.fill(fill, 8);
  return p;
}

for (const profile of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] as const) {
  describe(`interop with werift-rtp, ${profile}`, () => {
    it('werift protects, we unprotect; and we produce the same bytes as werift (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 0xffff }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.uint8Array({ minLength: 0, maxLength: 300 }),
          (seq, ssrc, payload) => {
            const packet = rtp(seq, ssrc, payload);
            const theirs = werifEncrypt(wsession(SrtpSession, profile), packet);
            const ours = createSrtpContext({ profile, ...keys(profile, 1) }).protectRtp(packet);
            assert.deepEqual(ours, theirs);
            const rx = createSrtpContext({ profile, ...keys(profile, 1) });
            assert.deepEqual(rx.unprotectRtp(theirs), packet);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('we protect, werift unprotects, across a sequence number rollover (RFC 3711 §3.3.1)', () => {
      const tx = createSrtpContext({ profile, ...keys(profile, 2) });
      const werift = wsession(SrtpSession, profile, 2);
      const wtx = wsession(SrtpSession, profile, 2);
      const rx = createSrtpContext({ profile, ...keys(profile, 2) });
      for (let i = 0; i < 20; i++) {
        const seq = (65526 + i) & 0xffff;
        const packet = rtp(seq, 0xcafe, new Uint8Array(160).fill(i));
        assert.deepEqual(new Uint8Array(werift.decrypt(Buffer.from(tx.protectRtp(packet)))), packet);
        assert.deepEqual(rx.unprotectRtp(werifEncrypt(wtx, packet)), packet);
      }
    });

    it('SRTCP both ways', () => {
      const tx = createSrtpContext({ profile, ...keys(profile, 3) });
      const rx = createSrtpContext({ profile, ...keys(profile, 3) });
      const werift = wsession(SrtcpSession, profile, 3);
      for (let i = 0; i < 5; i++) {
        const packet = rtcpSr(0x1234 + i, i);
        assert.deepEqual(new Uint8Array(werift.decrypt(Buffer.from(tx.protectRtcp(packet)))), packet);
        assert.deepEqual(rx.unprotectRtcp(new Uint8Array(werift.encrypt(Buffer.from(packet)))), packet);
      }
    });

    it('a werift packet under another key fails authentication here', () => {
      const theirs = werifEncrypt(wsession(SrtpSession, profile, 9), rtp(1, 2, new Uint8Array(20)));
      assert.throws(
        () => createSrtpContext({ profile, ...keys(profile, 1) }).unprotectRtp(theirs),
        SrtpAuthError,
      );
    });
  });
}
