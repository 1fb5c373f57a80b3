// How prettier lays out a JSDoc comment it only re-indents, for the two places that write one
// without running prettier on it: print-file.mjs (JSDoc set aside while prettier formats the
// code around it) and direct-print.ts (files printed without prettier). Plain JavaScript so that
// a print worker loads it without a TypeScript loader.

/**
 * Whether prettier only re-indents this comment: not when it holds a `\r` or a line separator,
 * the word `prettier` (`prettier-ignore`), a line not starting with `*`, or a line ending in two
 * spaces (kept as a Markdown line break). Anything else is put back by `reindentDocComment`.
 */
export function onlyReindented(comment) {
  if (/[\r\u2028\u2029]|prettier/i.test(comment)) return false;
  if (!comment.includes('\n')) return true;
  const lines = commentLines(comment);
  return lines !== undefined && lines.slice(1, -1).every((line) => !line.endsWith('  '));
}

/** The lines prettier re-indents a multi-line block comment by, or undefined when it prints the comment as it is. */
function commentLines(comment) {
  const lines = `*${comment.slice(2, -2)}*`.split('\n').map((line) => line.trimStart());
  return lines.every((line) => line.startsWith('*')) ? lines : undefined;
}

/**
 * The comment as prettier prints it at `indent`: a one-line comment as it is; otherwise the first
 * line trimmed at the end, every other line a space and the line trimmed (the last one at the
 * start only), each at the indentation. For a comment `onlyReindented` accepts.
 */
export function reindentDocComment(comment, indent) {
  if (!comment.includes('\n')) return indent + comment;
  const lines = commentLines(comment);
  const last = lines.length - 1;
  return `${indent}/${lines.map((text, i) => (i === 0 ? text.trimEnd() : ` ${i === last ? text : text.trimEnd()}`)).join(`\n${indent}`)}/`;
}
