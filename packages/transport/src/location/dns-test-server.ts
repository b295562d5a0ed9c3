/**
 * A tiny authoritative DNS responder on loopback UDP, for testing {@link DnsResolver} against
 * the real `node:dns` client (RFC 1035 §4 messages; RFC 2782 SRV; RFC 3403 NAPTR; RFC 3596 AAAA).
 * Test support only: no compression on input names, one question per query.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { expandIPv6 } from '../ip.js';
import type { StaticZone } from './static-resolver.js';

const TYPE = { A: 1, AAAA: 28, SRV: 33, NAPTR: 35 } as const;

function encodeName(name: string): Buffer {
  const parts = name
    .replace(/\.$/, '')
    .split('.')
    .filter((p) => p.length > 0);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function charString(s: string): Buffer {
  return Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'ascii')]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function rdata(zone: StaticZone, name: string, qtype: number): Buffer[] {
  const key = Object.keys({ ...zone.a, ...zone.aaaa, ...zone.srv, ...zone.naptr }).find(
    (k) => k.toLowerCase() === name,
  );
  if (key === undefined) return [];
  switch (qtype) {
    case TYPE.A:
      return (zone.a?.[key] ?? []).map((a) => Buffer.from(a.split('.').map(Number)));
    case TYPE.AAAA:
      return (zone.aaaa?.[key] ?? []).map((a) => Buffer.concat(expandIPv6(a)!.map(u16)));
    case TYPE.SRV:
      return (zone.srv?.[key] ?? []).map((r) =>
        Buffer.concat([u16(r.priority), u16(r.weight), u16(r.port), encodeName(r.target)]),
      );
    case TYPE.NAPTR:
      return (zone.naptr?.[key] ?? []).map((r) =>
        Buffer.concat([
          u16(r.order),
          u16(r.preference),
          charString(r.flags),
          charString(r.service),
          charString(r.regexp),
          encodeName(r.replacement),
        ]),
      );
    default:
      return [];
  }
}

/** Builds the answer to one query message. */
export function answer(zone: StaticZone, query: Buffer): Buffer {
  let i = 12;
  const labels: string[] = [];
  while (query[i] !== 0) {
    labels.push(query.toString('ascii', i + 1, i + 1 + query[i]));
    i += query[i] + 1;
  }
  const question = query.subarray(12, i + 5);
  const qtype = query.readUInt16BE(i + 1);
  const name = labels.join('.').toLowerCase();
  const known = Object.keys({ ...zone.a, ...zone.aaaa, ...zone.srv, ...zone.naptr }).some(
    (k) => k.toLowerCase() === name,
  );
  const records = rdata(zone, name, qtype);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR=1, AA=1, RD copied; RCODE 3 (NXDOMAIN) for an unknown name (RFC 1035 §4.1.1).
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((rd) =>
    Buffer.concat([u16(0xc00c), u16(qtype), u16(1), Buffer.from([0, 0, 0, 60]), u16(rd.length), rd]),
  );
  return Buffer.concat([header, question, ...answers]);
}

/** Starts a responder for `zone` on 127.0.0.1; returns its `host:port` and a close function. */
export async function startDnsServer(
  zone: StaticZone,
): Promise<{ server: string; close: () => Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(answer(zone, msg), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
