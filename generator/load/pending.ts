/**
 * What a machine must not invent: the description of anything docs-sync adds. It writes this
 * marker (with the page and line to read) instead; `generate` warns about every one left and
 * `release` refuses until each is written.
 */
export const DESCRIPTION_MARKER = 'TODO(docs-sync)';

/** A description docs-sync left for a person (its marker, `TODO(docs-sync)`, still there). */
export interface PendingDescription {
  file: string;
  line: number;
  text: string;
}

/**
 * Every description still carrying docs-sync's marker, by scanning the spec files' text: the
 * marker may sit on any described thing (param, result field, enum value, error code), and the
 * line is what a person needs. `generate` warns about each, `release` refuses while any is left.
 */
export function findPending(texts: { path: string; text: string }[], displayRoot: string): PendingDescription[] {
  const out: PendingDescription[] = [];
  for (const { path, text } of texts) {
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      if (l.includes(DESCRIPTION_MARKER)) out.push({ file: `${displayRoot}/${path}`, line: i + 1, text: l.trim() });
    });
  }
  return out;
}
