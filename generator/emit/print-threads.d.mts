import type { Worker } from 'node:worker_threads';

/** How many print workers a run gets (B24GEN_PRINT_WORKERS, else one per core beyond the first, at least one). */
export function printWorkerCount(): number;
/** Starts `count` print workers (fewer when threads cannot be had); they load and warm up at once. */
export function startPrintWorkers(count?: number): Worker[];
/** False once the worker has failed or exited. */
export function isLive(worker: Worker): boolean;
/** For the entry point: starts the print workers now, for the first print pool to take. */
export function startPrintWorkersEarly(): void;
/** The workers the entry point started, once; undefined after that, or when it started none. */
export function takeEarlyPrintWorkers(): Worker[] | undefined;
/** Whether a run should start its print workers first of all: not when the caches look warm (print-threads.mjs). */
export function printWorkersFirst(): boolean;
