/**
 * Dialog-layer benchmark: complete calls (INVITE, 180, 200, ACK, BYE, 200) between two user agent
 * cores in one process, every message serialized and parsed, against SIP.js's UserAgentCore
 * measured in the same run. Run: node --conditions=source --import tsx bench/dialogs.ts
 */
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type IncomingInviteRequest,
  IncomingRequestMessage,
  type IncomingResponseMessage,
  LoggerFactory,
  Parser,
  UserAgentCore as SipJsCore,
  URI,
} from 'sip.js/lib/core/index.js';
import type { SipAddress } from '../src/core/address.js';
import { SipStack } from '../src/core/stack.js';
import { UA_METHODS, UA_OPTION_TAGS } from '../src/ua/options.js';
import { createUserAgentCore, type UserAgentCore } from '../src/ua/user-agent-core.js';

const RUNS = 7;
const CALLS = Number(process.env.CALLS ?? 2000);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function measure(fn: () => Promise<number>): Promise<number> {
  await fn();
  await fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await fn());
  return median(out);
}

/** Lets the event loop run (SIP.js ends its transactions with setTimeout(0) over TCP). */
const yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---- tsvoip ---------------------------------------------------------------------------------

function tsvoipUa(name: string, host: string): { ua: UserAgentCore; addr: SipAddress } {
  // TCP on both sides: SIP.js then runs no retransmission timers either.
  const addr: SipAddress = { transport: 'TCP', host, port: 5060 };
  let n = 0;
  const token = () => `${name}${(++n).toString(36)}`;
  const stack = new SipStack({
    localAddresses: [addr],
    random: token,
    allowedMethods: UA_METHODS,
    supportedOptionTags: UA_OPTION_TAGS,
  });
  return {
    ua: createUserAgentCore(stack, {
      contact: `<sip:${name}@${host}:5060;transport=tcp>`,
      from: `<sip:${name}@example.com>`,
      token,
    }),
    addr,
  };
}

/** Calls per second, tsvoip. */
async function tsvoipCalls(): Promise<number> {
  const a = tsvoipUa('a', '10.0.0.1');
  const b = tsvoipUa('b', '10.0.0.2');
  let done = 0;
  b.ua.on('invite', (inv) => {
    inv.provisional(180);
    inv.accept({ body: 'v=0\r\n' });
  });
  const pump = () => {
    let moved = true;
    while (moved) {
      moved = false;
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        for (let o = from.ua.pollOutput(0); o !== undefined; o = from.ua.pollOutput(0)) {
          if (o.type !== 'transmit') continue;
          moved = true;
          to.ua.handleInput(
            { type: 'stream', bytes: o.bytes, source: from.addr, local: to.addr, connectionId: 'c' },
            0,
          );
        }
      }
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    a.ua.invite({ to: '<sip:b@10.0.0.2:5060;transport=tcp>', body: 'v=0\r\n' }).on('accepted', (s) => {
      s.bye();
      done++;
    });
    pump();
    if (i % 50 === 49) await yieldLoop();
  }
  const ms = performance.now() - t0;
  if (done !== CALLS) throw new Error(`tsvoip: ${done}/${CALLS} calls`);
  return (CALLS / ms) * 1000;
}

// ---- SIP.js ---------------------------------------------------------------------------------

const lf = new LoggerFactory();
lf.builtinEnabled = false;
const logger = lf.getLogger('bench');

function sipJsCore(
  name: string,
  host: string,
  out: string[],
  delegate: ConstructorParameters<typeof SipJsCore>[1],
): SipJsCore {
  const uri = new URI('sip', name, host, 5060, { transport: 'tcp' });
  const transport = {
    protocol: 'TCP',
    send: (m: string) => {
      out.push(m);
      return Promise.resolve();
    },
  };
  return new SipJsCore(
    {
      aor: new URI('sip', name, 'example.com'),
      contact: { pubGruu: undefined, tempGruu: undefined, uri, toString: () => `<${uri.toString()}>` },
      displayName: '',
      loggerFactory: lf,
      hackViaTcp: false,
      routeSet: [],
      sipjsId: name,
      supportedOptionTags: [],
      supportedOptionTagsResponse: [],
      userAgentHeaderFieldValue: undefined,
      viaForceRport: false,
      viaHost: host,
      authenticationFactory: () => undefined,
      transportAccessor: () => transport,
    },
    delegate,
  );
}

/** Calls per second, SIP.js. */
async function sipJsCalls(): Promise<number> {
  const toA: string[] = [];
  const toB: string[] = [];
  let done = 0;
  const a = sipJsCore('a', '10.0.0.1', toB, {});
  const b = sipJsCore('b', '10.0.0.2', toA, {
    onInvite(req: IncomingInviteRequest) {
      req.progress({ statusCode: 180 });
      const { session } = req.accept({
        statusCode: 200,
        body: { contentDisposition: 'session', contentType: 'application/sdp', content: 'v=0\r\n' },
      });
      session.delegate = { onBye: (bye) => bye.accept() };
    },
  });
  const deliver = (core: SipJsCore, text: string) => {
    const m = Parser.parseMessage(text, logger);
    if (m === undefined) throw new Error('SIP.js could not parse');
    if (m instanceof IncomingRequestMessage) core.receiveIncomingRequestFromTransport(m);
    else core.receiveIncomingResponseFromTransport(m as IncomingResponseMessage);
  };
  const pump = () => {
    while (toA.length > 0 || toB.length > 0) {
      const mb = toB.shift();
      if (mb !== undefined) deliver(b, mb);
      const ma = toA.shift();
      if (ma !== undefined) deliver(a, ma);
    }
  };
  const target = new URI('sip', 'b', '10.0.0.2', 5060, { transport: 'tcp' });
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const msg = a.makeOutgoingRequestMessage(
      'INVITE',
      target,
      a.configuration.aor,
      target,
      {},
      [`Contact: ${a.configuration.contact.toString()}`],
      {
        contentDisposition: 'session',
        contentType: 'application/sdp',
        content: 'v=0\r\n',
      },
    );
    a.invite(msg, {
      onAccept: (res) => {
        res.ack();
        res.session.bye();
        done++;
      },
    });
    pump();
    if (i % 50 === 49) await yieldLoop();
  }
  const ms = performance.now() - t0;
  // SIP.js occasionally leaves one call unfinished in a run (not investigated); count completed ones.
  if (done < CALLS * 0.99) throw new Error(`SIP.js: ${done}/${CALLS} calls`);
  a.dispose();
  b.dispose();
  return (done / ms) * 1000;
}

// ---- table ----------------------------------------------------------------------------------

const ours = await measure(tsvoipCalls);
const peer = await measure(sipJsCalls);
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `machine: ${availableParallelism()} cores (${cpu}), Node ${process.version}; median of ${RUNS} runs of ${CALLS} calls`,
);
console.log('| metric | tsvoip | peer (SIP.js 0.21 UserAgentCore) | ratio | goal |');
console.log('| --- | --- | --- | --- | --- |');
console.log(
  `| calls/s, INVITE-180-200-ACK-BYE-200, 2 UA cores, bytes both ways | ${ours.toFixed(0)} | ${peer.toFixed(0)} | ${(ours / peer).toFixed(2)} | ≥ 1.0 (no slower than the JS peer) |`,
);
process.exit(0);
