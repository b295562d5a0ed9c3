// RFC 7587 §6.1: the Opus media type parameters carried in SDP `a=fmtp`.
// Unknown parameters and values out of range are ignored, as RFC 7587 §7 and RFC 8866 §6.15 ask of receivers.

/** Opus fmtp parameters (RFC 7587 §6.1), each `undefined` when absent. */
export interface OpusFmtp {
  /** `maxplaybackrate`: the highest sample rate the receiver can play (Hz). */
  maxPlaybackRate?: number;
  /** `sprop-maxcapturerate`: the highest sample rate the sender captures (Hz). */
  spropMaxCaptureRate?: number;
  /** `maxaveragebitrate`: the highest average bitrate the receiver wants (6000..510000 bit/s). */
  maxAverageBitrate?: number;
  /** `stereo`: the receiver prefers stereo. */
  stereo?: boolean;
  /** `sprop-stereo`: the sender is likely to send stereo. */
  spropStereo?: boolean;
  /** `cbr`: the receiver prefers constant bitrate. */
  cbr?: boolean;
  /** `useinbandfec`: the receiver can take advantage of in-band FEC. */
  useInbandFec?: boolean;
  /** `usedtx`: the receiver prefers discontinuous transmission. */
  useDtx?: boolean;
  /** `minptime`: the shortest packetization time the receiver wants (ms). */
  minPtime?: number;
}

const BOOLEAN_KEYS = {
  stereo: 'stereo',
  'sprop-stereo': 'spropStereo',
  cbr: 'cbr',
  useinbandfec: 'useInbandFec',
  usedtx: 'useDtx',
} as const;

/** Parses the value of an Opus `a=fmtp` line (the part after the payload type). */
export function parseOpusFmtp(value: string): OpusFmtp {
  const out: OpusFmtp = {};
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const raw = part.slice(eq + 1).trim();
    if (key in BOOLEAN_KEYS) {
      if (raw === '0' || raw === '1') out[BOOLEAN_KEYS[key as keyof typeof BOOLEAN_KEYS]] = raw === '1';
      continue;
    }
    if (!/^\d{1,7}$/.test(raw)) continue;
    const n = Number(raw);
    switch (key) {
      case 'maxplaybackrate':
        if (n >= 8000 && n <= 48000) out.maxPlaybackRate = n;
        break;
      case 'sprop-maxcapturerate':
        if (n >= 8000 && n <= 48000) out.spropMaxCaptureRate = n;
        break;
      case 'maxaveragebitrate':
        if (n >= 6000 && n <= 510000) out.maxAverageBitrate = n;
        break;
      case 'minptime':
        if (n >= 3 && n <= 120) out.minPtime = n;
        break;
    }
  }
  return out;
}

/** Writes Opus fmtp parameters as an `a=fmtp` value (`minptime=10;useinbandfec=1`), or `''` if none. */
export function formatOpusFmtp(f: OpusFmtp): string {
  const parts: string[] = [];
  const bit = (b: boolean) => (b ? '1' : '0');
  if (f.minPtime !== undefined) parts.push(`minptime=${f.minPtime}`);
  if (f.useInbandFec !== undefined) parts.push(`useinbandfec=${bit(f.useInbandFec)}`);
  if (f.useDtx !== undefined) parts.push(`usedtx=${bit(f.useDtx)}`);
  if (f.stereo !== undefined) parts.push(`stereo=${bit(f.stereo)}`);
  if (f.spropStereo !== undefined) parts.push(`sprop-stereo=${bit(f.spropStereo)}`);
  if (f.maxPlaybackRate !== undefined) parts.push(`maxplaybackrate=${f.maxPlaybackRate}`);
  if (f.spropMaxCaptureRate !== undefined) parts.push(`sprop-maxcapturerate=${f.spropMaxCaptureRate}`);
  if (f.maxAverageBitrate !== undefined) parts.push(`maxaveragebitrate=${f.maxAverageBitrate}`);
  if (f.cbr !== undefined) parts.push(`cbr=${bit(f.cbr)}`);
  return parts.join(';');
}
