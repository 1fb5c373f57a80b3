// Prints one planned file with ts-morph and formats it with prettier: the one place either runs,
// for the main thread (print-pool.ts loads it on demand) and the print workers (print-worker.mjs)
// alike, so a file gives the same bytes wherever it is printed. Plain JavaScript so that a
// worker starts without a TypeScript loader.
import { createRequire } from 'node:module';
import { format } from 'prettier';

// ts-morph is CommonJS: required, it loads about 60 ms faster than imported, since an import
// first scans its 1 MB of source for the names it exports.
const { printStructure, StructureKind } = createRequire(import.meta.url)('ts-morph');

/** `statements`: the file's statement structures as JSON (plain data, as planned). */
export async function printFile(statements, options) {
  return format(printStructure({ kind: StructureKind.SourceFile, statements: JSON.parse(statements) }), options);
}
