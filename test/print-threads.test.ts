import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PrintPool } from '../generator/emit/print-pool.js';
import { isLive, printWorkersFirst, startPrintWorkersEarly, takeEarlyPrintWorkers } from '../generator/emit/print-threads.mjs';
import { withEnv } from './support/cache-dir.js';

describe('print workers started by the entry point', () => {
  it('start first of all unless an earlier run left planned files in the caches (or B24GEN_PRINT_WORKERS asks for them)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24gen-warm-'));
    try {
      const first = (env: Record<string, string> = {}) => withEnv({ B24GEN_CACHE_DIR: dir, ...env }, () => printWorkersFirst());
      expect(first()).toBe(true); // no caches yet: a fresh clone's run
      mkdirSync(join(dir, 'plan'));
      expect(first()).toBe(true); // an empty plan cache
      writeFileSync(join(dir, 'plan', 'entry'), '{}');
      expect(first()).toBe(false);
      expect(first({ B24GEN_PRINT_WORKERS: '1' })).toBe(true);
      expect(first({ B24GEN_CACHE: '0' })).toBe(true);
      withEnv({ B24GEN_CACHE_DIR: dir }, () => startPrintWorkersEarly());
      expect(takeEarlyPrintWorkers()).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });


  it('are taken by the first print pool, from another copy of the module too (the CLI bundle has its own)', async () => {
    // The entry point imports print-threads.mjs itself; the bundled generator holds a copy.
    const copyUrl = `${pathToFileURL(resolve('generator/emit/print-threads.mjs')).href}?copy`;
    const bundledCopy = (await import(/* @vite-ignore */ copyUrl)) as typeof import('../generator/emit/print-threads.mjs');
    expect(bundledCopy.takeEarlyPrintWorkers).not.toBe(takeEarlyPrintWorkers);

    withEnv({ B24GEN_PRINT_WORKERS: '2' }, () => startPrintWorkersEarly());
    const started = bundledCopy.takeEarlyPrintWorkers();
    expect(started).toHaveLength(2);
    expect(takeEarlyPrintWorkers()).toBeUndefined(); // once only
    await Promise.all(started!.map((w) => w.terminate()));
  });

  it('print for the pool that takes them, and a later pool starts its own', async () => {
    withEnv({ B24GEN_PRINT_WORKERS: '1' }, () => startPrintWorkersEarly());
    const jobs = [JSON.stringify(['export const a = {b:1}'])];
    const first = PrintPool.start();
    try {
      expect(await first.printAll(jobs)).toEqual(['export const a = { b: 1 };\n']);
    } finally {
      await first.close();
    }
    expect(takeEarlyPrintWorkers()).toBeUndefined();
    const second = withEnv({ B24GEN_PRINT_WORKERS: '1' }, () => PrintPool.start());
    try {
      expect(await second.printAll(jobs)).toEqual(['export const a = { b: 1 };\n']);
    } finally {
      await second.close();
    }
  });

  it('that stopped before the pool took them leave the printing to the main thread, without a hang or a crash', async () => {
    withEnv({ B24GEN_PRINT_WORKERS: '1' }, () => startPrintWorkersEarly());
    const early = (globalThis as Record<symbol, Worker[] | undefined>)[Symbol.for('b24gen.early-print-workers')]!;
    await Promise.all(early.map((w) => w.terminate()));
    expect(early.map(isLive)).toEqual([false]);
    const pool = PrintPool.start();
    try {
      const jobs = [JSON.stringify(['export const a = {b:1}'])];
      expect(await pool.printAll(jobs)).toEqual(['export const a = { b: 1 };\n']);
    } finally {
      await pool.close();
    }
  });

  it('work through batches sent ahead of their answers, each text in its place', async () => {
    // 120 files make 3 batches (50 files each at most): one worker holds two of them at a time.
    const jobs = Array.from({ length: 120 }, (_, i) => JSON.stringify([`export const v${i} = {n:${i}}`]));
    const pool = withEnv({ B24GEN_PRINT_WORKERS: '1' }, () => PrintPool.start());
    try {
      expect(await pool.printAll(jobs)).toEqual(jobs.map((_, i) => `export const v${i} = { n: ${i} };\n`));
    } finally {
      await pool.close();
    }
  });

  it('that stop in the middle of a task fail the run instead of hanging it', async () => {
    withEnv({ B24GEN_PRINT_WORKERS: '1' }, () => startPrintWorkersEarly());
    const [worker] = (globalThis as Record<symbol, Worker[] | undefined>)[Symbol.for('b24gen.early-print-workers')]!;
    const pool = PrintPool.start();
    try {
      const jobs = Array.from({ length: 120 }, (_, i) => JSON.stringify([`export const v${i} = ${i}`]));
      const printing = pool.printAll(jobs);
      await worker.terminate();
      await expect(printing).rejects.toThrow('a print worker stopped before it answered');
    } finally {
      await pool.close();
    }
  });
});
