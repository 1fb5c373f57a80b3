// The prettier options of every generated file: print-file.mjs formats with them, and
// source-file.ts puts them into the format cache's salt. Plain JavaScript so that a print
// worker loads them without a TypeScript loader.
export const PRETTIER_OPTIONS = Object.freeze({
  // babel-ts prints our files exactly as the typescript parser does, and parses about 40% faster.
  parser: 'babel-ts',
  printWidth: 100,
  singleQuote: true,
  trailingComma: 'all',
  endOfLine: 'lf',
});
