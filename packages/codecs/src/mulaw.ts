// ITU-T G.711 µ-law (PCMU, RFC 3551 §4.5.14): 14-bit linear ↔ 8-bit logarithmic code.
// Decoding uses the G.711 reconstruction levels exactly. Encoding picks, for each 16-bit input, the code whose
// reconstruction level is nearest (threshold halfway between two levels on the 14-bit grid), which is what
// ffmpeg's pcm_mulaw does: the output is byte-for-byte identical to it for all 65,536 inputs.

import { decodeWithTable, encodeWithTable } from './g711-lut.js';

/** The 16-bit linear value of each of the 256 µ-law codes (ITU-T G.711 Table 2a, scaled by 4). */
export const MULAW_TO_LINEAR: Int16Array = buildDecodeTable();

/** Encoder table indexed by `(sample + 32768) >> 2`: one code for each 14-bit input. */
const LINEAR14_TO_MULAW: Uint8Array = buildEncodeTable();

function decodeCode(code: number): number {
  // G.711: the code is transmitted inverted; 3-bit segment, 4-bit step, sign (1 = positive).
  const u = ~code & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

function buildDecodeTable(): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = decodeCode(code);
  return table;
}

function buildEncodeTable(): Uint8Array {
  // Magnitude steps 0..127 from the smallest level (code 0xff, value 0) to the largest (code 0x80).
  // Between step k and k+1 the threshold on the 14-bit grid is the rounded midpoint of their levels.
  const table = new Uint8Array(16384);
  const center = 8192;
  let j = 1;
  for (let k = 0; k < 127; k++) {
    const level = -decodeCode(0x7f - k); // positive magnitude of step k (codes 0x7f.. are negative)
    const next = -decodeCode(0x7f - (k + 1));
    const threshold = (level + next + 4) >> 3;
    for (; j < threshold; j++) {
      table[center + j] = 0xff - k;
      table[center - j] = 0x7f - k;
    }
  }
  for (; j < center; j++) {
    table[center + j] = 0x80;
    table[center - j] = 0x00;
  }
  table[center] = 0xff;
  table[0] = table[1];
  return table;
}

/** Encodes one 16-bit linear sample to its µ-law code. */
export function linearToMulaw(sample: number): number {
  return LINEAR14_TO_MULAW[(sample + 32768) >> 2];
}

/** Decodes one µ-law code (0..255) to a 16-bit linear sample. */
export function mulawToLinear(code: number): number {
  return MULAW_TO_LINEAR[code & 0xff];
}

/**
 * Encodes 16-bit PCM to µ-law, one byte per sample. Pass `out` (at least `pcm.length` long) to avoid
 * allocating; the returned array is `out` trimmed to `pcm.length`.
 */
export function encodeMulaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWithTable(pcm, LINEAR14_TO_MULAW, out);
}

/**
 * Decodes µ-law bytes to 16-bit PCM. Pass `out` (at least `payload.length` long) to avoid allocating;
 * the returned array is `out` trimmed to `payload.length`.
 */
export function decodeMulaw(payload: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWithTable(payload, MULAW_TO_LINEAR, out);
}
