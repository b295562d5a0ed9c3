/**
 * A bare node:dgram responder for sipp's uac-bench calls (180 + 200 with SDP to INVITE, 200 to
 * BYE, ACK ignored), with text-level header copying and no SIP stack: what Node's UDP I/O alone
 * costs per call. bench/uas.ts measures it beside `tsvoip uas` as the floor under it.
 *
 *   node bench/bare-uas.mjs <port>
 */
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2] ?? 15090);
const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
const socket = createSocket({
  type: 'udp4',
  recvBufferSize: 4 << 20,
  sendBufferSize: 4 << 20,
  // IP literals only: answered at once (as tsvoip's tuned UDP transport does).
  lookup: (host, _options, callback) => callback(null, host, 4),
});
/** The line of header `name` (full form, as sipp writes it). */
const line = (text, name) => {
  const at = text.indexOf(`\n${name}:`) + 1;
  return text.slice(at, text.indexOf('\r\n', at));
};
socket.on('message', (bytes, from) => {
  const text = bytes.latin1Slice(0, bytes.length);
  if (text.startsWith('ACK')) return;
  const to = line(text, 'To');
  const common =
    `${line(text, 'Via')}\r\n${line(text, 'From')}\r\n${to.includes(';tag=') ? to : `${to};tag=bare1`}\r\n` +
    `${line(text, 'Call-ID')}\r\n${line(text, 'CSeq')}\r\nContact: <sip:uas@127.0.0.1:${port}>\r\n`;
  const send = (s) => socket.send(Buffer.from(s, 'latin1'), from.port, from.address);
  if (text.startsWith('INVITE')) {
    send(`SIP/2.0 180 Ringing\r\n${common}Content-Length: 0\r\n\r\n`);
    send(
      `SIP/2.0 200 OK\r\n${common}Content-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`,
    );
  } else send(`SIP/2.0 200 OK\r\n${common}Content-Length: 0\r\n\r\n`);
});
socket.bind(port, '127.0.0.1', () => console.log(`bare uas listening on udp:127.0.0.1:${port}`));
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
