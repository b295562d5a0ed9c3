/**
 * Wireshark's SIP dissector (tshark, Debian package) reads every message our serializer writes in
 * this test — re-serialized torture messages, responses built from them (RFC 3261 §8.2.6), proxied
 * copies (Via pushed, Max-Forwards decremented, Route popped) and built requests — and must flag
 * none as malformed. `npm test` installs tshark first (scripts/install-test-tools.sh).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRequest, createResponse, parseMessage, type SipMessage, serializeMessage } from '../index.js';
import { udpPcap } from './pcap.js';

interface Entry {
  file: string;
  expect: string;
  line_endings?: string;
}

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(fixtures, 'torture-manifest.json'), 'utf8')) as Entry[];
const dir = mkdtempSync(join(tmpdir(), 'tsvoip-tshark-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function parsedFixtures(): { name: string; msg: SipMessage }[] {
  const out: { name: string; msg: SipMessage }[] = [];
  for (const e of manifest) {
    if (e.expect === 'invalid' || e.line_endings === 'LF') continue;
    try {
      out.push({ name: e.file, msg: parseMessage(readFileSync(join(fixtures, e.file))) });
    } catch {
      // rejected inputs produce no serializer output
    }
  }
  return out;
}

function serializerOutputs(): { label: string; bytes: Uint8Array }[] {
  const out: { label: string; bytes: Uint8Array }[] = [];
  const sdp =
    'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
  const invite = createRequest({
    method: 'INVITE',
    requestUri: 'sip:bob@127.0.0.1:5060',
    from: '"Alice" <sip:alice@127.0.0.1>',
    to: '<sip:bob@127.0.0.1>',
    via: 'SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-tshark-1;rport',
    contact: '<sip:alice@127.0.0.1:5062>',
    route: ['<sip:proxy.example.com;lr>'],
    body: sdp,
    contentType: 'application/sdp',
  });
  const register = createRequest({
    method: 'REGISTER',
    requestUri: 'sip:127.0.0.1',
    from: '<sip:1001@127.0.0.1>',
    to: '<sip:1001@127.0.0.1>',
    via: 'SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-tshark-2',
    contact: '<sip:1001@127.0.0.1:5070>;expires=3600',
    headers: [
      [
        'Authorization',
        'Digest username="1001", realm="pbx", nonce="abc", uri="sip:127.0.0.1", response="0123456789abcdef0123456789abcdef", algorithm=MD5',
      ],
    ],
  });
  const requests = [
    { name: 'built INVITE', msg: invite },
    { name: 'built REGISTER', msg: register },
    ...parsedFixtures(),
  ];
  requests.forEach(({ name: i, msg: m }) => {
    out.push({ label: `${i} as parsed`, bytes: serializeMessage(m) });
    if (!m.isRequest) return;
    for (const status of [100, 180, 200, 404, 486]) {
      try {
        const r = createResponse(m, status, undefined, { toTag: 'tt1' });
        out.push({ label: `${i} → ${status}`, bytes: serializeMessage(r) });
      } catch {
        // a request missing what a response copies cannot be answered; no output
      }
    }
    try {
      const p = parseMessage(serializeMessage(m));
      p.addHeader('Via', 'SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bK-proxy', { prepend: true } as never);
      const mf = p.maxForwards;
      if (mf !== undefined) p.setHeader('Max-Forwards', String(Math.max(0, mf - 1)));
      p.removeFirstHeader('Route');
      out.push({ label: `${i} proxied`, bytes: serializeMessage(p) });
    } catch {
      // unproxiable input (e.g. an unparsable Max-Forwards): nothing serialized
    }
  });
  return out;
}

function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(
    r.error,
    undefined,
    `tshark could not run: ${r.error?.message} (scripts/install-test-tools.sh installs it)`,
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('tshark dissects what the serializer writes', () => {
  it('finds every message as SIP and none malformed', () => {
    const outputs = serializerOutputs();
    assert.ok(outputs.length > 150, `only ${outputs.length} messages`);
    const pcap = join(dir, 'serialized.pcap');
    writeFileSync(pcap, udpPcap(outputs.map((o) => o.bytes)));
    const sipFrames = tshark(['-r', pcap, '-Y', 'sip', '-T', 'fields', '-e', 'frame.number'])
      .trim()
      .split('\n');
    const missing = outputs
      .map((o, i) => (sipFrames.includes(String(i + 1)) ? '' : o.label))
      .filter((l) => l);
    assert.deepEqual(missing, [], 'every datagram dissected as SIP');
    const bad = tshark([
      '-r',
      pcap,
      '-Y',
      '_ws.malformed || _ws.expert.severity == "Error"',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      '_ws.expert.message',
    ]).trim();
    const report = bad
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const [n, msg] = l.split('\t');
        return `${outputs[Number(n) - 1].label}: ${msg}`;
      });
    assert.deepEqual(report, []);
  });
});
