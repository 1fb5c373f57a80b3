import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Formatting is most of a cold generation's time and each file formats on its own, so a big
 * run hands the texts to prettier in worker threads (format-worker.mjs), one per core, while the
 * main thread goes on printing with ts-morph. Same prettier, same options: the same bytes as
 * formatting in-process. Each text goes to the worker with the fewest bytes queued.
 */
export class FormatPool {
  private readonly workers: { worker: Worker; queued: number }[] = [];
  private readonly pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void; bytes: number; slot: number }>();
  private nextId = 0;

  constructor(size: number, private readonly options: object) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./format-worker.mjs', import.meta.url));
      worker.on('message', (msg: { id: number; formatted?: string; error?: string }) => this.settle(msg));
      worker.on('error', (err) => this.failAll(err));
      this.workers.push({ worker, queued: 0 });
    }
  }

  format(text: string): Promise<string> {
    let slot = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.workers[i].queued < this.workers[slot].queued) slot = i;
    const id = this.nextId++;
    this.workers[slot].queued += text.length;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, bytes: text.length, slot });
      this.workers[slot].worker.postMessage({ id, text, options: this.options });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private settle(msg: { id: number; formatted?: string; error?: string }): void {
    const job = this.pending.get(msg.id);
    if (!job) return;
    this.pending.delete(msg.id);
    this.workers[job.slot].queued -= job.bytes;
    if (msg.error !== undefined) job.reject(new Error(`prettier could not format a generated file: ${msg.error}`));
    else job.resolve(msg.formatted!);
  }

  private failAll(err: Error): void {
    for (const job of this.pending.values()) job.reject(err);
    this.pending.clear();
  }
}

/**
 * How many format workers a run of `misses` files gets: none for a few files (starting a
 * worker and loading prettier in it costs about 0.2 s), otherwise one per core.
 * B24GEN_FORMAT_WORKERS=N sets the number (0: format in-process).
 */
export function formatWorkerCount(misses: number): number {
  const set = process.env.B24GEN_FORMAT_WORKERS;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (Number.isInteger(n) && n >= 0 && n <= 64) return n;
  }
  const cores = availableParallelism();
  return cores > 1 && misses >= 32 ? cores : 0;
}
