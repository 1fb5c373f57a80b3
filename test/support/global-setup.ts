import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The test run gets its own generator caches (B24GEN_CACHE_DIR, inherited by every test worker
 * and every CLI the tests start): tests start cold as a fresh clone does, and the hostile specs
 * they generate never land in the maintainer's node_modules/.cache/b24gen.
 */
export default function setup(): () => void {
  // The b24gen command compiles the generator when its sources are newer than the build; done
  // here once, before any test starts the command, so parallel tests never compile it at once.
  execFileSync(process.execPath, ['generator/bin/b24gen.mjs', '--help'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (process.env.B24GEN_CACHE_DIR) return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-test-cache-'));
  process.env.B24GEN_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
