// A print worker for print-pool.ts: prints and formats the files it is sent, one at a time.
// Loading ts-morph and prettier is most of a small run's time, so it starts loading them (and
// warms prettier's parser up) as soon as the pool starts, while the main thread loads the spec.
import { parentPort, workerData } from 'node:worker_threads';
import { printFile } from './print-file.mjs';

const warm = printFile('["const warm = 1;"]', workerData.options).catch(() => undefined);

parentPort.on('message', async ({ id, statements, options }) => {
  await warm;
  try {
    parentPort.postMessage({ id, text: await printFile(statements, options) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
