import type { StatementStructures } from 'ts-morph';
import { onlyReindented } from './doc-comment-layout.mjs';
import { asArray, onlyKeys, printStatement, tsMorphDocComments, withTsMorphBlankLines, type Printed } from './direct-print.js';
import { StructureKind } from './structure-kind.js';

/**
 * For a file direct-print.ts cannot finish (events.ts and client.ts: statements planned as text
 * that only prettier lays out), the text to hand prettier, written without ts-morph: loading
 * ts-morph (TypeScript's compiler, about 0.25 s) was most of what a small run still spent on
 * these two files. Prettier's output depends on the tokens, the comments and the blank lines
 * between statements of what it is given, not on the rest of the layout, so this text need only
 * agree with what ts-morph's printer writes in those:
 * - a statement planned as text is written as it is, as ts-morph writes it;
 * - a structure direct-print.ts prints is written as it prints it (prettier's own output for it,
 *   which prettier gives back unchanged);
 * - a function whose body is statements planned as text (client.ts's `createClient`) is written
 *   as ts-morph writes it: its JSDoc, `function name(a: A): R {`, the statements, `}`;
 * - a blank line where ts-morph puts one: before an interface or a function structure, and after
 *   a statement that ends in `}`.
 * Anything else gives undefined, and ts-morph prints the file. Where a body statement's
 * indentation could reach prettier's output (a template literal, a block comment prettier does
 * not re-indent), the function is left to ts-morph too. test/prettier-input.test.ts compares the
 * result with ts-morph's on the real spec and synthetic ones; the fuzz runs compare every
 * generated case's output with plain printing.
 */
export function prettierInput(statements: readonly (StatementStructures | string)[]): string | undefined {
  const printed: Printed[] = [];
  for (const statement of statements) {
    const one = typeof statement === 'string' ? asText(statement) : (printStatement(statement) ?? functionOfText(statement));
    if (one === undefined) return undefined;
    printed.push(one);
  }
  return withTsMorphBlankLines(printed);
}

/** A statement planned as text, as ts-morph writes it. */
function asText(statement: string): Printed {
  return { text: statement, blankBefore: false };
}

/** ts-morph's indentation: four spaces a level. */
const TS_MORPH_INDENT = '    ';

/** `function name(a: A, b?: B): R { ...statements as text }` as ts-morph writes it, or undefined. */
function functionOfText(statement: StatementStructures): Printed | undefined {
  if (statement.kind !== StructureKind.Function) return undefined;
  const s = statement as unknown as Record<string, unknown>;
  if (!onlyKeys(s, ['kind', 'isExported', 'name', 'docs', 'parameters', 'returnType', 'statements'])) return undefined;
  const docs = tsMorphDocComments(s.docs);
  const body = Array.isArray(s.statements) && s.statements.every((line) => typeof line === 'string' && layoutFree(line)) ? (s.statements as string[]) : undefined;
  if (docs === undefined || body === undefined || typeof s.name !== 'string' || (s.returnType !== undefined && typeof s.returnType !== 'string')) return undefined;
  const parameters: string[] = [];
  for (const parameter of asArray(s.parameters)) {
    if (!onlyKeys(parameter, ['name', 'type', 'hasQuestionToken']) || typeof parameter.name !== 'string' || typeof parameter.type !== 'string') return undefined;
    parameters.push(`${parameter.name}${parameter.hasQuestionToken === true ? '?' : ''}: ${parameter.type}`);
  }
  const returnType = s.returnType === undefined ? '' : `: ${s.returnType}`;
  const lines = withTsMorphBlankLines(body.map(asText))
    .split('\n')
    .slice(0, -1)
    .map((line) => (line === '' ? '' : TS_MORPH_INDENT + line));
  const head = `${s.isExported === true ? 'export ' : ''}function ${s.name}(${parameters.join(', ')})${returnType} {`;
  return { text: [...docs, head, ...lines, '}'].join('\n'), blankBefore: true };
}

/**
 * Whether prettier lays a statement out the same at any indentation: no template literal (its
 * text keeps every space) and no block comment but JSDoc that prettier only re-indents.
 */
function layoutFree(statement: string): boolean {
  if (statement.includes('`')) return false;
  const comments = statement.match(/\/\*[\s\S]*?\*\//g) ?? [];
  return comments.every((comment) => comment.startsWith('/**') && onlyReindented(comment));
}
