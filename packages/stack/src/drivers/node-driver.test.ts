import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createRequest, createResponse, type SipMessage } from '@tsvoip/sip';
import { TcpTransport, type Transport, UdpTransport } from '@tsvoip/transport';
import type { StackEvent } from '../core/io.js';
import { SipStack } from '../core/stack.js';
import { listeningAddresses, NodeStackDriver } from './node-driver.js';

const started: Array<{ close(): unknown }> = [];
after(async () => {
  for (const s of started.reverse()) await s.close();
});

async function node(onEvent?: (e: StackEvent, d: NodeStackDriver) => void) {
  const transports: Transport[] = [new UdpTransport(), new TcpTransport()];
  for (const t of transports) {
    started.push(t);
    await t.listen('127.0.0.1', 0);
  }
  const stack = new SipStack({ localAddresses: listeningAddresses(transports), timers: { t1: 20 } });
  const driver = new NodeStackDriver(stack, transports, { onEvent });
  started.push(driver);
  return { transports, driver };
}

function waitFor<T>(what: string, ms: number, arm: (done: (v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    arm((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

describe('NodeStackDriver on loopback sockets', () => {
  for (const transport of ['UDP', 'TCP'] as const) {
    it(`exchanges OPTIONS / 200 over ${transport}`, async () => {
      const server = await node((event, d) => {
        if (event.type === 'request') {
          d.run((s, now) =>
            s.sendResponse(
              event.transactionId,
              createResponse(event.request, 200, undefined, { toTag: 'srv' }),
              now,
            ),
          );
        }
      });
      let resolveResponse: ((m: SipMessage) => void) | undefined;
      const client = await node((event) => {
        if (event.type === 'response') resolveResponse?.(event.response);
      });
      const target = server.transports.find((t) => t.protocol === transport)!.listening!;
      const got = waitFor<SipMessage>('the 200', 3000, (done) => {
        resolveResponse = done;
      });
      const options = createRequest({
        method: 'OPTIONS',
        requestUri: `sip:srv@127.0.0.1:${target.port}`,
        from: '<sip:cli@127.0.0.1>',
        to: `<sip:srv@127.0.0.1:${target.port}>`,
      });
      client.driver.run((s, now) => s.sendRequest(options, target, now));
      const res = await got;
      assert.equal(res.status, 200);
      assert.equal(res.to?.tag, 'srv');
    });
  }

  it('times out a request to a silent UDP port on Timer F with the real clock (T1 = 20 ms)', async () => {
    const silent = new UdpTransport();
    started.push(silent);
    const dest = await silent.listen('127.0.0.1', 0);
    let received = 0;
    silent.on('message', () => received++);
    let onTimeout: ((e: StackEvent) => void) | undefined;
    const client = await node((event) => {
      if (event.type === 'timeout') onTimeout?.(event);
    });
    const timedOut = waitFor<StackEvent>('Timer F', 8000, (done) => {
      onTimeout = done;
    });
    const options = createRequest({
      method: 'OPTIONS',
      requestUri: `sip:x@127.0.0.1:${dest.port}`,
      from: '<sip:cli@127.0.0.1>',
      to: '<sip:x@127.0.0.1>',
    });
    const id = client.driver.run((s, now) => s.sendRequest(options, dest, now));
    const e = await timedOut;
    assert.deepEqual(e, { type: 'timeout', transactionId: id, timer: 'F' });
    // RFC 3261 §17.1.2.2: Timer E from T1 = 20 ms doubling to T2 until F = 64*T1 = 1.28 s:
    // sends at 0, 20, 60, 140, 300, 620, 1260 ms (allow for a slow machine).
    assert.ok(received >= 5, `received ${received}`);
  });
});
