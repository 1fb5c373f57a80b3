#!/usr/bin/env node
// Entry point of the `b24gen` command. The generator is TypeScript. Run through tsx's loader it
// pays for resolving and transforming some 70 modules on every start (about 0.4 s), so the
// entry point runs a single-file ES module bundle of generator/ instead, built by esbuild
// (a dev dependency) into node_modules/.cache/b24gen/cli/<hash of the sources>.mjs. The hash is
// of every generator source file's path and text, so an edited generator is rebuilt on its next
// start (about 0.2 s) and never run stale. Packages stay external (resolved from this
// project's node_modules); `import.meta.url` keeps each source file's own URL, so paths the
// generator reads next to its sources (runtime/, spec.schema.json) are unchanged. Without
// esbuild, or when building fails, it falls back to tsx.
//
// For `generate`, the print workers start first of all, before the bundle is even looked for:
// each loads prettier (and ts-morph when a file needs it: print-file.mjs) while this thread loads
// the generator and the spec; the generator's print pool takes them (print-threads.mjs).
//
// Before anything else runs, V8's optimising compiler is told not to inline (see
// `INLINING_OFF` below).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

import { startPrintWorkersEarly } from '../emit/print-threads.mjs';
import { mark } from '../timeline.mjs';

/**
 * A run of this command is short: most of prettier's, yaml's and the generator's code is
 * optimised by V8's TurboFan during the run, on a helper thread that competes with the two
 * threads doing the work on a 2-core machine. Without inlining each optimisation is much less
 * work for little loss in the optimised code: measured interleaved, without caches, medians,
 * 39 methods 1.04 -> 0.94 s, 400 methods 2.84 -> 2.65 s, 2,000 methods 9.4 -> 8.6 s, with
 * 12-14% less CPU time (test/bench/RESULTS.md). Only speed changes, never output. Set before
 * the print workers start (V8's flags are per process, so they have it too) and before any code
 * is hot. `node --turbo-inlining generator/bin/b24gen.mjs ...` keeps inlining on, to compare.
 */
const INLINING_OFF = '--no-turbo-inlining';
if (!process.execArgv.some((arg) => /^--(no-)?turbo[-_]inlining$/.test(arg))) setFlagsFromString(INLINING_OFF);

const args = process.argv.slice(2);
if (args[0] === 'generate' && !args.includes('--help') && !args.includes('-h')) {
  mark('started');
  process.on('exit', () => mark('exit'));
  startPrintWorkersEarly();
}

const generatorDir = fileURLToPath(new URL('..', import.meta.url));
const projectDir = dirname(generatorDir.replace(/[\\/]$/, ''));

async function loadCli() {
  try {
    const bundle = await bundledCli();
    if (bundle) return await import(pathToFileURL(bundle).href);
  } catch {
    // fall through to tsx
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../cli.ts');
}

/** The bundle for the current sources, built when missing. Undefined when esbuild is absent. */
async function bundledCli() {
  const sources = readdirSync(generatorDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mjs|json)$/.test(f) && !f.includes('node_modules'))
    .sort();
  const hash = createHash('sha256');
  for (const f of sources) hash.update(f).update('\0').update(readFileSync(join(generatorDir, f))).update('\0');
  const dir = join(projectDir, 'node_modules', '.cache', 'b24gen', 'cli');
  const target = join(dir, `${hash.digest('hex').slice(0, 32)}.mjs`);
  if (existsSync(target)) return target;
  if (!existsSync(join(projectDir, 'node_modules', 'esbuild'))) return undefined;
  const { build } = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  const temp = `${target}.${process.pid}.tmp.mjs`;
  try {
    await build({
      entryPoints: [join(generatorDir, 'cli.ts')],
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
      plugins: [
        {
          name: 'keep-import-meta-url',
          setup(b) {
            b.onLoad({ filter: /\.(ts|mjs)$/ }, (file) => ({
              contents: readFileSync(file.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file.path).href)),
              loader: file.path.endsWith('.mjs') ? 'js' : 'ts',
            }));
          },
        },
      ],
    });
    // The bundle imports packages by name: it must sit inside this project to resolve them.
    if (relative(projectDir, temp).startsWith('..')) throw new Error('bundle outside the project');
    renameSync(temp, target);
    // Bundles of earlier sources are dead weight (a running process has already loaded its own).
    for (const f of readdirSync(dir)) if (f.endsWith('.mjs') && join(dir, f) !== target) rmSync(join(dir, f), { force: true });
  } finally {
    rmSync(temp, { force: true });
  }
  return target;
}

const { main } = await loadCli();
process.exitCode = await main(args);
