import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransportAddress } from '../address.js';
import { type Delivery, SimNetwork } from './sim-network.js';
import { VirtualClock } from './virtual-clock.js';

const CLIENT: TransportAddress = { transport: 'UDP', host: '192.0.2.1', port: 5060 };
const SERVER: TransportAddress = { transport: 'UDP', host: '192.0.2.2', port: 5060 };
const T1 = 500;

/**
 * A toy sans-IO request sender with RFC 3261 §17.1.2.2 non-INVITE retransmissions (Timer E doubling
 * up to T2 = 4 s, Timer F = 64*T1): the shape of a core the simulated network is built to test.
 */
class ToyClient {
  sends = 0;
  done: 'answered' | 'timeout' | undefined;
  #retransmitAt: number | undefined;
  #interval = T1;
  #giveUpAt = 0;
  constructor(readonly net: SimNetwork) {}
  start(now: number) {
    this.#giveUpAt = now + 64 * T1;
    this.#send(now);
  }
  #send(now: number) {
    this.sends++;
    this.net.send(CLIENT, SERVER, new TextEncoder().encode('MESSAGE'), now);
    this.#retransmitAt = now + this.#interval;
    this.#interval = Math.min(this.#interval * 2, 4000);
  }
  nextDeadline() {
    return this.done ? undefined : Math.min(this.#retransmitAt ?? Number.POSITIVE_INFINITY, this.#giveUpAt);
  }
  handleTimeout(now: number) {
    if (this.done) return;
    if (now >= this.#giveUpAt) this.done = 'timeout';
    else if (this.#retransmitAt !== undefined && now >= this.#retransmitAt) this.#send(now);
  }
  receive(_d: Delivery) {
    this.done ??= 'answered';
  }
}

function scenario(seed: number, loss: number) {
  const net = new SimNetwork({ seed, defaults: { delayMs: 40, jitterMs: 20, loss } });
  const clock = new VirtualClock();
  const client = new ToyClient(net);
  net.bind(CLIENT, (d) => client.receive(d));
  net.bind(SERVER, (d, now) => net.send(SERVER, CLIENT, d.bytes, now));
  clock.add(net);
  clock.add(client);
  client.start(0);
  clock.runUntilIdle();
  return { client, clock, net };
}

describe('simulated network driving a sans-IO core on virtual time', () => {
  it('a lossless exchange answers in one round trip', () => {
    const { client, clock } = scenario(1, 0);
    assert.equal(client.done, 'answered');
    assert.equal(client.sends, 1);
    assert.ok(clock.now >= 80 && clock.now < 120);
  });

  it('with 40% loss, retransmissions get the request through, identically for the same seed', () => {
    const a = scenario(11, 0.4);
    const b = scenario(11, 0.4);
    assert.equal(a.client.done, 'answered');
    assert.equal(a.client.sends, b.client.sends);
    assert.equal(a.clock.now, b.clock.now);
    const retransmitting = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => scenario(s, 0.4).client.sends);
    assert.ok(
      retransmitting.some((n) => n > 1),
      'loss forced at least one retransmission',
    );
  });

  it('a dead link times out after Timer F = 64*T1 = 32 s of virtual time', () => {
    const { client, clock } = scenario(1, 1);
    assert.equal(client.done, 'timeout');
    assert.equal(clock.now, 32000);
    // Timer E: 0, 0.5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s → 11 sends.
    assert.equal(client.sends, 11);
  });
});
