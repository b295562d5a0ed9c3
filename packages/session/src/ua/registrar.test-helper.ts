/** A test registrar for the user-agent tests: the stack's digest server and a Map of bindings. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createResponse, formatUri, type SipMessage } from '@tsvoip/sip';
import { createHa1Lookup, DigestServer, listeningAddresses, NodeStackDriver, SipStack } from '@tsvoip/stack';
import { TcpTransport, type Transport, UdpTransport } from '@tsvoip/transport';

/** A tiny registrar: the stack's digest server and a Map of bindings (RFC 3261 §10.3). */
export async function startRegistrar(grantSeconds: number, protocol: 'udp' | 'tcp' = 'udp') {
  const realm = '127.0.0.1';
  const transport: Transport = protocol === 'tcp' ? new TcpTransport() : new UdpTransport();
  await transport.listen('127.0.0.1', 0);
  const digest = new DigestServer({ realm, secret: randomBytes(32), algorithms: ['SHA-256', 'MD5'] });
  const lookup = createHa1Lookup(realm, [{ username: 'alice', password: 'wonderland' }]);
  const bindings = new Map<string, string>();
  const log: Array<{ authorized: boolean; expires: number; via: string; connectionId?: string }> = [];
  const stack = new SipStack({
    localAddresses: listeningAddresses([transport]),
    allowedMethods: ['REGISTER', 'OPTIONS'],
  });
  const driver = new NodeStackDriver(stack, [transport], {
    onEvent: (event, d) => {
      if (event.type !== 'request') return;
      const req: SipMessage = event.request;
      const result = digest.verify(
        { method: 'REGISTER', uri: req.requestUri, authorization: req.getHeaders('Authorization') },
        d.now(),
        lookup,
      );
      const expires = Number(req.getHeader('Expires') ?? 3600);
      log.push({
        authorized: result.ok,
        expires,
        via: req.via[0]?.transport ?? '',
        connectionId: event.connectionId,
      });
      let response: SipMessage;
      if (!result.ok) {
        // RFC 3261 §22.2: 401 with one WWW-Authenticate per algorithm.
        response = createResponse(req, 401, undefined, {
          toTag: 'reg',
          headers: result.challenges.map((c) => [result.challengeHeader, c] as const),
        });
      } else {
        const aor = formatUri(
          req.to?.uri ?? req.parsedRequestUri ?? { kind: 'absolute', scheme: 'x', opaque: '' },
        );
        const contact = req.contact[0];
        const granted = Math.min(expires, grantSeconds);
        if (granted === 0) bindings.delete(aor);
        else if (contact !== undefined && contact !== '*') bindings.set(aor, formatUri(contact.uri));
        response = createResponse(req, 200, undefined, {
          toTag: 'reg',
          headers:
            granted === 0 || contact === undefined || contact === '*'
              ? []
              : [['Contact', `<${formatUri(contact.uri)}>;expires=${granted}`]],
        });
      }
      d.run((s, now) => s.sendResponse(event.transactionId, response, now));
    },
  });
  const where = transport.listening;
  assert.ok(where);
  return {
    uri: `sip:127.0.0.1:${where.port}${protocol === 'tcp' ? ';transport=tcp' : ''}`,
    bindings,
    log,
    async close() {
      driver.close();
      await transport.close();
    },
  };
}
