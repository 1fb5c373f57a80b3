import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryText, fileFromEntry } from '../generator/load/load-cache.js';
import { loadSpec, loadSpecTexts, readSpecDir, SpecError, type SpecText } from '../generator/load/index.js';
import { ProblemList } from '../generator/load/spec-error.js';
import { parseSpecFile } from '../generator/load/spec-file.js';
import { YamlSource, type DataPath } from '../generator/load/yaml-source.js';
import type { Api, SourceLocation } from '../generator/model/ir.js';
import { useTempCacheDir } from './support/cache-dir.js';
import { hostileSpec } from './support/hostile-spec.js';
import { COMMON_TYPES, specWith, VALID_METHOD } from './support/spec-texts.js';

/** Every path into `data` (each node's own path), so every place a message could point at is compared. */
function pathsOf(data: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** The loader's refusal of `texts`: the SpecError's message (every problem, located). */
function refusalOf(texts: SpecText[]): string {
  try {
    loadSpecTexts(texts, 'spec');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).message;
  }
  throw new Error('expected a refusal');
}

/** A place as shown: its file, line and column (a lazily found place reads them here). */
const shown = (at: SourceLocation) => ({ file: at.file, line: at.line, col: at.col });

/** An IR as shown in reports: JSON with every place's line and column. */
const irText = (api: Api) => JSON.stringify(api);

/**
 * The same data and places from the file as the loader parses it (quickly, places found when
 * read), from its entry in the cache (JSON text), and from
 * `yaml` parsing it with positions; for each path and near misses.
 */
function compare(file: string, text: string): number {
  const parsed = YamlSource.parse(file, text, new ProblemList());
  expect(parsed, file).toBeDefined();
  const loaded = parseSpecFile(file, text, new ProblemList())!;
  const stored = fileFromEntry(file, text, entryText(loaded)!)!;
  expect(loaded.data).toEqual(parsed!.data);
  expect(stored.data).toEqual(parsed!.data);
  let compared = 0;
  for (const path of pathsOf(parsed!.data)) {
    const variants: DataPath[] = [path, [...path, 'missing'], [...path, 0], [...path, '0'], [...path, 99], [...path, '__proto__'], [...path, 'constructor']];
    for (const p of variants) {
      for (const source of [loaded, stored]) {
        expect(shown(source.at(p)), `${file} at ${JSON.stringify(p)}`).toEqual(parsed!.at(p));
        expect(shown(source.keyAt(p)), `${file} keyAt ${JSON.stringify(p)}`).toEqual(parsed!.keyAt(p));
      }
      compared++;
    }
  }
  return compared;
}

describe('load: a loaded or stored file answers every place as yaml parsing it with positions', () => {
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
        const parsed = parseSpecFile(path, text, new ProblemList());
        // No entry for data JSON cannot carry (NaN, -0): such a file is always parsed.
        if (!parsed || entryText(parsed) === undefined) continue;
        compare(path, text);
        files++;
      }
    }
    expect(files).toBeGreaterThan(150);
  });
});

describe('load cache: a second load', () => {
  const cacheDir = useTempCacheDir();
  const entries = () => cacheDir.entries('load');

  it('reads the stored files and builds the same IR, places included', () => {
    const first = loadSpec(resolve('spec'));
    const stored = entries().length;
    expect(stored).toBe(readSpecDir(resolve('spec')).length);
    const second = loadSpec(resolve('spec'));
    expect(entries().length).toBe(stored);
    expect(irText(second)).toBe(irText(first));
  });

  it('refuses a spec with the same located messages whether its files come from the cache or not', () => {
    const broken = specWith(VALID_METHOD.replace('$ref: BotId', '$ref: BotIdd'));
    const fresh = refusalOf(broken);
    expect(fresh).toMatch(/^spec\/imbot\.v2\/Test\.ping\.yaml:\d+:\d+: .*unknown type "BotIdd"/);
    expect(entries().length).toBeGreaterThan(0); // each file passed the schema, so each was stored
    expect(refusalOf(broken)).toBe(fresh);
  });

  it('parses again when an entry is damaged, and stores nothing for a file the schema refuses', () => {
    const first = loadSpec(resolve('spec'));
    for (const f of entries()) writeFileSync(join(cacheDir.dir(), 'load', f), '{"data": tru');
    expect(irText(loadSpec(resolve('spec')))).toBe(irText(first));

    rmSync(join(cacheDir.dir(), 'load'), { recursive: true, force: true });
    expect(() => loadSpecTexts(specWith(VALID_METHOD.replace('scope: imbot', 'scope: [imbot]')), 'spec')).toThrow(SpecError);
    expect(entries().length).toBe(1); // common/types.yaml only
  });

  it('sees an edited file: the entry is keyed by the text', () => {
    expect(loadSpecTexts(specWith(), 'spec').methods[0].summary).toBe('Ping.');
    expect(loadSpecTexts(specWith(VALID_METHOD.replace('summary: Ping.', 'summary: Pong.')), 'spec').methods[0].summary).toBe('Pong.');
  });
});
