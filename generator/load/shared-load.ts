import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { entryText } from './load-cache.js';
import { parseSpecFile } from './spec-file.js';
import { ProblemList } from './spec-error.js';
import { validateAgainstSchema } from './validate.js';

/**
 * Loading a big spec is mostly parsing its YAML and checking each file against
 * the JSON Schema, file by file, on the main thread, while the print workers, loaded and warmed
 * up, wait for files to print (at 2,000 methods they waited about 2.5 s). So the files to load
 * are shared: the main thread and every print worker that is free take the next file from one
 * counter in shared memory until none is left. A worker sends back what the load cache keeps
 * for a file that parsed and passed the schema (its data as JSON text: load-cache.ts), so the
 * main thread answers it as it answers a cache hit, with the same data and, found from the text
 * when shown, the same `file:line:col` (tested). A file with a problem gets no entry: the main
 * thread loads it again itself and reports its problems as it always does; so does a file a
 * worker took and never answered (a worker that stopped).
 *
 * The workers run the generator's bundle (`bin/b24gen.mjs` leaves its URL on `globalThis`
 * under `CLI_BUNDLE`) for `specFileEntry`; started otherwise (tsx, tests) there is no bundle and
 * the main thread loads every file. B24GEN_LOAD_SHARE=0 turns sharing off; =workers leaves every
 * file, however few, to the workers (the main thread only waits: for tests, which must see the
 * workers' side).
 */

/** Where the entry point leaves the URL of the generator's bundle (the workers import it). */
export const CLI_BUNDLE = Symbol.for('b24gen.cli-bundle');

/** What a worker is sent to take its share: see generator/load/load-share.mjs. */
export interface LoadShareMessage {
  files: { file: string; text: string }[];
  /** Int32 counters: [0] the next file to take, [1] files the workers have answered. */
  counters: SharedArrayBuffer;
  port: MessagePort;
  bundle: string;
}

/** The main thread's side of one shared load. */
export interface SharedLoad {
  /** The next file to load (its index); `files.length` or more when none is left. */
  take(): number;
  /** Waits for the files the workers took (all but `mine`): each one's entry, or null. */
  finish(mine: number): Map<number, string | null>;
}

/**
 * Files to load from which they are shared. A worker is free only once it has loaded ts-morph
 * and prettier (about 0.45 s into a run), and then imports the bundle (about 0.1 s): by then
 * the main thread has loaded a few hundred files on its own. Measured on 2 cores: at 400 files a
 * worker took 10-150 of them and the spec was loaded no sooner, so below this nothing is sent
 * (a worker would import the bundle for nothing, delaying its printing); at 2,000 it took 880
 * and the run took about 5% less time (medians of 8 interleaved runs).
 */
const SHARE_FROM = 500;

/** With no answer and no progress for this long, the files the workers took are loaded here. */
const STALLED_MS = 3000;

/**
 * Starts the workers on `files`; undefined when they are not shared (no worker, no bundle,
 * sharing off, fewer than `SHARE_FROM` files).
 */
export function shareLoad(workers: readonly Worker[], files: { file: string; text: string }[]): SharedLoad | undefined {
  const mode = process.env.B24GEN_LOAD_SHARE;
  const bundle = (globalThis as Record<symbol, unknown>)[CLI_BUNDLE];
  const wanted = mode === 'workers' ? files.length > 0 : mode !== '0' && files.length >= SHARE_FROM;
  if (!wanted || typeof bundle !== 'string' || workers.length === 0) return undefined;
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const ports: MessagePort[] = [];
  const texts = files.map(({ file, text }) => ({ file, text }));
  for (const worker of workers) {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    worker.postMessage({ load: { files: texts, counters: counters.buffer, port: port2, bundle } satisfies LoadShareMessage }, [port2]);
  }
  const workersOnly = mode === 'workers';
  return {
    take: () => (workersOnly ? files.length : Atomics.add(counters, 0, 1)),
    finish(mine) {
      const expected = files.length - mine;
      const answers = new Map<number, string | null>();
      const drain = () => {
        for (const port of ports) {
          for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
            const { i, entry } = m.message as { i: number; entry: string | null };
            answers.set(i, entry);
          }
        }
      };
      let seen = -1;
      let since = Date.now();
      for (drain(); answers.size < expected; drain()) {
        const done = Atomics.load(counters, 1);
        if (done !== seen) [seen, since] = [done, Date.now()];
        else if (Date.now() - since > STALLED_MS) break;
        // Sleeps until a worker counts another answered file, or 50 ms.
        Atomics.wait(counters, 1, done, 50);
      }
      // Nothing more is taken (a late worker finds the counter past the end) or awaited.
      Atomics.store(counters, 0, files.length);
      for (const port of ports) port.close();
      return answers;
    },
  };
}

/**
 * In a worker: a spec file parsed and checked against the schema, as the load cache keeps it
 * (JSON text); undefined when the file has a problem or JSON cannot carry its data exactly (the
 * main thread then loads it itself).
 */
export function specFileEntry(file: string, text: string): string | undefined {
  const problems = new ProblemList();
  const parsed = parseSpecFile(file, text, problems);
  if (!parsed || !validateAgainstSchema(parsed, problems)) return undefined;
  return entryText(parsed);
}
