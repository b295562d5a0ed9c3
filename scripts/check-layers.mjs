#!/usr/bin/env node
// The layering check (docs/architecture.md): every package declares its layer in package.json
// ("tsvoip": { "layer": ... }). An import of a workspace package from the same or a higher layer,
// or of any package (workspace or npm) not declared in the importer's package.json, fails.
// Same-layer imports are allowed only when listed in "tsvoip": { "sameLayer": [...] }.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

export const LAYERS = ['foundation', 'transport', 'signaling', 'sessions', 'servers', 'apps'];
// The workspace root: the first argument, or this script's parent folder.
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const pkgsDir = join(root, 'packages');
const builtins = new Set(builtinModules);

const packages = new Map();
for (const dir of readdirSync(pkgsDir)) {
  const pj = join(pkgsDir, dir, 'package.json');
  if (!existsSync(pj)) continue;
  const json = JSON.parse(readFileSync(pj, 'utf8'));
  packages.set(json.name, { dir: join(pkgsDir, dir), json });
}

const errors = [];
for (const [name, { dir, json }] of packages) {
  const layer = json.tsvoip?.layer;
  const rank = LAYERS.indexOf(layer);
  if (rank < 0) {
    errors.push(`${name}: package.json must declare "tsvoip": { "layer": one of ${LAYERS.join(', ')} }`);
    continue;
  }
  const declared = new Set([
    ...Object.keys(json.dependencies ?? {}),
    ...Object.keys(json.devDependencies ?? {}),
    ...Object.keys(json.peerDependencies ?? {}),
    ...Object.keys(json.optionalDependencies ?? {}),
  ]);
  // Root devDependencies (typescript, tsx, fast-check, biome) are available to every package's tests.
  const rootJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const rootDev = new Set(Object.keys(rootJson.devDependencies ?? {}));
  const sameLayer = new Set(json.tsvoip?.sameLayer ?? []);
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const isTest = /\.test\.ts$|\/bench\/|\/test\//.test(file);
    for (const spec of importSpecifiers(text)) {
      if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec.split('/')[0])) continue;
      const target = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const where = `${relative(root, file)}: import '${spec}'`;
      if (target === name) {
        errors.push(`${where} imports its own package by name; use a relative import`);
        continue;
      }
      if (!declared.has(target) && !(isTest && rootDev.has(target))) {
        errors.push(`${where}: '${target}' is not declared in ${name}/package.json`);
        continue;
      }
      const dep = packages.get(target);
      if (!dep) continue; // an npm package, declared
      const depRank = LAYERS.indexOf(dep.json.tsvoip?.layer);
      if (depRank > rank) {
        errors.push(`${where}: ${target} (${LAYERS[depRank]}) is above ${name} (${layer})`);
      } else if (depRank === rank && !sameLayer.has(target)) {
        errors.push(
          `${where}: ${target} is in the same layer (${layer}); list it in "tsvoip.sameLayer" if intended`,
        );
      }
    }
  }
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

function importSpecifiers(text) {
  const out = [];
  const re =
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

if (errors.length > 0) {
  console.error(`layering check: ${errors.length} violation(s)`);
  for (const e of errors) console.error(`  ${e}`);
  process.exit(1);
}
console.log(`layering check: ${packages.size} packages, imports point down only`);
