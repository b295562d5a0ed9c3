import assert from 'node:assert/strict';
import type { RemoteInfo, Socket } from 'node:dgram';
import { describe, it } from 'node:test';
import { ReceiveBatch, SendBatch } from './datagram-batch.js';

type MediaChannel = 'rtp' | 'rtcp';

interface Sent {
  socket: string;
  bytes: number[];
  port: number;
  address: string;
}

function fakeSocket(name: string, sent: Sent[], views: Uint8Array[] = []): Socket {
  const send = (bytes: Uint8Array, port: number, address: string) => {
    views.push(bytes);
    sent.push({ socket: name, bytes: [...bytes], port, address });
  };
  return { send } as unknown as Socket;
}

const from = (port: number): RemoteInfo => ({ address: '127.0.0.1', family: 'IPv4', port, size: 0 });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('SendBatch', () => {
  it('sends nothing until flushed, then every datagram in order to its destination', () => {
    const sent: Sent[] = [];
    const a = fakeSocket('a', sent);
    const b = fakeSocket('b', sent);
    const batch = new SendBatch();
    batch.add(a, Uint8Array.of(1, 2, 3), 4000, '127.0.0.1');
    batch.add(b, Uint8Array.of(4), 4002, '::1');
    batch.add(a, Uint8Array.of(5, 6), 4004, '127.0.0.2');
    assert.equal(sent.length, 0);
    assert.equal(batch.size, 3);
    assert.equal(batch.flush(), 3);
    assert.deepEqual(sent, [
      { socket: 'a', bytes: [1, 2, 3], port: 4000, address: '127.0.0.1' },
      { socket: 'b', bytes: [4], port: 4002, address: '::1' },
      { socket: 'a', bytes: [5, 6], port: 4004, address: '127.0.0.2' },
    ]);
    assert.equal(batch.size, 0);
    assert.equal(batch.flush(), 0);
    assert.equal(sent.length, 3);
  });

  it('copies the bytes when added: the caller may reuse its buffer at once', () => {
    const sent: Sent[] = [];
    const socket = fakeSocket('s', sent);
    const batch = new SendBatch();
    const buffer = Uint8Array.of(9, 9, 9);
    batch.add(socket, buffer, 1, 'x');
    buffer.fill(0);
    batch.add(socket, buffer, 2, 'x');
    batch.flush();
    assert.deepEqual(
      sent.map((s) => s.bytes),
      [
        [9, 9, 9],
        [0, 0, 0],
      ],
    );
  });

  it('never rewrites bytes handed to a socket, across flushes and full slabs', () => {
    const sent: Sent[] = [];
    const views: Uint8Array[] = [];
    const socket = fakeSocket('s', sent, views);
    const batch = new SendBatch();
    // 172-octet RTP-sized datagrams, far more than one 64 KiB slab holds, and a few large ones.
    const sizes: number[] = [];
    for (let i = 0; i < 1000; i++) sizes.push(i % 97 === 0 ? 9000 : 172);
    sizes.forEach((size, i) => {
      batch.add(socket, new Uint8Array(size).fill(i & 0xff), 5000, '127.0.0.1');
      if (i % 37 === 0) batch.flush();
    });
    batch.flush();
    assert.equal(views.length, sizes.length);
    views.forEach((view, i) => {
      assert.equal(view.length, sizes[i]);
      assert.ok(
        view.every((octet) => octet === (i & 0xff)),
        `datagram ${i} still holds what was added`,
      );
    });
  });
});

describe('ReceiveBatch', () => {
  it('hands the datagrams of one turn on after it, in order, with one timestamp and one drain', async () => {
    const got: { msg: number; port: number; channel: MediaChannel; nowMs: number }[] = [];
    let drains = 0;
    let clock = 100;
    const batch = new ReceiveBatch<MediaChannel>(
      (deliverAll) => {
        drains++;
        deliverAll();
      },
      () => clock++,
    );
    const target = (msg: Uint8Array, source: RemoteInfo, channel: MediaChannel, nowMs: number) => {
      got.push({ msg: msg[0], port: source.port, channel, nowMs });
    };
    batch.add(target, Uint8Array.of(1), from(1), 'rtp');
    batch.add(target, Uint8Array.of(2), from(2), 'rtcp');
    batch.add(target, Uint8Array.of(3), from(3), 'rtp');
    assert.equal(got.length, 0, 'nothing is delivered while the turn reads');
    assert.equal(batch.size, 3);
    await nextTurn();
    assert.deepEqual(got, [
      { msg: 1, port: 1, channel: 'rtp', nowMs: 100 },
      { msg: 2, port: 2, channel: 'rtcp', nowMs: 100 },
      { msg: 3, port: 3, channel: 'rtp', nowMs: 100 },
    ]);
    assert.equal(drains, 1);
    assert.equal(batch.size, 0);

    batch.add(target, Uint8Array.of(4), from(4), 'rtp');
    await nextTurn();
    assert.equal(drains, 2);
    assert.deepEqual(got.at(-1), { msg: 4, port: 4, channel: 'rtp', nowMs: 101 });
  });

  it('routes each datagram to its own target', async () => {
    const a: number[] = [];
    const b: number[] = [];
    const batch = new ReceiveBatch<MediaChannel>(
      (deliverAll) => deliverAll(),
      () => 0,
    );
    batch.add((m) => a.push(m[0]), Uint8Array.of(1), from(1), 'rtp');
    batch.add((m) => b.push(m[0]), Uint8Array.of(2), from(1), 'rtp');
    batch.add((m) => a.push(m[0]), Uint8Array.of(3), from(1), 'rtp');
    await nextTurn();
    assert.deepEqual(a, [1, 3]);
    assert.deepEqual(b, [2]);
  });

  it('a target that throws loses only its datagram: the others of the turn are still delivered, none twice', async () => {
    const got: number[] = [];
    const errors: unknown[] = [];
    const batch = new ReceiveBatch<MediaChannel>(
      (deliverAll) => {
        try {
          deliverAll();
        } catch (e) {
          errors.push(e);
        }
      },
      () => 0,
    );
    const target = (m: Uint8Array) => {
      if (m[0] === 2) throw new Error('bad datagram');
      got.push(m[0]);
    };
    for (const n of [1, 2, 3]) batch.add(target, Uint8Array.of(n), from(1), 'rtp');
    await nextTurn();
    batch.add(target, Uint8Array.of(4), from(1), 'rtp');
    await nextTurn();
    assert.deepEqual(got, [1, 3, 4]);
    assert.equal(errors.length, 1);
  });
});
