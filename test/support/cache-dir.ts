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

/**
 * Runs `run` with the environment variables `vars` set (an async `run` keeps them until its
 * promise settles), then puts back what was there.
 */
export function withEnv<T>(vars: Record<string, string>, run: () => T): T {
  const saved = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, vars);
  const restore = () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  try {
    const result = run();
    if (result instanceof Promise) return result.finally(restore) as T;
    restore();
    return result;
  } catch (err) {
    restore();
    throw err;
  }
}

/** Runs `run` with every cache off (B24GEN_CACHE=0), as a fresh clone does. */
export function withoutCaches<T>(run: () => T): T {
  return withEnv({ B24GEN_CACHE: '0' }, run);
}
