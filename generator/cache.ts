import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The generator's on-disk caches (the format cache of emit/source-file.ts, the load cache of
 * load/load-cache.ts). Each entry is one file named by the SHA-256 of the cache's salt's hash and
 * the entry's key; an entry is written via temp file + rename, so a reader sees a whole entry or none.
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
  if (process.env.B24GEN_CACHE === '0') return undefined;
  const base = process.env.B24GEN_CACHE_DIR ?? (existsSync('node_modules') ? join('node_modules', '.cache', 'b24gen') : undefined);
  if (!base) return undefined;
  const dir = join(base, kind);
  // The salt can be large (the plan cache's holds the spec's shared types): hashed once, not per entry.
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

/**
 * The installed version of `pkg`, from its manifest, for the caches' salts (importing the package
 * itself could load it where it is not wanted: ts-morph and prettier stay off the main thread).
 */
export function packageVersion(pkg: string): string {
  try {
    return (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The printers' versions: what the text of a printed file depends on besides its structures. */
export function printerVersions(): string[] {
  return ['prettier', 'ts-morph', 'code-block-writer'].map((pkg) => `${pkg} ${packageVersion(pkg)}`);
}
