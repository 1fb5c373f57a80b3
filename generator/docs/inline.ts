/**
 * Inline Markdown the docs pages use inside table cells: code spans (`x`, ```a | b```) and
 * links ([`User[]`](../entities.md#user)). Only what docs-diff needs; no rendering.
 */

export interface CodeSpan {
  /** The code, trimmed: ```string | null``` -> `string | null`. */
  code: string;
  start: number;
  end: number;
}

export interface Link {
  /** The link text as written (may hold code spans). */
  text: string;
  /** The target up to the first space: `../entities.md#user`, `#fields`. */
  href: string;
  start: number;
  end: number;
}

/**
 * Where the code span opened by the backtick run at `start` ends (index after the closing run),
 * or -1 when the run is never closed (then the backticks are plain text, as in CommonMark).
 * A span never crosses a blank line, so one stray backtick cannot swallow a whole table.
 */
export function codeSpanEnd(text: string, start: number): number {
  const n = runLength(text, start);
  let i = start + n;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n' && /^\n[ \t]*\n/.test(text.slice(i, i + 80))) return -1;
    if (c === '`') {
      const m = runLength(text, i);
      if (m === n) return i + m;
      i += m;
      continue;
    }
    i++;
  }
  return -1;
}

/** Number of consecutive backticks at `i`. */
export function runLength(text: string, i: number): number {
  let n = 0;
  while (text[i + n] === '`') n++;
  return n;
}

/** Every code span in `text`, in order. */
export function codeSpans(text: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    const n = runLength(text, i);
    const end = codeSpanEnd(text, i);
    if (end < 0) {
      i += n;
      continue;
    }
    spans.push({ code: text.slice(i + n, end - n).trim(), start: i, end });
    i = end;
  }
  return spans;
}

/** Every `[text](href)` link in `text`, in order; brackets inside code spans do not count. */
export function links(text: string): Link[] {
  const found: Link[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      i = pastCodeSpan(text, i);
      continue;
    }
    if (c !== '[') {
      i++;
      continue;
    }
    const close = matchingBracket(text, i);
    if (close < 0 || text[close + 1] !== '(') {
      i++;
      continue;
    }
    const paren = text.indexOf(')', close + 2);
    if (paren < 0) break;
    const target = text.slice(close + 2, paren).trim();
    found.push({ text: text.slice(i + 1, close), href: target.split(/\s+/)[0] ?? '', start: i, end: paren + 1 });
    i = paren + 1;
  }
  return found;
}

/** The index just past the code span that opens at `i` (past the backtick run when none closes). */
function pastCodeSpan(text: string, i: number): number {
  const end = codeSpanEnd(text, i);
  return end < 0 ? i + runLength(text, i) : end;
}

/** Index of the `]` that closes the `[` at `open`, skipping code spans and nested brackets. */
function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      i = pastCodeSpan(text, i);
      continue;
    }
    if (c === '\n' && /^\n[ \t]*\n/.test(text.slice(i, i + 80))) return -1;
    if (c === '[') depth++;
    if (c === ']' && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** Whitespace runs (including line breaks) -> one space; trimmed. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
