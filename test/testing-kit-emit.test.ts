import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { emit } from '../generator/emit/index.js';
import { loadSpecTexts } from '../generator/load/index.js';
import { VALID_METHOD, specWith } from './support/spec-texts.js';

/**
 * emit/testing-file.ts: testing/spec.ts holds the spec's facts as data. Every string of the spec
 * that reaches it (enum values, patterns, error codes and messages, property names) goes through
 * emit/escape.ts, so a hostile one reads back byte for byte and cannot change the program.
 */
const HOSTILE = ['*/ ${x} `tick`', "it's \"q\" \\ back", '\u2028\u2029 line', '__proto__', '</script>'];
/** A valid regular expression holding a comment end, a template hole, quotes and a backslash. */
const PATTERN = '^(\\*/|\\$\\{x\\}|`|\'|")*$';

describe('testing/spec.ts', () => {
  it('reads back every hostile string of the spec exactly, and the kit objects have no prototype surprises', async () => {
    const method = VALID_METHOD.replace(
      '  duration:\n',
      `  mode:\n    $ref: Mode\n  ${JSON.stringify(HOSTILE[3])}:\n    type: string\n    pattern: ${JSON.stringify(PATTERN)}\n  duration:\n`,
    )
      .replace('message: Bot not found', `message: ${JSON.stringify(HOSTILE[1])}`)
      .concat(`types:\n  Mode:\n    type: string\n    enum:\n${HOSTILE.map((v) => `      - value: ${JSON.stringify(v)}\n`).join('')}`);
    const files = await emit(loadSpecTexts(specWith(method), 'spec'));
    const text = files.get('testing/spec.ts')!;
    expect(text).toBeDefined();
    // Written out and run: the type-only imports vanish in transpiling.
    const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const dir = resolve('test/.tmp/testing-emit');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'spec.mjs'), js);
    const mod = (await import(pathToFileURL(join(dir, 'spec.mjs')).href)) as {
      schemaDefs: Record<string, { e?: string[] }>;
      methodFacts: Record<string, { params: { p: Record<string, { pat?: string }> }; errors: Record<string, { message: string }>; example: unknown }>;
    };
    expect(mod.schemaDefs.Mode!.e).toEqual(HOSTILE);
    const facts = mod.methodFacts['imbot.v2.Test.ping']!;
    expect(Object.keys(facts.params.p)).toEqual(['botId', 'mode', '__proto__', 'duration']);
    expect(Object.getPrototypeOf(facts.params.p)).toBe(Object.prototype);
    expect(facts.params.p.__proto__!.pat).toBe(PATTERN);
    expect(facts.errors.BOT_NOT_FOUND!.message).toBe(HOSTILE[1]);
    expect(facts.example).toEqual({ result: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads back a result example's hostile keys and values exactly, in methodFacts and typeExamples", async () => {
    const item = Object.fromEntries(HOSTILE.map((v, i) => [v, HOSTILE[(i + 1) % HOSTILE.length]!]));
    const method = VALID_METHOD.replace(
      '      required: true\nstatuses',
      `      required: true\n    item:\n      $ref: Item\n  example: ${JSON.stringify({ result: true, item })}\nstatuses`,
    ).concat('types:\n  Item:\n    type: object\n    additionalProperties:\n      type: string\n');
    const api = loadSpecTexts(specWith(method), 'spec');
    expect(Object.keys(api.methods[0]!.result.example as object)).toEqual(['result', 'item']);
    const text = (await emit(api)).get('testing/spec.ts')!;
    const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const dir = resolve('test/.tmp/testing-emit-example');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'spec.mjs'), js);
    const mod = (await import(pathToFileURL(join(dir, 'spec.mjs')).href)) as {
      typeExamples: Record<string, Record<string, unknown>>;
      methodFacts: Record<string, { example: { item: Record<string, unknown> }; fromDocs: boolean }>;
    };
    const facts = mod.methodFacts['imbot.v2.Test.ping']!;
    expect(facts.fromDocs).toBe(true);
    for (const read of [facts.example.item, mod.typeExamples.Item!]) {
      expect(Object.keys(read)).toEqual(HOSTILE);
      expect(HOSTILE.map((k) => Object.getOwnPropertyDescriptor(read, k)?.value)).toEqual(HOSTILE.map((k) => item[k]));
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('is byte-identical from one run to the next', async () => {
    const a = (await emit(loadSpecTexts(specWith(), 'spec'))).get('testing/spec.ts');
    const b = (await emit(loadSpecTexts(specWith(), 'spec'))).get('testing/spec.ts');
    expect(a).toBe(b);
  });
});
