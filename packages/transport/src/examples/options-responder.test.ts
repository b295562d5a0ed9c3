import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { next, optionsRequest } from '../node/test-support.js';
import type { ReceivedMessage } from '../node/transport.js';
import { UdpTransport } from '../node/udp-transport.js';
import { startOptionsResponder } from './options-responder.js';

describe('README example: UDP OPTIONS responder', () => {
  const open: UdpTransport[] = [];
  after(() => Promise.all(open.map((t) => t.close())));

  it('answers 200 OK to the packet source, with rport and received filled (RFC 3581 §4)', async () => {
    const server = await startOptionsResponder('127.0.0.1', 0);
    open.push(server);
    const client = new UdpTransport();
    open.push(client);
    const c = await client.listen('127.0.0.1', 0);
    const got = next<[ReceivedMessage]>(client, 'message');
    // The request claims a private sent-by; the response still reaches the real source.
    const req = optionsRequest('10.0.0.99', 5999, 'UDP');
    await client.send({ address: '127.0.0.1', port: server.listening!.port }, req);
    const [resp] = await got;
    assert.equal(resp.message.status, 200);
    const via = resp.message.getHeaders('Via')[0];
    assert.match(via, new RegExp(`;rport=${c.port}`));
    assert.match(via, /;received=127\.0\.0\.1/);
  });
});
