// Prints planned files with ts-morph and formats them with prettier: the one place either runs,
// for the main thread (print-pool.ts loads it on demand) and the print workers (print-worker.mjs)
// alike, so a file gives the same bytes wherever it is printed. Plain JavaScript so that a
// worker starts without a TypeScript loader.
import { createRequire } from 'node:module';
import { format } from 'prettier';

// ts-morph is CommonJS: required, it loads about 60 ms faster than imported, since an import
// first scans its 1 MB of source for the names it exports.
const { printStructure, StructureKind } = createRequire(import.meta.url)('ts-morph');

/** The line that separates files formatted in one prettier call. */
const BOUNDARY = '// @b24gen-file-boundary';

/**
 * Prints each file (its statement structures as JSON, as planned) and formats it; returns the
 * texts in order.
 *
 * A batch of more than one file is formatted in one prettier call: the printed texts joined
 * with a boundary comment line, formatted, split again. Prettier's work per call (normalising
 * options, setting the parser up) is about a quarter of formatting 400 method files one by one.
 * Prettier formats top-level statements each on its own, so every file comes out as it would
 * alone, provided the files are lists of statements that end their last statement (`;` or `}`)
 * and declare different names: the pool only batches method files, whose names the name table
 * keeps unique (same bytes: tested on the real spec and every generated fuzz case). A batch
 * that does not fit, or that prettier refuses, is formatted one file at a time.
 */
export async function printFiles(statementsList, options) {
  const printed = statementsList.map((statements) => printStructure({ kind: StructureKind.SourceFile, statements: JSON.parse(statements) }));
  if (printed.length > 1 && printed.every((text) => !text.includes(BOUNDARY) && /[;}]\n$/.test(text))) {
    try {
      const parts = (await format(printed.map((text) => `${BOUNDARY}\n${text}`).join(''), options)).split(`${BOUNDARY}\n`);
      if (parts.length === printed.length + 1 && parts[0] === '') return parts.slice(1);
    } catch {
      // one file at a time, below
    }
  }
  const texts = [];
  for (const text of printed) texts.push(await format(text, options));
  return texts;
}
