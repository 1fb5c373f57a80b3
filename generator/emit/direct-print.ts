import type { StatementStructures } from 'ts-morph';
import { onlyReindented, reindentDocComment } from './doc-comment-layout.mjs';
import { ASCII_IDENTIFIER } from './escape.js';
import { PRETTIER_OPTIONS } from './prettier-options.mjs';
import { StructureKind } from './structure-kind.js';

/**
 * Prints a planned file the way ts-morph's printer and then prettier would (print-file.mjs),
 * without either, for the shapes a method file is made of: imports, interfaces of plain
 * properties, type aliases, a `const` with a one-level object literal, a function with a
 * one-statement body; the `const` objects of enums.ts and errors.ts (written over several
 * lines) and errors.ts's classes of properties; and statements planned as text that the planner laid out itself
 * (`laidOut`, by index: facade-layout.ts for the facade modules). Method files and facade
 * modules are most of a big spec's output, and prettier was most of the time spent on them
 * (about 1.3 s of 1.4 s for 400 methods), while the layouts prettier picks for these shapes are
 * few: a line that fits in `printWidth` stays as it is; one that does not breaks its import
 * list, union, object literal, parameter list or call arguments one item per line.
 *
 * Anything else gives `undefined`, and the file is printed and formatted as before: a structure
 * key or statement this printer does not know, a name that is not a plain ASCII identifier or a
 * quoted one with anything but printable ASCII in it, a string that is not plain ASCII, type text
 * outside the grammar `type-text.ts` writes, a JSDoc comment prettier would do more than
 * re-indent, and any line that would still be longer than `printWidth` after the one break this
 * printer knows for it (prettier would then break inside a type or keep a long line as it is).
 * So an answer is prettier's answer: test/direct-print.test.ts compares the two on the real
 * spec, synthetic specs, generated structures at every line length around `printWidth`, and
 * facade modules of names of many lengths; the fuzz runs compare every generated case's output.
 */
export function printDirect(statements: readonly (StatementStructures | string)[], laidOut: readonly (string | undefined)[] = []): string | undefined {
  const printed: Printed[] = [];
  for (const [i, statement] of statements.entries()) {
    const one =
      typeof statement !== 'string' ? printStatement(statement) : laidOut[i] !== undefined ? { text: laidOut[i], blankBefore: false } : moduleLine(statement);
    if (one === undefined) return undefined;
    printed.push(one);
  }
  return withTsMorphBlankLines(printed);
}

/**
 * Statements one after another with ts-morph's blank lines, which prettier keeps: before an
 * interface or a function structure, and after anything ending in `}`; other statements follow
 * on the next line. Ends with a newline ('' for none).
 */
export function withTsMorphBlankLines(printed: readonly Printed[]): string {
  const out: string[] = [];
  printed.forEach((one, i) => {
    if (i > 0 && (one.blankBefore || printed[i - 1].text.endsWith('}'))) out.push('');
    out.push(one.text);
  });
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Prettier's line width, and one level of its indentation. */
export const WIDTH = PRETTIER_OPTIONS.printWidth;
export const INDENT = '  ';

export interface Printed {
  text: string;
  /** ts-morph puts a blank line before it (interfaces, functions) even after a `;`. */
  blankBefore: boolean;
}

/** `import type { A, B } from '../x.js';` as importStatement (source-file.ts) writes it (also without `type`, or with `type` on a name). */
const IMPORT = /^import (type )?\{ ((?:type )?[A-Za-z_$][A-Za-z0-9_$]*(?:, (?:type )?[A-Za-z_$][A-Za-z0-9_$]*)*) \} from '([\x20-\x26\x28-\x5b\x5d-\x7e]*)';$/;

/** `export * from './x.js';` as index.ts lists the modules: prettier cannot break it. */
const EXPORT_ALL = /^export \* from '[\x20-\x26\x28-\x5b\x5d-\x7e]*';$/;

function moduleLine(statement: string): Printed | undefined {
  if (EXPORT_ALL.test(statement)) return { text: statement, blankBefore: false };
  const match = IMPORT.exec(statement);
  if (!match) return undefined;
  const [, typeOnly = '', list, from] = match;
  const names = list.split(', ');
  // Prettier never breaks a list of one.
  if (statement.length <= WIDTH || names.length === 1) return { text: statement, blankBefore: false };
  const broken = [`import ${typeOnly}{`, ...names.map((name) => `${INDENT}${name},`), `} from '${from}';`];
  return fitting(broken) ? { text: broken.join('\n'), blankBefore: false } : undefined;
}

/** One structure as `printDirect` prints it (its text, and whether ts-morph puts a blank line before it), or undefined. */
export function printStatement(statement: StatementStructures): Printed | undefined {
  switch (statement.kind) {
    case StructureKind.Interface:
      return interfaceDeclaration(statement as unknown as Record<string, unknown>);
    case StructureKind.TypeAlias:
      return typeAlias(statement as unknown as Record<string, unknown>);
    case StructureKind.VariableStatement:
      return variableStatement(statement as unknown as Record<string, unknown>);
    case StructureKind.Function:
      return functionDeclaration(statement as unknown as Record<string, unknown>);
    case StructureKind.Class:
      return classDeclaration(statement as unknown as Record<string, unknown>);
    default:
      return undefined;
  }
}

/**
 * Whether a structure sets only `known` keys (a key set to `undefined`, `false` or `[]` is the
 * same as absent to ts-morph's printer). Anything else (overloads, type parameters, `extends`,
 * a default export...) is left to ts-morph and prettier.
 */
export function onlyKeys(structure: Record<string, unknown>, known: readonly string[]): boolean {
  return Object.entries(structure).every(
    ([key, value]) => known.includes(key) || value === undefined || value === false || (Array.isArray(value) && value.length === 0),
  );
}

/** `export ` when the structure says so. */
function exportKeyword(structure: Record<string, unknown>): string {
  return structure.isExported === true ? 'export ' : '';
}

function interfaceDeclaration(s: Record<string, unknown>): Printed | undefined {
  if (!onlyKeys(s, ['kind', 'name', 'isExported', 'docs', 'properties', 'indexSignatures'])) return undefined;
  const docs = docLines(s.docs, '');
  if (docs === undefined || !isIdentifier(s.name)) return undefined;
  // Member lines with their JSDoc, and the code lines alone: only those must fit.
  const members: string[] = [];
  const code: string[] = [];
  for (const signature of asArray(s.indexSignatures)) {
    if (!onlyKeys(signature, ['keyName', 'keyType', 'returnType']) || !isIdentifier(signature.keyName ?? 'key')) return undefined;
    const keyType = signature.keyType ?? 'string';
    const valueType = typeText(signature.returnType);
    if (typeText(keyType) === undefined || valueType === undefined) return undefined;
    code.push(`${INDENT}[${String(signature.keyName ?? 'key')}: ${String(keyType)}]: ${valueType};`);
    members.push(code[code.length - 1]);
  }
  for (const property of asArray(s.properties)) {
    if (!onlyKeys(property, ['name', 'hasQuestionToken', 'type', 'docs'])) return undefined;
    const key = propertyKey(property.name);
    const propertyDocs = docLines(property.docs, INDENT);
    const type = typeText(property.type);
    if (key === undefined || propertyDocs === undefined || type === undefined) return undefined;
    code.push(`${INDENT}${key}${property.hasQuestionToken === true ? '?' : ''}: ${type};`);
    members.push(...propertyDocs, code[code.length - 1]);
  }
  const head = `${exportKeyword(s)}interface ${s.name} {`;
  const lines = members.length === 0 ? [`${head}}`] : [head, ...members, '}'];
  return fitting(code) ? { text: [...docs, ...lines].join('\n'), blankBefore: true } : undefined;
}

function typeAlias(s: Record<string, unknown>): Printed | undefined {
  if (!onlyKeys(s, ['kind', 'name', 'isExported', 'docs', 'type'])) return undefined;
  const docs = docLines(s.docs, '');
  const type = typeText(s.type) ?? (typeof s.type === 'string' && ENUM_VALUES.test(s.type) ? s.type : undefined);
  if (docs === undefined || type === undefined || !isIdentifier(s.name)) return undefined;
  const head = `${exportKeyword(s)}type ${s.name} =`;
  const flat = `${head} ${type};`;
  if (flat.length <= WIDTH) return { text: [...docs, flat].join('\n'), blankBefore: false };
  // An enum's values type too long for one line: on the next line.
  if (ENUM_VALUES.test(type)) return fitting([`${INDENT}${type};`]) ? { text: [...docs, head, `${INDENT}${type};`].join('\n'), blankBefore: false } : undefined;
  // A union too long for one line: on the next line when it fits there, else one variant per
  // line, each after a `|`.
  const variants = topLevelUnion(type);
  if (variants.length < 2) return undefined;
  const next = `${INDENT}${type};`;
  if (next.length <= WIDTH) return { text: [...docs, head, next].join('\n'), blankBefore: false };
  const lines = [head, ...variants.map((variant, i) => `${INDENT}| ${variant}${i === variants.length - 1 ? ';' : ''}`)];
  return fitting(lines) ? { text: [...docs, ...lines].join('\n'), blankBefore: false } : undefined;
}

/** `(typeof X)[keyof typeof X]`: an enum's values as a type (enums-file.ts). */
const ENUM_VALUES = /^\(typeof ([A-Za-z_$][A-Za-z0-9_$]*)\)\[keyof typeof \1\]$/;

/**
 * `const name: Type = { key: value, ... };` with identifier or plain string values, on one line
 * when it fits; or written over several lines (`{\n...\n}`, perhaps ` as const`), which prettier
 * keeps so, its members with their JSDoc blocks (enums-file.ts, errors-file.ts).
 */
function variableStatement(s: Record<string, unknown>): Printed | undefined {
  if (!onlyKeys(s, ['kind', 'isExported', 'declarationKind', 'docs', 'declarations']) || s.declarationKind !== 'const') return undefined;
  const declarations = asArray(s.declarations);
  const docs = docLines(s.docs, '');
  if (docs === undefined || declarations.length !== 1) return undefined;
  const [declaration] = declarations;
  if (!onlyKeys(declaration, ['name', 'type', 'initializer']) || !isIdentifier(declaration.name)) return undefined;
  const type = declaration.type === undefined ? '' : typeText(declaration.type);
  if (type === undefined) return undefined;
  const head = `${exportKeyword(s)}const ${declaration.name}${type === '' ? '' : `: ${type}`} =`;
  if (typeof declaration.initializer === 'string' && declaration.initializer.startsWith('{\n')) {
    const lines = expandedObject(declaration.initializer, head);
    return lines && { text: [...docs, ...lines].join('\n'), blankBefore: false };
  }
  const members = objectMembers(declaration.initializer);
  if (members === undefined) return undefined;
  const flat = `${head} ${members.length === 0 ? '{}' : `{ ${members.join(', ')} }`};`;
  if (flat.length <= WIDTH) return { text: [...docs, flat].join('\n'), blankBefore: false };
  const lines = [`${head} {`, ...members.map((member) => `${INDENT}${member},`), '};'];
  return members.length > 0 && fitting(lines) ? { text: [...docs, ...lines].join('\n'), blankBefore: false } : undefined;
}

/**
 * An object literal written over several lines (`{\n`, members a line each with `/**` blocks
 * before them, `}` and perhaps ` as const`), after `head`, as prettier prints it: expanded, each
 * member a line (a key, or a computed `["key"]`; a plain string, a simple number or an
 * identifier as value), each block re-indented. Undefined for anything else, or a line too long.
 */
function expandedObject(initializer: string, head: string): string[] | undefined {
  const match = /^\{\n([\s\S]*)\n\}( as const)?$/.exec(initializer);
  if (!match) return undefined;
  const lines = [`${head} {`];
  const code = [lines[0]];
  const source = match[1].split('\n');
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '/**') {
      const end = source.indexOf(' */', i);
      const comment = end < 0 ? undefined : commentLines(source.slice(i, end + 1).join('\n'), INDENT);
      if (comment === undefined) return undefined;
      lines.push(...comment);
      i = end;
      continue;
    }
    const member = /^(\[?)(.+?)(\]?): (.+),$/.exec(source[i]);
    if (!member) return undefined;
    const [, open, rawKey, close, rawValue] = member;
    const key = open === '[' && close === ']' ? plainKeyLiteral(rawKey) : open === '' && close === '' && isIdentifier(rawKey) ? rawKey : undefined;
    const value = plainString(rawValue) ?? (/^-?(0|[1-9][0-9]{0,14})(\.[0-9]*[1-9])?$/.test(rawValue) || ASCII_IDENTIFIER.test(rawValue) ? rawValue : undefined);
    if (key === undefined || value === undefined) return undefined;
    code.push(`${INDENT}${key}: ${value},`);
    lines.push(code[code.length - 1]);
  }
  if (code.length === 1) return undefined; // `{}`: prettier joins it
  lines.push(`}${match[2] ?? ''};`);
  return fitting(code) ? lines : undefined;
}

/** `["key"]` (objectKey's computed key) as prettier prints it: `['key']`. */
function plainKeyLiteral(literal: string): string | undefined {
  const quoted = plainString(literal);
  return quoted && `[${quoted}]`;
}

/**
 * `class Name extends Base { ... }` of properties only, as errors-file.ts writes its error
 * classes: modifiers in ts-morph's order, a plain string or string type, JSDoc before each.
 */
function classDeclaration(s: Record<string, unknown>): Printed | undefined {
  if (!onlyKeys(s, ['kind', 'name', 'isExported', 'extends', 'docs', 'properties']) || !isIdentifier(s.name)) return undefined;
  if (s.extends !== undefined && !isIdentifier(s.extends)) return undefined;
  const docs = docLines(s.docs, '');
  if (docs === undefined) return undefined;
  const head = `${exportKeyword(s)}class ${s.name}${s.extends === undefined ? '' : ` extends ${s.extends}`} {`;
  const members: string[] = [];
  const code = [head];
  for (const property of asArray(s.properties)) {
    if (!onlyKeys(property, ['name', 'hasDeclareKeyword', 'isStatic', 'hasOverrideKeyword', 'isReadonly', 'type', 'initializer', 'docs']) || !isIdentifier(property.name)) return undefined;
    const propertyDocs = docLines(property.docs, INDENT);
    const type = property.type === undefined ? '' : typeof property.type === 'string' ? plainString(property.type) : undefined;
    const initializer = property.initializer === undefined ? '' : typeof property.initializer === 'string' ? plainString(property.initializer) : undefined;
    if (propertyDocs === undefined || type === undefined || initializer === undefined) return undefined;
    const modifiers = [
      property.hasDeclareKeyword === true && 'declare ',
      property.isStatic === true && 'static ',
      property.hasOverrideKeyword === true && 'override ',
      property.isReadonly === true && 'readonly ',
    ].filter(Boolean);
    code.push(`${INDENT}${modifiers.join('')}${property.name}${type && `: ${type}`}${initializer && ` = ${initializer}`};`);
    members.push(...propertyDocs, code[code.length - 1]);
  }
  const lines = members.length === 0 ? [`${head}}`] : [head, ...members, '}'];
  return fitting(code) ? { text: [...docs, ...lines].join('\n'), blankBefore: true } : undefined;
}

/** The members of `{ key: value, ... }` (one line, as method-file.ts writes it), or undefined. */
function objectMembers(initializer: unknown): string[] | undefined {
  if (typeof initializer !== 'string') return undefined;
  const match = /^\{ (.*) \}$/.exec(initializer);
  if (!match) return initializer === '{}' ? [] : undefined;
  const members = match[1].split(', ').map((member) => {
    const [key, value, ...rest] = member.split(': ');
    if (rest.length > 0 || !isIdentifier(key)) return undefined;
    const printedValue = plainString(value) ?? (ASCII_IDENTIFIER.test(value) ? value : undefined);
    return printedValue === undefined ? undefined : `${key}: ${printedValue}`;
  });
  return members.every((member): member is string => member !== undefined) ? members : undefined;
}

/**
 * `function name(a: A, b?: B): R { return x.y<T>(a, b); }`: parameters typed, no defaults; the
 * body one `return` of a call with identifier arguments.
 */
function functionDeclaration(s: Record<string, unknown>): Printed | undefined {
  if (!onlyKeys(s, ['kind', 'isExported', 'name', 'docs', 'parameters', 'returnType', 'statements'])) return undefined;
  const docs = docLines(s.docs, '');
  const returnType = typeText(s.returnType);
  const body = Array.isArray(s.statements) && s.statements.length === 1 ? returnCall(s.statements[0]) : undefined;
  if (docs === undefined || returnType === undefined || body === undefined || !isIdentifier(s.name)) return undefined;
  const parameters: string[] = [];
  for (const parameter of asArray(s.parameters)) {
    if (!onlyKeys(parameter, ['name', 'type', 'hasQuestionToken']) || !isIdentifier(parameter.name)) return undefined;
    const type = typeText(parameter.type);
    if (type === undefined) return undefined;
    parameters.push(`${parameter.name}${parameter.hasQuestionToken === true ? '?' : ''}: ${type}`);
  }
  if (parameters.length < 2) return undefined; // one parameter: prettier may hug it
  const name = `${exportKeyword(s)}function ${s.name}(`;
  const flatHead = `${name}${parameters.join(', ')}): ${returnType} {`;
  const head = flatHead.length <= WIDTH ? [flatHead] : [name, ...parameters.map((p) => `${INDENT}${p},`), `): ${returnType} {`];
  const lines = [...head, ...body, '}'];
  return fitting(lines) ? { text: [...docs, ...lines].join('\n'), blankBefore: true } : undefined;
}

/** `return callee<Types>(a, b, c);` at one indentation: flat, or its arguments one per line. */
function returnCall(statement: unknown): string[] | undefined {
  if (typeof statement !== 'string') return undefined;
  const match = /^return ([A-Za-z_$][A-Za-z0-9_$]*\.[A-Za-z_$][A-Za-z0-9_$]*)(<.*>)\((.*)\);$/.exec(statement);
  if (!match) return undefined;
  const [, callee, typeArguments, list] = match;
  const args = list.split(', ');
  if (typeText(`T${typeArguments}`) === undefined || !args.every((arg) => ASCII_IDENTIFIER.test(arg))) return undefined;
  const flat = `${INDENT}return ${callee}${typeArguments}(${args.join(', ')});`;
  if (flat.length <= WIDTH) return [flat];
  return [`${INDENT}return ${callee}${typeArguments}(`, ...args.map((arg) => `${INDENT}${INDENT}${arg},`), `${INDENT});`];
}

/**
 * JSDoc lines as ts-morph prints `docs` and prettier re-indents them at `indent`, or undefined
 * for a comment prettier might change otherwise (doc-comment-layout.mjs).
 */
function docLines(docs: unknown, indent: string): string[] | undefined {
  const comments = tsMorphDocComments(docs);
  if (comments === undefined) return undefined;
  const lines: string[] = [];
  for (const comment of comments) {
    const reindented = commentLines(comment, indent);
    if (reindented === undefined) return undefined;
    lines.push(...reindented);
  }
  return lines;
}

/**
 * A block comment written as text (a statement or member planned as a string) as prettier
 * re-indents it at `indent`, as lines; undefined when prettier might do more (doc-comment-layout.mjs).
 */
export function commentLines(comment: string, indent: string): string[] | undefined {
  return onlyReindented(comment) ? reindentDocComment(comment, indent).split('\n') : undefined;
}

/** The text ts-morph's JSDoc printer puts between `/**` and `*\/`: the description, then one tag a line. */
function docStructureText(doc: Record<string, unknown>): string | undefined {
  if ((doc.description !== undefined && typeof doc.description !== 'string') || !Array.isArray(doc.tags ?? [])) return undefined;
  const tags: string[] = [];
  for (const tag of asArray(doc.tags)) {
    if (!onlyKeys(tag, ['tagName', 'text']) || typeof tag.tagName !== 'string' || (tag.text !== undefined && typeof tag.text !== 'string')) return undefined;
    const text = (tag.text as string | undefined) ?? '';
    tags.push(`@${tag.tagName}${text.length > 0 && !/^\r?\n/.test(text) ? ' ' : ''}${text.split(/\r?\n/).join('\n')}`);
  }
  const description = (doc.description as string | undefined) ?? '';
  return `${description}${description.length > 0 && tags.length > 0 ? '\n' : ''}${tags.join('\n')}`;
}

/** `docs` as ts-morph's printer writes them (each comment at no indentation), or undefined for a doc structure this file does not know. */
export function tsMorphDocComments(docs: unknown): string[] | undefined {
  const comments: string[] = [];
  for (const doc of asArray(docs)) {
    const text = onlyKeys(doc, ['description', 'tags']) ? docStructureText(doc) : undefined;
    if (text === undefined || text === '') return undefined;
    comments.push(tsMorphComment(text));
  }
  return comments;
}

/** The comment ts-morph's JSDoc printer writes for a text (before any indentation). */
function tsMorphComment(text: string): string {
  const lines = text.split(/\r?\n/);
  if (lines.length <= 1) return `/** ${lines[0]}${lines[0].endsWith(' ') ? '' : ' '}*/`;
  const body = lines.slice(lines[0].length === 0 ? 1 : 0).map((line) => (line.length > 0 ? ` * ${line}` : ' *'));
  return `/**\n${body.join('\n')}\n */`;
}

/**
 * Type text in the grammar type-text.ts writes (identifiers, `A[]`, `Name<A, B>`, `A | B`,
 * spaced as prettier spaces them), returned as it is; undefined for anything else.
 */
function typeText(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const tokens = text.match(/[A-Za-z_$][A-Za-z0-9_$]*|\[\]|<|>|, | \| |./g) ?? [];
  let depth = 0;
  let expectName = true;
  for (const token of tokens) {
    if (ASCII_IDENTIFIER.test(token)) {
      if (!expectName) return undefined;
      expectName = false;
    } else if (token === '[]' || token === '>') {
      if (expectName || (token === '>' && --depth < 0)) return undefined;
    } else if (token === '<') {
      if (expectName) return undefined;
      depth++;
      expectName = true;
    } else if (token === ' | ' || (token === ', ' && depth > 0)) {
      if (expectName) return undefined;
      expectName = true;
    } else {
      return undefined;
    }
  }
  return !expectName && depth === 0 && tokens.join('') === text ? text : undefined;
}

/** The variants of a union at the top level of type text (one when it is not a union). */
function topLevelUnion(type: string): string[] {
  const variants: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    if (type[i] === '<') depth++;
    else if (type[i] === '>') depth--;
    else if (depth === 0 && type.startsWith(' | ', i)) {
      variants.push(type.slice(start, i));
      start = i + 3;
    }
  }
  variants.push(type.slice(start));
  return variants;
}

/**
 * A string literal as stringLiteral (escape.ts) writes it, when it holds only printable ASCII
 * with no quote or backslash: prettier prints it in single quotes. Undefined otherwise.
 */
export function plainString(literal: string): string | undefined {
  const match = /^"([\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]*)"$/.exec(literal);
  return match ? `'${match[1]}'` : undefined;
}

/**
 * A property name (an identifier, or a string literal from memberName) as prettier prints it
 * (quoteProps `as-needed`): a quoted name that is an identifier loses its quotes (`'delete'`,
 * `'__proto__'`), any other keeps them, in single quotes. Undefined for a string plainString
 * does not take.
 */
export function propertyKey(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  if (ASCII_IDENTIFIER.test(name)) return name;
  const quoted = plainString(name);
  if (quoted === undefined) return undefined;
  return ASCII_IDENTIFIER.test(quoted.slice(1, -1)) ? quoted.slice(1, -1) : quoted;
}

function isIdentifier(name: unknown): name is string {
  return typeof name === 'string' && ASCII_IDENTIFIER.test(name);
}

/** Every line at most `printWidth` long (code lines are ASCII here: one character, one column). */
export function fitting(lines: readonly string[]): boolean {
  return lines.every((line) => line.length <= WIDTH);
}

export function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}
