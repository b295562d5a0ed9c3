import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, describe, it } from 'node:test';
import { createRequest, createResponse, type SipMessage } from '@tsvoip/sip';
import {
  type SendResult,
  type SendTarget,
  TcpTransport,
  type Transport,
  type TransportAddress,
  TransportError,
  type TransportEvents,
  type TransportProtocol,
  UdpTransport,
} from '@tsvoip/transport';
import type { SendFailedInput, StackEvent, TransmitOutput } from '../core/io.js';
import { SipStack } from '../core/stack.js';
import {
  type DriverInput,
  type DriverOutput,
  listeningAddresses,
  NodeStackDriver,
  type SansIoCore,
} from './node-driver.js';

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

/** A transport without sockets: records sends, answers them with `result`. */
class FakeTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly sends: Array<{ target: SendTarget; bytes: Uint8Array }> = [];
  result: (n: number) => Promise<SendResult> = () => Promise.resolve({ local: this.address });
  constructor(
    readonly protocol: TransportProtocol,
    readonly address: TransportAddress = { transport: protocol, host: '192.0.2.1', port: 5060 },
  ) {
    super();
  }
  get listening(): TransportAddress {
    return this.address;
  }
  listen(): Promise<TransportAddress> {
    return Promise.resolve(this.address);
  }
  send(target: SendTarget, bytes: Uint8Array): Promise<SendResult> {
    this.sends.push({ target, bytes });
    return this.result(this.sends.length);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A scripted core: records its inputs; `outputs` is drained by pollOutput. */
class FakeCore implements SansIoCore {
  readonly inputs: Array<{ input: DriverInput; now: number }> = [];
  readonly outputs: Array<DriverOutput<string>> = [];
  onInput: (input: DriverInput) => void = () => {};
  handleInput(input: DriverInput, now: number): void {
    this.inputs.push({ input, now });
    this.onInput(input);
  }
  pollOutput(): DriverOutput<string> | undefined {
    return this.outputs.shift();
  }
}

const peer: TransportAddress = { transport: 'UDP', host: '192.0.2.9', port: 5070 };
const transmit = (transactionId: string, to: TransportAddress = peer): TransmitOutput => ({
  type: 'transmit',
  to,
  bytes: new Uint8Array([1]),
  transactionId,
});
const request = createRequest({
  method: 'OPTIONS',
  requestUri: 'sip:x@192.0.2.1',
  from: '<sip:a@b>',
  to: '<sip:x@b>',
});

describe('NodeStackDriver with any sans-IO core', () => {
  it('runs a command after a timer input at the current time; events reach onEvent, whose commands act at the input time and leave with its outputs', () => {
    const udp = new FakeTransport('UDP');
    const core = new FakeCore();
    let clock = 100;
    const seen: string[] = [];
    const driver = new NodeStackDriver(core, udp, {
      clock: () => clock,
      onEvent: (event, d) => {
        seen.push(event);
        clock = 150; // time passes while the listener works
        const at = d.run((c, now) => {
          c.outputs.push(transmit('answer'));
          return now;
        });
        seen.push(`run at ${at}`);
      },
    });
    assert.equal(
      driver.run((c, now) => {
        c.outputs.push(transmit('first'));
        return now;
      }),
      100,
    );
    assert.deepEqual(core.inputs, [{ input: { type: 'timer' }, now: 100 }]);
    assert.deepEqual(
      udp.sends.map((s) => s.target),
      [{ address: '192.0.2.9', port: 5070, connectionId: undefined }],
    );
    clock = 120;
    core.onInput = (input) => {
      if (input.type === 'message') core.outputs.push({ type: 'event', event: 'request' });
    };
    udp.emit('message', { message: request, source: peer, local: udp.address });
    // The command ran at the message's time (120), without a timer input of its own.
    assert.deepEqual(seen, ['request', 'run at 120']);
    assert.deepEqual(
      core.inputs.map((i) => [i.input.type, i.now]),
      [
        ['timer', 100],
        ['message', 120],
      ],
    );
    assert.equal(udp.sends.length, 2);
    driver.close();
  });

  it("feeds the core's clock forward only: a message after an early timer gets the timer's time", async () => {
    const udp = new FakeTransport('UDP');
    const core = new FakeCore();
    const clock = 10;
    const driver = new NodeStackDriver(core, [udp], { clock: () => clock });
    core.outputs.push({ type: 'timeout', at: 12 });
    driver.run(() => undefined);
    // Fires (after about 2 ms of real time) while the injected clock still says 10.
    await new Promise((r) => setTimeout(r, 30));
    udp.emit('message', { message: request, source: peer, local: udp.address });
    assert.deepEqual(
      core.inputs.map((i) => [i.input.type, i.now]),
      [
        ['timer', 10],
        ['timer', 12],
        ['message', 12],
      ],
    );
    driver.close();
  });

  it("feeds a message's socket address as local, or its listener's with local: 'listener'", () => {
    const listener: TransportAddress = { transport: 'TCP', host: '0.0.0.0', port: 5060 };
    const socket: TransportAddress = { transport: 'TCP', host: '192.0.2.1', port: 5060 };
    const locals: Array<TransportAddress | undefined> = [];
    for (const local of ['socket', 'listener'] as const) {
      const tcp = new FakeTransport('TCP', listener);
      const core = new FakeCore();
      const driver = new NodeStackDriver(core, [tcp], { local });
      tcp.emit('message', { message: request, source: peer, local: socket, listener, connectionId: 'c1' });
      const input = core.inputs[0]?.input;
      assert.equal(input?.type, 'message');
      if (input?.type === 'message') {
        assert.equal(input.connectionId, 'c1');
        locals.push(input.local);
      }
      driver.close();
    }
    assert.deepEqual(locals, [socket, listener]);
  });

  it('reports a send to a protocol without transport, and each rejected send, as send-failed to its transaction (RFC 3261 §17.1.4)', async () => {
    const udp = new FakeTransport('UDP');
    udp.result = (n) => Promise.reject(new Error(`send ${n} failed`));
    const core = new FakeCore();
    const driver = new NodeStackDriver(core, [udp]);
    driver.run((c) => {
      c.outputs.push(
        transmit('t1'),
        transmit('t2'),
        transmit('t3', { transport: 'TLS', host: 'h', port: 5061 }),
      );
    });
    await new Promise((r) => setImmediate(r));
    const failed = core.inputs
      .filter((i) => i.input.type === 'send-failed')
      .map((i) => i.input as SendFailedInput);
    assert.deepEqual(failed.map((f) => [f.transactionId, f.error.message]).sort(), [
      ['t1', 'send 1 failed'],
      ['t2', 'send 2 failed'],
      ['t3', 'no TLS transport to reach h:5061'],
    ]);
    const tls = failed.find((f) => f.transactionId === 't3');
    assert.ok(tls?.error instanceof TransportError && tls.error.code === 'unreachable');
    assert.equal(driver.sendErrors, 3);
    driver.close();
  });

  it('trackSends: sent() resolves once the sends in flight have left', async () => {
    const udp = new FakeTransport('UDP');
    let release: (() => void) | undefined;
    udp.result = () =>
      new Promise((resolve) => {
        release = () => resolve({ local: udp.address });
      });
    const driver = new NodeStackDriver(new FakeCore(), [udp], { trackSends: true });
    driver.run((c) => {
      c.outputs.push(transmit('t1'));
    });
    let done = false;
    const sent = driver.sent().then(() => {
      done = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    release?.();
    await sent;
    assert.equal(done, true);
    driver.close();
  });

  it('after close(): no input reaches the core, transmits are dropped, no timer fires', async () => {
    const udp = new FakeTransport('UDP');
    const core = new FakeCore();
    const driver = new NodeStackDriver(core, [udp]);
    core.outputs.push({ type: 'timeout', at: driver.now() + 5 });
    driver.run(() => undefined);
    driver.close();
    udp.emit('message', { message: request, source: peer, local: udp.address });
    driver.run((c) => {
      c.outputs.push(transmit('late'));
    });
    driver.transmit(transmit('pushed'));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      core.inputs.map((i) => i.input.type),
      ['timer'],
    );
    assert.equal(udp.sends.length, 0);
    assert.equal(udp.listenerCount('message'), 0);
  });
});
