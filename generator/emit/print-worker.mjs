// A print worker for print-pool.ts: prints and formats the batches of files it is sent.
// It loads prettier and warms its parser up as soon as it is started (print-threads.mjs), while
// the main thread loads the generator and the spec; ts-morph only when a file needs it
// (print-file.mjs), since the files left to the pool usually come as text (prettier-input.ts).
// Plain JavaScript so that a worker starts without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { mark } from '../timeline.mjs';
import { printFiles } from './print-file.mjs';

// One batch at a time, in the order sent: the pool keeps more than one batch in flight (so this
// thread never waits for the main thread between two), and prettier's awaits would otherwise
// let a second batch start before the first is done. `latest` settles when the last batch
// received (at first, the warm-up) is answered.
let latest = printFiles([JSON.stringify({ text: 'const warm = 1;\n' })])
  .catch(() => undefined)
  .then(() => mark('warmed up, waiting for files'));

parentPort.on('message', ({ id, files }) => {
  latest = latest.then(async () => {
    try {
      parentPort.postMessage({ id, texts: await printFiles(files) });
    } catch (err) {
      parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
    }
  });
});
