import { codeSpanEnd, runLength } from './inline.js';

/**
 * YFM ("Yandex Flavored Markdown") tables, as the Bitrix24 docs write them:
 *
 *     #|
 *     || **Name**
 *     `Type` | **Description** ||
 *     || **botId***
 *     [`integer`](../data-types.md) | Bot ID ||
 *     |#
 *
 * `#|` opens, `|#` closes, `||` opens and closes a row, `|` separates cells. Cells span lines and
 * hold any Markdown: lists, `{% note %}` blocks, code spans such as ```string | null``` (whose
 * `|` is not a separator), fenced code, even nested tables. Spaces after `#|` and `||` are
 * common and mean nothing.
 */

export interface YfmCell {
  /** The cell's Markdown, trimmed; line breaks kept. */
  text: string;
  /** 1-based line of the cell's first non-blank character. */
  line: number;
}

export interface YfmRow {
  line: number;
  cells: YfmCell[];
}

export interface YfmTable {
  /** Line of the opening `#|`. */
  line: number;
  rows: YfmRow[];
}

export interface YfmReadResult {
  table: YfmTable;
  /** Index just after the closing `|#` (or the end of the text when it is missing). */
  end: number;
  /** Set when the table is malformed; the rows read so far are still returned. */
  problem?: string;
}

/**
 * Reads the table whose `#|` is at `open`. `lineOf(index)` gives the 1-based line of a text index.
 */
export function readYfmTable(text: string, open: number, lineOf: (index: number) => number): YfmReadResult {
  const table: YfmTable = { line: lineOf(open), rows: [] };
  let i = open + 2;
  let row: YfmRow | undefined;
  let cellStart = 0;
  let nested = 0;
  let fence: string | undefined;

  const pushCell = (end: number): void => {
    const raw = text.slice(cellStart, end);
    const lead = raw.length - raw.trimStart().length;
    row!.cells.push({ text: raw.trim(), line: lineOf(cellStart + lead) });
  };

  while (i < text.length) {
    if (i === 0 || text[i - 1] === '\n') {
      // Fenced code inside a cell: its `|` and `||` are code, not table syntax.
      const marker = /^[ \t]*(`{3,}|~{3,})/.exec(text.slice(i, i + 40))?.[1];
      if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
        fence = fence === undefined ? marker : undefined;
        const eol = text.indexOf('\n', i);
        i = eol < 0 ? text.length : eol + 1;
        continue;
      }
      if (fence === undefined && row && /^[ \t]*#\|/.test(text.slice(i, i + 40))) {
        // A table nested in a cell stays part of that cell's text.
        nested++;
        i = text.indexOf('#|', i) + 2;
        continue;
      }
    }
    if (fence !== undefined) {
      i++;
      continue;
    }
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      const end = codeSpanEnd(text, i);
      i = end < 0 ? i + runLength(text, i) : end;
      continue;
    }
    if (c !== '|') {
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '#') {
      if (nested > 0) {
        nested--;
        i += 2;
        continue;
      }
      if (row) return { table, end: i + 2, problem: `row at line ${row.line} is not closed with "||" before the table ends` };
      return { table, end: i + 2 };
    }
    if (nested > 0) {
      i++;
      continue;
    }
    if (next === '|') {
      if (row) {
        pushCell(i);
        table.rows.push(row);
        row = undefined;
      } else {
        row = { line: lineOf(i), cells: [] };
        cellStart = i + 2;
      }
      i += 2;
      continue;
    }
    if (row) {
      pushCell(i);
      cellStart = i + 1;
    }
    i++;
  }
  return { table, end: text.length, problem: `table opened at line ${table.line} is never closed with "|#"` };
}
