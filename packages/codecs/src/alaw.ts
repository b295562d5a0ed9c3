// ITU-T G.711 A-law (PCMA, RFC 3551 §4.5.14): 13-bit linear ↔ 8-bit logarithmic code, even bits inverted.
// Decoding uses the G.711 reconstruction levels exactly. Encoding picks the code whose reconstruction level is
// nearest (threshold halfway between two levels), byte-for-byte identical to ffmpeg's pcm_alaw.

import { decodeWithTable, encodeWithTable } from './g711-lut.js';

/** The 16-bit linear value of each of the 256 A-law codes (ITU-T G.711 Table 1a, scaled by 8). */
export const ALAW_TO_LINEAR: Int16Array = buildDecodeTable();

/** Encoder table indexed by `(sample + 32768) >> 2`. */
const LINEAR14_TO_ALAW: Uint8Array = buildEncodeTable();

function decodeCode(code: number): number {
  // G.711: even bits are inverted on the line (XOR 0x55); 3-bit segment, 4-bit step, sign (1 = positive).
  const a = code ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

function buildDecodeTable(): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = decodeCode(code);
  return table;
}

function buildEncodeTable(): Uint8Array {
  // Step k (0..127) has magnitude code k (before the 0x55 inversion); positive codes carry the sign bit.
  const table = new Uint8Array(16384);
  const center = 8192;
  let j = 1;
  for (let k = 0; k < 127; k++) {
    const level = decodeCode((k ^ 0x55) | 0x80); // positive magnitude of step k
    const next = decodeCode(((k + 1) ^ 0x55) | 0x80);
    const threshold = (level + next + 4) >> 3;
    for (; j < threshold; j++) {
      table[center + j] = (k | 0x80) ^ 0x55;
      table[center - j] = k ^ 0x55;
    }
  }
  for (; j < center; j++) {
    table[center + j] = (127 | 0x80) ^ 0x55;
    table[center - j] = 127 ^ 0x55;
  }
  table[center] = 0xd5;
  table[0] = table[1];
  return table;
}

/** Encodes one 16-bit linear sample to its A-law code. */
export function linearToAlaw(sample: number): number {
  return LINEAR14_TO_ALAW[(sample + 32768) >> 2];
}

/** Decodes one A-law code (0..255) to a 16-bit linear sample. */
export function alawToLinear(code: number): number {
  return ALAW_TO_LINEAR[code & 0xff];
}

/**
 * Encodes 16-bit PCM to A-law, one byte per sample. Pass `out` (at least `pcm.length` long) to avoid
 * allocating; the returned array is `out` trimmed to `pcm.length`.
 */
export function encodeAlaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWithTable(pcm, LINEAR14_TO_ALAW, out);
}

/**
 * Decodes A-law bytes to 16-bit PCM. Pass `out` (at least `payload.length` long) to avoid allocating;
 * the returned array is `out` trimmed to `payload.length`.
 */
export function decodeAlaw(payload: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWithTable(payload, ALAW_TO_LINEAR, out);
}
