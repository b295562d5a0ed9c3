/**
 * The PBX's admin endpoint: HTTP on 127.0.0.1 (a random port), one route `POST /users`, a bearer
 * token. The port and token are written to `<dataDir>/admin.json` (mode 0600), so `tsvoip users`
 * run by the same user changes the users through the PBX while it holds the embedded database.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseUserOperation, type UserOperation, type UserOperationResult } from '../users/operations.js';

/** The admin endpoint file's name in the data directory. */
export const ADMIN_FILE = 'admin.json';

/** What `admin.json` holds. */
export interface AdminEndpoint {
  /** The PBX's process id. */
  readonly pid: number;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** Bearer token (hex). */
  readonly token: string;
}

/** A running admin endpoint. */
export interface AdminServer {
  /** Where it listens. */
  readonly endpoint: AdminEndpoint;
  /** Stops it and removes `admin.json`. */
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (header === undefined || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Starts the endpoint; `handle` runs an operation on the PBX's database. */
export async function startAdminServer(
  dataDir: string,
  handle: (op: UserOperation) => Promise<UserOperationResult>,
): Promise<AdminServer> {
  const token = randomBytes(32).toString('hex');
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: UserOperationResult) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!tokenMatches(req.headers.authorization, token)) return reply(401, { ok: false, error: 'bad token' });
    if (req.method !== 'POST' || req.url !== '/users') return reply(404, { ok: false, error: 'not found' });
    readBody(req)
      .then(async (text) => {
        const op = parseUserOperation(JSON.parse(text) as unknown);
        if (op === undefined) return reply(400, { ok: false, error: 'bad operation' });
        const r = await handle(op);
        reply(r.ok ? 200 : 409, r);
      })
      .catch((err: unknown) =>
        reply(500, { ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint: AdminEndpoint = { pid: process.pid, port, token };
  const file = join(dataDir, ADMIN_FILE);
  writeFileSync(file, JSON.stringify(endpoint), { mode: 0o600 });
  return {
    endpoint,
    close: async () => {
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The endpoint of the PBX running on `dataDir`, or undefined when there is none (or it is unreadable). */
export function readAdminEndpoint(dataDir: string): AdminEndpoint | undefined {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, ADMIN_FILE), 'utf8')) as Partial<AdminEndpoint>;
    if (typeof v.pid !== 'number' || typeof v.port !== 'number' || typeof v.token !== 'string')
      return undefined;
    return { pid: v.pid, port: v.port, token: v.token };
  } catch {
    return undefined;
  }
}

/** Sends an operation to a running PBX. Rejects when it cannot be reached. */
export function callAdmin(endpoint: AdminEndpoint, op: UserOperation): Promise<UserOperationResult> {
  const body = JSON.stringify(op);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: endpoint.port,
        method: 'POST',
        path: '/users',
        headers: {
          authorization: `Bearer ${endpoint.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        timeout: 10_000,
      },
      (res) => {
        readBody(res)
          .then((text) => {
            const v = JSON.parse(text) as UserOperationResult;
            resolve(v);
          })
          .catch(reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('admin endpoint timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
