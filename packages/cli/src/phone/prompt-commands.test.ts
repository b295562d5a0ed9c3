import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatPromptCommand, type PromptCommand, parsePromptLine } from './prompt-commands.js';

const uri = fc
  .tuple(
    fc.constantFrom('sip', 'sips'),
    fc.stringMatching(/^[a-z0-9]{1,8}$/),
    fc.integer({ min: 1, max: 65535 }),
  )
  .map(([s, u, p]) => `${s}:${u}@127.0.0.1:${p}`);
const command: fc.Arbitrary<PromptCommand> = fc.oneof(
  uri.map((target) => ({ name: 'dial' as const, target })),
  uri.map((target) => ({ name: 'transfer' as const, target })),
  fc.integer({ min: 400, max: 699 }).map((status) => ({ name: 'reject' as const, status })),
  fc.stringMatching(/^[0-9*#A-D]{1,12}$/).map((digits) => ({ name: 'dtmf' as const, digits })),
  fc.constantFrom(
    ...(['answer', 'hangup', 'hold', 'resume', 'status', 'help', 'quit'] as const).map((name) => ({ name })),
  ),
);

describe('phone prompt commands', () => {
  it('every command round-trips through format and parse', () => {
    fc.assert(
      fc.property(command, (c) => {
        assert.deepEqual(parsePromptLine(formatPromptCommand(c)), c);
      }),
    );
  });

  it('aliases, case and extra spaces', () => {
    assert.deepEqual(parsePromptLine('  CALL   sip:600@127.0.0.1:5060 '), {
      name: 'dial',
      target: 'sip:600@127.0.0.1:5060',
    });
    assert.deepEqual(parsePromptLine('a'), { name: 'answer' });
    assert.deepEqual(parsePromptLine('bye'), { name: 'hangup' });
    assert.deepEqual(parsePromptLine('exit'), { name: 'quit' });
    assert.deepEqual(parsePromptLine('reject'), { name: 'reject', status: 486 });
    assert.deepEqual(parsePromptLine('dtmf 1 2 #'), { name: 'dtmf', digits: '12#' });
    assert.deepEqual(parsePromptLine('   '), { name: 'empty' });
  });

  it('bad lines give an error naming the usage', () => {
    const err = (line: string) => {
      const r = parsePromptLine(line);
      assert.equal(r.name, 'error', line);
      return r.name === 'error' ? r.message : '';
    };
    assert.match(err('dial'), /usage: dial <sip-uri>/);
    assert.match(err('dial 600'), /usage: dial/);
    assert.match(err('transfer tel:1'), /usage: transfer/);
    assert.match(err('reject 200'), /usage: reject/);
    assert.match(err('dtmf 12x'), /usage: dtmf/);
    assert.match(err('hold now'), /hold takes no argument/);
    assert.match(err('frobnicate'), /unknown command "frobnicate"/);
  });
});
