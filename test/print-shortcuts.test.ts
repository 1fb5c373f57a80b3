import { describe, expect, it } from 'vitest';
import { printFiles } from '../generator/emit/print-file.mjs';
import { StructureKind } from '../generator/emit/structure-kind.js';
import { withEnv } from './support/cache-dir.js';

/** A file as planned: its statements, each a text or a ts-morph structure. */
type File = (string | object)[];

/** Plain formatting: each file in a prettier call of its own, its JSDoc in place. What the shortcuts must give back, byte for byte. */
const plain = (files: File[]) => withEnv({ B24GEN_PRINT_PLAIN: '1' }, () => printFiles(files.map((f) => JSON.stringify(f))));
const alone = async (files: File[]) => (await Promise.all(files.map((f) => printFiles([JSON.stringify(f)])))).flat();
const batched = (files: File[]) => printFiles(files.map((f) => JSON.stringify(f)));

/** An exported interface with JSDoc on it and on its properties. */
const iface = (name: string, docs: string[], properties: { name: string; type: string; docs?: string[] }[]) => ({ kind: StructureKind.Interface, name, isExported: true, docs, properties });

describe('formatting several files in one prettier call', () => {
  it('gives each file the bytes it gets alone, blank lines, comments and shared imports included', async () => {
    const files = [
      ["import type { BotId } from '../types.js';", '/** A. */\nexport interface A { id: BotId; veryLongPropertyNameToForceWrapping: Record<string, Array<string | number | boolean | null>> }', 'export const a = { x: 1 };'],
      ["import type { BotId } from '../types.js';", '\n\n/** B, after blank lines. */', 'export function b(id: BotId): BotId { return id }'],
      ['export type C = 1 | 2;'],
    ];
    const together = await batched(files);
    expect(together).toEqual(await plain(files));
    expect(together[1]).toContain('export function b(id: BotId): BotId {\n  return id;\n}');
  });

  it('gives the same bytes for files that declare the same names (each facade module has its createFacade)', async () => {
    const facade = (group: string) => [
      `import { ${group}Get } from '../imbot.v2/${group}.get.js';`,
      `/** The ${group} methods. */\nexport interface Facade { get(id: number): Promise<{ ok: boolean; group: '${group}' }> }`,
      `export function createFacade(transport: unknown): Facade { return { get: (id) => ${group}Get(transport, { id }) } }`,
    ];
    const files = [facade('Bot'), facade('Chat'), facade('Revision')];
    const together = await batched(files);
    expect(together).toEqual(await plain(files));
    expect(together.every((text) => text.includes('export function createFacade(transport: unknown): Facade {'))).toBe(true);
  });

  it('falls back to one call per file when a file holds the boundary, ends without ; or }, or the files cannot share a module', async () => {
    const cases = [
      [["export const s = '// @b24gen-file-boundary';"], ['export const t = 1;']],
      [['export const u = 1'], ['(globalThis as { v?: number }).v = 2;']],
      [['export default 1;'], ['export default 2;']],
    ];
    for (const files of cases) expect(await batched(files)).toEqual(await plain(files));
  });
});

describe('formatting with JSDoc set aside', () => {
  it('puts every JSDoc comment back as prettier prints it, at every depth', async () => {
    const files: File[] = [
      [
        '/**\n * Two lines,\n *    the second indented.\n */',
        iface('Params', ['Parameters.\n\nA second paragraph with `code` and a very long line that prettier must leave as it is, however far past the print width it goes.'], [
          { name: 'botId', type: 'number', docs: ['The bot.'] },
          { name: 'nested', type: '{\n/** Inside a type literal. */\nx: string;\n/**\n * Two\n * lines.\n */\ny?: number }', docs: ['Nested.\nOn two lines.'] },
        ]),
        'export class E extends Error {\n/** Its code. */\nstatic readonly code = "X";\n/**\n * Builds it.\n */\nconstructor() { super("x") }\n}',
        'export enum K {\n/** One. */\nOne = "one",\n/** Two,\n   not starting with a star. */\nTwo = "two" }',
      ],
    ];
    const fast = await alone(files);
    expect(fast).toEqual(await plain(files));
    expect(fast[0]).toContain('  /**\n   * Nested.\n   * On two lines.\n   */\n  nested: {');
    expect(fast[0]).toContain('    /** Inside a type literal. */\n    x: string;');
  });

  it('gives the same bytes for comments prettier may treat otherwise (left in place) and for ones that look like markers', async () => {
    const docs = ['Ends in two spaces  \nfor a Markdown line break.', 'prettier-ignore', 'Holds a line\u2028separator.', 'd0', 'd1', 'Literally /** d0 *\\/ inside.'];
    const files: File[] = docs.map((doc, i) => [iface(`I${i}`, [doc], [{ name: 'a', type: 'string   |   number', docs: [doc] }])]);
    expect(await alone(files)).toEqual(await plain(files));
  });

  it('formats the file again with its JSDoc in place when a marker does not come back on a line of its own', async () => {
    const files = [['export const a = /** inline */ 1;', 'export const b = [/** first */ 1, /** second */ 2];', 'export type T = /** union */ "a" | "b";']];
    const fast = await alone(files);
    expect(fast).toEqual(await plain(files));
    expect(fast[0]).toContain('/** inline */');
  });
});
