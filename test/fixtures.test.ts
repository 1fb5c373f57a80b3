import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// TypeScript's parser as a JS API: ts-morph's bundled compiler (TypeScript 7 has none).
import { ts } from 'ts-morph';
import { beforeAll, describe, expect, it } from 'vitest';
import { emit } from '../generator/emit/index.js';
import { loadSpec } from '../generator/load/index.js';
import { typecheck } from './support/typecheck.js';

/**
 * Each folder in test/fixtures/specs is a small spec exercising one feature. Its generated
 * files (the runtime and the Redis stores aside: they are copied verbatim) are compared with reviewed snapshots in
 * test/__snapshots__/fixtures/, and must compile under `strict`.
 */
const fixturesDir = resolve('test/fixtures/specs');
const outRoot = resolve('test/.tmp/fixtures');
const fixtures = readdirSync(fixturesDir).sort();
const outputs = new Map<string, Map<string, string>>();

/** Copied as is from generator/runtime/ and generator/testing/: not generated from the fixture (testing/spec.ts is). */
const handWritten = (path: string): boolean =>
  path.startsWith('runtime/') || path.startsWith('redis/') || (path.startsWith('testing/') && path !== 'testing/spec.ts');

beforeAll(async () => {
  rmSync(outRoot, { recursive: true, force: true });
  for (const name of fixtures) {
    const files = await emit(loadSpec(join(fixturesDir, name)));
    outputs.set(name, files);
    for (const [path, text] of files) {
      const target = join(outRoot, name, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
});

describe.each(fixtures)('fixture %s', (name) => {
  it('generates the reviewed files', async () => {
    const files = outputs.get(name)!;
    for (const [path, text] of files) {
      if (handWritten(path)) continue;
      await expect(text).toMatchFileSnapshot(`./__snapshots__/fixtures/${name}/${path}.snap`);
    }
  });
});

describe('generated fixture code', () => {
  it('compiles under strict with no diagnostics', () => {
    const roots = fixtures.flatMap((name) => [join(outRoot, name, 'index.ts'), join(outRoot, name, 'testing', 'spec.ts')]);
    expect(typecheck(roots)).toEqual([]);
  });

  it('keeps hostile enum values and error codes byte for byte', async () => {
    const enums = await import(join(outRoot, 'hostile-text', 'enums.ts'));
    expect(Object.values(enums.Weird)).toEqual(['it\'s "quoted"', 'back\\slash', '${template}', '__proto__', 'constructor', 'line\nbreak', '']);
    expect(Object.keys(enums.Weird)).toEqual(Object.values(enums.Weird));
    expect(Object.getPrototypeOf(enums.Weird)).toBe(Object.prototype);

    const errors = await import(join(outRoot, 'hostile-text', 'errors.ts'));
    expect(Object.keys(errors.errorClassesByCode)).toEqual(['WEIRD-CODE */', '__proto__']);
    expect(Object.getPrototypeOf(errors.errorClassesByCode)).toBe(Object.prototype);
    expect(errors.WeirdCodeError.code).toBe('WEIRD-CODE */');
    expect(errors.ProtoError.code).toBe('__proto__');
  });

  it('lets no spec text close a comment or open a template', () => {
    const files = outputs.get('hostile-text')!;
    for (const [path, text] of files) {
      if (handWritten(path)) continue;
      // Every comment opened is closed by the generator's own `*/`, never by spec text.
      const comments = text.match(/\/\*\*[\s\S]*?\*\//g) ?? [];
      for (const c of comments) expect(c.slice(3, -2)).not.toContain('*/');
      // Spec strings are only ever plain string literals: no template literal exists to inject into.
      const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
      const templates: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) templates.push(node.getText());
        ts.forEachChild(node, visit);
      };
      visit(source);
      expect(templates).toEqual([]);
    }
  });
});
