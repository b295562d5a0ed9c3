/** The fuzzer's seed corpus: every torture message in ../fixtures plus realistic traffic. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REALISTIC = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nVia: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKx;received=1.2.3.4;rport=5060\r\nMax-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\nFrom: "Alice \\"A\\"" <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33.atlanta.example.com\r\nCSeq: 314159 INVITE\r\nContact: <sip:alice@pc33.atlanta.example.com>, <sips:[2001:db8::1]:5061;transport=tls>;q=0.5\r\nRoute: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\nContent-Type: application/sdp\r\nContent-Length: 142\r\n\r\nv=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
  'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\nTo: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710\r\nCSeq: 314159 INVITE\r\nContact: <sip:bob@192.0.2.4>\r\nContent-Length: 0\r\n\r\n',
  'REGISTER sip:registrar.biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7\r\nMax-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\nFrom: Bob <sip:bob@biloxi.example.com>;tag=456248\r\nCall-ID: 843817637684230@998sdasdh09\r\nCSeq: 1826 REGISTER\r\nContact: <sip:bob@192.0.2.4>;expires=7200\r\nAuthorization: Digest username="bob", realm="biloxi.example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:biloxi.example.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"\r\nExpires: 7200\r\nContent-Length: 0\r\n\r\n',
  'SIP/2.0 401 Unauthorized\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nt: <sip:a@b>;tag=1\r\nf: <sip:a@b>;tag=2\r\ni: x\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="b", qop="auth,auth-int", algorithm=SHA-256, nonce="abc", opaque="", stale=FALSE\r\nl: 0\r\n\r\n',
];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (!name.endsWith('.json') && !name.endsWith('.md')) out.push(p);
  }
  return out;
}

/** Loads the seed corpus. */
export function loadSeeds(): Uint8Array[] {
  const fixtures = new URL('../fixtures/', import.meta.url).pathname;
  const files = walk(fixtures, []).sort();
  return [
    ...REALISTIC.map((s) => Uint8Array.from(Buffer.from(s, 'latin1'))),
    ...files.map((f) => Uint8Array.from(readFileSync(f))),
  ];
}
