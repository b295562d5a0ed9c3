/**
 * The far side of the media benchmark, run as a child process: a bare node:dgram echo relay (the
 * ceiling), N bare sockets at 50 datagrams/s (the calls' topology), or N tsvoip streams answering
 * the parent's.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { lookupNumeric } from '@tsvoip/transport';
import { NodeMediaDriver, type NodeMediaStream } from '../src/index.js';
import {
  type CallCounters,
  cpuMicros,
  openStreams,
  pace,
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
let relaySockets: Socket[] = [];

let stopRelay: (() => void) | undefined;

function bindCounting(): Promise<Socket> {
  const socket = createSocket({
    type: 'udp4',
    recvBufferSize: 1 << 18,
    sendBufferSize: 1 << 18,
    lookup: lookupNumeric,
  });
  socket.on('message', () => {
    relayPackets++;
  });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

process.on('message', async (message: BenchCommand) => {
  switch (message.cmd) {
    case 'relay': {
      // The raw ceiling: receive a datagram, send it back. Nothing else.
      const socket = createSocket({
        type: 'udp4',
        recvBufferSize: 1 << 20,
        sendBufferSize: 1 << 20,
        lookup: lookupNumeric,
      });
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
    case 'relay-n': {
      // The calls' topology without tsvoip: as many sockets as the calls use, 50 datagrams/s per call each way.
      relayMode = true;
      relaySockets = [];
      for (let i = 0; i < message.remotePorts.length; i++) relaySockets.push(await bindCounting());
      const stop = pace(relaySockets, message.remotePorts, message.count);
      stopRelay = stop;
      reply({ reply: 'relay-n', ports: relaySockets.map((s) => s.address().port) });
      break;
    }
    case 'open': {
      relayMode = false;
      driver = new NodeMediaDriver({
        portMin: FAR_PORTS.min,
        portMax: FAR_PORTS.max,
        clock: message.clock,
        sharedPorts: message.sharedPorts,
      });
      streams = await openStreams(driver, message.count);
      for (let i = 0; i < streams.length; i++)
        streams[i].start(pcmuTo(message.remotePorts[i], message.remoteSsrcs[i]));
      reply({ reply: 'open', ports: streams.map((s) => s.ports.rtp), ssrcs: streams.map((s) => s.ssrc) });
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
      stopRelay?.();
      stopRelay = undefined;
      await Promise.all(relaySockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      relaySockets = [];
      streams = [];
      reply({ reply: 'close' });
      break;
    case 'exit':
      process.exit(0);
  }
});
