import type { Api, EnumType, NamedType, TypeNode } from '../model/ir.js';

/**
 * A type reduced to what both the docs and the IR can say: the JSON kind, array element kinds,
 * and whether `null` is allowed. Docs types map here through DOCS_TYPES; IR types through
 * `irShape`. Two types differ exactly when their shapes differ.
 */
export type Shape =
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'any' | 'null' }
  /** `items` undefined: the docs said plain `array` without an element type. */
  | { kind: 'array'; items?: Shape[] };

/**
 * Docs type names (data-types.md) -> shape. Why the less obvious ones map as they do:
 * - `double` is a JSON number; `date`/`datetime`/`text`/`char` are strings on the wire;
 *   `timestamp` is Unix seconds, an integer; `user` is a user id, an integer.
 * - `file`: in the chat-bot API every `file` parameter is a Base64 string (avatars), so it is a
 *   string; a spec that models it otherwise gets a `param-type` difference to explain.
 * - `time` is the response's timing block, an object (the spec's `Time`).
 * - `array` without an element type matches an IR array of anything.
 * Capitalised names (`Bot`, `User[]`, `File`) are the shared objects of entities.md: objects.
 */
const DOCS_TYPES: Record<string, Shape> = {
  integer: { kind: 'integer' },
  int: { kind: 'integer' },
  timestamp: { kind: 'integer' },
  user: { kind: 'integer' },
  double: { kind: 'number' },
  float: { kind: 'number' },
  number: { kind: 'number' },
  string: { kind: 'string' },
  text: { kind: 'string' },
  char: { kind: 'string' },
  date: { kind: 'string' },
  datetime: { kind: 'string' },
  file: { kind: 'string' },
  boolean: { kind: 'boolean' },
  bool: { kind: 'boolean' },
  object: { kind: 'object' },
  time: { kind: 'object' },
  array: { kind: 'array' },
  any: { kind: 'any' },
  null: { kind: 'null' },
};

/** A docs type such as `string | null` or `integer[]` -> its union of shapes; undefined when unknown. */
export function docsShape(typeText: string): Shape[] | undefined {
  const shapes: Shape[] = [];
  for (const alt of splitUnion(typeText)) {
    const one = docsAlternative(alt);
    if (!one) return undefined;
    shapes.push(one);
  }
  return shapes.length > 0 ? shapes : undefined;
}

function docsAlternative(text: string): Shape | undefined {
  const t = text.trim().replace(/^\((.*)\)$/, '$1');
  if (t.endsWith('[]')) {
    const items = docsShape(t.slice(0, -2));
    return items ? { kind: 'array', items } : undefined;
  }
  const known = DOCS_TYPES[t.toLowerCase()];
  if (known && t === t.toLowerCase()) return known;
  if (/^[A-Z][A-Za-z0-9]*$/.test(t)) return { kind: 'object' };
  return undefined;
}

/** `a | (b | c)[]` -> [`a`, `(b | c)[]`]: splits at top-level bars only. */
function splitUnion(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === '|' && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Named types by name, for resolving `$ref`s. */
export type TypeTable = Map<string, NamedType>;

export function typeTable(api: Api): TypeTable {
  return new Map(api.types.map((t) => [t.name, t]));
}

/** Follows `$ref`s to the declared type; undefined for an unknown name (the loader forbids those). */
export function resolve(type: TypeNode | EnumType, types: TypeTable, seen = new Set<string>()): TypeNode | EnumType | undefined {
  if (type.kind !== 'ref') return type;
  if (seen.has(type.name)) return undefined;
  seen.add(type.name);
  const target = types.get(type.name);
  return target ? resolve(target.type, types, seen) : undefined;
}

/** An IR type -> its union of shapes. `nullable` anywhere on the way adds `null`. */
export function irShape(type: TypeNode | EnumType, types: TypeTable, seen = new Set<string>()): Shape[] {
  const out: Shape[] = [];
  const nullable = type.nullable === true;
  switch (type.kind) {
    case 'primitive':
      out.push({ kind: type.name });
      break;
    case 'enum':
      out.push({ kind: type.base });
      break;
    case 'object':
      out.push({ kind: 'object' });
      break;
    case 'array':
      out.push({ kind: 'array', items: irShape(type.items, types, seen) });
      break;
    case 'union':
      for (const v of type.variants) out.push(...irShape(v, types, seen));
      break;
    case 'ref': {
      const target = types.get(type.name);
      if (target && !seen.has(type.name)) out.push(...irShape(target.type, types, new Set([...seen, type.name])));
      else out.push({ kind: 'any' });
      break;
    }
  }
  if (nullable) out.push({ kind: 'null' });
  return dedupe(out);
}

/** Whether a docs type and an IR type agree; docs' plain `array` matches any IR array. */
export function sameShape(docs: Shape[], ir: Shape[]): boolean {
  const a = dedupe(docs);
  const b = dedupe(ir);
  return a.every((s) => b.some((t) => covers(s, t))) && b.every((t) => a.some((s) => covers(s, t)));
}

function covers(docs: Shape, ir: Shape): boolean {
  if (docs.kind !== ir.kind) return false;
  if (docs.kind !== 'array' || ir.kind !== 'array') return true;
  if (docs.items === undefined || ir.items === undefined) return true;
  return sameShape(docs.items, ir.items);
}

/** `string|null`, `integer[]`, `(string|boolean)[]`, `array`: sorted, so equal shapes print alike. */
export function formatShape(shapes: Shape[]): string {
  return dedupe(shapes)
    .map(formatOne)
    .sort((x, y) => (x === 'null' ? 1 : y === 'null' ? -1 : x < y ? -1 : x > y ? 1 : 0))
    .join('|');
}

function formatOne(s: Shape): string {
  if (s.kind !== 'array') return s.kind;
  if (!s.items) return 'array';
  const inner = formatShape(s.items);
  return s.items.length > 1 ? `(${inner})[]` : `${inner}[]`;
}

function dedupe(shapes: Shape[]): Shape[] {
  const seen = new Set<string>();
  return shapes.filter((s) => {
    const key = formatOne(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
