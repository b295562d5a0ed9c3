/**
 * RTP header extension elements (RFC 8285): the one-byte (profile 0xBEDE) and two-byte
 * (profile 0x100X) forms, parsed by local identifier and built from a list of elements.
 * @module
 */
import { RtpEncodeError, RtpParseError } from '../errors.js';
import type { RtpHeaderExtension } from './rtp-packet.js';

/** RFC 8285 §4.2: "defined by profile" value of the one-byte header form. */
export const ONE_BYTE_PROFILE = 0xbede;
/** RFC 8285 §4.3: "defined by profile" value of the two-byte header form (low 4 bits: appbits). */
export const TWO_BYTE_PROFILE = 0x1000;

/** One header extension element: its local identifier and its data (a view when parsed). */
export interface HeaderExtensionElement {
  /** Local identifier: 1..14 in the one-byte form, 1..255 in the two-byte form. */
  id: number;
  /** Element data: 1..16 octets in the one-byte form, 0..255 in the two-byte form. */
  data: Uint8Array;
}

/** Which RFC 8285 form an extension uses, or `undefined` when it is not an RFC 8285 extension. */
export function headerExtensionForm(extension: RtpHeaderExtension): 'one-byte' | 'two-byte' | undefined {
  if (extension.profile === ONE_BYTE_PROFILE) return 'one-byte';
  if ((extension.profile & 0xfff0) === TWO_BYTE_PROFILE) return 'two-byte';
  return undefined;
}

/**
 * Walks the elements of an RFC 8285 extension in order. With `all`, pushes every element there and
 * returns undefined; otherwise returns the data of the first element whose identifier is `wanted`.
 * One loop serves both so that a lookup on the per-packet path creates no closure.
 * @throws {RtpParseError} when an element runs past the end of the extension.
 */
function scanElements(
  extension: RtpHeaderExtension,
  wanted: number,
  all: HeaderExtensionElement[] | undefined,
): Uint8Array | undefined {
  const form = headerExtensionForm(extension);
  if (form === undefined) return undefined;
  const data = extension.data;
  let i = 0;
  while (i < data.length) {
    const b = data[i];
    // RFC 8285 §4.2/§4.3: octets of value 0 between elements are padding.
    if (b === 0) {
      i++;
      continue;
    }
    let id: number;
    let len: number;
    let start: number;
    if (form === 'one-byte') {
      id = b >> 4;
      // RFC 8285 §4.2: ID 15 is reserved; processing of the extension stops there.
      if (id === 15) return undefined;
      len = (b & 0x0f) + 1;
      start = i + 1;
    } else {
      if (i + 1 >= data.length) {
        throw new RtpParseError('bad-extension-element', i, `two-byte element ${b} has no length octet`);
      }
      id = b;
      len = data[i + 1];
      start = i + 2;
    }
    if (start + len > data.length) {
      throw new RtpParseError('bad-extension-element', i, `extension element ${id} runs past the extension`);
    }
    if (all !== undefined) all.push({ id, data: data.subarray(start, start + len) });
    else if (id === wanted) return data.subarray(start, start + len);
    i = start + len;
  }
  return undefined;
}

/**
 * Lists the elements of an RFC 8285 extension (padding skipped). Returns an empty list for an
 * extension in another (profile-specific) form.
 * @throws {RtpParseError} when an element runs past the end of the extension.
 */
export function parseHeaderExtensionElements(extension: RtpHeaderExtension): HeaderExtensionElement[] {
  const out: HeaderExtensionElement[] = [];
  scanElements(extension, -1, out);
  return out;
}

/**
 * Finds the data of the first element with local identifier `id`, or `undefined`.
 * @throws {RtpParseError} when an element before it runs past the end of the extension.
 */
export function findHeaderExtensionElement(
  extension: RtpHeaderExtension,
  id: number,
): Uint8Array | undefined {
  return scanElements(extension, id, undefined);
}

/** Options of {@link buildHeaderExtension}. */
export interface BuildHeaderExtensionOptions {
  /** Force a form; by default the one-byte form is used when every element fits it. */
  form?: 'one-byte' | 'two-byte';
  /** RFC 8285 §4.3: the 4 "appbits" of the two-byte profile word. */
  appBits?: number;
}

/**
 * Builds an RFC 8285 header extension from elements, padded with zeros to a multiple of 4 octets.
 * @throws {RtpEncodeError} when an identifier or a length does not fit the chosen form.
 */
export function buildHeaderExtension(
  elements: readonly HeaderExtensionElement[],
  options: BuildHeaderExtensionOptions = {},
): RtpHeaderExtension {
  const fitsOneByte = elements.every(
    (e) => e.id >= 1 && e.id <= 14 && e.data.length >= 1 && e.data.length <= 16,
  );
  const form = options.form ?? (fitsOneByte ? 'one-byte' : 'two-byte');
  let size = 0;
  for (const e of elements) {
    if (form === 'one-byte') {
      // RFC 8285 §4.2: IDs 1..14, 1..16 data octets.
      if (!(e.id >= 1 && e.id <= 14))
        throw new RtpEncodeError('id', `${e.id} is not in 1..14 (one-byte form)`);
      if (e.data.length < 1 || e.data.length > 16) {
        throw new RtpEncodeError('data', `${e.data.length} octets is not in 1..16 (one-byte form)`);
      }
      size += 1 + e.data.length;
    } else {
      // RFC 8285 §4.3: IDs 1..255, 0..255 data octets.
      if (!(e.id >= 1 && e.id <= 255))
        throw new RtpEncodeError('id', `${e.id} is not in 1..255 (two-byte form)`);
      if (e.data.length > 255)
        throw new RtpEncodeError('data', `${e.data.length} octets exceeds 255 (two-byte form)`);
      size += 2 + e.data.length;
    }
  }
  const data = new Uint8Array((size + 3) & ~3);
  let at = 0;
  for (const e of elements) {
    if (form === 'one-byte') {
      data[at++] = (e.id << 4) | (e.data.length - 1);
    } else {
      data[at++] = e.id;
      data[at++] = e.data.length;
    }
    data.set(e.data, at);
    at += e.data.length;
  }
  const appBits = options.appBits ?? 0;
  return { profile: form === 'one-byte' ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE | (appBits & 0x0f), data };
}
