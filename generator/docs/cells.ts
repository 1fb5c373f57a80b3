import { codeSpans, links, type Link } from './inline.js';
import type { YfmCell, YfmTable } from './yfm-table.js';

/**
 * What the cells of the docs' tables mean. A field row's first cell is
 *
 *     **botId***
 *     [`integer`](../../data-types.md)
 *
 * the name in bold (a `*` inside the bold marks it required), then the type as a code span,
 * usually linked to data-types.md or, for shared objects, to entities.md.
 */

export interface FieldNameCell {
  /** As written: `botId`, `result.events[].eventId`. */
  name: string;
  required: boolean;
  /** The type's code text: `integer`, `string|null`, `User[]`; undefined when none is given. */
  typeText?: string;
  /** Where the type links to: `../../entities.md#user`. */
  typeHref?: string;
}

const BOLD_NAME = /^\*\*([^*\n]+?)[ \t]*(\*?)\*\*(\\?\*)?/;

export function readFieldNameCell(cell: YfmCell): FieldNameCell | undefined {
  const bold = BOLD_NAME.exec(cell.text);
  if (!bold) return undefined;
  const rest = cell.text.slice(bold[0].length);
  const linked = links(rest).find((l) => codeSpans(l.text).length > 0);
  const span = linked ? codeSpans(linked.text)[0] : codeSpans(rest)[0];
  return {
    name: bold[1].trim(),
    required: bold[2] === '*' || bold[3] !== undefined,
    ...(span ? { typeText: span.code } : {}),
    ...(linked ? { typeHref: linked.href } : {}),
  };
}

/**
 * A field table's header names a type column: `**Name**` then `` `Type` `` in the first cell.
 * Value tables (codes and their texts) have plain bold headers.
 */
export function isFieldTable(table: YfmTable): boolean {
  const header = table.rows[0]?.cells[0];
  return header !== undefined && codeSpans(header.text).length > 0;
}

/** The body rows of a table (the first row is always the header in these docs). */
export function bodyRows(table: YfmTable): YfmTable['rows'] {
  return table.rows.slice(1);
}

/**
 * The values of a value table (`|| `IMBOT_AGENT_ACTION_THINKING` | Agent is thinking... ||`):
 * every body row's first cell must be exactly one code span, otherwise it is some other table
 * and undefined is returned.
 */
export function valueTableValues(table: YfmTable): string[] | undefined {
  if (isFieldTable(table)) return undefined;
  const rows = bodyRows(table);
  if (rows.length === 0) return undefined;
  const values: string[] = [];
  for (const row of rows) {
    const only = soleCode(row.cells[0]?.text ?? '');
    if (only === undefined) return undefined;
    values.push(only);
  }
  return values;
}

/** The code of a cell that is nothing but one code span (`` `BOT_NOT_FOUND` ``), else undefined. */
export function soleCode(text: string): string | undefined {
  const spans = codeSpans(text);
  if (spans.length !== 1) return undefined;
  const [span] = spans;
  return text.slice(0, span.start).trim() === '' && text.slice(span.end).trim() === '' ? span.code : undefined;
}

const ALLOWED_VALUES = /\b(?:allowed|acceptable|possible|available|valid)\s+values\s*:/i;

/**
 * Values listed in a description: "Allowed values: `M`, `F`." on one line, or
 * "Allowed values:" followed by a list whose items start with a code span.
 */
export function allowedValuesIn(text: string): string[] | undefined {
  const m = ALLOWED_VALUES.exec(text);
  if (!m) return undefined;
  const after = text.slice(m.index + m[0].length);
  const eol = after.indexOf('\n');
  const sameLine = eol < 0 ? after : after.slice(0, eol);
  if (sameLine.trim() !== '') {
    // Inline: code spans up to the sentence's end (a "." outside code).
    const values: string[] = [];
    let from = 0;
    for (const span of codeSpans(sameLine)) {
      if (sameLine.slice(from, span.start).includes('.')) break;
      values.push(span.code);
      from = span.end;
    }
    return values.length > 0 ? values : undefined;
  }
  const values: string[] = [];
  for (const line of after.slice(eol + 1).split('\n')) {
    if (line.trim() === '' && values.length === 0) continue;
    const item = /^\s*[-*+]\s+`([^`]+)`/.exec(line);
    if (!item) break;
    values.push(item[1].trim());
  }
  return values.length > 0 ? values : undefined;
}

/** Links in a cell that point at an anchor (`#fields`, `./other.md#reactions`). */
export function anchorLinks(text: string): Link[] {
  return links(text).filter((l) => l.href.includes('#') && !/^[a-z]+:/i.test(l.href));
}
