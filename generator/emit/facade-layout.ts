import { INDENT, WIDTH, commentLines, fitting, plainString, propertyKey } from './direct-print.js';

/**
 * The statements of a facade module (facade-file.ts) laid out as ts-morph and prettier lay out
 * the text facade-file.ts plans, for direct-print.ts: the module is most of what is left for
 * prettier once method files are printed directly (0.4 of 1.4 s at 400 methods). Each function
 * returns a statement's final text, or undefined where prettier might lay it out otherwise (a
 * line too long for the one break known here, a name or comment it might rewrite); the module
 * is then formatted by prettier as a whole. test/direct-print.test.ts compares the two.
 */

/** A facade tree level, with the names and texts facade-file.ts writes for it. */
export interface FacadeLayoutNode {
  /** As memberName (escape.ts) writes it: the key in the interface. */
  typeKey: string;
  /** As objectKey writes it: the key in the object literal. */
  valueKey: string;
  method?: {
    /** The JSDoc block, as facade-file.ts writes it. */
    doc: string;
    params: string;
    returns: string;
    /** The arrow function's body, a call: `fn(transport, params, options)`. */
    call: { callee: string; args: string[] };
  };
  children: FacadeLayoutNode[];
}

const at = (depth: number) => INDENT.repeat(depth);

/** `export interface Facade { ... }` with its JSDoc line. */
export function facadeInterfaceText(doc: string, nodes: FacadeLayoutNode[]): string | undefined {
  const docLines = commentLines(doc, '');
  const members = typeMembers(nodes, 1);
  return docLines && members && [...docLines, 'export interface Facade {', ...members, '}'].join('\n');
}

function typeMembers(nodes: FacadeLayoutNode[], depth: number): string[] | undefined {
  const lines: string[] = [];
  for (const node of nodes) {
    const key = propertyKey(node.typeKey);
    if (key === undefined) return undefined;
    const indent = at(depth);
    if (node.method) {
      const doc = commentLines(node.method.doc, indent);
      const signature = methodSignature(indent, key, node.method.params, node.method.returns);
      if (doc === undefined || signature === undefined) return undefined;
      lines.push(...doc, ...signature);
    } else {
      const inner = typeMembers(node.children, depth + 1);
      const open = `${indent}readonly ${key}: {`;
      if (inner === undefined || open.length > WIDTH) return undefined;
      lines.push(open, ...inner, `${indent}};`);
    }
  }
  return lines;
}

/** `key(params: P, options?: CallOptions): R;`, flat or its two parameters one a line. */
function methodSignature(indent: string, key: string, params: string, returns: string): string[] | undefined {
  const flat = `${indent}${key}(params: ${params}, options?: CallOptions): ${returns};`;
  if (flat.length <= WIDTH) return [flat];
  const lines = [`${indent}${key}(`, `${indent}${INDENT}params: ${params},`, `${indent}${INDENT}options?: CallOptions,`, `${indent}): ${returns};`];
  return fitting(lines) ? lines : undefined;
}

/** `export function name(parameters): Type { return { ... }; }` with its JSDoc line. */
export function facadeFunctionText(doc: string, head: string, nodes: FacadeLayoutNode[]): string | undefined {
  const docLines = commentLines(doc, '');
  const members = valueMembers(nodes, 2);
  if (docLines === undefined || members === undefined || head.length > WIDTH) return undefined;
  return [...docLines, head, `${INDENT}return {`, ...members, `${INDENT}};`, '}'].join('\n');
}

function valueMembers(nodes: FacadeLayoutNode[], depth: number): string[] | undefined {
  const lines: string[] = [];
  for (const node of nodes) {
    const key = objectKey(node.valueKey);
    if (key === undefined) return undefined;
    const indent = at(depth);
    if (node.method) {
      const arrow = arrowProperty(indent, key, node.method.params, node.method.call);
      if (arrow === undefined) return undefined;
      lines.push(...arrow);
    } else {
      const inner = valueMembers(node.children, depth + 1);
      const open = `${indent}${key}: {`;
      if (inner === undefined || open.length > WIDTH) return undefined;
      lines.push(open, ...inner, `${indent}},`);
    }
  }
  return lines;
}

/**
 * `key: (params: P, options?: CallOptions) => call,`: on one line; else the body on the next
 * line; else, when the signature itself does not fit, its parameters one a line, and the body
 * after `) =>` or, when it does not fit there, on the next line. A body too long for its line
 * has its arguments one a line.
 */
function arrowProperty(indent: string, key: string, params: string, call: { callee: string; args: string[] }): string[] | undefined {
  const text = `${call.callee}(${call.args.join(', ')})`;
  const signature = `${indent}${key}: (params: ${params}, options?: CallOptions) =>`;
  const flat = `${signature} ${text},`;
  if (flat.length <= WIDTH) return [flat];
  const body = (at: string) => {
    const line = `${at}${text},`;
    return line.length <= WIDTH ? [line] : [`${at}${call.callee}(`, ...call.args.map((arg) => `${at}${INDENT}${arg},`), `${at}),`];
  };
  if (signature.length <= WIDTH) return fitted([signature, ...body(indent + INDENT)]);
  const head = [`${indent}${key}: (`, `${indent}${INDENT}params: ${params},`, `${indent}${INDENT}options?: CallOptions,`];
  const close = `${indent}) => ${text},`;
  return fitted(close.length <= WIDTH ? [...head, close] : [...head, `${indent}) =>`, ...body(indent + INDENT)]);
}

function fitted(lines: string[]): string[] | undefined {
  return fitting(lines) ? lines : undefined;
}

/** A key as objectKey writes it (an identifier, or `["..."]`), as prettier prints it. */
function objectKey(key: string): string | undefined {
  if (!key.startsWith('[')) return propertyKey(key);
  const literal = plainString(key.slice(1, -1));
  return key.endsWith(']') && literal !== undefined ? `[${literal}]` : undefined;
}

/** `export interface Methods { 'name': { params: P; result: R; error: E }; ... }`. */
export function methodsInterfaceText(doc: string, entries: { name: string; params: string; result: string; error: string }[]): string | undefined {
  const docLines = commentLines(doc, '');
  if (docLines === undefined) return undefined;
  const lines = [...docLines, 'export interface Methods {'];
  for (const entry of entries) {
    const key = propertyKey(entry.name);
    if (key === undefined) return undefined;
    const flat = `${INDENT}${key}: { params: ${entry.params}; result: ${entry.result}; error: ${entry.error} };`;
    const broken = [`${INDENT}${key}: {`, `${INDENT}${INDENT}params: ${entry.params};`, `${INDENT}${INDENT}result: ${entry.result};`, `${INDENT}${INDENT}error: ${entry.error};`, `${INDENT}};`];
    if (flat.length <= WIDTH) lines.push(flat);
    else if (fitting(broken)) lines.push(...broken);
    else return undefined;
  }
  return [...lines, '}'].join('\n');
}

/** `export const descriptors: ... = { 'name': descriptor, ... };`, one entry a line (or two: the value after the key's line). */
export function descriptorsText(doc: string, head: string, entries: { name: string; descriptor: string }[]): string | undefined {
  const docLines = commentLines(doc, '');
  if (docLines === undefined || head.length > WIDTH) return undefined;
  const lines = [...docLines, head];
  for (const entry of entries) {
    const key = propertyKey(entry.name);
    if (key === undefined) return undefined;
    const line = `${INDENT}${key}: ${entry.descriptor},`;
    const broken = [`${INDENT}${key}:`, `${INDENT}${INDENT}${entry.descriptor},`];
    if (line.length <= WIDTH) lines.push(line);
    else if (fitting(broken)) lines.push(...broken);
    else return undefined;
  }
  return [...lines, '};'].join('\n');
}

/** A level of the bound bot's type: `BoundGroup<Pick<...>>` for its methods, `{ ... }` for its groups. */
export interface BoundLayoutNode {
  /** `BoundGroup<Pick<Facade["A"], "x" | "y">>` as facade-file.ts writes it, when the level has methods. */
  methods?: string;
  groups: { key: string; node: BoundLayoutNode }[];
}

/** `export type BoundFacade = ...;` with its JSDoc line. */
export function boundTypeText(doc: string, node: BoundLayoutNode): string | undefined {
  const docLines = commentLines(doc, '');
  const lines = boundType('export type BoundFacade = ', node, 0);
  return docLines && lines && [...docLines, ...lines].join('\n');
}

/**
 * The type after `prefix` at `depth`, ending in `;`: the methods' part on the line (its type
 * argument on a line of its own when the line is too long), `& {`, each group a line or more.
 */
function boundType(prefix: string, node: BoundLayoutNode, depth: number): string[] | undefined {
  const indent = at(depth);
  const methods = node.methods === undefined ? undefined : singleQuoted(node.methods);
  if (node.methods !== undefined && methods === undefined) return undefined;
  if (methods === undefined && node.groups.length === 0) return undefined;
  if (node.groups.length === 0) return methodsPart(prefix, methods!, indent, ';');
  const groups: string[] = [];
  for (const group of node.groups) {
    const key = propertyKey(group.key);
    const inner = key === undefined ? undefined : boundType(`${at(depth + 1)}readonly ${key}: `, group.node, depth + 1);
    if (inner === undefined) return undefined;
    groups.push(...inner);
  }
  const close = `${indent}};`;
  if (methods === undefined) return fitting([`${prefix}{`]) ? [`${prefix}{`, ...groups, close] : undefined;
  const open = methodsPart(prefix, methods, indent, ' & {');
  return open && [...open, ...groups, close];
}

/** `BoundGroup<Pick<...>>` then `end`, on the line, or its type argument on a line of its own. */
function methodsPart(prefix: string, methods: string, indent: string, end: string): string[] | undefined {
  const line = `${prefix}${methods}${end}`;
  if (line.length <= WIDTH) return [line];
  const broken = [`${prefix}BoundGroup<`, `${indent}${INDENT}${methods.slice('BoundGroup<'.length, -1)}`, `${indent}>${end}`];
  return fitting(broken) ? broken : undefined;
}

/** `BoundGroup<Pick<Facade["A"], "x" | "y">>` with its string literals in single quotes, as prettier prints them. */
function singleQuoted(type: string): string | undefined {
  const literal = /"[^"\\]*"/g;
  const shape = type.replace(literal, '""');
  if (!/^BoundGroup<Pick<Facade(\[""\])*, ""( \| "")*>>$/.test(shape)) return undefined;
  let ok = true;
  const quoted = type.replace(literal, (text) => plainString(text) ?? ((ok = false), text));
  return ok ? quoted : undefined;
}
