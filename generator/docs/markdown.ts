import { readYfmTable, type YfmTable } from './yfm-table.js';

/**
 * A docs page reduced to what docs-diff reads: its headings (with `{#anchor}` ids) and its YFM
 * tables, in page order. Fenced code is skipped, so a `# comment` in a bash example is not a
 * heading and a `||` in JavaScript is not a table row.
 */

export interface Heading {
  kind: 'heading';
  level: number;
  /** The heading text without the `{#anchor}` suffix. */
  text: string;
  anchor?: string;
  line: number;
}

export interface TableBlock extends YfmTable {
  kind: 'table';
}

export type Block = Heading | TableBlock;

/** Text between two headings; `tables` are the ones directly under `heading`. */
export interface Section {
  heading: Heading;
  tables: TableBlock[];
}

export interface ScannedPage {
  blocks: Block[];
  /** Malformed tables and the like, with the line they start at. */
  problems: { line: number; message: string }[];
}

export function scanMarkdown(text: string): ScannedPage {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const page: ScannedPage = { blocks: [], problems: [] };
  let fence: string | undefined;
  let i = 0;
  while (i < text.length) {
    const eol = text.indexOf('\n', i);
    const lineEnd = eol < 0 ? text.length : eol;
    const line = text.slice(i, lineEnd);
    const next = eol < 0 ? text.length : eol + 1;

    const marker = /^[ \t]*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === undefined ? marker : undefined;
      i = next;
      continue;
    }
    if (fence !== undefined) {
      i = next;
      continue;
    }

    const heading = /^(#{1,6})[ \t]+(.*?)[ \t]*$/.exec(line);
    if (heading) {
      const anchor = /\s*\{#([^}\s]+)\}$/.exec(heading[2]);
      page.blocks.push({
        kind: 'heading',
        level: heading[1].length,
        text: anchor ? heading[2].slice(0, anchor.index).trim() : heading[2],
        ...(anchor ? { anchor: anchor[1] } : {}),
        line: lineOf(i),
      });
      i = next;
      continue;
    }

    if (/^[ \t]*#\|/.test(line)) {
      const open = text.indexOf('#|', i);
      const read = readYfmTable(text, open, lineOf);
      page.blocks.push({ kind: 'table', ...read.table });
      if (read.problem) page.problems.push({ line: read.table.line, message: read.problem });
      // Whatever follows `|#` on its line is ignored, as YFM does.
      const after = text.indexOf('\n', read.end);
      i = after < 0 ? text.length : after + 1;
      continue;
    }
    i = next;
  }
  return page;
}

/** The sections of a page: each heading with the tables up to the next heading of any level. */
export function sectionsOf(page: ScannedPage): Section[] {
  const sections: Section[] = [];
  for (const block of page.blocks) {
    if (block.kind === 'heading') sections.push({ heading: block, tables: [] });
    else sections.at(-1)?.tables.push(block);
  }
  return sections;
}
