import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { format } from 'prettier';

/**
 * Formatting is most of a cold generation's time and each file formats on its own, so a big
 * run shares the texts between the main thread and prettier in worker threads
 * (format-worker.mjs), given `print` to produce them: same prettier, same options, the same bytes as formatting in-process.
 * All take from one queue, largest text first, so no thread is left with a long tail.
 */
export async function formatAll(print: () => string[], options: object, workers: number): Promise<string[]> {
  // The workers start (and load prettier) while the main thread prints.
  const threads = Array.from({ length: workers }, () => new Worker(new URL('./format-worker.mjs', import.meta.url)));
  try {
    const texts = print();
    const results: string[] = new Array(texts.length);
    const queue = texts.map((_, i) => i).sort((a, b) => texts[b].length - texts[a].length || a - b);
    const inWorker = (worker: Worker) =>
      new Promise<void>((resolve, reject) => {
        const next = () => {
          const i = queue.shift();
          if (i === undefined) return resolve();
          worker.postMessage({ id: i, text: texts[i], options });
        };
        worker.on('message', (msg: { id: number; formatted?: string; error?: string }) => {
          if (msg.error !== undefined) return reject(new Error(`prettier could not format a generated file: ${msg.error}`));
          results[msg.id] = msg.formatted!;
          next();
        });
        worker.on('error', reject);
        next();
      });
    const inMain = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        results[i] = await format(texts[i], options);
        // prettier settles in microtasks: give the event loop a turn so workers get their next text.
        if (threads.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([inMain(), ...threads.map(inWorker)]);
    return results;
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/**
 * How many format workers (besides the main thread) a run of `misses` files gets. V8's own
 * background threads (garbage collection, compilation) already keep a second core busy, and a
 * worker must load prettier and warm up on its own, so on 2 cores a worker only pays off on a
 * very big run (measured: 13.3 s -> 11.9 s at 2,000 methods, 4.0 s -> 4.3 s at 400). So: none
 * below 1,000 files, otherwise one per core beyond the main thread's.
 * B24GEN_FORMAT_WORKERS=N sets the number (0: main thread only).
 */
export function formatWorkerCount(misses: number): number {
  const set = process.env.B24GEN_FORMAT_WORKERS;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (Number.isInteger(n) && n >= 0 && n <= 64) return n;
  }
  const cores = availableParallelism();
  return cores > 1 && misses >= 1000 ? cores - 1 : 0;
}
