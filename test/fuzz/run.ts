import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseOptions, UsageError } from '../../generator/commands/command.js';

/**
 * `npm run fuzz -- --count 10000 [--seed N]`: the hostile-spec property of test/fuzz.test.ts at
 * any size. Prints the counts: cases, refusals (each with located messages), generated,
 * compiled under strict (type-checked in batches), crashes (must be 0) and injections (output
 * that does not parse, declares other symbols, changes a string, or differs from formatting each
 * file on its own: must be 0).
 */
const USAGE = 'Usage: npm run fuzz -- [--count N] [--seed N]\n\n  --count N  cases to run (default 1000)\n  --seed N   fast-check seed, to repeat a run (default: from the clock; printed)';

/** `text` as a whole number in [min, max]; a UsageError naming `option` otherwise. */
function wholeNumber(option: string, text: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  return n;
}

/** The options, or exit 2 with the message and the usage: a mistyped option must not pass for a clean run of no cases. */
function readOptions(): { count: number; seed: number } {
  try {
    const { values } = parseOptions(process.argv.slice(2), { count: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return {
      count: values.count === undefined ? 1000 : wholeNumber('--count', values.count, 1, 10_000_000),
      seed: values.seed === undefined ? Date.now() % 2 ** 31 : wholeNumber('--seed', values.seed, -(2 ** 31), 2 ** 31 - 1),
    };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`fuzz: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
}
const { count, seed } = readOptions();
const counts = { cases: 0, refused: 0, generated: 0, compiled: 0, crashes: 0, injections: 0 };
const root = resolve('test/.tmp/fuzz-run');
// The run's caches are its own: thousands of hostile specs must not land in node_modules/.cache.
const cacheDir = resolve('test/.tmp/fuzz-cache');
if (!process.env.B24GEN_CACHE_DIR) process.env.B24GEN_CACHE_DIR = cacheDir;
// Loaded once the options are known good, so a mistyped one fails at once (the generator and
// TypeScript take seconds to load).
const { default: fc } = await import('fast-check');
const { formattingDifferences, checkGenerated, generateCase, hostileSpec } = await import('../support/hostile-spec.js');
const { typecheck } = await import('../support/typecheck.js');
let batch: string[] = [];
const failures: string[] = [];

function flush(): void {
  if (batch.length === 0) return;
  const problems = typecheck(batch);
  const bad = new Set(problems.map((p) => p.file.split('/fuzz-run/')[1]?.split('/')[0]));
  counts.compiled += batch.length - bad.size;
  for (const p of problems.slice(0, 3)) failures.push(`does not compile: ${p.file}:${p.line}: ${p.message}`);
  rmSync(root, { recursive: true, force: true });
  batch = [];
}

const started = performance.now();
for (const c of fc.sample(hostileSpec, { numRuns: count, seed })) {
  counts.cases += 1;
  let outcome;
  try {
    outcome = await generateCase(c);
  } catch (err) {
    counts.crashes += 1;
    failures.push(`crash: ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
    continue;
  }
  if (outcome.kind === 'refused') {
    counts.refused += 1;
    continue;
  }
  counts.generated += 1;
  const problems = [...checkGenerated(outcome.api, outcome.files), ...(await formattingDifferences(outcome.files))];
  if (problems.length > 0) {
    counts.injections += 1;
    failures.push(`unsound output: ${problems[0]}`);
  }
  const dir = join(root, String(counts.cases));
  for (const [path, text] of outcome.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  batch.push(join(dir, 'index.ts'));
  if (batch.length >= 40) flush();
  if (counts.cases % 500 === 0) console.log(`... ${counts.cases} cases`);
}
flush();
const seconds = Math.round((performance.now() - started) / 100) / 10;
if (process.env.B24GEN_CACHE_DIR === cacheDir) rmSync(cacheDir, { recursive: true, force: true });
console.log(JSON.stringify({ seed, ...counts, seconds }));
for (const f of failures.slice(0, 10)) console.log(f);
process.exitCode = counts.crashes + counts.injections + (counts.generated - counts.compiled) > 0 ? 1 : 0;
