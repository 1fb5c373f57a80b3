import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSpecDir } from '../generator/load/index.js';
import { ProblemList } from '../generator/load/spec-error.js';
import { parseSpecFile } from '../generator/load/spec-file.js';
import { YamlSource, type DataPath } from '../generator/load/yaml-source.js';
import type { SourceLocation } from '../generator/model/ir.js';
import { hostileSpec } from './support/hostile-spec.js';

/** Every path into `data` (each node's own path), so every place a message could point at is compared. */
function pathsOf(data: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** A place as shown: its file, line and column (a lazily found place reads them here). */
const shown = (at: SourceLocation) => ({ file: at.file, line: at.line, col: at.col });

/**
 * The same data and places from the file as the loader parses it (quickly, places found when
 * read) and from `yaml` parsing it with positions; for each path and near misses.
 */
function compare(file: string, text: string): number {
  const parsed = YamlSource.parse(file, text, new ProblemList());
  expect(parsed, file).toBeDefined();
  const loaded = parseSpecFile(file, text, new ProblemList())!;
  expect(loaded.data).toEqual(parsed!.data);
  let compared = 0;
  for (const path of pathsOf(parsed!.data)) {
    const variants: DataPath[] = [path, [...path, 'missing'], [...path, 0], [...path, '0'], [...path, 99], [...path, '__proto__'], [...path, 'constructor']];
    for (const p of variants) {
      expect(shown(loaded.at(p)), `${file} at ${JSON.stringify(p)}`).toEqual(parsed!.at(p));
      expect(shown(loaded.keyAt(p)), `${file} keyAt ${JSON.stringify(p)}`).toEqual(parsed!.keyAt(p));
      compared++;
    }
  }
  return compared;
}

describe('load: a loaded file answers every place as yaml parsing it with positions', () => {
  it('for every file of the real spec', () => {
    let compared = 0;
    for (const { path, text } of readSpecDir(resolve('spec'))) compared += compare(`spec/${path}`, text);
    expect(compared).toBeGreaterThan(10_000);
  });

  it('for odd YAML: prototype-named and numeric keys, empty values, aliases, CRLF, flow style, Unicode', () => {
    const odd = [
      'a:\r\n  __proto__: 1\r\n  constructor: { x: [1, 2] }\r\n  "0": zero\r\n  1: one\r\n',
      'list:\n  - \n  - k:\n  - [a, [b, {c: d}]]\nempty:\nnull: ~\n',
      'base: &b { x: 1, y: [2] }\nuse: *b\n"key with \\u0000 nul": 1\n"a.b": { "#0": 2, ".c": 3 }\n',
      'ключ:\n  значение: "😀"\n  emoji😀: [x]\n',
      '- 1\n- [2, 3]\n- { a: b }\n',
      'just a scalar\n',
    ];
    for (const [i, text] of odd.entries()) expect(compare(`odd${i}.yaml`, text)).toBeGreaterThan(0);
  });

  it('for the fuzz run\'s hostile spec files (arbitrary Unicode, prototype and reserved names), every one that parses', () => {
    let files = 0;
    for (const c of fc.sample(hostileSpec, { numRuns: 150, seed: 20261201 })) {
      for (const { path, text } of c.texts) {
        if (!parseSpecFile(path, text, new ProblemList())) continue;
        compare(path, text);
        files++;
      }
    }
    expect(files).toBeGreaterThan(150);
  });
});
