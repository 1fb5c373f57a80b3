import { allowedValuesIn, anchorLinks, bodyRows, isFieldTable, readFieldNameCell, soleCode, valueTableValues } from './cells.js';
import type { DocsRoot, LoadedPage, MethodPageRef } from './docs-root.js';
import { squash } from './inline.js';
import type { Section, TableBlock } from './markdown.js';
import { docsShape, type Shape } from './shape.js';

/**
 * One method's page -> the structural facts docs-diff compares: parameters (nested ones
 * included, through `[below](#fields)` links), allowed values, the fields of `result`, and the
 * page's own error codes. Knows the page layout ("Method Parameters", "Returned Data",
 * "Possible Error Codes"); knows nothing about the IR.
 */

export interface DocsPlace {
  /** Relative to the docs root. */
  file: string;
  line: number;
}

export interface DocsField {
  /** This level's name: `name` in `fields.properties.name`. */
  name: string;
  /** Dotted path from the top; array members are reached through `[]`: `result.events[].eventId`. */
  path: string;
  /** Marked with `*` (only parameter tables mark it). */
  required: boolean;
  /** The type as written (`string|null`, `User[]`); undefined for a level only implied by a dotted name. */
  typeText?: string;
  /** The type mapped to a shape; undefined when there is no type or it is not understood. */
  shape?: Shape[];
  /** The type names a shared object of entities.md (`Bot`, `User[]`). */
  entity: boolean;
  /** Allowed values, from "Allowed values: ..." or a linked table of codes. */
  values?: string[];
  children: DocsField[];
  /**
   * How much `children` tells: `complete` (a table or dotted rows list the members), `partial`
   * (a page's summary of an entities.md object: the spec may have more), `none` (not described).
   */
  listing: 'none' | 'complete' | 'partial';
  at: DocsPlace;
}

export interface DocsErrorRow {
  code: string;
  /** The "Description" column: the portal's `error_description`. */
  message: string;
  at: DocsPlace;
}

export interface DocsProblem {
  at: DocsPlace;
  message: string;
}

export interface DocsMethodPage {
  method: string;
  file: string;
  titleAt: DocsPlace;
  /** Undefined when the page has no "Method Parameters" section. */
  params?: DocsField[];
  /** The "Returned Data" row `result`, with the rows below it as children. */
  result?: DocsField;
  /** Returned rows other than `result` and `time` (the spec only models `result`). */
  outside: DocsField[];
  /** Undefined when the page has no "Possible Error Codes" table (it documents none). */
  errors?: DocsErrorRow[];
  problems: DocsProblem[];
}

export function readMethodPage(root: DocsRoot, ref: MethodPageRef): DocsMethodPage {
  const titleAt = { file: ref.file, line: ref.titleLine };
  const facts: DocsMethodPage = { method: ref.method, file: ref.file, titleAt, outside: [], problems: [] };
  const page = root.page(ref.file);
  if (!page) {
    facts.problems.push({ at: titleAt, message: 'the page cannot be read' });
    return facts;
  }
  for (const p of page.scanned.problems) facts.problems.push({ at: { file: ref.file, line: p.line }, message: p.message });
  const reader = new FieldReader(root, facts.problems);

  const params = findSection(page, /\bparameters\b/i, 2);
  if (params) {
    const table = params.tables.find(isFieldTable);
    facts.params = table ? reader.readTable(page, table, undefined, [`${ref.file}#params`]) : [];
  }

  const returned = findSection(page, /^returned data$/i);
  if (returned) {
    const table = returned.tables.find(isFieldTable);
    const rows = table ? reader.readTable(page, table, undefined, [`${ref.file}#returned`]) : [];
    for (const row of rows) {
      if (row.name === 'result') facts.result = row;
      else if (row.name !== 'time') facts.outside.push(row);
    }
  }

  const errors = findSection(page, /possible error codes/i);
  if (errors) facts.errors = readErrorTable(page, errors.tables[0], facts.problems);
  return facts;
}

/** The first section whose heading matches (and, when given, has this level or deeper). */
function findSection(page: LoadedPage, title: RegExp, minLevel = 1): Section | undefined {
  return page.sections.find((s) => s.heading.level >= minLevel && title.test(s.heading.text.trim()));
}

function readErrorTable(page: LoadedPage, table: TableBlock | undefined, problems: DocsProblem[]): DocsErrorRow[] {
  if (!table) return [];
  const rows: DocsErrorRow[] = [];
  for (const row of bodyRows(table)) {
    const code = soleCode(row.cells[0]?.text ?? '');
    const at = { file: page.file, line: row.line };
    if (code === undefined) {
      problems.push({ at, message: 'error table row without a `CODE` in its first cell' });
      continue;
    }
    rows.push({ code, message: squash(row.cells[1]?.text ?? ''), at });
  }
  return rows;
}

/** Reads field tables and follows their anchor links to nested tables and value tables. */
class FieldReader {
  constructor(
    private readonly root: DocsRoot,
    private readonly problems: DocsProblem[],
  ) {}

  /**
   * The rows of a field table as a tree. Names may be dotted (`result.bot`); rows of a table
   * linked from `parent` become its children. `chain` holds the tables being read, so a table
   * linking back to itself cannot loop.
   */
  readTable(page: LoadedPage, table: TableBlock, parent: DocsField | undefined, chain: string[]): DocsField[] {
    const top: DocsField[] = parent ? parent.children : [];
    for (const row of bodyRows(table)) {
      const at = { file: page.file, line: row.line };
      const nameCell = row.cells[0] ? readFieldNameCell(row.cells[0]) : undefined;
      if (!nameCell) {
        this.problems.push({ at, message: 'table row without a **name** in its first cell' });
        continue;
      }
      const field = this.place(top, parent, nameCell.name, at);
      if (field.typeText !== undefined) {
        this.problems.push({ at, message: `${field.path} is listed twice (first at line ${field.at.line}); the later row is used` });
      }
      field.required = nameCell.required;
      field.at = at;
      const description = row.cells.slice(1).map((c) => c.text).join('\n');
      if (nameCell.typeText !== undefined) {
        field.typeText = nameCell.typeText;
        field.shape = docsShape(nameCell.typeText);
        field.entity = /(^|\/)entities\.md(#|$)/.test(nameCell.typeHref ?? '') || /^[A-Z]/.test(nameCell.typeText);
        if (!field.shape) {
          this.problems.push({ at, message: `${field.path}: unknown docs type \`${nameCell.typeText}\`; teach docsShape (generator/docs/shape.ts) what it means` });
        }
      } else {
        this.problems.push({ at, message: `${field.path}: no \`type\` under the name` });
      }
      this.readDescription(page, field, description, chain);
    }
    return top;
  }

  /** Finds or creates the field for a (possibly dotted) name; missing levels are created implied. */
  private place(top: DocsField[], parent: DocsField | undefined, name: string, at: DocsPlace): DocsField {
    let list = top;
    let owner = parent;
    let field: DocsField | undefined;
    const segments = name.split('.');
    segments.forEach((segment, i) => {
      const arrayHint = segment.endsWith('[]');
      const bare = arrayHint ? segment.slice(0, -2) : segment;
      field = list.find((f) => f.name === bare);
      if (!field) {
        field = { name: bare, path: childPath(owner, bare), required: false, entity: false, children: [], listing: 'none', at };
        if (arrayHint) field.shape = [{ kind: 'array' }];
        list.push(field);
      }
      if (i < segments.length - 1) {
        if (field.listing === 'none') field.listing = field.entity ? 'partial' : 'complete';
        owner = field;
        list = field.children;
      }
    });
    return field!;
  }

  private readDescription(page: LoadedPage, field: DocsField, description: string, chain: string[]): void {
    // "Allowed values: `true`, `false`" on a boolean, or a filter object linking to a table of
    // codes, are not enums: only string and integer fields (or arrays of them) take values.
    const takesValues = field.shape?.some(isEnumerable) ?? false;
    const values = new Set<string>(takesValues ? (allowedValuesIn(description) ?? []) : []);
    const followed = new Set<string>();
    for (const link of anchorLinks(description)) {
      const target = this.root.linkedSection(page.file, link.href);
      const table = target?.section.tables[0];
      if (!target || !table) continue;
      const key = `${target.page.file}#${target.section.heading.anchor}`;
      if (followed.has(key)) continue;
      followed.add(key);
      if (isFieldTable(table)) {
        if (chain.includes(key)) continue;
        field.listing = field.entity ? 'partial' : 'complete';
        this.readTable(target.page, table, field, [...chain, key]);
      } else if (takesValues) {
        for (const v of valueTableValues(table) ?? []) values.add(v);
      }
    }
    if (values.size > 0) field.values = [...values];
  }
}

function isEnumerable(s: Shape): boolean {
  if (s.kind === 'array') return s.items?.some(isEnumerable) ?? false;
  return s.kind === 'string' || s.kind === 'integer';
}

/** `fields` + `name` -> `fields.name`; below an array the members are reached through `[]`. */
function childPath(parent: DocsField | undefined, name: string): string {
  if (!parent) return name;
  const isArray = parent.shape !== undefined && parent.shape.some((s) => s.kind === 'array') && parent.shape.every((s) => s.kind === 'array' || s.kind === 'null');
  return `${parent.path}${isArray ? '[]' : ''}.${name}`;
}
