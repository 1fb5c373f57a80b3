import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The generator's on-disk caches: `load` (load/load-cache.ts) and `format` (emit/format.ts).
 * Each entry is one file named by the SHA-256 of the cache's salt's hash and the entry's key; an
 * entry is written via temp file + rename, so a reader sees a whole entry or none.
 *
 * They live in node_modules/.cache/b24gen/<kind> (B24GEN_CACHE_DIR overrides the base;
 * B24GEN_CACHE=0 turns every cache off). A missing, unreadable or unwritable entry only costs
 * time: the work is simply done again.
 */
export interface DiskCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export function diskCache(kind: string, salt: string): DiskCache | undefined {
  const base = cacheBase();
  if (!base) return undefined;
  const dir = join(base, kind);
  const saltDigest = createHash('sha256').update(salt).digest('hex');
  const file = (key: string) => join(dir, createHash('sha256').update(saltDigest).update('\0').update(key).digest('hex'));
  return {
    get(key) {
      try {
        return readFileSync(file(key), 'utf8');
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      try {
        mkdirSync(dir, { recursive: true });
        const target = file(key);
        const temp = `${target}.${process.pid}.tmp`;
        writeFileSync(temp, value);
        renameSync(temp, target);
      } catch {
        // A cache that cannot be written only costs time.
      }
    },
  };
}

/** The installed version of `pkg`, from its manifest (without loading the package), for a cache's salt. */
export function packageVersion(pkg: string): string {
  return (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
}

/** The caches' folder, or undefined when they are off (or there is no node_modules to hold them). */
function cacheBase(): string | undefined {
  if (process.env.B24GEN_CACHE === '0') return undefined;
  return process.env.B24GEN_CACHE_DIR ?? (existsSync('node_modules') ? join('node_modules', '.cache', 'b24gen') : undefined);
}

const DAY_MS = 86_400_000;

/**
 * Every change to the generator or the spec leaves entries nobody asks for again, so the caches
 * would only grow. `generate` calls this after writing: at most once a day (a marker file's time
 * says when it last ran), it removes the entries of every kind not written for `maxAgeDays` days. An entry still in use is
 * written again on its next miss: one slower run a month at worst. Returns how many it removed.
 */
export function pruneCaches(now = Date.now(), maxAgeDays = 30): number {
  const base = cacheBase();
  if (!base) return 0;
  const marker = join(base, '.pruned');
  try {
    if (now - statSync(marker).mtimeMs < DAY_MS) return 0;
  } catch {
    // never pruned here yet
  }
  let removed = 0;
  try {
    for (const kind of readdirSync(base, { withFileTypes: true })) {
      if (!kind.isDirectory()) continue;
      for (const name of readdirSync(join(base, kind.name))) {
        const entry = join(base, kind.name, name);
        try {
          if (now - statSync(entry).mtimeMs > maxAgeDays * DAY_MS) {
            rmSync(entry, { force: true });
            removed++;
          }
        } catch {
          // gone already (another run pruned it)
        }
      }
    }
    writeFileSync(marker, '');
    utimesSync(marker, now / 1000, now / 1000);
  } catch {
    // no caches yet, or a read-only folder: nothing to prune
  }
  return removed;
}
