import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve('generator/bin/b24gen.mjs');

function generateCheck(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, 'generate', '--check'], { encoding: 'utf8', env: { ...process.env, B24GEN_TIMELINE: '', ...env } });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^generated\/src is up to date \(\d+ files, 39 methods\)\.\n$/);
  return r.stderr;
}

interface Mark {
  ms: number;
  thread: string;
  what: string;
}

describe('B24GEN_TIMELINE=1', () => {
  it('a run after an earlier one starts no print worker: its files come from the caches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24gen-timeline-'));
    try {
      generateCheck({ B24GEN_CACHE_DIR: dir });
      const threads = generateCheck({ B24GEN_TIMELINE: '1', B24GEN_CACHE_DIR: dir })
        .split('\n')
        .filter(Boolean)
        .map((line) => /^b24gen timeline +\d+ ms {2}(main|worker \d+): /.exec(line)?.[1]);
      expect(threads.length).toBeGreaterThan(4);
      expect(new Set(threads)).toEqual(new Set(['main']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each thread of a generate run writes when it reaches each phase, timed from the process start', () => {
    const lines = generateCheck({ B24GEN_TIMELINE: '1', B24GEN_CACHE: '0' }).split('\n').filter(Boolean);
    const marks = lines.map((line): Mark => {
      const m = /^b24gen timeline +(\d+) ms {2}(main|worker \d+): (.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      return { ms: Number(m![1]), thread: m![2], what: m![3] };
    });
    const main = marks.filter((m) => m.thread === 'main');
    expect(main.map((m) => m.what.replace(/\d+/g, 'N'))).toEqual([
      'started',
      'spec loaded: N methods',
      'output planned',
      'printed N of N files without ts-morph and prettier',
      'output ready: N files (printed and formatted, or from the caches)',
      'compared with the output',
      'exit',
    ]);
    const workers = marks.filter((m) => m.thread !== 'main');
    expect(workers.map((m) => m.what)).toEqual(expect.arrayContaining(['prettier loaded', 'warmed up, waiting for files']));
    // The real spec's files are all printed directly or handed to prettier as text: no thread
    // loads ts-morph (TypeScript's compiler, about a quarter of a second).
    expect(marks.filter((m) => m.what === 'ts-morph loaded')).toEqual([]);
    for (const thread of new Set(marks.map((m) => m.thread))) {
      const times = marks.filter((m) => m.thread === thread).map((m) => m.ms);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    // A worker's times count from the process's start too: it formats planned files (batches of
    // more than one; the warm-up is one) only after the main thread has planned them.
    const planned = main.find((m) => m.what === 'output planned')!.ms;
    const batches = workers.filter((m) => /^printing and formatting \d+ files$/.test(m.what));
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.ms).toBeGreaterThanOrEqual(planned);
    expect(Math.max(...workers.map((m) => m.ms))).toBeLessThanOrEqual(main.at(-1)!.ms);
  }, 30_000);

  it('writes nothing without it', () => {
    expect(generateCheck({})).toBe('');
  }, 30_000);
});
