import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createSrtpContext, type SrtpContext } from './context.js';
import { SrtpAuthError, SrtpConfigError, SrtpError, SrtpPacketError, SrtpReplayError } from './errors.js';
import type { SrtpProfileName } from './profiles.js';

const PROFILES: readonly SrtpProfileName[] = [
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
  'AEAD_AES_128_GCM',
];
const TAG = { AES_CM_128_HMAC_SHA1_80: 10, AES_CM_128_HMAC_SHA1_32: 4, AEAD_AES_128_GCM: 16 } as const;
const RTCP_TAG = { AES_CM_128_HMAC_SHA1_80: 10, AES_CM_128_HMAC_SHA1_32: 10, AEAD_AES_128_GCM: 16 } as const;

function pair(profile: SrtpProfileName, extra: { replayWindowSize?: number; encryptRtcp?: boolean } = {}) {
  const masterKey = new Uint8Array(16).map((_, i) => i * 3 + 1);
  const masterSalt = new Uint8Array(profile === 'AEAD_AES_128_GCM' ? 12 : 14).map((_, i) => 0xa0 + i);
  const opts = { profile, masterKey, masterSalt, ...extra };
  return { tx: createSrtpContext(opts), rx: createSrtpContext(opts) };
}

/** An RTP packet; `csrcs` and `extWords` exercise the header-length rules of RFC 3550 §5.1/§5.3.1. */
function rtp(
  seq: number,
  ssrc: number,
  payload: Uint8Array,
  csrcs = 0,
  extWords = -1,
  padded = false,
): Uint8Array {
  const ext = extWords >= 0 ? 4 + extWords * 4 : 0;
  const hdr = 12 + csrcs * 4 + ext;
  const p = new Uint8Array(hdr + payload.length);
  p[0] = 0x80 | (padded ? 0x20 : 0) | (ext > 0 ? 0x10 : 0) | csrcs;
  p[1] = 0x08;
  p[2] = seq >>> 8;
  p[3] = seq & 0xff;
  p[7] = 0xa0;
  new DataView(p.buffer).setUint32(8, ssrc >>> 0);
  for (let i = 12; i < hdr; i++) p[i] = i;
  if (ext > 0) {
    const e = 12 + csrcs * 4;
    p[e] = 0xbe;
    p[e + 1] = 0xde;
    p[e + 2] = extWords >>> 8;
    p[e + 3] = extWords & 0xff;
  }
  p.set(payload, hdr);
  return p;
}

function rtcp(ssrc: number, body: Uint8Array): Uint8Array {
  const p = new Uint8Array(8 + body.length);
  p[0] = 0x81;
  p[1] = 201; // RR
  new DataView(p.buffer).setUint32(4, ssrc >>> 0);
  p.set(body, 8);
  return p;
}

const send = (ctx: SrtpContext, seq: number, ssrc = 0x11223344, fill = seq & 0xff) =>
  ctx.protectRtp(rtp(seq, ssrc, new Uint8Array(32).fill(fill)));

for (const profile of PROFILES) {
  describe(`SRTP context, ${profile}`, () => {
    it('protect then unprotect is the identity for any RTP packet (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 0xffff }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.uint8Array({ maxLength: 400 }),
          fc.integer({ min: 0, max: 15 }),
          fc.integer({ min: -1, max: 4 }),
          (seq, ssrc, payload, csrcs, extWords) => {
            const { tx, rx } = pair(profile);
            const packet = rtp(seq, ssrc, payload, csrcs, extWords);
            const srtp = tx.protectRtp(packet);
            assert.equal(srtp.length, packet.length + TAG[profile]);
            // RFC 3711 §3.1: the header stays in the clear, the payload does not.
            const hdr = packet.length - payload.length;
            assert.deepEqual(srtp.subarray(0, hdr), packet.subarray(0, hdr));
            if (payload.length >= 8) assert.notDeepEqual(srtp.subarray(hdr, packet.length), payload);
            assert.deepEqual(rx.unprotectRtp(srtp), packet);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('protect then unprotect is the identity for any RTCP packet (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.uint8Array({ maxLength: 300 }),
          (ssrc, body) => {
            const { tx, rx } = pair(profile);
            const packet = rtcp(ssrc, body);
            const srtcp = tx.protectRtcp(packet);
            assert.equal(srtcp.length, packet.length + 4 + RTCP_TAG[profile]);
            assert.deepEqual(rx.unprotectRtcp(srtcp), packet);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('a single flipped bit in payload or tag fails authentication; anywhere else it is rejected', () => {
      fc.assert(
        fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), (at, bit) => {
          const { tx, rx } = pair(profile);
          const srtp = send(tx, 100);
          const i = at % srtp.length;
          srtp[i] ^= 1 << bit;
          assert.throws(() => rx.unprotectRtp(srtp), i >= 12 ? SrtpAuthError : SrtpError);
        }),
        { numRuns: 100 },
      );
    });

    it('a flipped bit in an SRTCP packet is rejected, and a tampered packet leaves no state', () => {
      const { tx, rx } = pair(profile);
      const srtcp = tx.protectRtcp(rtcp(7, new Uint8Array(24).fill(9)));
      for (let i = 8; i < srtcp.length; i++) {
        const bad = srtcp.slice();
        bad[i] ^= 0x10;
        assert.throws(() => rx.unprotectRtcp(bad), SrtpAuthError);
      }
      assert.deepEqual(rx.unprotectRtcp(srtcp), rtcp(7, new Uint8Array(24).fill(9)));
    });

    it('rejects a replayed SRTP packet, before and after newer packets (RFC 3711 §3.3.2)', () => {
      const { tx, rx } = pair(profile);
      const a = send(tx, 10);
      const b = send(tx, 11);
      rx.unprotectRtp(a);
      assert.throws(
        () => rx.unprotectRtp(a),
        (e: unknown) => e instanceof SrtpReplayError && e.reason === 'duplicate',
      );
      rx.unprotectRtp(b);
      assert.throws(() => rx.unprotectRtp(a), SrtpReplayError);
    });

    it('accepts out-of-order packets inside the window and rejects those behind it', () => {
      const { tx, rx } = pair(profile);
      const packets = Array.from({ length: 100 }, (_, i) => send(tx, 1000 + i));
      rx.unprotectRtp(packets[0]);
      rx.unprotectRtp(packets[99]);
      // 1099 - 1036 = 63 < 64: inside the default window, in any order.
      for (const i of [50, 36, 98, 70]) rx.unprotectRtp(packets[i]);
      assert.throws(
        () => rx.unprotectRtp(packets[35]),
        (e: unknown) => e instanceof SrtpReplayError && e.reason === 'too-old',
      );
    });

    it('takes the window size from the options', () => {
      const { tx, rx } = pair(profile, { replayWindowSize: 128 });
      const old = send(tx, 1);
      send(tx, 2);
      rx.unprotectRtp(send(tx, 101));
      assert.deepEqual(rx.unprotectRtp(old).subarray(12), new Uint8Array(32).fill(1));
    });

    it('tracks the ROC across 65535 -> 0 on both sides, also with reordering (RFC 3711 §3.3.1)', () => {
      const { tx, rx } = pair(profile);
      const seqs = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3];
      const srtp = seqs.map((s) => send(tx, s));
      // Receive with the wrap reordered: 0 and 1 before 65534 and 65535.
      for (const i of [0, 1, 2, 3, 6, 7, 4, 5, 8, 9]) {
        assert.deepEqual(rx.unprotectRtp(srtp[i]).subarray(12), new Uint8Array(32).fill(seqs[i] & 0xff));
      }
      // The sender used ROC 1 after the wrap: a receiver starting fresh (ROC 0) cannot verify it,
      // and a fresh sender's seq-0 packet (ROC 0) differs.
      assert.throws(() => pair(profile).rx.unprotectRtp(srtp[6]), SrtpAuthError);
      assert.notDeepEqual(send(pair(profile).tx, 0), srtp[6]);
    });

    it('keeps independent ROC and replay state per SSRC in one context', () => {
      const { tx, rx } = pair(profile);
      const a = send(tx, 500, 1);
      const b = send(tx, 500, 2);
      rx.unprotectRtp(a);
      rx.unprotectRtp(b);
      assert.throws(() => rx.unprotectRtp(b), SrtpReplayError);
      for (let s = 501; s < 600; s++) rx.unprotectRtp(send(tx, s, 1));
      assert.throws(() => rx.unprotectRtp(a), SrtpReplayError);
    });

    it('rejects a replayed SRTCP packet and numbers SRTCP packets per SSRC (RFC 3711 §3.4)', () => {
      const { tx, rx } = pair(profile);
      const p = rtcp(9, new Uint8Array(20));
      const first = tx.protectRtcp(p);
      const second = tx.protectRtcp(p);
      assert.notDeepEqual(first, second);
      rx.unprotectRtcp(second);
      rx.unprotectRtcp(first);
      assert.throws(() => rx.unprotectRtcp(first), SrtpReplayError);
    });

    it('sends SRTCP unencrypted with the E flag clear when encryptRtcp is false', () => {
      const { tx, rx } = pair(profile, { encryptRtcp: false });
      const p = rtcp(9, new Uint8Array(20).fill(0x5a));
      const srtcp = tx.protectRtcp(p);
      assert.deepEqual(srtcp.subarray(0, p.length), p);
      const forged = srtcp.slice();
      forged[10] ^= 1;
      assert.throws(() => rx.unprotectRtcp(forged), SrtpAuthError);
      assert.deepEqual(rx.unprotectRtcp(srtcp), p);
    });

    it('rejects malformed packets with SrtpPacketError', () => {
      const { tx, rx } = pair(profile);
      assert.throws(() => tx.protectRtp(new Uint8Array(11)), SrtpPacketError);
      assert.throws(() => tx.protectRtp(new Uint8Array(12)), SrtpPacketError); // version 0
      const longCsrc = rtp(1, 1, new Uint8Array(0));
      longCsrc[0] |= 0x0f; // 15 CSRCs announced, none present
      assert.throws(() => tx.protectRtp(longCsrc), SrtpPacketError);
      assert.throws(() => rx.unprotectRtp(new Uint8Array(12 + TAG[profile] - 1)), SrtpPacketError);
      assert.throws(() => rx.unprotectRtcp(new Uint8Array(10)), SrtpPacketError);
      assert.throws(() => tx.protectRtcp(new Uint8Array(7)), SrtpPacketError);
    });
  });
}

describe('createSrtpContext configuration', () => {
  it('accepts the DTLS-SRTP names as aliases of the SDES names', () => {
    const key = new Uint8Array(16).fill(1);
    const salt = new Uint8Array(14).fill(2);
    const a = createSrtpContext({ profile: 'SRTP_AES128_CM_HMAC_SHA1_32', masterKey: key, masterSalt: salt });
    const b = createSrtpContext({ profile: 'AES_CM_128_HMAC_SHA1_32', masterKey: key, masterSalt: salt });
    assert.equal(a.profile, 'AES_CM_128_HMAC_SHA1_32');
    const packet = rtp(1, 1, new Uint8Array(10));
    assert.deepEqual(b.unprotectRtp(a.protectRtp(packet)), packet);
    const g = createSrtpContext({
      profile: 'SRTP_AEAD_AES_128_GCM',
      masterKey: key,
      masterSalt: new Uint8Array(12),
    });
    assert.equal(g.profile, 'AEAD_AES_128_GCM');
  });

  it('rejects wrong key and salt lengths, unknown profiles and bad window sizes', () => {
    const key = new Uint8Array(16);
    assert.throws(
      () =>
        createSrtpContext({
          profile: 'AES_CM_128_HMAC_SHA1_80',
          masterKey: new Uint8Array(15),
          masterSalt: new Uint8Array(14),
        }),
      SrtpConfigError,
    );
    assert.throws(
      () =>
        createSrtpContext({ profile: 'AEAD_AES_128_GCM', masterKey: key, masterSalt: new Uint8Array(14) }),
      SrtpConfigError,
    );
    assert.throws(
      // An unknown profile name, as could arrive from SDP.
      () =>
        createSrtpContext({
          profile: 'F8_128_HMAC_SHA1_80' as SrtpProfileName,
          masterKey: key,
          masterSalt: new Uint8Array(14),
        }),
      SrtpConfigError,
    );
    assert.throws(
      () =>
        createSrtpContext({
          profile: 'AES_CM_128_HMAC_SHA1_80',
          masterKey: key,
          masterSalt: new Uint8Array(14),
          replayWindowSize: 0,
        }),
      SrtpConfigError,
    );
  });

  it('different master keys do not interoperate', () => {
    const salt = new Uint8Array(14);
    const a = createSrtpContext({
      profile: 'AES_CM_128_HMAC_SHA1_80',
      masterKey: new Uint8Array(16).fill(1),
      masterSalt: salt,
    });
    const b = createSrtpContext({
      profile: 'AES_CM_128_HMAC_SHA1_80',
      masterKey: new Uint8Array(16).fill(2),
      masterSalt: salt,
    });
    assert.throws(() => b.unprotectRtp(a.protectRtp(rtp(1, 1, new Uint8Array(10)))), SrtpAuthError);
  });
});
