import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { createResponse, type SipMessage, serializeMessage } from '@tsvoip/sip';
import { type ReceivedMessage, responseTarget, UdpTransport } from '@tsvoip/transport';
import { startUdpProxy } from './examples/udp-proxy.js';

async function next(t: UdpTransport, ms = 3000): Promise<ReceivedMessage> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    const [m] = (await once(t, 'message', { signal: ac.signal })) as [ReceivedMessage];
    return m;
  } finally {
    clearTimeout(timer);
  }
}

describe('NodeProxyDriver on UDP 127.0.0.1 (the README example)', () => {
  it('routes sip:*@example to the fixed target and the 200 back (RFC 3261 §16.6, §16.7)', async () => {
    const uas = new UdpTransport();
    const uac = new UdpTransport();
    const uasAddr = await uas.listen('127.0.0.1', 0);
    const uacAddr = await uac.listen('127.0.0.1', 0);
    const proxy = await startUdpProxy(0, `127.0.0.1:${uasAddr.port}`);
    try {
      const invite = [
        'INVITE sip:bob@example SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${uacAddr.port};branch=z9hG4bKnode1;rport`,
        'Max-Forwards: 70',
        'From: <sip:alice@example>;tag=a1',
        'To: <sip:bob@example>',
        'Call-ID: node-1',
        'CSeq: 1 INVITE',
        `Contact: <sip:alice@127.0.0.1:${uacAddr.port}>`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      await uac.send({ address: '127.0.0.1', port: proxy.port }, Buffer.from(invite));
      const got = await next(uas);
      const req: SipMessage = got.message;
      assert.equal(req.requestUri, `sip:bob@127.0.0.1:${uasAddr.port}`);
      assert.equal(req.via.length, 2);
      assert.equal(req.maxForwards, 69);
      const res = createResponse(req, 200, undefined, {
        toTag: 'b1',
        copyRecordRoute: true,
        headers: [['Contact', `<sip:bob@127.0.0.1:${uasAddr.port}>`]],
      });
      const to = responseTarget(req.getHeader('Via') as string);
      assert.ok(to);
      await uas.send({ address: to.host, port: to.port }, serializeMessage(res));
      let back = await next(uac);
      while (back.message.status < 200) back = await next(uac); // a 100 Trying may come first
      assert.equal(back.message.status, 200);
      assert.equal(back.message.via.length, 1);
      assert.deepEqual(back.message.getHeaders('Record-Route'), [`<sip:127.0.0.1:${proxy.port};lr>`]);
    } finally {
      await proxy.stop();
      await uas.close();
      await uac.close();
    }
  });
});
