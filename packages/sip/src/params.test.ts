import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseNameAddr } from './name-addr.js';
import type { Params } from './params.js';
import { parseUri } from './uri.js';
import { parseVia } from './via.js';

const NAMES = ['maddr', 'lr', 'transport', 'tag', 'branch', 'x', 'xy', 'q', 'expires'];
/** A name from NAMES (or a prefix of one), in any letter case. */
const name = fc
  .tuple(fc.constantFrom(...NAMES), fc.nat(3), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }))
  .map(([n, cut, up]) =>
    [...n.slice(0, Math.max(1, n.length - cut))].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''),
  );
const token = fc.constantFrom('1', 'abc', 'udp', 'z9hG4bK-1', '192.0.2.1', 'maddr');
const quoted = fc.constantFrom('"a;maddr=1"', '"; lr"', '","');
const ws = fc.constantFrom('', ' ');

/** First-occurrence lookup over the pairs as iterated (which builds them all). */
function viaPairs(p: Params, n: string): string | null | undefined {
  for (const [k, v] of p) if (k === n) return v;
  return undefined;
}

/** A fresh parse's `get`/`has` (the raw pre-scan) must agree with the built pairs of another parse. */
function agrees(fresh: () => Params): void {
  for (const n of [...NAMES, 'm', 'madd', 'tags', 'branchx']) {
    assert.equal(fresh().get(n), viaPairs(fresh(), n), `get(${n})`);
    assert.equal(fresh().has(n), viaPairs(fresh(), n) !== undefined, `has(${n})`);
  }
}

describe('lazy parameters: asking for an absent one builds nothing and answers the same', () => {
  it('header parameters (name-addr, Via), with spaces and quoted values holding ";"', () => {
    const param = fc
      .tuple(ws, name, fc.option(fc.tuple(ws, fc.oneof(token, quoted)), { nil: undefined }))
      .map(([w, n, v]) => `;${w}${n}${v === undefined ? '' : `=${v[0]}${v[1]}`}`);
    fc.assert(
      fc.property(fc.array(param, { maxLength: 6 }), (ps) => {
        const text = ps.join('');
        agrees(() => parseNameAddr(`<sip:a@b>${text}`).params);
        agrees(() => parseVia(`SIP/2.0/UDP host:5060${text}`).params);
      }),
    );
  });

  it('URI parameters', () => {
    const param = fc
      .tuple(name, fc.option(token, { nil: undefined }))
      .map(([n, v]) => `;${n}${v === undefined ? '' : `=${v}`}`);
    fc.assert(
      fc.property(fc.array(param, { maxLength: 6 }), (ps) => {
        agrees(() => {
          const u = parseUri(`sip:a@example.com${ps.join('')}`);
          assert.ok(u.kind === 'sip');
          return u.params;
        });
      }),
    );
  });
});
