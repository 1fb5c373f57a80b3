// A prettier worker for emit/format-pool.ts: formats the texts it is sent, one at a time.
// Plain JavaScript so that it starts without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { format } from 'prettier';

parentPort.on('message', async ({ id, text, options }) => {
  try {
    parentPort.postMessage({ id, formatted: await format(text, options) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
