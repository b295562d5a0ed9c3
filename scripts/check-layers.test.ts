import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const script = new URL('./check-layers.mjs', import.meta.url).pathname;
const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

type Pkg = { name: string; layer: string; deps?: string[]; sameLayer?: string[]; src: string };

function workspace(pkgs: Pkg[]): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ devDependencies: { 'fast-check': '*' } }));
  for (const p of pkgs) {
    const dir = join(root, 'packages', p.name.split('/')[1], 'src');
    mkdirSync(dir, { recursive: true });
    const deps = Object.fromEntries((p.deps ?? []).map((d) => [d, '*']));
    writeFileSync(
      join(dir, '..', 'package.json'),
      JSON.stringify({
        name: p.name,
        tsvoip: { layer: p.layer, sameLayer: p.sameLayer },
        dependencies: deps,
      }),
    );
    writeFileSync(join(dir, 'index.ts'), p.src);
  }
  return root;
}

function check(root: string) {
  const r = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

describe('layering check', () => {
  const sip: Pkg = { name: '@t/sip', layer: 'foundation', src: 'export const a = 1;\n' };

  it('accepts a downward import that is declared', () => {
    const root = workspace([
      sip,
      { name: '@t/stack', layer: 'signaling', deps: ['@t/sip'], src: "import { a } from '@t/sip';\n" },
    ]);
    const r = check(root);
    assert.ok(r.ok, r.out);
  });

  it('rejects an upward import', () => {
    const root = workspace([
      { ...sip, deps: ['@t/stack'], src: "import { b } from '@t/stack';\n" },
      { name: '@t/stack', layer: 'signaling', src: 'export const b = 1;\n' },
    ]);
    const r = check(root);
    assert.equal(r.ok, false);
    assert.match(r.out, /@t\/stack \(signaling\) is above @t\/sip \(foundation\)/);
  });

  it('rejects an import not declared in package.json, workspace or npm', () => {
    const root = workspace([
      sip,
      {
        name: '@t/stack',
        layer: 'signaling',
        src: "import { a } from '@t/sip';\nimport x from 'left-pad';\n",
      },
    ]);
    const r = check(root);
    assert.equal(r.ok, false);
    assert.match(r.out, /'@t\/sip' is not declared/);
    assert.match(r.out, /'left-pad' is not declared/);
  });

  it('rejects a sideways import unless listed in sameLayer', () => {
    const side: Pkg = {
      name: '@t/sdp',
      layer: 'foundation',
      deps: ['@t/sip'],
      src: "export * from '@t/sip';\n",
    };
    assert.equal(check(workspace([sip, side])).ok, false);
    assert.ok(check(workspace([sip, { ...side, sameLayer: ['@t/sip'] }])).ok);
  });

  it('rejects a package without a known layer', () => {
    const r = check(workspace([{ ...sip, layer: 'middle' }]));
    assert.equal(r.ok, false);
    assert.match(r.out, /must declare/);
  });
});
