/**
 * Helpers for the socket transport tests (not part of the public API): sample messages, bounded
 * waits for events, and a throw-away self-signed certificate made with the `openssl` CLI.
 * @module
 */
import { execFileSync } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An OPTIONS request (RFC 3261 §11) from `host:port`, with an optional body, as bytes. */
export function optionsRequest(
  host: string,
  port: number,
  transport: string,
  opts: { body?: string; callId?: string } = {},
): Buffer {
  const body = opts.body ?? '';
  const sentBy = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return Buffer.from(
    `OPTIONS sip:peer@example.com SIP/2.0\r\n` +
      `Via: SIP/2.0/${transport} ${sentBy};branch=z9hG4bK${opts.callId ?? 'a1'};rport\r\n` +
      'Max-Forwards: 70\r\n' +
      'To: <sip:peer@example.com>\r\n' +
      'From: <sip:me@example.com>;tag=1928301774\r\n' +
      `Call-ID: ${opts.callId ?? 'a84b4c76e66710'}\r\n` +
      'CSeq: 63104 OPTIONS\r\n' +
      `Contact: <sip:me@${sentBy}>\r\n` +
      'Accept: application/sdp\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function next<T extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    };
    emitter.once(event, on);
  });
}

/** Collects the first argument of every `event` into an array. */
export function collect<T>(emitter: EventEmitter, event: string): T[] {
  const out: T[] = [];
  emitter.on(event, (v: T) => out.push(v));
  return out;
}

/** Waits until `predicate()` is true, polling every 5 ms, or rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A self-signed certificate for `localhost`, 127.0.0.1 and ::1. */
export interface TestCertificate {
  /** PEM private key. */
  readonly key: string;
  /** PEM certificate (also its own CA). */
  readonly cert: string;
}

/** Makes a throw-away key and self-signed certificate with `openssl req -x509` in a temp dir. */
export function makeTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'tsvoip-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      ],
      { stdio: 'ignore', timeout: 10000 },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
