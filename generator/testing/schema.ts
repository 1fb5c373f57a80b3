import type { TypeDesc } from '../runtime/coerce.js';

/**
 * The kit's description of a type: the runtime's `TypeDesc` (so `coerce` can read a form body's
 * strings back with it) plus the facts a portal checks a request against: enum values, ranges,
 * lengths, patterns, whether an object refuses other keys. The generator writes one per method's
 * params and result into testing/spec.ts; `check` walks it for a request, `sample` builds a value
 * that conforms to it.
 */
export type Schema =
  | { t: 's'; n?: 1; e?: readonly string[]; lo?: number; hi?: number; pat?: string; fmt?: string; ex?: string }
  | { t: 'i' | 'n'; n?: 1; e?: readonly number[]; lo?: number; hi?: number; ex?: number }
  | { t: 'b' | 'a'; n?: 1 }
  | { t: 'o'; n?: 1; p?: Readonly<Record<string, Schema>>; q?: readonly string[]; x?: Schema; open?: 1 }
  | { t: 'l'; n?: 1; i: Schema; lo?: number; hi?: number }
  | { t: 'u'; n?: 1; v: readonly Schema[] }
  | { t: 'r'; n?: 1; r: string };

export type SchemaDefs = Readonly<Record<string, Schema>>;

/** A Schema is a TypeDesc with more facts: the runtime's `coerce` reads it as one. */
export function asTypeDesc(schema: Schema): TypeDesc {
  return schema as TypeDesc;
}

/** What is wrong with a value, and where (a path of param names, `fields.properties.name`). */
export interface Problem {
  kind: 'unknown' | 'type' | 'required' | 'enum' | 'limit';
  path: string;
  message: string;
}

function resolve(schema: Schema, defs: SchemaDefs): Schema {
  let s = schema;
  let nullable = Boolean(s.n);
  for (let i = 0; s.t === 'r' && i < 32; i++) {
    const next: Schema | undefined = Object.hasOwn(defs, s.r) ? defs[s.r] : undefined;
    if (!next) return { t: 'a' };
    s = next;
    nullable ||= Boolean(s.n);
  }
  return nullable && !s.n ? ({ ...s, n: 1 } as Schema) : s;
}

const join = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** Values under these keys are secrets: a problem's message names their kind, never their text. */
const SECRET_KEY = /token|secret|password|^auth$/i;

const shown = (path: string, value: unknown): string => (SECRET_KEY.test(path.split('.').pop() ?? '') ? 'the value' : JSON.stringify(value));

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The first problem of `value` against `schema`, depth first in the schema's order; undefined when it conforms. */
export function check(value: unknown, schema: Schema, defs: SchemaDefs, path = '', depth = 0): Problem | undefined {
  const s = resolve(schema, defs);
  if (depth > 64) return undefined;
  if (value === null && s.n) return undefined;
  const wrong = (expected: string): Problem => ({ kind: 'type', path, message: `expected ${expected}, got ${kindOf(value)}` });
  switch (s.t) {
    case 'a':
      return undefined;
    case 's': {
      if (typeof value !== 'string') return wrong('a string');
      if (s.e && !s.e.includes(value)) return { kind: 'enum', path, message: `${shown(path, value)} is not one of ${s.e.map((v) => JSON.stringify(v)).join(', ')}` };
      const length = [...value].length;
      if (s.lo !== undefined && length < s.lo) return { kind: 'limit', path, message: `is ${length} characters long, at least ${s.lo} allowed` };
      if (s.hi !== undefined && length > s.hi) return { kind: 'limit', path, message: `is ${length} characters long, at most ${s.hi} allowed` };
      if (s.pat !== undefined && !new RegExp(s.pat, 'u').test(value)) return { kind: 'limit', path, message: `${shown(path, value)} does not match ${s.pat}` };
      return undefined;
    }
    case 'i':
    case 'n': {
      if (typeof value !== 'number' || !Number.isFinite(value) || (s.t === 'i' && !Number.isInteger(value))) return wrong(s.t === 'i' ? 'an integer' : 'a number');
      if (s.e && !s.e.includes(value)) return { kind: 'enum', path, message: `${value} is not one of ${s.e.join(', ')}` };
      if (s.lo !== undefined && value < s.lo) return { kind: 'limit', path, message: `${value} is below the minimum ${s.lo}` };
      if (s.hi !== undefined && value > s.hi) return { kind: 'limit', path, message: `${value} is above the maximum ${s.hi}` };
      return undefined;
    }
    case 'b':
      return typeof value === 'boolean' ? undefined : wrong('a boolean');
    case 'l': {
      if (!Array.isArray(value)) return wrong('an array');
      if (s.lo !== undefined && value.length < s.lo) return { kind: 'limit', path, message: `has ${value.length} items, at least ${s.lo} allowed` };
      if (s.hi !== undefined && value.length > s.hi) return { kind: 'limit', path, message: `has ${value.length} items, at most ${s.hi} allowed` };
      for (let i = 0; i < value.length; i++) {
        const p = check(value[i], s.i, defs, join(path, i), depth + 1);
        if (p) return p;
      }
      return undefined;
    }
    case 'o': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return wrong('an object');
      const input = value as Record<string, unknown>;
      for (const key of s.q ?? []) {
        if (!Object.hasOwn(input, key) || input[key] === undefined) return { kind: 'required', path: join(path, key), message: 'is required' };
      }
      for (const key of Object.keys(input)) {
        if (input[key] === undefined) continue;
        const known = s.p && Object.hasOwn(s.p, key) ? s.p[key] : s.x;
        if (!known) {
          if (s.open) continue;
          return { kind: 'unknown', path: join(path, key), message: 'is not a parameter of this method' };
        }
        const p = check(input[key], known, defs, join(path, key), depth + 1);
        if (p) return p;
      }
      return undefined;
    }
    case 'u': {
      let first: Problem | undefined;
      for (const variant of s.v) {
        const p = check(value, variant, defs, path, depth + 1);
        if (!p) return undefined;
        first ??= p;
      }
      return first && { ...first, message: `matches none of the ${s.v.length} allowed forms (first: ${first.path || 'value'} ${first.message})` };
    }
    case 'r':
      return undefined;
  }
}

/**
 * A value that conforms to `schema`: the spec's example where it has one, else the first enum
 * value, the lower bound, a string fitting the pattern or format; objects with every property
 * (nested named types only as deep as their required members need), arrays with their minimum
 * count. Deterministic: the same schema gives the same value.
 */
export function sample(schema: Schema, defs: SchemaDefs, depth = 0): unknown {
  const s = resolve(schema, defs);
  switch (s.t) {
    case 'a':
      return null;
    case 's':
      if (s.ex !== undefined && !check(s.ex, s, defs)) return s.ex;
      if (s.e && s.e.length > 0) return s.e[0];
      return sampleString(s);
    case 'i':
    case 'n':
      if (s.ex !== undefined && !check(s.ex, s, defs)) return s.ex;
      if (s.e && s.e.length > 0) return s.e[0];
      return Math.max(s.lo ?? 1, Math.min(1, s.hi ?? 1));
    case 'b':
      // `true`: most booleans of results say a call did what it was asked (`{ result: true }`);
      // paging flags (`hasMore`) come from the state, never from a sample.
      return true;
    case 'l': {
      const count = s.lo ?? (depth < 3 ? 1 : 0);
      return Array.from({ length: count }, () => sample(s.i, defs, depth + 1));
    }
    case 'o': {
      const out: Record<string, unknown> = {};
      const required = new Set(s.q ?? []);
      for (const [key, member] of Object.entries(s.p ?? {})) {
        if (depth > 3 && !required.has(key)) continue;
        Object.defineProperty(out, key, { value: sample(member, defs, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'u':
      return s.v.length > 0 ? sample(s.v[0]!, defs, depth) : null;
    case 'r':
      return null;
  }
}

function sampleString(s: Extract<Schema, { t: 's' }>): string {
  if (s.fmt === 'date-time') return '2026-01-01T00:00:00+00:00';
  if (s.fmt === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (s.fmt === 'uri') return 'https://example.com/';
  if (s.fmt === 'byte') return 'AA==';
  const candidates = ['text', 'chat1', '1', 'Y', '#000000', ''];
  const fits = (v: string): boolean => {
    const length = [...v].length;
    return (s.lo === undefined || length >= s.lo) && (s.hi === undefined || length <= s.hi) && (s.pat === undefined || new RegExp(s.pat, 'u').test(v));
  };
  return candidates.find(fits) ?? 'x'.repeat(s.lo ?? 1);
}
