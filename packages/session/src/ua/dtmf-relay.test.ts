import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDtmfRelay, isDtmfDigit, parseDtmfRelay } from './dtmf-relay.js';

const digit = fc.constantFrom(...'0123456789*#ABCD');

describe('application/dtmf-relay bodies (SIP INFO DTMF)', () => {
  it('parse(format(x)) is x for every digit and whole-ms duration', () => {
    fc.assert(
      fc.property(digit, fc.integer({ min: 0, max: 10_000 }), (signal, durationMs) => {
        assert.deepEqual(parseDtmfRelay(formatDtmfRelay({ signal, durationMs })), { signal, durationMs });
      }),
    );
  });

  it('reads LF endings, any key case, spaces, events 10/11 as * and #, a missing Duration as 250 ms', () => {
    assert.deepEqual(parseDtmfRelay('signal = 7\nduration= 80\n'), { signal: '7', durationMs: 80 });
    assert.deepEqual(parseDtmfRelay('Signal=10\r\n'), { signal: '*', durationMs: 250 });
    assert.deepEqual(parseDtmfRelay('Signal=11\r\nDuration=100'), { signal: '#', durationMs: 100 });
    assert.deepEqual(parseDtmfRelay('Signal=b\r\n'), { signal: 'B', durationMs: 250 });
  });

  it('rejects bodies without a valid Signal', () => {
    assert.equal(parseDtmfRelay('Duration=100\r\n'), undefined);
    assert.equal(parseDtmfRelay('Signal=X\r\n'), undefined);
    assert.equal(parseDtmfRelay(''), undefined);
    assert.equal(isDtmfDigit('12'), false);
  });
});
