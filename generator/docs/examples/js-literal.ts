import { ts } from 'ts-morph';
import { UnreadableLiteral, type Literal } from './literal.js';

/**
 * JSON text and JS code read with the TypeScript parser ts-morph bundles (never evaluated):
 * the syntax tree of a value is taken as data only where every node is a literal (object,
 * array, string, number, `true`/`false`/`null`, a sign before a number). Anything else (a
 * variable, a call, a spread, a template with `${}`) is an UnreadableLiteral naming its line.
 */

/** Page line of a node: `firstLine` is the page line of the code's first line. */
function lineOf(node: ts.Node, source: ts.SourceFile, firstLine: number): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + firstLine;
}

/** One syntax node -> Literal; throws UnreadableLiteral for anything that is not plain data. */
export function literalOf(node: ts.Node, source: ts.SourceFile, firstLine: number): Literal {
  const line = lineOf(node, source, firstLine);
  if (ts.isParenthesizedExpression(node)) return literalOf(node.expression, source, firstLine);
  if (ts.isObjectLiteralExpression(node)) {
    const entries = node.properties.map((p) => {
      if (!ts.isPropertyAssignment(p)) throw new UnreadableLiteral(lineOf(p, source, firstLine), `${describe(p, source)} is not a plain \`key: value\` entry`);
      const name = p.name;
      let key: string;
      if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) key = name.text;
      else throw new UnreadableLiteral(lineOf(p, source, firstLine), `the computed key ${describe(name, source)} is not a literal`);
      return { key, line: lineOf(p, source, firstLine), value: literalOf(p.initializer, source, firstLine) };
    });
    return { kind: 'object', line, entries };
  }
  if (ts.isArrayLiteralExpression(node)) {
    return {
      kind: 'array',
      line,
      items: node.elements.map((e) => {
        if (ts.isOmittedExpression(e) || ts.isSpreadElement(e)) throw new UnreadableLiteral(lineOf(e, source, firstLine), `${describe(e, source)} in an array is not a literal`);
        return literalOf(e, source, firstLine);
      }),
    };
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', line, value: node.text };
  if (ts.isNumericLiteral(node)) return { kind: 'number', line, value: Number(node.text) };
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand) && (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)) {
    const n = Number(node.operand.text);
    return { kind: 'number', line, value: node.operator === ts.SyntaxKind.MinusToken ? -n : n };
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'boolean', line, value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'boolean', line, value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { kind: 'null', line };
  throw new UnreadableLiteral(line, `${describe(node, source)} is not a literal`);
}

/** `the identifier \`dialogId\``, `the call \`getId()\`` ...: what a reader is shown. */
function describe(node: ts.Node, source: ts.SourceFile): string {
  const text = node.getText(source).replace(/\s+/g, ' ');
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  const what = ts.isIdentifier(node)
    ? 'the identifier'
    : ts.isCallExpression(node)
      ? 'the call'
      : ts.isTemplateExpression(node)
        ? 'the template'
        : ts.isSpreadElement(node) || ts.isSpreadAssignment(node)
          ? 'the spread'
          : ts.isShorthandPropertyAssignment(node)
            ? 'the shorthand entry'
            : ts.isOmittedExpression(node)
              ? 'a hole'
              : 'the expression';
  return shown ? `${what} \`${shown}\`` : what;
}

/** The first syntax error of a parsed file, as a page line and message, or undefined. */
function firstSyntaxError(source: ts.SourceFile, firstLine: number): { line: number; message: string } | undefined {
  // parseDiagnostics is where the parser leaves its errors (not part of the public typings).
  const diagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const d = diagnostics[0];
  if (!d) return undefined;
  const line = d.start === undefined ? firstLine : source.getLineAndCharacterOfPosition(d.start).line + firstLine;
  return { line, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
}

/**
 * A ```json block -> Literal. The text must be JSON (JSON.parse decides: a comment, a trailing
 * comma or a single quote make the example unreadable, with the line); the TypeScript JSON
 * parser then gives every value its line.
 */
export function readJson(text: string, firstLine: number): Literal {
  try {
    JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? firstLine + text.slice(0, Number(at[1])).split('\n').length - 1 : firstLine;
    throw new UnreadableLiteral(line, `not JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
  const source = ts.parseJsonText('example.json', text);
  const statement = source.statements[0];
  if (!statement) throw new UnreadableLiteral(firstLine, 'empty JSON block');
  return literalOf(statement.expression, source, firstLine);
}

/** One REST call found in code: the method named and its params (or why they cannot be read). */
export interface FoundCall {
  method: string;
  /** Page line of the call. */
  line: number;
  params?: Literal;
  unreadable?: UnreadableLiteral;
}

/** A REST method name as code passes it: `imbot.v2.Chat.Message.send`, `im.message.add`. */
const METHOD_NAME = /^[a-z][a-z0-9]*(?:\.[A-Za-z0-9_]+)+$/;

/**
 * The REST calls in a JS block: `X.callMethod('method', {...})` ($b24, BX24), `X.call('method',
 * {...})`, and `fetch('.../method', { body: JSON.stringify({...}) })`. A call without params
 * has `{}`. A block the parser cannot read is reported when it holds such a call.
 */
export function readJsCalls(code: string, firstLine: number): { calls: FoundCall[]; syntaxError?: { line: number; message: string } } {
  const source = ts.createSourceFile('example.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const calls: FoundCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const found = callOf(node, source, firstLine);
      if (found) calls.push(found);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const syntaxError = firstSyntaxError(source, firstLine);
  return syntaxError ? { calls, syntaxError } : { calls };
}

/**
 * A JS block that is one object or array literal and nothing else (`{ DELIMITER: {...} }`, a
 * fragment of params shown on its own), or undefined when it is anything else.
 */
export function readJsBareLiteral(code: string, firstLine: number): Literal | undefined {
  // In parentheses, so `{` starts an object, not a block; the `(` line is one above the code.
  const source = ts.createSourceFile('example.js', `(\n${code}\n)`, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  if (firstSyntaxError(source, firstLine) || source.statements.length !== 1) return undefined;
  const statement = source.statements[0]!;
  if (!ts.isExpressionStatement(statement) || !ts.isParenthesizedExpression(statement.expression)) return undefined;
  const inner = statement.expression.expression;
  if (!ts.isObjectLiteralExpression(inner) && !ts.isArrayLiteralExpression(inner)) return undefined;
  try {
    return literalOf(inner, source, firstLine - 1);
  } catch (err) {
    if (err instanceof UnreadableLiteral) return undefined;
    throw err;
  }
}

function callOf(node: ts.CallExpression, source: ts.SourceFile, firstLine: number): FoundCall | undefined {
  const callee = node.expression;
  const line = lineOf(node, source, firstLine);
  const [first, second] = node.arguments;
  const params = (arg: ts.Expression | undefined, method: string): FoundCall => {
    if (!arg) return { method, line, params: { kind: 'object', line, entries: [] } };
    try {
      return { method, line, params: literalOf(arg, source, firstLine) };
    } catch (err) {
      if (err instanceof UnreadableLiteral) return { method, line, unreadable: err };
      throw err;
    }
  };
  if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'callMethod' || callee.name.text === 'call')) {
    if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) || !METHOD_NAME.test(first.text)) return undefined;
    return params(second, first.text);
  }
  if (ts.isIdentifier(callee) && callee.text === 'fetch' && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
    const method = /\/rest\/(?:[^?#]*\/)?([a-z][a-z0-9]*(?:\.[A-Za-z0-9_]+)+)(?:[?#].*)?$/.exec(first.text)?.[1];
    if (!method || !second || !ts.isObjectLiteralExpression(second)) return undefined;
    const body = second.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'body');
    if (!body) return { method, line, params: { kind: 'object', line, entries: [] } };
    const init = body.initializer;
    // JSON.stringify({...}): the literal inside is the body.
    if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.getText(source) === 'JSON.stringify') return params(init.arguments[0], method);
    return { method, line, unreadable: new UnreadableLiteral(lineOf(init, source, firstLine), 'the fetch body is not JSON.stringify({...}) of a literal') };
  }
  return undefined;
}
