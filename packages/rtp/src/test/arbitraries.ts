/**
 * fast-check arbitraries shared by the property tests of this package. Test support only: imported
 * by `*.test.ts` files, never by library code.
 * @module
 */
import fc from 'fast-check';
import type { RtpPacket } from '../packet/rtp-packet.js';

/** A 32-bit unsigned integer. */
export const u32 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffffffff });
/** A 16-bit unsigned integer. */
export const u16 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffff });
/** An 8-bit unsigned integer. */
export const u8 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xff });
/** Bytes whose length is a multiple of 4. */
export const words = (maxWords = 8): fc.Arbitrary<Uint8Array> =>
  fc.integer({ min: 0, max: maxWords }).chain((n) => fc.uint8Array({ minLength: n * 4, maxLength: n * 4 }));

/**
 * `fc.record` producing plain objects (deep-equal to what the parsers build). Keys not listed in
 * `requiredKeys` are absent or present at random (done here because fast-check's own optional keys
 * are slow to generate).
 */
export function record<T extends object>(
  model: { [K in keyof T]: fc.Arbitrary<T[K]> },
  requiredKeys?: (keyof T)[],
): fc.Arbitrary<T> {
  const keys = Object.keys(model) as (keyof T & string)[];
  const required = requiredKeys === undefined ? keys : keys.filter((k) => requiredKeys.includes(k));
  const optional = keys.filter((k) => !required.includes(k));
  const base: Record<string, fc.Arbitrary<unknown>> = {};
  for (const k of required) base[k] = model[k];
  const optionals = optional.map((k) => fc.option(model[k] as fc.Arbitrary<unknown>, { nil: undefined }));
  return fc.tuple(fc.record(base, { noNullPrototype: true }), fc.tuple(...optionals)).map(([b, values]) => {
    const out: Record<string, unknown> = { ...b };
    optional.forEach((k, i) => {
      if (values[i] !== undefined) out[k] = values[i];
    });
    return out as T;
  });
}

/** Any valid RTP packet. */
export const rtpPacket = (): fc.Arbitrary<RtpPacket> =>
  record<RtpPacket>({
    marker: fc.boolean(),
    payloadType: fc.integer({ min: 0, max: 127 }),
    sequenceNumber: u16(),
    timestamp: u32(),
    ssrc: u32(),
    csrcs: fc.array(u32(), { maxLength: 15 }),
    extension: fc.option(record({ profile: u16(), data: words(6) }), { nil: undefined }),
    payload: fc.uint8Array({ maxLength: 64 }),
    paddingLength: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 255 })),
  });
