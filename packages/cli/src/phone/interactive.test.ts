import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { type Call, createUserAgent, type UserAgent } from '@tsvoip/session';
import { parseListenSpec } from '../listen-spec.js';
import { runPrompt } from './interactive.js';
import { Softphone } from './softphone.js';

describe('tsvoip phone: the interactive prompt', () => {
  let bob: UserAgent | undefined;
  after(() => bob?.close());

  it('dial, status, hold, resume, dtmf, hangup, quit against a user agent; errors are printed, not thrown', {
    timeout: 15_000,
  }, async () => {
    bob = await createUserAgent({
      uri: 'sip:bob@127.0.0.1',
      sip: { host: '127.0.0.1', port: 15149 },
      media: { portMin: 21900, portMax: 21999, codecs: ['PCMU'] },
    });
    const seen: string[] = [];
    let bobCall: Call | undefined;
    bob.on('incoming', async (inc) => {
      bobCall = await inc.accept();
      bobCall.on('remote-hold', (held) => seen.push(held ? 'held' : 'resumed'));
      bobCall.on('dtmf', (d) => seen.push(`dtmf ${d}`));
      bobCall.on('ended', (reason) => seen.push(`ended ${reason}`));
    });
    const lines: string[] = [];
    const phone = await Softphone.create(
      {
        account: 'sip:alice@127.0.0.1',
        register: false,
        listen: parseListenSpec('udp:127.0.0.1:0'),
        rtpPorts: { min: 21800, max: 21899 },
        rtpAddress: '127.0.0.1',
        codecs: ['PCMU', 'G722'],
        srtp: false,
        autoAnswer: false,
        answerTimeoutMs: 10_000,
      },
      { autoAnswer: false },
      (l) => lines.push(l),
    );
    const input = new PassThrough();
    const prompt = runPrompt(
      phone,
      { input, output: new PassThrough(), terminal: false },
      (l) => lines.push(l),
      new AbortController().signal,
    );
    const waitFor = async (pred: () => boolean, what: string) => {
      const until = Date.now() + 5000;
      while (!pred()) {
        if (Date.now() > until) throw new Error(`no ${what}; printed:\n${lines.join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const type = (line: string) => input.write(`${line}\n`);
    const printed = (l: string) => () => lines.includes(l);

    type('hold');
    await waitFor(printed('error: hold: no answered call'), 'hold refused');
    type('frobnicate');
    await waitFor(
      () => lines.some((l) => l.startsWith('error: unknown command "frobnicate"')),
      'unknown command',
    );
    type('dial sip:bob@127.0.0.1:15149');
    await waitFor(printed('answered: PCMU sendrecv'), 'answer');
    type('status');
    await waitFor(
      () => lines.some((l) => /^call outgoing <sip:bob@127.0.0.1:15149>: active, PCMU sendrecv/.test(l)),
      'status',
    );
    type('hold');
    await waitFor(printed('on hold'), 'on hold');
    await waitFor(() => seen.includes('held'), 'bob held');
    type('resume');
    await waitFor(printed('resumed'), 'resumed');
    await waitFor(() => seen.includes('resumed'), 'bob resumed');
    type('dtmf 4 2');
    await waitFor(() => seen.filter((s) => s.startsWith('dtmf')).length === 2, 'digits at bob');
    type('hangup');
    await waitFor(() => lines.some((l) => l.startsWith('stats {')), 'statistics');
    type('quit');
    await prompt;

    assert.deepEqual(seen, ['held', 'resumed', 'dtmf 4', 'dtmf 2', 'ended remote-bye']);
    assert.ok(lines.includes('dtmf sent: 42'));
    assert.ok(lines.includes('call ended: local-bye'));
    assert.ok(lines.some((l) => l.startsWith('call statistics: ')));
    assert.equal(bobCall?.state, 'ended');
  });
});
