#!/usr/bin/env node
// Entry point of the `b24gen` command. The generator is TypeScript; the command runs it compiled
// to JavaScript by tsc (generator/tsconfig.json -> dist/generator), as a published CLI would be:
// a TypeScript loader costs every start about 0.6 s. When any generator source is newer than the
// build (or there is none yet), it is compiled first, so an edited generator never runs stale.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectDir = fileURLToPath(new URL('../../', import.meta.url));
const generatorDir = join(projectDir, 'generator');
const entry = join(projectDir, 'dist', 'generator', 'cli.js');

/** Newest modification time of the sources the build is made from (runtime/ is not compiled). */
function newestSource() {
  let newest = statSync(join(generatorDir, 'tsconfig.json')).mtimeMs;
  for (const file of readdirSync(generatorDir, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.ts') && !file.startsWith('runtime')) newest = Math.max(newest, statSync(join(generatorDir, file)).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return -Infinity;
  }
}

if (builtAt() < newestSource()) {
  const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
  const tsc = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.tsc);
  try {
    execFileSync(process.execPath, [tsc, '-p', join(generatorDir, 'tsconfig.json')], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    process.stderr.write(`b24gen: compiling the generator (tsc -p generator/tsconfig.json) failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    process.exit(1);
  }
}

const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
