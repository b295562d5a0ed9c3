/**
 * The far side of the media benchmark, run as a child process: a bare node:dgram echo relay (the
 * ceiling), or N tsvoip streams answering the parent's.
 * @module
 */
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { NodeMediaDriver, type NodeMediaStream } from '../src/index.js';
import {
  type CallCounters,
  cpuMicros,
  openStreams,
  packetsReceived,
  pcmuTo,
  quality,
  snapshot,
} from './calls.js';
import { type BenchCommand, type BenchReply, FAR_PORTS } from './protocol.js';

function reply(r: BenchReply): void {
  process.send?.(r);
}

let relayPackets = 0;
let relayMode = false;
let driver: NodeMediaDriver | undefined;
let streams: NodeMediaStream[] = [];
let mark: CallCounters | undefined;

process.on('message', async (message: BenchCommand) => {
  switch (message.cmd) {
    case 'relay': {
      // The raw ceiling: receive a datagram, send it back. Nothing else.
      const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
      socket.on('message', (msg, rinfo) => {
        relayPackets++;
        socket.send(msg, rinfo.port, rinfo.address);
      });
      socket.bind(0, '127.0.0.1', () => {
        relayMode = true;
        reply({ reply: 'relay', port: socket.address().port });
      });
      break;
    }
    case 'open': {
      relayMode = false;
      driver = new NodeMediaDriver({ portMin: FAR_PORTS.min, portMax: FAR_PORTS.max, clock: message.clock });
      streams = await openStreams(driver, message.count);
      for (let i = 0; i < streams.length; i++) streams[i].start(pcmuTo(message.remotePorts[i]));
      reply({ reply: 'open', ports: streams.map((s) => s.ports.rtp) });
      break;
    }
    case 'sample':
      reply({
        reply: 'sample',
        cpuUs: cpuMicros(),
        packets: relayMode ? relayPackets : packetsReceived(streams),
        wallMs: performance.now(),
      });
      break;
    case 'mark':
      mark = snapshot(streams);
      reply({ reply: 'mark' });
      break;
    case 'quality':
      reply({ reply: 'quality', quality: quality(streams, mark ?? snapshot([])) });
      break;
    case 'close':
      await driver?.close();
      driver = undefined;
      streams = [];
      reply({ reply: 'close' });
      break;
    case 'exit':
      process.exit(0);
  }
});
