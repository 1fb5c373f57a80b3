import type { Api } from './model/ir.js';
import { emit } from './emit/index.js';
import { emitReadme } from './emit/readme-file.js';
import { PrintPool } from './emit/print-pool.js';
import { PRETTIER_OPTIONS } from './emit/source-file.js';
import { loadSpec } from './load/index.js';

/**
 * The whole pipeline without touching the output: spec folder -> IR -> generated files. The
 * print workers start first, so they load ts-morph and prettier while the spec loads.
 */
export async function generateFiles(specDir: string): Promise<{ api: Api; files: Map<string, string>; readme: string }> {
  const pool = PrintPool.start(PRETTIER_OPTIONS);
  try {
    const api = loadSpec(specDir);
    const files = await emit(api, pool);
    return { api, files, readme: emitReadme(api) };
  } finally {
    await pool.close();
  }
}
