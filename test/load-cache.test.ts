import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecTexts, readSpecDir, type SpecText } from '../generator/load/index.js';
import { useTempCacheDir, withoutCaches } from './support/cache-dir.js';
import { COMMON_TYPES, VALID_METHOD } from './support/spec-texts.js';

/** The loader's outcome: the IR as JSON (places included), or the refusal's messages. */
function outcome(texts: SpecText[]): string {
  try {
    return JSON.stringify(loadSpecTexts(texts, 'spec'));
  } catch (err) {
    return (err as Error).message;
  }
}

describe('load cache', () => {
  const cacheDir = useTempCacheDir();

  it('gives the same IR, places included, from stored files as from parsing them, for the real spec', () => {
    const texts = readSpecDir(resolve('spec'));
    const parsed = withoutCaches(() => outcome(texts));
    expect(outcome(texts)).toBe(parsed); // fills the cache
    expect(cacheDir.entries('load').length).toBe(texts.length);
    expect(outcome(texts)).toBe(parsed); // every file from the cache
  });

  it('gives the same located refusal for a clash with a stored file, and finds a position no earlier load asked for', () => {
    const types: SpecText = { path: 'common/types.yaml', text: COMMON_TYPES };
    const first: SpecText = { path: 'imbot.v2/Test.ping.yaml', text: VALID_METHOD };
    expect(outcome([types, first])).toContain('"name":"imbot.v2.Test.ping"');
    // A second file declares the same method: the message names the stored file's place.
    const second: SpecText = { path: 'common/more.yaml', text: `# another file\n${COMMON_TYPES}` };
    const refusal = outcome([types, first, second]);
    expect(refusal).toBe(withoutCaches(() => outcome([types, first, second])));
    expect(refusal).toBe('spec/common/types.yaml:2:3: type BotId is declared twice: here and at spec/common/more.yaml:3:3');
    // The shared type goes: the message points into the stored method file at a place its first
    // load never asked for (`params.botId.$ref`), found by parsing the stored file's text then.
    const retyped = outcome([{ path: 'common/types.yaml', text: 'types:\n  Other:\n    type: string\n' }, first]);
    expect(retyped).toBe(withoutCaches(() => outcome([{ path: 'common/types.yaml', text: 'types:\n  Other:\n    type: string\n' }, first])));
    expect(retyped).toBe('spec/imbot.v2/Test.ping.yaml:9:11: params.botId.$ref: unknown type "BotId"; declare it under `types:` (in spec/common/types.yaml when shared)');
  });

  it('parses a file again when its entry is damaged, and never stores a file that failed', () => {
    const texts = readSpecDir(resolve('spec'));
    const parsed = outcome(texts);
    const dir = join(cacheDir.dir(), 'load');
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), '{"data": 1, "positi');
    expect(outcome(texts)).toBe(parsed);

    const broken: SpecText = { path: 'imbot.v2/Test.broken.yaml', text: VALID_METHOD.replace('scope: imbot', 'scope: [imbot') };
    const before = cacheDir.entries('load').length;
    const refusal = outcome([broken]);
    expect(refusal).toMatch(/^spec\/imbot\.v2\/Test\.broken\.yaml:\d+:\d+: YAML: /);
    expect(outcome([broken])).toBe(refusal);
    expect(cacheDir.entries('load').length).toBe(before);
  });
});
