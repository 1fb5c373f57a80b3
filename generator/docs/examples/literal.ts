import { stringLiteral } from '../../emit/escape.js';

/**
 * A data literal read from a docs example (JSON, a JS object literal, a PHP array), with the
 * page line of every value, so a schema error or a compiler diagnostic can be shown at the line
 * of the page that holds the offending value.
 */
export type Literal =
  | { kind: 'object'; line: number; entries: { key: string; line: number; value: Literal }[] }
  | { kind: 'array'; line: number; items: Literal[] }
  | { kind: 'string'; line: number; value: string }
  | { kind: 'number'; line: number; value: number }
  | { kind: 'boolean'; line: number; value: boolean }
  | { kind: 'null'; line: number };

/** A value the reader cannot take as data (a variable, a call, a syntax error), with its page line. */
export class UnreadableLiteral extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** The plain JSON value (what the portal would receive or send). A repeated key keeps its last value, as JSON.parse and PHP do. */
export function toValue(lit: Literal): unknown {
  switch (lit.kind) {
    case 'object': {
      // defineProperty semantics: a key named `__proto__` stays an own key.
      const out: Record<string, unknown> = {};
      for (const e of lit.entries) Object.defineProperty(out, e.key, { value: toValue(e.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'array':
      return lit.items.map(toValue);
    case 'null':
      return null;
    default:
      return lit.value;
  }
}

/** The same literal without its top-level `key` (the OAuth `auth` a request body carries beside the params). */
export function withoutKey(lit: Literal, key: string): Literal {
  if (lit.kind !== 'object') return lit;
  return { ...lit, entries: lit.entries.filter((e) => e.key !== key) };
}

/** The value at a JSON pointer (`/fields/keyboard/0`), or undefined. */
export function literalAt(lit: Literal, pointer: string): Literal | undefined {
  let node: Literal | undefined = lit;
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const part of parts) {
    if (!node) return undefined;
    if (node.kind === 'object') node = node.entries.findLast((e) => e.key === part)?.value;
    else if (node.kind === 'array') node = node.items[Number(part)];
    else return undefined;
  }
  return node;
}

/** The page line of the deepest value on the way to `pointer` (the value itself when it exists). */
export function lineAt(lit: Literal, pointer: string): number {
  let node: Literal | undefined = lit;
  let line = lit.line;
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const part of parts) {
    if (node.kind === 'object') {
      const entry: { line: number; value: Literal } | undefined = node.entries.findLast((e) => e.key === part);
      if (!entry) break;
      node = entry.value;
      line = entry.line;
    } else if (node.kind === 'array' && node.items[Number(part)]) {
      node = node.items[Number(part)]!;
      line = node.line;
    } else break;
  }
  return line;
}

/**
 * The literal as TypeScript expression text, one value or entry per output line, and for each
 * output line the page line it came from. Strings and keys go through escape.ts's
 * `stringLiteral` (docs text never becomes syntax).
 */
export function toTypeScript(lit: Literal, indent = ''): { text: string; lines: number[] } {
  const out: string[] = [];
  const lines: number[] = [];
  const push = (text: string, line: number): void => {
    out.push(text);
    lines.push(line);
  };
  const write = (node: Literal, prefix: string, suffix: string, pad: string, line: number): void => {
    if (node.kind === 'object' && node.entries.length > 0) {
      push(`${pad}${prefix}{`, line);
      for (const e of node.entries) write(e.value, `${stringLiteral(e.key)}: `, ',', `${pad}  `, e.line);
      push(`${pad}}${suffix}`, node.line);
    } else if (node.kind === 'array' && node.items.length > 0) {
      push(`${pad}${prefix}[`, line);
      for (const item of node.items) write(item, '', ',', `${pad}  `, item.line);
      push(`${pad}]${suffix}`, node.line);
    } else {
      push(`${pad}${prefix}${scalar(node)}${suffix}`, line);
    }
  };
  write(lit, '', '', indent, lit.line);
  return { text: out.join('\n'), lines };
}

function scalar(node: Literal): string {
  switch (node.kind) {
    case 'object':
      return '{}';
    case 'array':
      return '[]';
    case 'string':
      return stringLiteral(node.value);
    case 'number':
      // A negative number prints as `-5`, a valid expression where a literal type is expected.
      return Number.isFinite(node.value) ? String(node.value) : 'NaN';
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}
