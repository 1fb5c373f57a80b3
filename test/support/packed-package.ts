import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildPackage } from '../../generator/package/build.js';

const execFileAsync = promisify(execFile);

/**
 * The generated package as users get it, without touching generated/dist: generated/ is copied
 * (its sources, manifest, README and build configs) into a fresh folder under node_modules/.cache,
 * built there by `b24gen build`'s compiler and `npm pack`ed. Building a copy keeps test files
 * that run at the same time (test/package.test.ts builds generated/ itself) from removing each
 * other's dist; the folder sits inside the repository so the compiler finds @types/node the way
 * the real build does.
 */
export async function packGeneratedPackage(): Promise<{ tarball: string; dir: string }> {
  const base = resolve('node_modules/.cache/b24gen-test-pack');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'pkg-'));
  const copy = join(dir, 'package');
  cpSync(resolve('generated'), copy, { recursive: true, filter: (src) => !/[\\/](dist|node_modules)$/.test(src) });
  await buildPackage(copy);
  const { stdout } = await execFileAsync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: copy, encoding: 'utf8' });
  const packed = JSON.parse(stdout) as { filename: string }[];
  return { tarball: join(dir, packed[0]!.filename), dir };
}
