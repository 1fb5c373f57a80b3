/**
 * Turning a webhook's strings back into the types fetch mode gives. The generator writes a
 * compact description of every event's `data` (a `TypeDesc`, from the spec's types); this walks
 * it: `"789"` -> 789, `"1"`/`"0"` -> true/false, `"0"` -> false where a field is `string|false`,
 * `""` -> null where a field may be null, `[0]`-keyed objects -> arrays. Fields the spec does
 * not know are kept as they came. Required fields that `http_build_query` drops (empty arrays and
 * objects, nulls) are put back as `[]`, `{}` or `null`.
 */
export type TypeDesc =
  | { t: 's' | 'i' | 'n' | 'b' | 'a'; n?: 1 }
  | { t: 'o'; p?: Record<string, TypeDesc>; q?: string[]; x?: TypeDesc; n?: 1 }
  | { t: 'l'; i: TypeDesc; n?: 1 }
  | { t: 'u'; v: TypeDesc[]; n?: 1 }
  | { t: 'r'; r: string; n?: 1 };

export type TypeDefs = Readonly<Record<string, TypeDesc>>;

function resolve(desc: TypeDesc, defs: TypeDefs): TypeDesc {
  let d = desc;
  let nullable = Boolean(d.n);
  for (let i = 0; d.t === 'r' && i < 32; i++) {
    const next: TypeDesc | undefined = Object.hasOwn(defs, d.r) ? defs[d.r] : undefined;
    if (!next) return { t: 'a' };
    d = next;
    nullable ||= Boolean(d.n);
  }
  return nullable && !d.n ? ({ ...d, n: 1 } as TypeDesc) : d;
}

export function coerce(value: unknown, desc: TypeDesc, defs: TypeDefs, depth = 0): unknown {
  const d = resolve(desc, defs);
  if (depth > 64) return value;
  if (d.n && (value === '' || value === null)) return null;
  switch (d.t) {
    case 'a':
    case 's':
      return value;
    case 'i':
      return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    case 'n':
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    case 'b':
      return typeof value === 'string' ? toBoolean(value) ?? value : value;
    case 'l': {
      const list = asList(value);
      return list ? list.map((v) => coerce(v, d.i, defs, depth + 1)) : value;
    }
    case 'o':
      return coerceObject(value, d, defs, depth);
    case 'u':
      return coerceUnion(value, d.v.map((v) => resolve(v, defs)), defs, depth);
    case 'r':
      return value;
  }
}

function coerceObject(value: unknown, d: Extract<TypeDesc, { t: 'o' }>, defs: TypeDefs, depth: number): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    // An empty object arrives as nothing, or as an empty string.
    return value === '' ? {} : value;
  }
  const out: Record<string, unknown> = {};
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    const known = d.p && Object.hasOwn(d.p, key) ? d.p[key] : d.x;
    define(out, key, known ? coerce(input[key], known, defs, depth + 1) : input[key]);
  }
  for (const key of d.q ?? []) {
    if (Object.hasOwn(out, key) || !d.p || !Object.hasOwn(d.p, key)) continue;
    const missing = filler(resolve(d.p[key], defs));
    if (missing !== undefined) define(out, key, missing);
  }
  return out;
}

/** What a required field `http_build_query` dropped stood for. */
function filler(d: TypeDesc): unknown {
  if (d.t === 'l') return [];
  if (d.n) return null;
  if (d.t === 'o' && (d.q ?? []).length === 0) return {};
  return undefined;
}

function coerceUnion(value: unknown, variants: TypeDesc[], defs: TypeDefs, depth: number): unknown {
  const has = (t: TypeDesc['t']) => variants.find((v) => v.t === t);
  if (typeof value === 'string') {
    // `string|false` and `object|false` arrive as "0" for false (and "" for an empty value).
    const bool = has('b');
    if (bool && (value === '0' || (value === '' && !has('s')))) return false;
    if (bool && value === '1' && !has('s')) return true;
    if (has('s')) return value;
    const int = has('i') ?? has('n');
    if (int) return coerce(value, int, defs, depth + 1);
    const obj = has('o');
    if (obj && value === '') return {};
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const list = has('l');
    if (list && asList(value)) return coerce(value, list, defs, depth + 1);
    const obj = has('o');
    if (obj) return coerce(value, obj, defs, depth + 1);
  }
  return value;
}

function toBoolean(value: string): boolean | undefined {
  if (value === '1' || value === 'true' || value === 'Y') return true;
  if (value === '0' || value === 'false' || value === 'N' || value === '') return false;
  return undefined;
}

/** An array, or an object keyed 0..n-1 (PHP's list form); undefined otherwise. */
function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === '') return [];
  if (value === null || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  if (!keys.every((k) => /^\d+$/.test(k))) return undefined;
  return keys
    .map(Number)
    .sort((a, b) => a - b)
    .map((k) => (value as Record<string, unknown>)[String(k)]);
}

function define(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}
