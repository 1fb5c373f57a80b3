// Where the generator's on-disk caches live (cache.ts), and whether they look warm. Plain
// JavaScript so that the `b24gen` entry point can ask before it loads the generator.
import { existsSync, opendirSync } from 'node:fs';
import { join } from 'node:path';

/** The caches' folder, or undefined when they are off (or there is no node_modules to hold them). */
export function cacheBase() {
  if (process.env.B24GEN_CACHE === '0') return undefined;
  return process.env.B24GEN_CACHE_DIR ?? (existsSync('node_modules') ? join('node_modules', '.cache', 'b24gen') : undefined);
}

/**
 * Whether an earlier run left planned files (the `plan` cache, emit/plan-memo.ts) here: then most
 * files will come from the caches or be printed without prettier (emit/direct-print.ts), and a
 * print worker loading its printers at the start would only compete with the main
 * thread for the cores (print-threads.mjs).
 */
export function cachesLookWarm() {
  const base = cacheBase();
  if (base === undefined) return false;
  try {
    const dir = opendirSync(join(base, 'plan'));
    try {
      return dir.readSync() !== null;
    } finally {
      dir.closeSync();
    }
  } catch {
    return false;
  }
}
