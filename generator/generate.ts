import type { Api } from './model/ir.js';
import { planOutput, printPlan } from './emit/index.js';
import { emitReadme } from './emit/readme-file.js';
import { PrintPool } from './emit/print-pool.js';
import { printWorkersFirst } from './emit/print-threads.mjs';
import { loadSpec } from './load/index.js';
import { mark } from './timeline.mjs';

/**
 * The whole pipeline without touching the output: spec folder -> IR -> generated files. The
 * print workers start first (unless the caches look warm: print-threads.mjs), so they load
 * prettier while the spec loads; while
 * they print, the main thread writes the README and runs `meanwhile` (the generate command
 * reads the current output there, to compare).
 */
export async function generateFiles<T = undefined>(
  specDir: string,
  meanwhile: () => T = () => undefined as T,
): Promise<{ api: Api; files: Map<string, string>; readme: string; meanwhile: T }> {
  // Without it (caches warm, print-threads.mjs), printing starts a pool of its own if need be.
  const pool = printWorkersFirst() ? PrintPool.start() : undefined;
  try {
    const api = loadSpec(specDir);
    mark(`spec loaded: ${api.methods.length} methods`);
    const plan = planOutput(api);
    mark('output planned');
    // printPlan hands the files to print to the pool before it first waits.
    const printing = printPlan(plan, pool);
    printing.catch(() => undefined); // awaited below; a failure must not surface as unhandled first
    const readme = emitReadme(api);
    const alongside = meanwhile();
    const files = await printing;
    mark(`output ready: ${files.size} files (printed and formatted, or from the caches)`);
    return { api, files, readme, meanwhile: alongside };
  } finally {
    await pool?.close();
  }
}
