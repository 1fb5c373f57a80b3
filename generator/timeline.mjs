// B24GEN_TIMELINE=1: every thread of a `generate` run writes a line to stderr as it reaches each
// phase (spec loaded, planned, a print worker ready, each batch it formats, written), timed from
// the process's start. A maintainer chasing the run's time sees which thread waits for which:
// on 2 cores, for example, that the print worker is ready long before the plan it formats.
// Plain JavaScript, so the entry point and the print workers load it without a TypeScript loader.
import { writeSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';

const on = process.env.B24GEN_TIMELINE === '1';
const thread = isMainThread ? 'main' : `worker ${threadId}`;

/** Writes `ms since the process started  thread: what` to stderr when B24GEN_TIMELINE=1. */
export function mark(what) {
  if (!on) return;
  // In a worker thread too, performance.now() counts from the process's start (Node's time origin).
  const ms = performance.now();
  // Synchronously to the file descriptor: a worker's process.stderr is relayed through the main
  // thread, which may have exited by then, and the lines would come out of order.
  writeSync(2, `b24gen timeline ${ms.toFixed(0).padStart(6)} ms  ${thread}: ${what}\n`);
}
