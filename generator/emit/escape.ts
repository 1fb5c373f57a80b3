/**
 * The one escaping layer between spec text and generated code. Every string that comes from a
 * spec passes through exactly one of these before it lands in a generated file:
 *
 * - `docText`      text inside a JSDoc comment (descriptions, messages, enum texts)
 * - `stringLiteral` a string value in code (enum values, error codes, method names)
 * - `memberName`   a property name in a type (`'a-b': string`)
 * - `objectKey`    a key in an object literal (`['__proto__']: ...` never sets a prototype)
 *
 * Identifiers (type, class and function names) are never taken from spec text directly; they
 * are derived by `pascalCase`/`camelCase` below and checked by emit/names.ts.
 */

/** An identifier's shape in plain ASCII (reserved words included): every name the generator makes has it. */
export const ASCII_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot be used as property names without quotes in every context we emit. */
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await')
    .split(' '),
);

export function isIdentifier(name: string): boolean {
  return ASCII_IDENTIFIER.test(name) && !RESERVED.has(name);
}

/**
 * A JSON string literal: quotes, backslashes, control characters and lone surrogates are escaped
 * by JSON.stringify; U+2028/U+2029 are escaped too so the literal is safe in any JS engine.
 * A backslash is written `\u005c` and a slash `\/`: ts-morph's code writer tracks strings and
 * comments as it prints, and a `\\"` or a `/*` inside a string can make it take the rest of the
 * file for a comment (found by the fuzz run: an enum value `/*\`). The value is unchanged.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\\\\/g, '\\u005c')
    .replace(/\//g, '\\/')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A property name in an interface or type literal. */
export function memberName(name: string): string {
  return isIdentifier(name) ? name : stringLiteral(name);
}

/**
 * A key in an object literal. `__proto__: x` in a literal would set the object's prototype, so
 * it (and anything that is not a plain identifier) becomes a computed key, which always defines
 * an own property.
 */
export function objectKey(name: string): string {
  if (isIdentifier(name) && name !== '__proto__') return name;
  return `[${stringLiteral(name)}]`;
}

/**
 * Text for a JSDoc comment. The comment cannot be closed early (`*\/`), a spec line starting
 * with `@` cannot turn into a tag, and control characters and odd line separators are dropped
 * or normalised (JSDoc text is for reading; values that must survive byte-for-byte are emitted
 * as string literals, never as comments).
 */
export function docText(text: string): string {
  let escaped = docTexts.get(text);
  if (escaped === undefined) remember(docTexts, text, (escaped = escapeDocText(text)));
  return escaped;
}

/** Memo tables stay bounded in a long-lived process (the fuzz run generates thousands of specs). */
function remember(table: Map<string, string>, key: string, value: string): void {
  if (table.size >= 50_000) table.clear();
  table.set(key, value);
}

/** The same texts (system error messages, shared type descriptions) recur in every method. */
const docTexts = new Map<string, string>();

function escapeDocText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\*\//g, '*\u200b/')
    .replace(/\/\*/g, '/\u200b*')
    .replace(/(^|\s)@/g, '$1&#64;')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Splits a name into words: `IMBOT_AGENT_ACTION`, `botId`, `date-start`, `Chat.InputAction`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/**
 * `BOT_NOT_FOUND` -> `BotNotFound`, `insufficient_scope` -> `InsufficientScope`,
 * `imbot.v2.Chat.InputAction.notify` -> `ImbotV2ChatInputActionNotify`. Non-ASCII letters are
 * dropped; a result starting with a digit gets a leading `N` so it stays an identifier.
 */
export function pascalCase(name: string): string {
  let out = pascalCases.get(name);
  if (out === undefined) remember(pascalCases, name, (out = toPascalCase(name)));
  return out;
}

/** Error codes and type names are converted once per method that uses them; convert each once. */
const pascalCases = new Map<string, string>();

function toPascalCase(name: string): string {
  const out = words(name)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('');
  return /^[0-9]/.test(out) ? `N${out}` : out;
}

export function camelCase(name: string): string {
  const p = pascalCase(name);
  return p.length === 0 ? p : p[0].toLowerCase() + p.slice(1);
}

/**
 * Text for a Markdown document (the generated README), inline and in table cells: characters
 * Markdown or HTML would interpret are backslash-escaped, `|` cannot end a table cell, and line
 * breaks become spaces (a cell is one line).
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

/**
 * A link target for Markdown: only absolute https URLs are linked (anything else could be
 * `javascript:` or a relative path into the package), with characters that would end the link
 * percent-encoded. Returns undefined for a URL that must not be linked.
 */
export function markdownUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  return parsed.href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Inline code in Markdown: the text verbatim between backtick runs longer than any run inside
 * it (CommonMark's rule), padded with a space when it starts or ends with a backtick. Line
 * breaks become spaces.
 */
export function markdownCode(text: string): string {
  const flat = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/\s+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
