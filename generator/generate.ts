import type { Api } from './model/ir.js';
import { emit } from './emit/index.js';
import { emitReadme } from './emit/readme-file.js';
import { loadSpec } from './load/index.js';

/** The whole pipeline without touching the output: spec folder -> IR -> generated files and README. */
export async function generateFiles(specDir: string): Promise<{ api: Api; files: Map<string, string>; readme: string }> {
  const api = loadSpec(specDir);
  const files = await emit(api);
  return { api, files, readme: emitReadme(api) };
}
