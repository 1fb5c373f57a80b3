import { bodyRows, soleCode } from './cells.js';
import type { DocsRoot } from './docs-root.js';
import { codeSpans, squash } from './inline.js';
import type { DocsErrorRow, DocsProblem } from './page.js';

/**
 * The system errors every method page includes from `_includes/system-errors.md`. They are not
 * per method, so they are compared once, with the spec's `systemErrors` (spec/common/errors.yaml).
 * A row reads `` || `500` | `INTERNAL_SERVER_ERROR` `` + newline + `Internal server error | ... ||``.
 */
export const SYSTEM_ERRORS_PAGE = '_includes/system-errors.md';

export interface SystemErrorRow extends DocsErrorRow {
  status: number;
}

/** Undefined when the docs root has no such page (or it holds no table). */
export function readSystemErrors(root: DocsRoot): { rows: SystemErrorRow[]; problems: DocsProblem[] } | undefined {
  const page = root.page(SYSTEM_ERRORS_PAGE);
  const table = page?.scanned.blocks.find((b) => b.kind === 'table');
  if (!page || !table || table.kind !== 'table') return undefined;
  const rows: SystemErrorRow[] = [];
  const problems: DocsProblem[] = [];
  for (const row of bodyRows(table)) {
    const at = { file: SYSTEM_ERRORS_PAGE, line: row.line };
    const status = Number(soleCode(row.cells[0]?.text ?? ''));
    const second = row.cells[1]?.text ?? '';
    const code = codeSpans(second)[0];
    if (!Number.isInteger(status) || !code) {
      problems.push({ at, message: 'system error row is not "`status` | `CODE` message | description"' });
      continue;
    }
    rows.push({ code: code.code, status, message: squash(second.slice(code.end)), at });
  }
  return { rows, problems };
}
