import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareApis } from '../generator/diff/index.js';
import { probeProgram } from '../generator/diff/probe.js';
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
    // Each pair edits types only; the docs' result examples stay as they were (docs-sync brings
    // them in line), so they are not checked against the edited types here.
    const edited = loadSpecTexts(specWith(pair.edits), 'spec', { checkResultExamples: false });
    const [base, head] = pair.reverse ? [edited, real] : [real, edited];
    const changes = compareApis(base, head);
    expect(changes.map(line).sort()).toEqual([...pair.expect].sort());
    if (pair.messages) expect(changes.map((c) => c.message)).toEqual(pair.messages);
    if (pair.reachesAtLeast !== undefined) expect(changes[0]!.reaches?.length ?? 0).toBeGreaterThanOrEqual(pair.reachesAtLeast);
  });
});

describe('the probe reaches what the held-out pairs change', () => {
  it('passes one item of every variant of a union in an array (keyboard items, attachment blocks), so a change inside the GRID block is checked by the compiler', () => {
    const probe = probeProgram(loadSpecTexts(readSpecDir(resolve('spec')), 'spec'), '@b24gen/imbot-v2').text;
    const send = probe.slice(probe.indexOf('// imbot.v2.Chat.Message.send'));
    for (const block of ['{ MESSAGE:', '{ LINK: {', '{ USER: {', '{ GRID: [{ DISPLAY: AttachmentGridDisplay.', '{ IMAGE: [', '{ FILE: [', '{ DELIMITER: {']) expect(send).toContain(block);
    expect(send).toContain('{ TYPE: KeyboardItemType.NEWLINE }');
  });

  it('compares each plain string or integer a result holds with an unlisted value (exhaustive), so string -> closed enum (EventAuth.status) fails only exhaustive code', () => {
    const probe = probeProgram(loadSpecTexts(specWith({ 'common/events.yaml': (doc) => doc.setIn(['types', 'EventAuth', 'properties', 'status'], doc.createNode({ type: 'string' })) }), 'spec'), '@b24gen/imbot-v2');
    const at = probe.text.split('\n').findIndex((l) => l.includes('.auth?.status;') && l.trim().startsWith('const s'));
    expect(at).toBeGreaterThan(0);
    expect(probe.text.split('\n')[at + 1]).toMatch(/^\s*if \(s\d+ === 'b24gen-probe-unlisted'\) void s\d+;$/);
  });
});
