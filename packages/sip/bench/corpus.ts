/** The benchmark corpus: a realistic call flow plus a REGISTER with Digest credentials. */

const SDP_OFFER = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49172 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=sendrecv',
  '',
].join('\r\n');

const SDP_ANSWER = [
  'v=0',
  'o=bob 2808844564 2808844564 IN IP4 192.0.2.201',
  's=-',
  'c=IN IP4 192.0.2.201',
  't=0 0',
  'm=audio 3456 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  '',
].join('\r\n');

function msg(lines: string[], body = ''): string {
  return `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** INVITE with SDP and two Vias (after one proxy). */
export const INVITE = msg(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;received=192.0.2.101',
    'Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport=5060',
    'Max-Forwards: 69',
    'Record-Route: <sip:proxy.atlanta.example.com;lr>',
    'To: Bob <sip:bob@biloxi.example.com>',
    'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.atlanta.example.com;transport=tcp>',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY',
    'Supported: replaces, timer',
    'User-Agent: tsvoip-bench/1.0',
    'Content-Type: application/sdp',
  ],
  SDP_OFFER,
);

/** 180 Ringing. */
export const RINGING = msg([
  'SIP/2.0 180 Ringing',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;received=192.0.2.101',
  'Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport=5060',
  'Record-Route: <sip:proxy.atlanta.example.com;lr>',
  'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:bob@192.0.2.201>',
]);

/** 200 OK with SDP. */
export const OK_INVITE = msg(
  [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;received=192.0.2.101',
    'Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport=5060',
    'Record-Route: <sip:proxy.atlanta.example.com;lr>',
    'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
    'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:bob@192.0.2.201>',
    'Content-Type: application/sdp',
  ],
  SDP_ANSWER,
);

/** ACK for the 2xx. */
export const ACK = msg([
  'ACK sip:bob@192.0.2.201 SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKnashds9',
  'Max-Forwards: 70',
  'Route: <sip:proxy.atlanta.example.com;lr>',
  'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 ACK',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
]);

/** BYE. */
export const BYE = msg([
  'BYE sip:alice@pc33.atlanta.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.201:5060;branch=z9hG4bKnashds10',
  'Max-Forwards: 70',
  'Route: <sip:proxy.atlanta.example.com;lr>',
  'From: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
  'To: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 231 BYE',
  'Contact: <sip:bob@192.0.2.201>',
]);

/** REGISTER with Digest Authorization. */
export const REGISTER = msg([
  'REGISTER sip:registrar.biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7;rport',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Bob <sip:bob@biloxi.example.com>;tag=456248',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1827 REGISTER',
  'Contact: <sip:bob@192.0.2.4>;expires=7200',
  'Authorization: Digest username="bob", realm="biloxi.example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:registrar.biloxi.example.com", response="245f23415f11432b3434341c022", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"',
  'Expires: 7200',
]);

/** The corpus in call order. */
export const CORPUS: readonly string[] = [INVITE, RINGING, OK_INVITE, ACK, BYE, REGISTER];
