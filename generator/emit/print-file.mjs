// Prints one planned file with ts-morph and formats it with prettier: the one place either runs,
// for the main thread (print-pool.ts loads it on demand) and the print workers (print-worker.mjs)
// alike, so a file gives the same bytes wherever it is printed. Plain JavaScript so that a
// worker starts without a TypeScript loader.
import { printStructure, StructureKind } from 'ts-morph';
import { format } from 'prettier';

/** `statements`: the file's statement structures as JSON (plain data, as planned). */
export async function printFile(statements, options) {
  return format(printStructure({ kind: StructureKind.SourceFile, statements: JSON.parse(statements) }), options);
}
