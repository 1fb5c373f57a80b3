import { printFiles } from '../../generator/emit/print-file.mjs';
import { withEnv } from './cache-dir.js';

/**
 * What ts-morph's printer and prettier make of planned files (each one's statements): each file
 * alone, its JSDoc in place (B24GEN_PRINT_PLAIN=1), the reference every printing shortcut is
 * compared with.
 */
export function printedPlain(files: readonly unknown[][]): Promise<string[]> {
  return withEnv({ B24GEN_PRINT_PLAIN: '1' }, () => printFiles(files.map((statements) => JSON.stringify(statements))));
}
