import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildPackage } from '../../generator/package/build.js';

const execFileAsync = promisify(execFile);

/**
 * The generated package as users get it, without touching generated/dist: generated/ is copied
 * (its sources, manifest, README and build configs) into a fresh temporary folder, built there by
 * `b24gen build`'s compiler and `npm pack`ed. Building a copy keeps test files that run at the
 * same time (test/package.test.ts builds generated/ itself) from removing each other's dist. The
 * folder is outside any node_modules: under one, TypeScript 7 left the CommonJS build's
 * `export` statements as they were (a `dist/cjs` that `require` cannot load), which the ESM-only
 * echo bot never noticed and a jest user did. `b24gen build` passes the generator's own
 * `@types/node` (`--typeRoots`), so the copy needs no node_modules of its own.
 */
export async function packGeneratedPackage(): Promise<{ tarball: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-test-pack-'));
  const copy = join(dir, 'package');
  cpSync(resolve('generated'), copy, { recursive: true, filter: (src) => !/[\\/](dist|node_modules)$/.test(src) });
  await buildPackage(copy);
  const { stdout } = await execFileAsync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: copy, encoding: 'utf8' });
  const packed = JSON.parse(stdout) as { filename: string }[];
  return { tarball: join(dir, packed[0]!.filename), dir };
}
