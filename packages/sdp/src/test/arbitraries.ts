/** fast-check arbitraries shared by the tests (not part of the public API). */
import fc from 'fast-check';

const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._+!~*%'.split('');
const ICE_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'.split('');
const HEX = '0123456789ABCDEF'.split('');

/** An RFC 8866 token. */
export const token = (maxLength = 12): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength });

/** ICE characters (RFC 8839 §5.4). */
export const iceChars = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...ICE_CHARS), minLength, maxLength });

/** Free text without NUL, CR or LF (any Unicode otherwise). */
export const text = (maxLength = 20): fc.Arbitrary<string> =>
  fc
    .string({ unit: 'binary', maxLength })
    .filter((s) => !s.includes('\r') && !s.includes('\n') && !s.includes('\0'));

/** Text with no space either (one field). */
export const field = (maxLength = 12): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS, ':', '/', '@', '['), minLength: 1, maxLength });

/** A dotted IPv4 address. */
export const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));

/** Colon-separated upper-case hex bytes. */
export const hexBytes = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.constantFrom(...HEX), fc.constantFrom(...HEX)), { minLength: min, maxLength: max })
    .map((bs) => bs.map(([a, b]) => a + b).join(':'));

/** Base64 of `n` random bytes. */
export const base64Of = (n: number): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64'));

/** Decimal digits without leading zeros (a session id). */
export const decimal = fc.bigInt({ min: 0n, max: 2n ** 63n }).map((n) => n.toString());

/** A valid, generated SDP text (CRLF) with every line type, unknown lines and unknown attributes. */
export const sdpText: fc.Arbitrary<string> = (() => {
  const attr = fc.oneof(
    token().map((n) => `a=${n}`),
    fc.tuple(token(), text()).map(([n, v]) => `a=${n}:${v}`),
  );
  const unknown = fc
    .tuple(fc.constantFrom('x', 'y', 'f', 'g', 'h', 'j', 'l', 'n', 'q', 'w', 'X'), text())
    .map(([t, v]) => `${t}=${v}`);
  const conn = fc.oneof(
    ipv4.map((a) => `c=IN IP4 ${a}`),
    fc.tuple(ipv4, fc.nat(255)).map(([a, ttl]) => `c=IN IP4 ${a}/${ttl}`),
    fc.constant('c=IN IP6 2001:db8::2'),
  );
  const bw = fc.tuple(token(4), fc.nat()).map(([t, n]) => `b=${t}:${n}`);
  const key = fc.oneof(
    fc.constant('k=prompt'),
    base64Of(8).map((k) => `k=base64:${k}`),
  );
  const media = fc
    .tuple(
      fc.constantFrom('audio', 'video', 'text', 'application', 'image'),
      fc.integer({ min: 1, max: 65535 }),
      fc.constantFrom('RTP/AVP', 'RTP/SAVP', 'UDP/TLS/RTP/SAVPF', 'udptl'),
      fc.array(fc.nat(127).map(String), { minLength: 1, maxLength: 5 }),
      fc.array(
        fc.oneof(
          attr,
          unknown,
          conn,
          bw,
          key,
          text().map((t) => `i=${t}`),
        ),
        { maxLength: 8 },
      ),
    )
    .map(([m, port, proto, fmts, rest]) => [`m=${m} ${port} ${proto} ${fmts.join(' ')}`, ...rest]);
  return fc
    .tuple(
      token(),
      decimal,
      decimal,
      ipv4,
      text(),
      fc.array(
        fc.oneof(
          text().map((t) => `i=${t}`),
          text().map((t) => `u=${t}`),
          text().map((t) => `e=${t}`),
          text().map((t) => `p=${t}`),
          conn,
          bw,
        ),
        { maxLength: 5 },
      ),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 2 }),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.oneof(attr, unknown, key), { maxLength: 6 }),
      fc.array(media, { maxLength: 4 }),
    )
    .map(([user, id, ver, addr, name, head, times, repeat, zone, attrs, medias]) => {
      const lines = [`v=0`, `o=${user} ${id} ${ver} IN IP4 ${addr}`, `s=${name}`, ...head];
      for (const [a, b] of times) lines.push(`t=${a} ${b}`);
      if (repeat) lines.push('r=7d 1h 0 25h');
      if (zone) lines.push('z=2882844526 -1h 2898848070 0');
      lines.push(...attrs);
      for (const m of medias) lines.push(...m);
      return `${lines.join('\r\n')}\r\n`;
    });
})();

/** A deep copy with ordinary prototypes (fast-check records have a null prototype). */
export function plain<T>(x: T): T {
  return structuredClone(x);
}
