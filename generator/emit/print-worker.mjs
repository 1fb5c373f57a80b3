// A print worker for print-pool.ts: prints and formats the batches of files it is sent, one
// batch at a time. Loading ts-morph and prettier is most of a small run's time, so it starts
// loading them (and warms prettier's parser up) as soon as it is started (print-threads.mjs),
// while the main thread loads the generator and the spec. Plain JavaScript so that a worker
// starts without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { printFiles } from './print-file.mjs';

const warm = printFiles(['["const warm = 1;"]']).catch(() => undefined);

parentPort.on('message', async ({ files }) => {
  await warm;
  try {
    parentPort.postMessage({ texts: await printFiles(files) });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
