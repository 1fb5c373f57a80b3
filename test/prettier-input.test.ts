import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { printDirect } from '../generator/emit/direct-print.js';
import { planOutput } from '../generator/emit/index.js';
import { prettierInput } from '../generator/emit/prettier-input.js';
import { printFiles } from '../generator/emit/print-file.mjs';
import { StructureKind } from '../generator/emit/structure-kind.js';
import { loadSpec } from '../generator/load/index.js';
import { writeSyntheticSpec } from './bench/synthetic.js';
import { withoutCaches } from './support/cache-dir.js';
import { printedPlain } from './support/plain-print.js';

const scratch = mkdtempSync(join(tmpdir(), 'b24gen-prettier-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));


describe('text for prettier written without ts-morph', () => {
  it.each([
    ['the real spec', () => 'spec'],
    ['a synthetic spec of 80 methods', () => writeSyntheticSpec(join(scratch, 'spec-80'), 80)],
    ['a synthetic spec of 400 methods', () => writeSyntheticSpec(join(scratch, 'spec-400'), 400)],
  ])('formats to the bytes of ts-morph and prettier for every file of %s that direct printing leaves', async (_, specDir) => {
    const plan = withoutCaches(() => planOutput(loadSpec(specDir())));
    const left = plan.files.filter((file) => file.text === undefined && printDirect(file.statements, file.laidOut) === undefined);
    // events.ts (the real spec's) and client.ts: the files it is for, and none needs ts-morph.
    expect(left.map((file) => file.path)).toEqual(expect.arrayContaining(['client.ts']));
    const texts = left.map((file) => prettierInput(file.statements));
    expect(texts.every((text) => text !== undefined)).toBe(true);
    const [viaText, expected] = [await printFiles(texts.map((text) => JSON.stringify({ text }))), await printedPlain(left.map((file) => file.statements))];
    left.forEach((file, i) => expect(viaText[i], file.path).toBe(expected[i]));
  }, 60_000);

  it('leaves to ts-morph a structure it does not know, and a function body whose layout could reach prettier', () => {
    const fn = (statements: string[]) => ({ kind: StructureKind.Function, isExported: true, name: 'f', parameters: [{ name: 'a', type: 'string' }], returnType: 'string', statements });
    // As ts-morph writes it: a blank line before a function, its body at four spaces.
    expect(prettierInput(['const a = 1;', fn(['return a;'])] as never)).toBe('const a = 1;\n\nexport function f(a: string): string {\n    return a;\n}\n');
    // A template literal keeps its spaces, and a block comment that is not JSDoc keeps its lines.
    expect(prettierInput([fn(['return `a\n  b`;'])] as never)).toBeUndefined();
    expect(prettierInput([fn(['/* a\n   b */\nreturn a;'])] as never)).toBeUndefined();
    expect(prettierInput([{ kind: StructureKind.Class, name: 'C', methods: [{ name: 'm' }] }] as never)).toBeUndefined();
    expect(prettierInput([{ ...fn(['return a;']), typeParameters: ['T'] }] as never)).toBeUndefined();
  });
});
