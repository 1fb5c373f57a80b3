import { readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskCache, pruneCaches } from '../generator/cache.js';
import { formatTexts } from '../generator/emit/format.js';
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
    entry('format', 'old', now, 45);
    entry('format', 'recent', now, 2);
    entry('other', 'stale', now, 31);
    entry('other', 'fresh', now, 0);
    expect(pruneCaches(now)).toBe(2);
    expect(diskCache('format', 'salt')!.get('old')).toBeUndefined();
    expect(diskCache('format', 'salt')!.get('recent')).toBe('value of recent');
    expect(diskCache('other', 'salt')!.get('stale')).toBeUndefined();
    expect(diskCache('other', 'salt')!.get('fresh')).toBe('value of fresh');

    // The same day again: nothing is looked at, even an entry that has grown old since.
    entry('other', 'aged', now, 40);
    expect(pruneCaches(now + DAY / 2)).toBe(0);
    expect(diskCache('other', 'salt')!.get('aged')).toBe('value of aged');
    // A day later it runs again.
    expect(pruneCaches(now + DAY + 1)).toBe(1);
    expect(diskCache('other', 'salt')!.get('aged')).toBeUndefined();
  });

  it('does nothing with the caches off', () => {
    const now = Date.now();
    seen.clear();
    entry('format', 'ancient', now, 90);
    expect(withoutCaches(() => pruneCaches(now + 2 * DAY))).toBe(0);
    expect(readdirSync(join(cacheDir.dir(), 'format')).length).toBeGreaterThan(0);
  });
});

describe('format cache', () => {
  const cacheDir = useTempCacheDir();
  const printed = '/**\n * One line of doc.\n */\nexport const a = {b: 1};\n';

  it('gives the same text from the cache as without it, and keeps only what prettier gave', async () => {
    const plain = await withoutCaches(() => formatTexts([printed]));
    expect(plain).toEqual(['/** One line of doc. */\nexport const a = { b: 1 };\n']);
    expect(await formatTexts([printed])).toEqual(plain); // miss: formatted and kept
    expect(await formatTexts([printed])).toEqual(plain); // hit
    // The entry is prettier's own output; b24gen's later steps (short docs on one line) run on
    // every use, so a change to them never meets an older entry.
    const [entry] = readdirSync(join(cacheDir.dir(), 'format'));
    expect(readFileSync(join(cacheDir.dir(), 'format', entry!), 'utf8')).toBe('/**\n * One line of doc.\n */\nexport const a = { b: 1 };\n');
  });
});
