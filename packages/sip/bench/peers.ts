/**
 * The peer parsers measured beside tsvoip, behind small typed facades. Each facade does the
 * same work as the tsvoip side of a measure; what that is, is printed in the table.
 */
import { createRequire } from 'node:module';
import { constructOutgoingResponse, Parser as SipJsParser } from 'sip.js/lib/core/messages/index.js';

const require = createRequire(import.meta.url);

/** The parts of an npm `sip` message object the benchmark touches. */
export interface NpmSipMessage {
  method?: string;
  uri?: string;
  status?: number;
  headers: {
    via: Array<{
      version?: string;
      protocol?: string;
      host?: string;
      port?: number;
      params: { branch?: string };
    }>;
    from: { params: { tag?: string } };
    to: { params: { tag?: string } };
    'call-id': string;
    cseq: { seq: number; method: string };
    contact?: Array<{ uri: string }>;
    'max-forwards'?: number | string;
  };
}
interface NpmSip {
  parse(s: string): NpmSipMessage;
  parseUri(s: string): { host: string };
  stringify(m: NpmSipMessage): string;
  makeResponse(rq: NpmSipMessage, status: number, reason: string): NpmSipMessage;
}
/** npm `sip` (kirm/sip.js). */
export const npmSip = require('sip') as NpmSip;

/** npm `sip`: parse, then read the (a) fields (its URIs are strings: parseUri for hosts). */
export function npmSipParseRead(s: string): number {
  const m = npmSip.parse(s);
  const h = m.headers;
  let x =
    (h.via[0].params.branch ?? '').length + (h.from.params.tag ?? '').length + (h.to.params.tag ?? '').length;
  x += h['call-id'].length + h.cseq.seq;
  if (m.method !== undefined && m.uri !== undefined) x += npmSip.parseUri(m.uri).host.length;
  if (h.contact !== undefined && h.contact.length > 0) x += npmSip.parseUri(h.contact[0].uri).host.length;
  return x;
}

interface JsSipMessage {
  via_branch: string;
  from_tag: string;
  to_tag?: string;
  call_id: string;
  cseq: number;
  ruri?: { host: string };
  parseHeader(name: string): { uri: { host: string } } | undefined;
  hasHeader(name: string): boolean;
  reply(code: number, reason?: string): void;
  server_transaction: { receiveResponse(code: number, response: string): void };
  ua: unknown;
}
const jssipParser = require('jssip/lib/Parser.js') as {
  parseMessage(data: string, ua: unknown): JsSipMessage | undefined;
};
/** A minimal stand-in for a JsSIP UA: what the parser and `reply()` read. */
export const jssipUa = { configuration: { extra_headers: null, session_timers: false }, contact: {} };

/** JsSIP: Parser.parseMessage with a stub UA, then read the (a) fields. */
export function jssipParseRead(s: string): number {
  const m = jssipParser.parseMessage(s, jssipUa);
  if (m === undefined) throw new Error('jssip could not parse');
  let x =
    m.via_branch.length + (m.from_tag ?? '').length + (m.to_tag ?? '').length + m.call_id.length + m.cseq;
  if (m.ruri !== undefined) x += m.ruri.host.length;
  if (m.hasHeader('contact')) x += m.parseHeader('contact')?.uri.host.length ?? 0;
  return x;
}

/** JsSIP: parse an INVITE for the response measure (reply() builds the response text). */
export function jssipParse(s: string): JsSipMessage {
  const m = jssipParser.parseMessage(s, jssipUa);
  if (m === undefined) throw new Error('jssip could not parse');
  return m;
}

/** JsSIP: `reply(200)` with a stub server transaction that captures the response text. */
export function jssipReply(m: JsSipMessage): number {
  let out = '';
  m.server_transaction = {
    receiveResponse(_code: number, response: string) {
      out = response;
    },
  };
  m.reply(200);
  return out.length;
}

const sipJsLogger = { debug() {}, log() {}, warn() {}, error() {} };
interface SipJsMessage {
  viaBranch: string;
  fromTag: string;
  toTag?: string;
  callId: string;
  cseq: number;
  ruri?: { host: string };
  parseHeader(name: string): { uri: { host: string } } | undefined;
}

/** SIP.js core: Parser.parseMessage, then read the (a) fields. */
export function sipJsParseRead(s: string): number {
  const m = SipJsParser.parseMessage(s, sipJsLogger as never) as unknown as SipJsMessage | undefined;
  if (m === undefined) throw new Error('sip.js could not parse');
  let x = m.viaBranch.length + (m.fromTag ?? '').length + (m.toTag ?? '').length + m.callId.length + m.cseq;
  if (m.ruri !== undefined) x += m.ruri.host.length;
  x += m.parseHeader('contact')?.uri.host.length ?? 0;
  return x;
}

/** SIP.js core: parse an INVITE for the response measure. */
export function sipJsParse(s: string): unknown {
  const m = SipJsParser.parseMessage(s, sipJsLogger as never);
  if (m === undefined) throw new Error('sip.js could not parse');
  return m;
}

/** SIP.js core: constructOutgoingResponse(200, toTag) (RFC 3261 §8.2.6 text). */
export function sipJsRespond(m: unknown): number {
  return constructOutgoingResponse(m as never, { statusCode: 200, toTag: 'a6c85cf' }).message.length;
}
