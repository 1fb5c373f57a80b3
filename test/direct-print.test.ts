import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { printDirect } from '../generator/emit/direct-print.js';
import { planOutput } from '../generator/emit/index.js';
import { jsDoc } from '../generator/emit/jsdoc.js';
import { StructureKind, VariableDeclarationKind } from '../generator/emit/structure-kind.js';
import { stringLiteral } from '../generator/emit/escape.js';
import { loadSpec } from '../generator/load/index.js';
import { writeSyntheticSpec } from './bench/synthetic.js';
import { printFiles as printPlannedFiles } from '../generator/emit/source-file.js';
import { withEnv, withoutCaches } from './support/cache-dir.js';
import { printedPlain } from './support/plain-print.js';


const scratch = mkdtempSync(join(tmpdir(), 'b24gen-direct-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real spec's method files every `step`th, renamed into a group whose name is `length` characters long. */
function specWithGroupName(length: number, step: number): string {
  const dir = join(scratch, `group-${length}`);
  const group = `G${'x'.repeat(length - 1)}`;
  mkdirSync(join(dir, 'imbot.v2'), { recursive: true });
  cpSync(resolve('spec/common'), join(dir, 'common'), { recursive: true });
  readdirSync(resolve('spec/imbot.v2'))
    .filter((name, i) => name.endsWith('.yaml') && i % step === 0)
    .forEach((name) => {
      const text = readFileSync(resolve('spec/imbot.v2', name), 'utf8').replace(/^method: imbot\.v2\.(\S+)$/m, `method: imbot.v2.${group}.$1`);
      writeFileSync(join(dir, 'imbot.v2', `${group}.${name}`), text.replace(/\bStatusMessageCode\b/g, `StatusMessageCode${group}`));
    });
  return dir;
}

/** Each file of a spec printed directly, beside what ts-morph and prettier give it. */
async function bothWays(specDir: string) {
  const plan = withoutCaches(() => planOutput(loadSpec(specDir)));
  const files = plan.files.filter((file) => file.text === undefined);
  const expected = await printedPlain(files.map((file) => file.statements));
  return files.map((file, i) => ({ path: file.path, direct: printDirect(file.statements, file.laidOut), expected: expected[i] }));
}

describe('printing files without ts-morph and prettier', () => {
  it.each([
    ['the real spec', () => 'spec'],
    ['a synthetic spec of 80 methods', () => writeSyntheticSpec(join(scratch, 'spec-80'), 80)],
  ])('gives every method file, facade module, types.ts, enums.ts, errors.ts and index.ts of %s the bytes ts-morph and prettier give', async (_, specDir) => {
    const files = await bothWays(specDir());
    for (const file of files) if (file.direct !== undefined) expect(file.direct, file.path).toBe(file.expected);
    // The shapes it is for are all printed directly: the speed is real, not a fallback.
    const printedDirectly = files.filter((file) => file.direct !== undefined).map((file) => file.path);
    const expectedDirect = files.filter((file) => /^(im(bot)?\.v2|facade)\//.test(file.path) || ['index.ts', 'types.ts', 'enums.ts', 'errors.ts'].includes(file.path)).map((file) => file.path);
    expect(expectedDirect.length).toBeGreaterThan(40);
    expect(printedDirectly).toEqual(expect.arrayContaining(expectedDirect));
  });

  it('lays facade modules out as prettier does for group names from 1 to 45 characters (lines across the width)', async () => {
    const fallbacks: string[] = [];
    for (let length = 1; length <= 45; length += 4) {
      for (const file of await bothWays(specWithGroupName(length, 3))) {
        if (file.direct !== undefined) expect(file.direct, `${length}: ${file.path}`).toBe(file.expected);
        else if (file.path.startsWith('facade/')) fallbacks.push(`${length}: ${file.path}`);
      }
    }
    // Printed directly up to names 25 characters longer than the real ones; beyond, some lines
    // need a break inside a type (`ResponsePromise<...>`), which is left to prettier.
    expect(fallbacks.every((fallback) => Number(fallback.split(':')[0]) > 25), fallbacks.join(', ')).toBe(true);
  });

  it('gives prettier\'s bytes or nothing for generated statements at every line length around the print width', async () => {
    // Identifiers from 1 to 70 characters, so that lines of every length around 100 occur.
    const name = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,69}$/);
    const typeName = fc.oneof(name, fc.constantFrom('string', 'number', 'boolean', 'unknown', 'null', 'never'));
    const simpleType = fc.oneof(
      { weight: 4, arbitrary: typeName },
      { weight: 1, arbitrary: typeName.map((t) => `${t}[]`) },
      { weight: 1, arbitrary: fc.array(typeName, { minLength: 1, maxLength: 4 }).map((ts) => `Array<${ts.join(' | ')}>`) },
      { weight: 1, arbitrary: typeName.map((t) => `Record<string, ${t}>`) },
    );
    const type = fc.array(simpleType, { minLength: 1, maxLength: 7 }).map((ts) => ts.join(' | '));
    // Doc text through the generator's own escaping (jsDoc), from any Unicode.
    const docs = fc.oneof(
      fc.constant([]),
      fc.tuple(fc.array(fc.string({ unit: 'binary', maxLength: 120 }), { maxLength: 3 }), fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }), { maxLength: 2 })).map(([paragraphs, tags]) =>
        jsDoc(paragraphs, tags.map((text) => ({ tagName: 'throws', text }))),
      ),
    );
    // Type-only imports, value imports, and value imports with `type` on some names (errors.ts's).
    const importLine = fc
      .tuple(fc.constantFrom('type', 'value', 'mixed'), fc.uniqueArray(name, { minLength: 1, maxLength: 8 }), fc.stringMatching(/^\.\.?\/[a-z.]{1,40}\.js$/))
      .map(([kind, names, from]) => {
        const list = [...names].sort().map((n, i) => (kind === 'mixed' && i % 2 === 1 ? `type ${n}` : n));
        return `import ${kind === 'type' ? 'type ' : ''}{ ${list.join(', ')} } from '${from}';`;
      });
    const property = fc.record({
      // Names escape.ts would quote (reserved words, dashes) must fall back, not print wrong.
      name: fc.oneof({ weight: 5, arbitrary: name }, { weight: 1, arbitrary: fc.constantFrom('"default"', '"a-b"', "'x'") }),
      hasQuestionToken: fc.boolean(),
      type,
      docs,
    });
    const iface = fc.record({
      kind: fc.constant(StructureKind.Interface),
      name,
      isExported: fc.boolean(),
      docs,
      properties: fc.array(property, { maxLength: 4 }),
      indexSignatures: fc.oneof(fc.constant([]), type.map((returnType) => [{ keyName: 'key', keyType: 'string', returnType }])),
    });
    const alias = fc.record({ kind: fc.constant(StructureKind.TypeAlias), isExported: fc.boolean(), name, docs, type });
    const descriptor = fc.record({
      kind: fc.constant(StructureKind.VariableStatement),
      isExported: fc.boolean(),
      declarationKind: fc.constant(VariableDeclarationKind.Const),
      docs,
      declarations: fc
        .tuple(name, name, fc.oneof(fc.stringMatching(/^[a-zA-Z0-9.]{1,60}$/), fc.string({ maxLength: 20 })), fc.boolean())
        .map(([variable, typeRef, method, idempotent]) => [{ name: variable, type: typeRef, initializer: `{ name: ${stringLiteral(method)}, idempotent: ${idempotent} }` }]),
    });
    const fn = fc.record({
      kind: fc.constant(StructureKind.Function),
      isExported: fc.boolean(),
      name,
      docs,
      parameters: fc.tuple(name, name, name).map(([a, b, c]) => [
        { name: 'transport', type: a },
        { name: 'params', type: b },
        { name: 'options', type: c, hasQuestionToken: true },
      ]),
      returnType: fc.tuple(name, name).map(([r, t]) => `ResponsePromise<${r}, ${t}>`),
      statements: fc.tuple(name, name, name).map(([r, t, d]) => [`return transport.call<${r}, ${t}>(${d}, params, options);`]),
    });
    const statement = fc.oneof(importLine, iface, alias, descriptor, fn, fc.stringMatching(/^export \* from '\.\/[a-z]{1,90}\.js';$/));
    const files = fc.sample(fc.array(statement, { minLength: 1, maxLength: 6 }), { numRuns: 400, seed: 20261201 });

    const expected = await printedPlain(files);
    let printed = 0;
    files.forEach((file, i) => {
      const direct = printDirect(file as Parameters<typeof printDirect>[0]);
      if (direct === undefined) return;
      printed++;
      expect(direct, JSON.stringify(file)).toBe(expected[i]);
    });
    // Most files are printed directly (the rest hold a quoted name or a line no break fits).
    expect(printed).toBeGreaterThan(files.length / 3);
  });

  it('breaks each shape exactly where prettier does: lines of every length from 60 to 130', async () => {
    const files: unknown[][] = [];
    for (let length = 1; length <= 70; length++) {
      const n = `N${'x'.repeat(length - 1)}`;
      files.push(
        [`import type { Aaaa, Bbbbbbb, ${n} } from '../runtime/index.js';`],
        [{ kind: StructureKind.Interface, name: n, isExported: true, properties: [{ name: 'value', hasQuestionToken: true, type: `${n} | Array<${n} | null>` }] }],
        [{ kind: StructureKind.TypeAlias, name: `${n}Error`, isExported: true, type: `BotTokenNotSpecifiedError | ${n} | SystemErrors` }],
        [{ kind: StructureKind.TypeAlias, name: 'E', isExported: true, type: `BotTokenNotSpecifiedError | ${n}Aaaaaaaaaaaaaaaaaaaaaa | ${n}Bbbbbbbbbbbbbbbbb | SystemErrors` }],
        [
          {
            kind: StructureKind.VariableStatement,
            isExported: true,
            declarationKind: VariableDeclarationKind.Const,
            declarations: [{ name: `${n}Method`, type: 'MethodDescriptor', initializer: `{ name: "imbot.v2.${n}", idempotent: true }` }],
          },
        ],
        [
          {
            kind: StructureKind.Class,
            name: `E${length}Error`,
            isExported: true,
            extends: 'Bitrix24Error',
            docs: jsDoc([`\`${n}\``, 'HTTP 400.']),
            properties: [
              { name: 'code', isStatic: true, isReadonly: true, initializer: `"E${n.toUpperCase()}_ABCDEFGHIJKLMNOPQRSTUVWXYZ"`, docs: jsDoc(['Its code.']) },
              { name: 'code', hasDeclareKeyword: true, isReadonly: true, type: `"E${n.toUpperCase()}"` },
              { name: 'name', hasOverrideKeyword: true, initializer: `"${n}Error"` },
            ],
          },
        ],
        [
          {
            kind: StructureKind.VariableStatement,
            isExported: true,
            declarationKind: VariableDeclarationKind.Const,
            declarations: [{ name: `${n}Kind`, initializer: `{\n/**\n * Shown as: ${n}\n */\nVALUE: "${n}_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",\n["a-${n}"]: -1.5,\n} as const` }],
          },
        ],
        [{ kind: StructureKind.TypeAlias, isExported: true, name: `${n}Kind`, type: `(typeof ${n}Kind)[keyof typeof ${n}Kind]` }],
        [
          {
            kind: StructureKind.Function,
            isExported: true,
            name: n,
            parameters: [
              { name: 'transport', type: 'Transport' },
              { name: 'params', type: `${n}Params` },
              { name: 'options', type: 'CallOptions', hasQuestionToken: true },
            ],
            returnType: `ResponsePromise<${n}Result, Time>`,
            statements: [`return transport.call<${n}Result, Time>(${n.slice(0, 20)}, params, options);`],
          },
        ],
      );
    }
    const expected = await printedPlain(files);
    files.forEach((file, i) => expect(printDirect(file as never) ?? expected[i], JSON.stringify(file)).toBe(expected[i]));
    // Each shape is printed directly on both sides of the width (the rest have a line no break fits).
    const direct = files.map((file) => printDirect(file as never)).filter((text) => text !== undefined);
    expect(direct.length).toBeGreaterThan(files.length * 0.75);
    for (const broken of [/^import type \{\n/, /=\n {2}\| /, /=\n {2}B/, /= \{\n/, /\(\n {2}transport/, /call<[^\n]*\(\n/, /=\n {2}\(typeof/, /^ {2}static readonly code = 'E\w{60,}';$/m]) {
      expect(direct.some((text) => broken.test(text)), String(broken)).toBe(true);
    }
  });

  it('keeps only prettier\'s texts in the format cache (whose salt does not know the generator\'s sources)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24gen-direct-cache-'));
    try {
      const files = withEnv({ B24GEN_CACHE: '0' }, () => planOutput(loadSpec('spec'))).files;
      const printed = await withEnv({ B24GEN_CACHE_DIR: dir, B24GEN_PRINT_WORKERS: '0' }, () => printPlannedFiles(files));
      expect(printed.size).toBe(files.length);
      const throughPrettier = files.filter((file) => printDirect(file.statements, file.laidOut) === undefined);
      expect(throughPrettier.map((file) => file.path).sort()).toEqual(['client.ts', 'events.ts']);
      expect(readdirSync(join(dir, 'format'))).toHaveLength(throughPrettier.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves to prettier what it does not know', () => {
    const iface = { kind: StructureKind.Interface, name: 'A', isExported: true, properties: [{ name: 'a', type: 'string' }] };
    expect(printDirect([iface])).toBe('export interface A {\n  a: string;\n}\n');
    // Quoted names as prettier prints them: unquoted when they are identifiers, else in single quotes.
    expect(printDirect([{ ...iface, properties: [{ name: '"delete"', type: 'string' }, { name: '"a-b"', type: 'string' }] }])).toBe(
      "export interface A {\n  delete: string;\n  'a-b': string;\n}\n",
    );
    for (const other of [
      { ...iface, extends: ['B'] }, // a key it does not print
      { ...iface, properties: [{ name: 'a', type: '{ b: string }' }] }, // type text outside type-text.ts's grammar
      { ...iface, properties: [{ name: '"a\\u005cb"', type: 'string' }] }, // a name with an escape in it
      { ...iface, properties: [{ name: 'a', type: 'string', docs: [{ description: 'prettier-ignore' }] }] },
      { ...iface, properties: [{ name: 'a', type: Array.from({ length: 20 }, (_, i) => `Type${i}`).join(' | ') }] }, // too long for one line
      { kind: StructureKind.Class, name: 'C', methods: [{ name: 'm' }] }, // a class with a method
    ]) {
      expect(printDirect([other as never])).toBeUndefined();
    }
    expect(printDirect(["import { a } from './x.js';", 'const b = 1;'])).toBeUndefined();
  });
});
