/**
 * How to start one headless baresip, and the files that say so: `config` (from
 * `config.template`), `accounts` (one account line) and an empty `contacts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeToneWav } from './audio.js';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'config.template');

/** Codecs both sides offer, with what baresip's `audio_codecs` needs (name/rate/channels). */
export const BARESIP_CODECS = {
  PCMU: { rate: 8000, channels: 1 },
  PCMA: { rate: 8000, channels: 1 },
  G722: { rate: 16000, channels: 1 },
  opus: { rate: 48000, channels: 2 },
} as const;

/** A codec name of {@link BARESIP_CODECS}. */
export type BaresipCodec = keyof typeof BARESIP_CODECS;

/** The account: who baresip is, and whether it registers, authenticates or uses an outbound proxy. */
export interface BaresipAccount {
  /** Our user (default: the user of `aor`, else `bob`). */
  readonly user?: string;
  /** Address of record (default `sip:<user>@127.0.0.1:<sipPort>`), e.g. `sip:1000@<registrar>`. */
  readonly aor?: string;
  /** Digest password (`auth_pass`). */
  readonly password?: string;
  /** Register at the AOR's host every `regint` seconds (default 0: never). */
  readonly regint?: number;
  /** Outbound proxy URI: every request of the account goes there. */
  readonly outbound?: string;
  /** Further account parameters (e.g. `transport=tcp`). */
  readonly accountParams?: readonly string[];
}

/** What baresip plays as its microphone (aufile: baresip 1.0 does not resample). */
export type BaresipMicrophone =
  /** A WAV at the codec's rate and channel count. */
  | { readonly toneWav: string; readonly toneHz?: undefined }
  /** A sine of `toneHz` written for the codec, `toneSeconds` long (default 25: aufile ends the call when its file ends). */
  | { readonly toneHz: number; readonly toneSeconds?: number; readonly toneWav?: undefined };

/** How to start one baresip. */
export type BaresipOptions = BaresipAccount &
  BaresipMicrophone & {
    /** Work directory (config, tone, dumps, log). */
    readonly dir: string;
    /** SIP port, UDP and TCP (baresip binds TLS on the next one; ctrl_tcp goes on the one after). */
    readonly sipPort: number;
    /** RTP port range, `min-max`. */
    readonly rtpPorts: string;
    /** The only codec offered/accepted (default PCMU). */
    readonly codec?: BaresipCodec;
    /** Answer incoming calls at once. */
    readonly autoAnswer?: boolean;
    /** Require SRTP (SDES, RTP/SAVP). */
    readonly srtp?: boolean;
    /** Print the SIP trace (`-s`: every message with its transport and addresses). */
    readonly trace?: boolean;
    /** Quit after this many seconds whatever happens. */
    readonly quitAfterS: number;
  };

/** The account's user: `user`, else the user part of `aor`, else `bob`. */
export function accountUser(o: BaresipOptions): string {
  if (o.user !== undefined) return o.user;
  const fromAor = o.aor === undefined ? undefined : /^sips?:([^@;:]+)@/.exec(o.aor)?.[1];
  return fromAor ?? 'bob';
}

/** The account's address of record. */
export function accountAor(o: BaresipOptions): string {
  return o.aor ?? `sip:${accountUser(o)}@127.0.0.1:${o.sipPort}`;
}

/** The account line of `accounts`. */
export function accountLine(o: BaresipOptions): string {
  const { rate, channels } = BARESIP_CODECS[o.codec ?? 'PCMU'];
  // audio_codecs needs name/rate/channels (a bare name offers them all).
  const params = [
    `regint=${o.regint ?? 0}`,
    `audio_codecs=${o.codec ?? 'PCMU'}/${rate}/${channels}`,
    ...(o.password === undefined ? [] : [`auth_pass=${o.password}`]),
    ...(o.outbound === undefined ? [] : [`outbound="${o.outbound}"`]),
    ...(o.autoAnswer === true ? ['answermode=auto'] : []),
    ...(o.srtp === true ? ['mediaenc=srtp-mand'] : []),
    ...(o.accountParams ?? []),
  ];
  return `<${accountAor(o)}>;${params.join(';')}\n`;
}

/** Writes the tone (when asked for by Hz), `config`, `accounts` and `contacts` into `o.dir`. */
export function writeBaresipFiles(o: BaresipOptions): void {
  mkdirSync(o.dir, { recursive: true });
  const toneWav = o.toneWav ?? join(o.dir, `tone-${o.toneHz}.wav`);
  if (o.toneWav === undefined) {
    const { rate, channels } = BARESIP_CODECS[o.codec ?? 'PCMU'];
    writeToneWav(toneWav, o.toneHz, rate, channels, o.toneSeconds ?? 25);
  }
  const fill: Record<string, string> = {
    SIP_PORT: String(o.sipPort),
    CTRL_PORT: String(o.sipPort + 2),
    TONE_WAV: toneWav,
    RUN_DIR: o.dir,
    RTP_PORTS: o.rtpPorts,
  };
  const config = readFileSync(TEMPLATE, 'utf8').replace(/@([A-Z_]+)@/g, (_m, k: string) => {
    const v = fill[k];
    if (v === undefined) throw new Error(`config.template: no value for @${k}@`);
    return v;
  });
  writeFileSync(join(o.dir, 'config'), config);
  writeFileSync(join(o.dir, 'accounts'), accountLine(o));
  writeFileSync(join(o.dir, 'contacts'), '');
}
