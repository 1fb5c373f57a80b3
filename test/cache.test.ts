import { existsSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskCache, pruneCaches } from '../generator/cache.js';
import { useTempCacheDir, withoutCaches } from './support/cache-dir.js';

const DAY = 86_400_000;

describe('cache pruning', () => {
  const cacheDir = useTempCacheDir();
  /** Entries written so far, as `kind/name`. */
  const seen = new Set<string>();
  /** Writes an entry of `kind` and dates it `daysAgo` days before `now`. */
  const entry = (kind: string, key: string, now: number, daysAgo: number) => {
    diskCache(kind, 'salt')!.set(key, `value of ${key}`);
    const [name] = readdirSync(join(cacheDir.dir(), kind)).filter((f) => !seen.has(`${kind}/${f}`));
    seen.add(`${kind}/${name}`);
    const at = (now - daysAgo * DAY) / 1000;
    utimesSync(join(cacheDir.dir(), kind, name), at, at);
  };

  it('removes entries not written for 30 days, keeps the others, and runs at most once a day', () => {
    const now = Date.now();
    seen.clear();
    entry('plan', 'old', now, 45);
    entry('plan', 'recent', now, 2);
    entry('format', 'old', now, 31);
    entry('format', 'fresh', now, 0);
    expect(pruneCaches(now)).toBe(2);
    expect(diskCache('plan', 'salt')!.get('old')).toBeUndefined();
    expect(diskCache('plan', 'salt')!.get('recent')).toBe('value of recent');
    expect(diskCache('format', 'salt')!.get('old')).toBeUndefined();
    expect(diskCache('format', 'salt')!.get('fresh')).toBe('value of fresh');

    // The same day again: nothing is looked at, even an entry that has grown old since.
    entry('format', 'stale', now, 40);
    expect(pruneCaches(now + DAY / 2)).toBe(0);
    expect(diskCache('format', 'salt')!.get('stale')).toBe('value of stale');
    // A day later it runs again.
    expect(pruneCaches(now + DAY + 1)).toBe(1);
    expect(diskCache('format', 'salt')!.get('stale')).toBeUndefined();
  });

  it('leaves the CLI bundles to the executable, and does nothing with the caches off', () => {
    const now = Date.now();
    seen.clear();
    entry('cli', 'bundle', now, 90);
    expect(pruneCaches(now)).toBe(0);
    expect(readdirSync(join(cacheDir.dir(), 'cli'))).toHaveLength(1);

    entry('plan', 'old', now, 90);
    expect(withoutCaches(() => pruneCaches(now + 2 * DAY))).toBe(0);
    expect(readdirSync(join(cacheDir.dir(), 'plan'))).toHaveLength(1);
    expect(existsSync(join(cacheDir.dir(), '.pruned'))).toBe(true);
  });
});
