import type { Schema, SchemaDefs } from '../testing/schema.js';
import { compareStrings, type Api, type NamedType, type TypeNode } from './ir.js';

/**
 * IR types as the testing kit's `Schema` (testing/schema.ts): what testing/spec.ts is written
 * from (emit/testing-file.ts), and what the loader checks a result's `example` with
 * (load/result-example.ts), so an example that loads is one the kit's own check accepts.
 */
export class KitSchemas {
  private readonly named: Map<string, NamedType>;
  private readonly defs = new Map<string, Schema>();
  private readonly pending: string[] = [];

  constructor(api: Pick<Api, 'types'>) {
    this.named = new Map(api.types.map((t) => [t.name, t]));
  }

  /** `t` as a Schema; the named types it reaches are queued for `definitions()`. */
  of(t: TypeNode): Schema {
    const n = t.nullable ? ({ n: 1 } as const) : {};
    switch (t.kind) {
      case 'primitive': {
        if (t.name === 'string') {
          return {
            t: 's',
            ...n,
            ...(t.minLength !== undefined && { lo: t.minLength }),
            ...(t.maxLength !== undefined && { hi: t.maxLength }),
            ...(t.pattern !== undefined && { pat: t.pattern }),
            ...(t.format !== undefined && { fmt: t.format }),
            ...(typeof t.example === 'string' && { ex: t.example }),
          };
        }
        if (t.name === 'integer' || t.name === 'number') {
          return {
            t: t.name === 'integer' ? 'i' : 'n',
            ...n,
            ...(t.minimum !== undefined && { lo: t.minimum }),
            ...(t.maximum !== undefined && { hi: t.maximum }),
            ...(typeof t.example === 'number' && { ex: t.example }),
          };
        }
        return { t: t.name === 'boolean' ? 'b' : 'a', ...n };
      }
      case 'ref':
        if (!this.defs.has(t.name) && !this.pending.includes(t.name)) this.pending.push(t.name);
        return { t: 'r', r: t.name, ...n };
      case 'array':
        return { t: 'l', i: this.of(t.items), ...n, ...(t.minItems !== undefined && { lo: t.minItems }), ...(t.maxItems !== undefined && { hi: t.maxItems }) };
      case 'union':
        return { t: 'u', v: t.variants.map((v) => this.of(v)), ...n };
      case 'object': {
        const required = t.properties.filter((p) => p.required).map((p) => p.name);
        return {
          t: 'o',
          ...n,
          ...(t.properties.length > 0 && { p: Object.fromEntries(t.properties.map((p) => [p.name, this.of(p.type)])) }),
          ...(required.length > 0 && { q: required }),
          ...(typeof t.additionalProperties === 'object' && { x: this.of(t.additionalProperties) }),
          ...(t.additionalProperties === true && { open: 1 as const }),
        };
      }
    }
  }

  /** Every named type reached so far (and those they reach), sorted by name. */
  definitions(): SchemaDefs {
    while (this.pending.length > 0) {
      const name = this.pending.shift()!;
      const t = this.named.get(name);
      if (!t) continue;
      if (t.type.kind === 'enum') {
        const values = t.type.values.map((v) => v.value);
        this.defs.set(name, t.type.base === 'integer' ? { t: 'i', e: values as number[], ...(t.type.nullable && { n: 1 }) } : { t: 's', e: values.map(String), ...(t.type.nullable && { n: 1 }) });
      } else {
        this.defs.set(name, this.of(t.type));
      }
    }
    return Object.fromEntries([...this.defs].sort(([a], [b]) => compareStrings(a, b)));
  }
}
