import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify, type ToStringOptions } from 'yaml';
import { quickParse } from '../generator/load/fast-yaml.js';
import { readSpecDir } from '../generator/load/index.js';
import { ProblemList } from '../generator/load/spec-error.js';
import { YamlSource } from '../generator/load/yaml-source.js';
import { hostileSpec } from './support/hostile-spec.js';

/**
 * The quick parser (js-yaml with yaml's core schema) must give exactly the data `yaml` gives, or
 * step aside (undefined) so that `yaml` parses the file: the spec's names, codes and texts carry
 * over exactly whichever parser read them.
 */

/** What the loader's `yaml` path (YamlSource, the fallback) makes of `text`, or undefined when it refuses it. */
function yamlData(text: string): { data: unknown } | undefined {
  const parsed = YamlSource.parse('test.yaml', text, new ProblemList());
  return parsed && { data: parsed.data };
}

/** Values as JSON, with what JSON would blur (-0, NaN, infinities) spelled out, and keys in order. */
const exact = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (Object.is(x, -0) ? '-0' : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

/** Checks one text; returns whether the quick parser took it. */
function agrees(text: string): boolean {
  const quick = quickParse(text);
  if (!quick) return false;
  const slow = yamlData(text);
  expect(slow, `yaml refuses what the quick parser took: ${JSON.stringify(text)}`).toBeDefined();
  expect(isDeepStrictEqual(quick.data, slow!.data) && exact(quick.data) === exact(slow!.data), `data differs for ${JSON.stringify(text)}: ${exact(quick.data)} vs ${exact(slow!.data)}`).toBe(true);
  return true;
}

const STYLES: ToStringOptions[] = [
  {},
  { defaultStringType: 'QUOTE_SINGLE' },
  { defaultStringType: 'QUOTE_DOUBLE' },
  { defaultStringType: 'BLOCK_LITERAL' },
  { defaultStringType: 'BLOCK_FOLDED' },
  { collectionStyle: 'flow' },
  { lineWidth: 20, minContentWidth: 0 },
];

describe('quick YAML parse: the same data as yaml, or none', () => {
  it('takes every file of the real spec and the test fixtures, with the same data', () => {
    const files = readSpecDir(resolve('spec')).map((f) => f.text);
    for (const f of readdirSync('test/fixtures', { recursive: true, encoding: 'utf8' })) {
      if (f.endsWith('.yaml')) files.push(readFileSync(join('test/fixtures', f), 'utf8'));
    }
    const taken = files.filter(agrees).length;
    // Every file here is plain YAML: were any left to yaml, loading would lose its speed.
    expect(taken).toBe(files.length);
    expect(taken).toBeGreaterThan(60);
  });

  it('agrees on the fuzz run\'s hostile spec files', () => {
    let taken = 0;
    let files = 0;
    for (const c of fc.sample(hostileSpec, { numRuns: 300, seed: 20261201 })) {
      for (const { text } of c.texts) {
        files++;
        if (agrees(text)) taken++;
      }
    }
    expect(taken).toBeGreaterThan(files * 0.9);
  });

  it('agrees on any JSON value and any strings, written in every style yaml writes', () => {
    const strings = fc.dictionary(fc.string({ unit: 'grapheme' }), fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.double()));
    let taken = 0;
    let texts = 0;
    for (const value of [...fc.sample(fc.jsonValue(), { numRuns: 200, seed: 11 }), ...fc.sample(strings, { numRuns: 200, seed: 13 })]) {
      for (const style of STYLES) {
        texts++;
        if (agrees(stringify({ k: value }, style))) taken++;
      }
    }
    expect(taken).toBeGreaterThan(texts * 0.8);
  });

  it('resolves plain scalars as YAML 1.2\'s core schema does (yaml\'s reading, not js-yaml\'s own)', () => {
    const scalars = ['-0', '-0.0', '0o17', '0x1F', '1_000', '0b101', '+1', '.5', '1.', '1e3', '.inf', '-.Inf', '.NaN', '012', '00', '+0', '2026-11-24', '~', 'Null', 'NULL', 'TRUE', 'yes', 'no', 'on', '1:20', '9007199254740993', '1e400', '0o8', '0x', '1e', '-.5e-3', '.Nan', '+.inf'];
    for (const s of scalars) {
      expect(agrees(`a: ${s}\nb: [${s}]\n`), s).toBe(true);
      agrees(`${s}: key\n`); // as a key: the same string, or (a null key) left to yaml
    }
    expect(quickParse('a: 1_000')!.data).toEqual({ a: '1_000' });
    expect(quickParse('a: 0b101')!.data).toEqual({ a: '0b101' });
    expect(Object.is((quickParse('a: -0')!.data as { a: number }).a, -0)).toBe(true);
    expect(quickParse('a: 2026-11-24')!.data).toEqual({ a: '2026-11-24' });
  });

  it('agrees on odd but plain YAML: prototype names, escapes, block scalars, CRLF, BOM, comments, empty values', () => {
    const odd = [
      '__proto__: 1\nconstructor: { x: [1, 2] }\n',
      '"\\t\\x41\\u00e9\\/": 1\n',
      "a: 'it''s'\n",
      'a: |\n  x\n   y\n',
      'a: >-\n  x\n\n  y\n',
      'a: x\r\n  b\r\n',
      '\uFEFFa: 1\n',
      'a: b #c\nd: e#f\n',
      'a:\nb: [~, null]\nc: {x: ~}\n',
      '- - a\n  - b\n- c: d\n  e: f\n',
      'a: "x\\\n  y"\n',
      'a: "\u2028\u0085"\n',
      '# only a comment\na: 1\n',
    ];
    for (const text of odd) expect(agrees(text), JSON.stringify(text)).toBe(true);
  });

  it('leaves to yaml what the two would read differently, or what is wrong', () => {
    const leftToYaml = [
      ['null key', 'null: 1\n'],
      ['~ key', '~: 1\n'],
      ['empty key in a flow map', '{: 1}\n'],
      ['empty key', ': 1\n'],
      ['explicit key', '? [a]\n: 1\n'],
      ['flow sequence as a key', '[a, b]: 1\n'],
      ['flow map as a key', '{a: 1}: 2\n'],
      ['anchor and alias', 'a: &x {b: 1}\nc: *x\n'],
      ['%YAML 1.1 (another schema)', '%YAML 1.1\n---\na: yes\n'],
      ['duplicate key', 'a: 1\na: 2\n'],
      ['two documents', 'a: 1\n---\nb: 2\n'],
      ['unknown tag', 'a: !foo x\n'],
      ['a tag yaml resolves otherwise', 'a: !!float 1\n'],
      ['syntax error', 'a: [1, 2\n'],
      ['bad escape', 'a: "\\q"\n'],
      ['empty document', ''],
      ['nesting past 100', `${'['.repeat(120)}${']'.repeat(120)}\n`],
    ];
    for (const [what, text] of leftToYaml) expect(quickParse(text), what).toBeUndefined();
  });
});
