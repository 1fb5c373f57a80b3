// A print worker for print-pool.ts: prints and formats the batches of files it is sent, one
// batch at a time. Loading ts-morph and prettier is most of a small run's time, so it starts
// loading them (and warms prettier's parser up) as soon as the pool starts, while the main
// thread loads the spec. Plain JavaScript so that it starts without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { printFiles } from './print-file.mjs';

const warm = printFiles(['["const warm = 1;"]'], workerData.options).catch(() => undefined);

parentPort.on('message', async ({ files, options }) => {
  await warm;
  try {
    parentPort.postMessage({ texts: await printFiles(files, options) });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
