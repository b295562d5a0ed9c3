import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedPortDemux, senderSsrc } from './shared-port-demux.js';

/** A minimal RTP packet (12-byte header, PCMU) from `ssrc`. */
function rtp(ssrc: number): Uint8Array {
  const b = new Uint8Array(12 + 160);
  b[0] = 0x80;
  new DataView(b.buffer).setUint32(8, ssrc);
  return b;
}

/** A minimal RTCP receiver report (PT 201) from `ssrc`. */
function rtcpRr(ssrc: number): Uint8Array {
  const b = new Uint8Array(8);
  b[0] = 0x80;
  b[1] = 201;
  b[3] = 1;
  new DataView(b.buffer).setUint32(4, ssrc);
  return b;
}

const A = { address: '10.0.0.1', port: 4000 };
const B = { address: '10.0.0.2', port: 5000 };

describe('senderSsrc', () => {
  it('reads the RTP SSRC, or the RTCP sender SSRC on a multiplexed port (RFC 5761 §4)', () => {
    assert.equal(senderSsrc(rtp(0xdeadbeef), 'rtp'), 0xdeadbeef);
    assert.equal(senderSsrc(rtcpRr(0x01020304), 'rtp'), 0x01020304);
    assert.equal(senderSsrc(rtcpRr(7), 'rtcp'), 7);
    assert.equal(senderSsrc(new Uint8Array(6), 'rtp'), undefined);
  });
});

describe('SharedPortDemux', () => {
  it('routes by remote address, learning the SSRC, then by SSRC from a new address', () => {
    const d = new SharedPortDemux<string>();
    d.set('one', A, A, undefined);
    d.set('two', B, B, undefined);
    assert.equal(d.route(rtp(11), A.address, A.port, 'rtp'), 'one');
    assert.equal(d.route(rtp(22), B.address, B.port, 'rtp'), 'two');
    // NAT rebinding: the learned SSRC finds its stream (whose latch then decides).
    assert.equal(d.route(rtp(11), '10.9.9.9', 1234, 'rtp'), 'one');
    assert.equal(d.route(rtcpRr(22), '10.9.9.9', 1235, 'rtp'), 'two');
    assert.equal(d.unmatched, 0);
  });

  it('routes calls sharing one remote address by their announced SSRCs, and drops unknown ones', () => {
    const d = new SharedPortDemux<number>();
    for (let i = 0; i < 3; i++) d.set(i, A, A, 100 + i);
    assert.equal(d.route(rtp(102), A.address, A.port, 'rtp'), 2);
    assert.equal(d.route(rtp(100), A.address, A.port, 'rtp'), 0);
    assert.equal(d.route(rtcpRr(101), A.address, A.port, 'rtp'), 1);
    // Every stream of that address has an SSRC: an unknown one belongs to none of them.
    assert.equal(d.route(rtp(999), A.address, A.port, 'rtp'), undefined);
    assert.equal(d.route(rtp(998), B.address, B.port, 'rtp'), undefined);
    assert.equal(d.unmatched, 2);
  });

  it('never guesses between two streams expecting the same address with no SSRC', () => {
    const d = new SharedPortDemux<string>();
    d.set('one', A, A, undefined);
    d.set('two', A, A, undefined);
    assert.equal(d.route(rtp(5), A.address, A.port, 'rtp'), undefined);
    // Once one has an announced SSRC, the other is the only candidate left.
    d.set('one', A, A, 6);
    assert.equal(d.route(rtp(5), A.address, A.port, 'rtp'), 'two');
    assert.equal(d.route(rtp(5), A.address, A.port, 'rtp'), 'two');
    assert.equal(d.route(rtp(6), A.address, A.port, 'rtp'), 'one');
  });

  it('follows re-keying and forgets removed streams', () => {
    const d = new SharedPortDemux<string>();
    d.set('one', A, { address: A.address, port: A.port + 1 }, undefined);
    assert.equal(d.route(rtcpRr(1), A.address, A.port + 1, 'rtcp'), 'one');
    d.set('one', B, B, undefined);
    // The SSRC learned from RTCP still routes; a new SSRC from the old address does not.
    assert.equal(d.route(rtp(1), A.address, A.port, 'rtp'), 'one');
    assert.equal(d.route(rtp(2), A.address, A.port, 'rtp'), undefined);
    assert.equal(d.route(rtp(3), B.address, B.port, 'rtp'), 'one');
    d.remove('one');
    assert.equal(d.size, 0);
    assert.equal(d.route(rtp(1), B.address, B.port, 'rtp'), undefined);
    assert.equal(d.route(rtp(3), B.address, B.port, 'rtp'), undefined);
  });
});
