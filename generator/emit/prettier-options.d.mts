/** The prettier options of every generated file. */
export const PRETTIER_OPTIONS: Readonly<{
  parser: 'babel-ts';
  printWidth: 100;
  singleQuote: true;
  trailingComma: 'all';
  endOfLine: 'lf';
}>;
