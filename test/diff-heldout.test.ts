import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareApis } from '../generator/diff/index.js';
import { loadSpecTexts, readSpecDir } from '../generator/load/index.js';
import { line, PAIRS, specWith } from './fixtures/diff/heldout-pairs.js';

/**
 * An independent review of `b24gen diff` on held-out pairs (fixtures/diff/heldout-pairs.ts): one
 * realistic edit each on a copy of the real spec, every entry expected exactly (rule, level,
 * subject, path), so a spurious entry or one shared-type change split per method fails too.
 */
describe('held-out one-edit pairs on the real spec', () => {
  const real = loadSpecTexts(readSpecDir(resolve('spec')), 'spec');
  it.each(PAIRS.map((p) => [p.name, p] as const))('%s', (_name, pair) => {
    const edited = loadSpecTexts(specWith(pair.edits), 'spec');
    const [base, head] = pair.reverse ? [edited, real] : [real, edited];
    const changes = compareApis(base, head);
    expect(changes.map(line).sort()).toEqual([...pair.expect].sort());
    if (pair.messages) expect(changes.map((c) => c.message)).toEqual(pair.messages);
    if (pair.reachesAtLeast !== undefined) expect(changes[0]!.reaches?.length ?? 0).toBeGreaterThanOrEqual(pair.reachesAtLeast);
  });
});
