// Starting the print workers (print-worker.mjs). Plain JavaScript so that the `b24gen` entry
// point can start them before it loads the generator: loading prettier (and ts-morph, when a
// file needs it) then overlaps loading the generator as well as the spec.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cachesLookWarm } from '../cache-base.mjs';

/** Where the entry point leaves the workers it started for the first print pool to take. */
const EARLY = Symbol.for('b24gen.early-print-workers');
/** Set on a worker that failed or exited: it will never answer. */
const DEAD = Symbol.for('b24gen.print-worker-dead');

/**
 * How many print workers a run gets: one per core beyond the main thread's, at least one.
 * B24GEN_PRINT_WORKERS=N sets the number (0: everything on the main thread).
 */
export function printWorkerCount() {
  const set = process.env.B24GEN_PRINT_WORKERS;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (Number.isInteger(n) && n >= 0 && n <= 64) return n;
  }
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Starts `count` print workers; they load and warm up at once. Fewer (none) when threads
 * cannot be had (a sandbox, a resource limit): the main thread then prints what is left. They
 * do not keep the process alive while idle (a refused spec ends the run before printing). A
 * worker that fails before a pool takes it (it could not load prettier) is marked, not left to
 * end the process with its error: see `isLive`.
 */
export function startPrintWorkers(count = printWorkerCount()) {
  const threads = [];
  try {
    for (let i = 0; i < count; i++) threads.push(new Worker(new URL('./print-worker.mjs', import.meta.url)));
  } catch {
    // as many as could be started
  }
  for (const t of threads) {
    t.unref();
    const die = () => (t[DEAD] = true);
    t.on('error', die).on('exit', die);
  }
  return threads;
}

/** False once the worker has failed or exited. */
export function isLive(worker) {
  return worker[DEAD] !== true;
}

/**
 * Whether a run should start its print workers first of all. Not when the caches look warm
 * (cache-base.mjs) and B24GEN_PRINT_WORKERS does not ask for workers: most files then come
 * from the caches or are printed without prettier (direct-print.ts), and a worker loading
 * its printers would only take a core from the main thread (a one-method change on
 * 2,000 methods: 0.86 -> 0.77 s, medians of 8 interleaved runs); what is left to print then
 * goes to a pool started when printing starts (on a small run, the main thread).
 */
export function printWorkersFirst() {
  return process.env.B24GEN_PRINT_WORKERS !== undefined || !cachesLookWarm();
}

/** For the entry point: starts the print workers now, for the first print pool to take (see printWorkersFirst). */
export function startPrintWorkersEarly() {
  if (printWorkersFirst()) globalThis[EARLY] = startPrintWorkers();
}

/** The workers the entry point started, once; undefined after that, or when it started none. */
export function takeEarlyPrintWorkers() {
  const threads = globalThis[EARLY];
  delete globalThis[EARLY];
  return threads;
}
