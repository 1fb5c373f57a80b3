import { describe, expect, it } from 'vitest';
import { printFiles } from '../generator/emit/print-file.mjs';
import { PRETTIER_OPTIONS } from '../generator/emit/source-file.js';

/** Each file formatted in a call of its own: what a batch must give back, byte for byte. */
const alone = async (files: string[][]) => Promise.all(files.map(async (f) => (await printFiles([JSON.stringify(f)], PRETTIER_OPTIONS))[0]));
const batched = (files: string[][]) => printFiles(files.map((f) => JSON.stringify(f)), PRETTIER_OPTIONS);

describe('formatting several files in one prettier call', () => {
  it('gives each file the bytes it gets alone, blank lines, comments and shared imports included', async () => {
    const files = [
      ["import type { BotId } from '../types.js';", '/** A. */\nexport interface A { id: BotId; veryLongPropertyNameToForceWrapping: Record<string, Array<string | number | boolean | null>> }', 'export const a = { x: 1 };'],
      ["import type { BotId } from '../types.js';", '\n\n/** B, after blank lines. */', 'export function b(id: BotId): BotId { return id }'],
      ['export type C = 1 | 2;'],
    ];
    const together = await batched(files);
    expect(together).toEqual(await alone(files));
    expect(together[1]).toContain('export function b(id: BotId): BotId {\n  return id;\n}');
  });

  it('falls back to one call per file when a file holds the boundary, ends without ; or }, or the files cannot share a module', async () => {
    const cases = [
      [["export const s = '// @b24gen-file-boundary';"], ['export const t = 1;']],
      [['export const u = 1'], ['(globalThis as { v?: number }).v = 2;']],
      [['export default 1;'], ['export default 2;']],
    ];
    for (const files of cases) expect(await batched(files)).toEqual(await alone(files));
  });
});
