import type { Worker } from 'node:worker_threads';
import { isLive, startPrintWorkers, takeEarlyPrintWorkers } from './print-threads.mjs';

type PrintFiles = (jobs: string[]) => Promise<string[]>;

/**
 * Printing (ts-morph) and formatting (prettier) planned files, in worker threads and, on a big
 * run, the main thread too. Each file prints on its own, from its statements or its text for
 * prettier as JSON (plain data), through the one function in print-file.mjs: the same bytes
 * wherever it runs (tested).
 *
 * Why workers: importing prettier takes about 0.1 s of a small run, and ts-morph (TypeScript's
 * compiler, for a file that comes as structures: prettier-input.ts) 0.25 s more. Workers started before the generator is loaded (by bin/b24gen.mjs, see
 * ./print-threads.mjs) or at least before the spec is (`PrintPool.start` in ../generate.ts)
 * load them while the main thread loads and plans, so the main thread never loads them at all
 * unless the run is big enough for it to help (`MAIN_THREAD_FROM` files). All threads take
 * from one queue, largest file first, so none is left with a long tail.
 */
export class PrintPool {
  private constructor(private readonly workers: Worker[]) {}

  /**
   * A pool of `workers` print workers started now; without a number, the ones the `b24gen` entry
   * point started before loading the generator, else `printWorkerCount()` started now. They
   * load and warm up at once.
   */
  static start(workers?: number): PrintPool {
    return new PrintPool((workers === undefined ? takeEarlyPrintWorkers() : undefined) ?? startPrintWorkers(workers));
  }

  /** Each file's text, in order: its job (`jobs`: its statements, or its text for prettier, as JSON; print-file.mjs) printed and formatted. */
  async printAll(jobs: string[]): Promise<string[]> {
    const results: string[] = new Array(jobs.length);
    const queue = tasksOf(jobs);
    const take = (task: number[], texts: string[]) => task.forEach((job, k) => (results[job] = texts[k]));
    const inWorker = (worker: Worker) =>
      new Promise<void>((resolve, reject) => {
        // Batches sent and not answered yet, by id. A worker holds `IN_FLIGHT` of them, so it
        // starts its next batch at once instead of waiting for the main thread (on a big run busy
        // formatting a batch of its own) to read its answer and send another.
        const sent = new Map<number, number[]>();
        let nextId = 0;
        const fill = () => {
          while (sent.size < IN_FLIGHT && queue.length > 0) {
            const task = queue.shift()!;
            sent.set(nextId, task);
            worker.postMessage({ id: nextId++, files: task.map((job) => jobs[job]) });
          }
          if (sent.size === 0) {
            worker.off('message', onMessage).off('error', reject).off('exit', onExit).unref();
            resolve();
          }
        };
        const onMessage = (msg: { id: number; texts?: string[]; error?: string }) => {
          if (msg.error !== undefined) return reject(new Error(`could not print a generated file: ${msg.error}`));
          take(sent.get(msg.id)!, msg.texts!);
          sent.delete(msg.id);
          fill();
        };
        const onExit = () => reject(new Error('a print worker stopped before it answered'));
        worker.ref();
        worker.on('message', onMessage).on('error', reject).on('exit', onExit);
        fill();
      });
    // A worker that failed while idle (could not load prettier or ts-morph): its share goes to the others or the main thread.
    const workers = this.workers.filter(isLive);
    const inMain = async () => {
      if (workers.length > 0 && jobs.length < MAIN_THREAD_FROM) return;
      const { printFiles } = (await import(new URL('./print-file.mjs', import.meta.url).href)) as { printFiles: PrintFiles };
      for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
        take(task, await printFiles(task.map((job) => jobs[job])));
        // prettier settles in microtasks: give the event loop a turn so workers get their next task.
        if (workers.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([inMain(), ...workers.map(inWorker)]);
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((t) => t.terminate()));
  }
}

/** Batches a worker is sent ahead of its answers (see `inWorker` in `printAll`). */
const IN_FLIGHT = 2;

/** A batch holds at most this many files, and stops growing past this many characters of structures. */
const BATCH_FILES = 50;
const BATCH_CHARS = 400_000;

/**
 * The tasks for `jobs`, as lists of job indices, largest first (so no thread is left with a long
 * tail): the files in batches, in order (print-file.mjs formats a batch in one prettier call,
 * or, with B24GEN_PRINT_PLAIN=1, each of its files alone).
 */
function tasksOf(jobs: string[]): number[][] {
  const tasks: number[][] = [];
  let batch: number[] = [];
  let chars = 0;
  jobs.forEach((job, i) => {
    batch.push(i);
    chars += job.length;
    if (batch.length >= BATCH_FILES || chars >= BATCH_CHARS) {
      tasks.push(batch);
      batch = [];
      chars = 0;
    }
  });
  if (batch.length > 0) tasks.push(batch);
  const size = (task: number[]) => task.reduce((n, job) => n + jobs[job].length, 0);
  return tasks.map((task) => ({ task, size: size(task) })).sort((a, b) => b.size - a.size || a.task[0] - b.task[0]).map((t) => t.task);
}

/**
 * From how many files to print the main thread joins the workers. Below that, loading prettier
 * on the main thread (and ts-morph, for files that come as structures: up to 0.45 s) costs more than its share of the work saves:
 * on the 2-core machines measured, two threads formatting at once do only 1.1-1.2x the work of
 * one (`npm run bench -- parallelism`), so the main thread's share is small (measured: 2.8 s ->
 * 3.1 s at 400 methods, 8.7 s -> 8.4 s at 2,000).
 */
const MAIN_THREAD_FROM = 1000;
