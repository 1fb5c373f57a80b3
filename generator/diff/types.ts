import type { Api, EnumType, SourceLocation, TypeNode } from '../model/ir.js';

/**
 * Type views for the diff: named types resolved, nullable folded in, and a canonical text of a
 * type's structure (descriptions ignored) so two types are equal exactly when users' code sees
 * the same shape.
 */
export type Resolved = TypeNode | EnumType;

export class TypeSide {
  private readonly named = new Map<string, Resolved>();

  constructor(readonly api: Api) {
    for (const t of api.types) this.named.set(t.name, t.type);
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
        return `(${[...new Set(t.variants.map((v) => this.shape(v, depth + 1)))].sort().join('|')})${n}`;
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
  parent: string;
  required: boolean;
  type: Resolved;
  at: SourceLocation;
}

/**
 * Every member of an object type, recursively through refs, arrays (`[]`) and objects, keyed by
 * path. Unions are not entered (their variants are compared as a whole), nor are types deeper
 * than a few levels (shared entities can nest).
 */
export function flatten(side: TypeSide, type: Resolved, prefix = '', depth = 0, out = new Map<string, FlatMember>()): Map<string, FlatMember> {
  if (depth > 6) return out;
  const { type: t } = side.resolve(type);
  if (t.kind === 'array') return flatten(side, t.items, prefix === '' ? '[]' : `${prefix}[]`, depth + 1, out);
  if (t.kind !== 'object') return out;
  for (const p of t.properties) {
    const path = prefix === '' ? p.name : `${prefix}.${p.name}`;
    out.set(path, { path, name: p.name, parent: prefix, required: p.required, type: p.type, at: p.at });
    flatten(side, p.type, path, depth + 1, out);
  }
  return out;
}
