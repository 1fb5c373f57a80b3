import type { Api, EnumType, SourceLocation, TypeNode, UnionType } from '../model/ir.js';
import type { Owner } from './change.js';

/**
 * Type views for the diff: named types resolved, nullable folded in, and a canonical text of a
 * type's structure (descriptions ignored) so two types are equal exactly when users' code sees
 * the same shape.
 */
export type Resolved = TypeNode | EnumType;

export class TypeSide {
  private readonly named = new Map<string, Resolved>();
  private readonly files = new Map<string, string>();

  constructor(readonly api: Api) {
    for (const t of api.types) {
      this.named.set(t.name, t.type);
      this.files.set(t.name, t.at.file);
    }
  }

  /** A predicate: is the named type declared outside `file` (spec/common, or another method's file)? */
  sharedFrom(file: string): IsShared {
    return (name) => {
      const at = this.files.get(name);
      return at !== undefined && at !== file;
    };
  }

  /**
   * A union's variants keyed so that the same variant on both sides has the same key: a named
   * type by its name, others by kind (`object`, `string`, `array`), numbered when a kind repeats.
   */
  variantKeys(union: UnionType): { key: string; type: Resolved }[] {
    const seen = new Map<string, number>();
    return this.variantsOf(union).map((v) => {
      const base = v.kind === 'ref' ? v.name : v.kind === 'primitive' ? v.name : v.kind;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return { key: n === 1 ? base : `${base}#${n}`, type: v };
    });
  }

  /**
   * A union's variants with nested unions spread in: `oneOf: [Keyboard, KeyboardRemoval]`, where
   * Keyboard is itself a union, accepts exactly Keyboard's variants and KeyboardRemoval, as
   * TypeScript sees it, so wrapping a type in a union with something more changes no path.
   */
  variantsOf(union: UnionType, depth = 0): Resolved[] {
    return union.variants.flatMap((v) => {
      const r = this.resolve(v);
      return r.type.kind === 'union' && !r.nullable && depth < 8 ? this.variantsOf(r.type, depth + 1) : [v];
    });
  }

  /** Follows refs; `nullable` is true when the type or any ref on the way allows null. */
  resolve(type: Resolved): { type: Resolved; nullable: boolean; name?: string } {
    let cur = type;
    let nullable = Boolean(cur.nullable);
    let name: string | undefined;
    for (let i = 0; cur.kind === 'ref' && i < 32; i++) {
      name = cur.name;
      const next = this.named.get(cur.name);
      if (!next) break;
      cur = next;
      nullable ||= Boolean(cur.nullable);
    }
    return { type: cur, nullable, name };
  }

  /** Canonical structure text: equal for types users cannot tell apart. */
  shape(type: Resolved, depth = 0): string {
    const { type: t, nullable } = this.resolve(type);
    const n = nullable ? '|null' : '';
    if (depth > 6) return `…${n}`;
    switch (t.kind) {
      case 'primitive':
        return t.name + n;
      case 'enum':
        return `enum(${[...t.values.map((v) => JSON.stringify(v.value))].sort().join(',')})${n}`;
      case 'array':
        return `${this.shape(t.items, depth + 1)}[]${n}`;
      case 'union':
        return `(${[...new Set(this.variantsOf(t).map((v) => this.shape(v, depth + 1)))].sort().join('|')})${n}`;
      case 'object': {
        const props = t.properties.map((p) => `${p.name}${p.required ? '' : '?'}:${this.shape(p.type, depth + 1)}`).sort();
        const extra = t.additionalProperties === true ? ',*' : t.additionalProperties === false ? '' : `,*:${this.shape(t.additionalProperties, depth + 1)}`;
        return `{${props.join(',')}${extra}}${n}`;
      }
      case 'ref':
        return `ref ${t.name}${n}`;
    }
  }

  /** Short text of a type for messages: `string`, `integer[]`, `Keyboard`, `object`, `boolean | null`. */
  label(type: Resolved): string {
    const { type: t, nullable, name } = this.resolve(type);
    let base: string;
    if (name) base = name;
    else if (t.kind === 'primitive') base = t.name;
    else if (t.kind === 'enum') base = 'enum';
    else if (t.kind === 'array') base = `${this.label(t.items)}[]`;
    else if (t.kind === 'union') base = t.variants.map((v) => this.label(v)).join(' | ');
    else base = 'object';
    return nullable ? `${base} | null` : base;
  }
}

/** One member reachable from a method's params or result, by dotted path (`fields.properties.name`, `events[].type`). */
export interface FlatMember {
  path: string;
  name: string;
  /** The member path of the container (`bots` for `bots[].appId`, `item` for `item(Message).id`); empty at the top. */
  parent: string;
  required: boolean;
  type: Resolved;
  at: SourceLocation;
  /** When the member is declared inside a shared named type: that type and the member's path in it. */
  owner?: Owner;
}

/** Whether a named type is shared (declared outside the subject's own file): its changes are reported under it. */
export type IsShared = (name: string) => boolean;

/**
 * Every member of an object type, recursively through refs, arrays (`[]`), union variants
 * (`(object)`, `(Message)`: see `variantKeys`) and objects, keyed by path. Shared entities can
 * nest; the walk stops a few levels down.
 */
export function flatten(side: TypeSide, type: Resolved, shared: IsShared = () => false, prefix = '', owner?: Owner, depth = 0, out = new Map<string, FlatMember>()): Map<string, FlatMember> {
  if (depth > 8) return out;
  const r = side.resolve(type);
  const t = r.type;
  const own = r.name && shared(r.name) ? { type: r.name, path: '' } : owner;
  const inOwner = (suffix: string): Owner | undefined => own && { type: own.type, path: joinPath(own.path, suffix) };
  if (t.kind === 'array') return flatten(side, t.items, shared, `${prefix}[]`, own && { type: own.type, path: `${own.path}[]` }, depth + 1, out);
  if (t.kind === 'union') {
    for (const v of side.variantKeys(t)) flatten(side, v.type, shared, `${prefix}(${v.key})`, own && { type: own.type, path: `${own.path}(${v.key})` }, depth + 1, out);
    return out;
  }
  if (t.kind !== 'object') return out;
  const parent = prefix.replace(/(\[\]|\([^().]*\))+$/, '');
  for (const p of t.properties) {
    const path = joinPath(prefix, p.name);
    out.set(path, { path, name: p.name, parent, required: p.required, type: p.type, at: p.at, ...(own ? { owner: inOwner(p.name) } : {}) });
    flatten(side, p.type, shared, path, inOwner(p.name), depth + 1, out);
  }
  return out;
}

/** `a.b`, or `b` at the top; `a[].b` after an array. */
export function joinPath(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
