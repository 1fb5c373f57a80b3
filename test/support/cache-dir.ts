import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * Gives each test of the calling suite its own empty cache folder (B24GEN_CACHE_DIR), removed
 * afterwards. Returns the folder and the entries of one cache kind in it.
 */
export function useTempCacheDir(): { dir: () => string; entries: (kind: string) => string[] } {
  let dir = '';
  let before: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'b24gen-cache-'));
    before = process.env.B24GEN_CACHE_DIR;
    process.env.B24GEN_CACHE_DIR = dir;
  });
  afterEach(() => {
    if (before === undefined) delete process.env.B24GEN_CACHE_DIR;
    else process.env.B24GEN_CACHE_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  });
  const entries = (kind: string) => {
    try {
      return readdirSync(join(dir, kind));
    } catch {
      return [];
    }
  };
  return { dir: () => dir, entries };
}

/** Runs `run` with every cache off (B24GEN_CACHE=0), as a fresh clone does. */
export function withoutCaches<T>(run: () => T): T {
  const saved = process.env.B24GEN_CACHE;
  process.env.B24GEN_CACHE = '0';
  try {
    const result = run();
    // A promise keeps the caches off until it settles.
    if (result instanceof Promise) return result.finally(() => restore(saved)) as T;
    restore(saved);
    return result;
  } catch (err) {
    restore(saved);
    throw err;
  }
}

function restore(saved: string | undefined): void {
  if (saved === undefined) delete process.env.B24GEN_CACHE;
  else process.env.B24GEN_CACHE = saved;
}
