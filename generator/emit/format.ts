import type { Options } from 'prettier';
import { diskCache, packageVersion } from '../cache.js';

/** The prettier options of every generated file. */
export const PRETTIER_OPTIONS: Options = {
  // babel-ts is prettier's other TypeScript parser: the same output for these files, parsed in about half the time.
  parser: 'babel-ts',
  printWidth: 100,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
};

/**
 * Formats printed files with prettier. Formatting is most of a run's time and most files do not
 * change between runs, so each result is kept in the `format` disk cache (../cache.ts) under
 * the unformatted text: prettier's output depends on nothing else but its version and options,
 * which salt the cache. Returns the texts in the order given, short doc comments joined.
 */
export async function formatTexts(texts: string[]): Promise<string[]> {
  const cache = diskCache('format', `prettier ${packageVersion('prettier')}\0${JSON.stringify(PRETTIER_OPTIONS)}`);
  const formatted: string[] = [];
  for (const text of texts) {
    let pretty = cache?.get(text);
    if (pretty === undefined) {
      // Loaded on the first file the cache does not have: a run that changed nothing never needs it.
      const { format } = await import('prettier');
      pretty = await format(text, PRETTIER_OPTIONS);
      cache?.set(text, pretty);
    }
    // After the cache, which holds prettier's output only: it must not outlive a change to this code.
    formatted.push(oneLineDocs(pretty));
  }
  return formatted;
}

/** A JSDoc block of one line of text: `/**`, ` * text`, ` *\/` (prettier leaves comments as given). */
const THREE_LINE_DOC = /^( *)\/\*\*\n\1 \* ([^\n]*)\n\1 \*\/$/gm;

/**
 * A doc comment whose text is one line is written on one line when that fits the print width,
 * as ts-morph already writes its own short ones: planners that write comments as text need not
 * measure their indentation. Done after prettier, where the indentation is final; prettier
 * leaves the result as it is.
 */
function oneLineDocs(text: string): string {
  return text.replace(THREE_LINE_DOC, (block, indent: string, line: string) => {
    const oneLine = `${indent}/** ${line} */`;
    return oneLine.length <= (PRETTIER_OPTIONS.printWidth ?? 80) ? oneLine : block;
  });
}
