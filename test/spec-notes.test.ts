import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The spec's comments and allowlist reasons send readers to spec/NOTES.md for the evidence behind
 * a choice. A citation of a notes file that does not exist, or of an entry NOTES.md does not
 * have, leaves the reader with nothing (the File.upload specs once cited "NOTES-messages.md").
 */
const SPEC = 'spec';

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? specFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
}

/** Every `NOTES*.md` mention in the spec's YAML files, with the entry title quoted after it. */
function citations(): { file: string; line: number; notes: string; entry?: string }[] {
  const out: { file: string; line: number; notes: string; entry?: string }[] = [];
  for (const file of specFiles(SPEC)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        for (const m of text.matchAll(/(NOTES[\w.-]*\.md)(?:, "([^"]+)")?/g)) out.push({ file, line: i + 1, notes: m[1], ...(m[2] ? { entry: m[2] } : {}) });
      });
  }
  return out;
}

/** The bold entry titles (`- **...**`) and the section headings (`## ...`) of NOTES.md, without backticks. */
function entryTitles(): string[] {
  const notes = readFileSync(join(SPEC, 'NOTES.md'), 'utf8');
  return [...notes.matchAll(/^(?:- \*\*(.+?)\*\*|## (.+)$)/gm)].map((m) => (m[1] ?? m[2]).replace(/`/g, ''));
}

describe('citations of spec/NOTES.md', () => {
  const found = citations();

  it('are found (the spec cites its notes)', () => {
    expect(found.length).toBeGreaterThan(10);
  });

  it('name spec/NOTES.md, the only notes file', () => {
    const elsewhere = found.filter((c) => c.notes !== 'NOTES.md').map((c) => `${c.file}:${c.line}: ${c.notes}`);
    expect(elsewhere).toEqual([]);
  });

  it('quote the start of an entry NOTES.md has', () => {
    const titles = entryTitles();
    const missing = found
      .filter((c) => c.entry !== undefined)
      .filter((c) => !titles.some((t) => t.startsWith(c.entry!.replace(/`/g, ''))))
      .map((c) => `${c.file}:${c.line}: "${c.entry}"`);
    expect(missing).toEqual([]);
  });
});
