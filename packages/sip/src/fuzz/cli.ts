/**
 * `npm run fuzz -w @tsvoip/sip [-- --iterations N --seconds S --seed K]`
 * Mutates the RFC 4475/5118 torture messages and a few realistic ones, and fails (exit 1) on any
 * exception that is not a SipParseError or any parse slower than 1 ms and 20 times a plain message of its size. Failing inputs are printed as
 * base64 and written to ./fuzz-failures/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz.js';
import { loadSeeds } from './seeds.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1000000' },
    seconds: { type: 'string' },
    seed: { type: 'string', default: String(Date.now() & 0xffffffff) },
    budget: { type: 'string', default: '1' },
  },
});
const iterations = Number(values.iterations);
const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
const seed = Number(values.seed);
const seeds = loadSeeds();
console.log(
  `fuzz: ${seeds.length} seeds, ${iterations} iterations${seconds ? `, at most ${seconds} s` : ''}, seed ${seed}`,
);
const t0 = performance.now();
const report = runFuzz({
  seeds,
  iterations,
  seconds,
  seed,
  budgetMs: Number(values.budget),
  now: () => performance.now(),
  collect: (globalThis as { gc?: () => void }).gc,
});
const secs = (performance.now() - t0) / 1000;
console.log(
  `fuzz: ${report.iterations} inputs in ${secs.toFixed(1)} s (${Math.round(report.iterations / secs)}/s): ` +
    `${report.parsed} parsed, ${report.rejected} rejected with SipParseError, slowest parse ${report.slowestMs.toFixed(3)} ms`,
);
if (report.failures.length > 0) {
  mkdirSync('fuzz-failures', { recursive: true });
  report.failures.forEach((f, i) => {
    const file = `fuzz-failures/${seed}-${i}.bin`;
    const bytes = Buffer.from(f.inputBase64, 'base64');
    writeFileSync(file, bytes);
    const head = f.inputBase64.length > 200 ? `${f.inputBase64.slice(0, 200)}...` : f.inputBase64;
    console.error(`FAIL ${f.kind}: ${f.detail}\n  input: ${bytes.length} octets in ${file} (base64 ${head})`);
  });
  console.error(`fuzz: ${report.failures.length} failure(s)`);
  process.exit(1);
}
console.log('fuzz: no failures');
