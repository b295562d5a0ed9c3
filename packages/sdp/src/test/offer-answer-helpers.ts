import { getMediaLine } from '../accessors.js';
import type { SessionDescription } from '../model.js';
import type { LocalCapabilities, MediaCapability } from '../offer-answer/capabilities.js';
import { parseSdp } from '../parse.js';

/** Test helpers for the offer/answer tests (not part of the public API). */
export const sdp = (lines: string[]): SessionDescription => parseSdp(`${lines.join('\r\n')}\r\n`);
export const head = (addr = '192.0.2.10') => [
  'v=0',
  `o=- 42 1 IN IP4 ${addr}`,
  's=-',
  `c=IN IP4 ${addr}`,
  't=0 0',
];
export const fmts = (sd: SessionDescription, i = 0) => getMediaLine(sd.media[i]).formats;
export const port = (sd: SessionDescription, i = 0) => getMediaLine(sd.media[i]).port;

export function caps(
  media: Partial<MediaCapability>[],
  extra: Partial<LocalCapabilities> = {},
): LocalCapabilities {
  return {
    origin: { sessionId: '1000', sessionVersion: '1' },
    address: '198.51.100.7',
    media: media.map((m) => ({ media: 'audio', port: 30000, codecs: [], ...m })),
    ...extra,
  };
}

export const voice = caps([
  {
    codecs: [
      { name: 'opus', clockRate: 48000, channels: 2, payloadType: 96, fmtp: 'useinbandfec=1' },
      { name: 'PCMA', clockRate: 8000 },
      { name: 'PCMU', clockRate: 8000 },
      { name: 'telephone-event', clockRate: 8000, fmtp: '0-15' },
    ],
    ptime: 20,
    maxptime: 60,
  },
]);
