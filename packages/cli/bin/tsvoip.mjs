#!/usr/bin/env node
// The tsvoip launcher: runs the built CLI (dist/main.js); in a source checkout without a build
// (or with TSVOIP_FROM_SOURCE=1), registers tsx plus the workspace's `source` export condition
// and runs src/main.ts.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (existsSync(built) && process.env.TSVOIP_FROM_SOURCE !== '1') {
  await import(pathToFileURL(built).href);
} else {
  const sourceCondition =
    'export async function resolve(s, c, next) { return next(s, { ...c, conditions: [...c.conditions, "source"] }); }';
  register(`data:text/javascript,${encodeURIComponent(sourceCondition)}`);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
