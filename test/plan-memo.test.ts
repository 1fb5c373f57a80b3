import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emit } from '../generator/emit/index.js';
import { loadSpecTexts, readSpecDir, SpecError, type SpecText } from '../generator/load/index.js';
import { useTempCacheDir, withoutCaches } from './support/cache-dir.js';
import { specWith, VALID_METHOD } from './support/spec-texts.js';

/**
 * The plan memo (generator/emit/plan-memo.ts) skips planning, printing and formatting of method
 * files and facade modules whose inputs did not change. What users rely on: the output is the
 * same bytes as a run without caches, an edit shows at once, and a name clash with a file that
 * came from the memo is still refused, naming both places.
 */
describe('plan memo', () => {
  const cacheDir = useTempCacheDir();
  const entries = () => cacheDir.entries('plan');
  const generate = (texts: SpecText[]) => emit(loadSpecTexts(texts, 'spec'));
  const uncached = (texts: SpecText[]) => withoutCaches(() => generate(texts));
  const refusal = async (texts: SpecText[]) => {
    try {
      await generate(texts);
    } catch (err) {
      expect(err).toBeInstanceOf(SpecError);
      return (err as SpecError).message;
    }
    throw new Error('expected a refusal');
  };

  it('gives the same bytes from the memo as without caches, for the real spec', async () => {
    const real = readSpecDir(resolve('spec'));
    const fresh = await uncached(real);
    await generate(real); // fills the memo
    const methods = loadSpecTexts(real, 'spec').methods.length;
    expect(entries().length).toBeGreaterThan(methods); // every method file, and the facade modules
    const fromMemo = await generate(real);
    expect([...fromMemo.keys()]).toEqual([...fresh.keys()]);
    for (const [path, text] of fresh) expect(fromMemo.get(path), path).toBe(text);
  }, 60_000);

  it('shows an edited method, and a changed shared type in every file that uses it', async () => {
    await generate(specWith());
    const edited = await generate(specWith(VALID_METHOD.replace('summary: Ping.', 'summary: Pong.')));
    expect(edited.get('imbot.v2/Test.ping.ts')).toContain('Pong.');
    expect(edited.get('facade/imbot.v2.Test.ts')).toContain('Pong.');

    const widerId = [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\n    minimum: 7\n' }, { path: 'imbot.v2/Test.ping.yaml', text: VALID_METHOD }];
    const memo = await generate(widerId);
    const fresh = await uncached(widerId);
    for (const [path, text] of fresh) expect(memo.get(path), path).toBe(text);
  }, 60_000);

  it('refuses a clash with a name claimed by a file from the memo, naming both places', async () => {
    // `imbot.v2.Test.ping` hoists params.error into ImbotV2TestPingParamsError; a method named
    // `imbot.v2.Test.pingParams` would export its error union under that name.
    const hoisting = VALID_METHOD.replace('  duration:\n', '  error:\n    type: object\n    properties:\n      code: { type: string }\n  duration:\n');
    const clashing: SpecText = { path: 'imbot.v2/Test.pingParams.yaml', text: VALID_METHOD.replace('method: imbot.v2.Test.ping', 'method: imbot.v2.Test.pingParams') };
    const fresh = await refusal(specWith(hoisting, [clashing]));
    expect(fresh).toContain('ImbotV2TestPingParamsError');
    expect(fresh).toMatch(/spec\/imbot\.v2\/Test\.ping\.yaml:\d+:\d+/);
    expect(fresh).toMatch(/spec\/imbot\.v2\/Test\.pingParams\.yaml:\d+:\d+/);

    rmSync(join(cacheDir.dir(), 'plan'), { recursive: true, force: true });
    await generate(specWith(hoisting)); // Test.ping's file and claims go into the memo
    expect(await refusal(specWith(hoisting, [clashing]))).toBe(fresh);
  }, 60_000);

  it('names the places of a file edited only in its comments as they are now, though its plan came from the memo', async () => {
    const hoisting = VALID_METHOD.replace('  duration:\n', '  error:\n    type: object\n    properties:\n      code: { type: string }\n  duration:\n');
    const clashing: SpecText = { path: 'imbot.v2/Test.pingParams.yaml', text: VALID_METHOD.replace('method: imbot.v2.Test.ping', 'method: imbot.v2.Test.pingParams') };
    await generate(specWith(hoisting)); // Test.ping's file and claims (params.error's place among them) go into the memo
    // Three comment lines on top: the same IR (the memo's key: places are kept as data paths),
    // so the claims are replayed, and every place is three lines lower.
    const commented = specWith(`# one\n# two\n# three\n${hoisting}`, [clashing]);
    const message = await refusal(commented);
    expect(message).toBe(await withoutCaches(() => refusal(commented)));
    const line = (text: string) => Number(/spec\/imbot\.v2\/Test\.ping\.yaml:(\d+):\d+/.exec(text)?.[1]);
    expect(line(message)).toBe(line(await withoutCaches(() => refusal(specWith(hoisting, [clashing])))) + 3);
  }, 60_000);

  it('plans again when an entry is damaged', async () => {
    const first = await generate(specWith());
    for (const f of entries()) writeFileSync(join(cacheDir.dir(), 'plan', f), '{"path": "imbot.v2/Test.ping.ts", "text": 1');
    const again = await generate(specWith());
    for (const [path, text] of first) expect(again.get(path), path).toBe(text);
  }, 60_000);
});
