import { compareStrings, type Api, type ErrorSpec, type NamedType, type TypeNode } from '../model/ir.js';
import { sample, type Schema } from '../testing/schema.js';
import { objectKey, stringLiteral } from './escape.js';
import type { PlannedFile } from './source-file.js';

/**
 * `testing/spec.ts`: what the test portal (generator/testing/, copied into testing/) knows of the
 * API, from the IR: per method its params and result as a `Schema` (the runtime's TypeDesc plus
 * enum values, ranges, lengths, patterns), an example result built from the result's schema
 * (testing/schema.ts `sample`, run here so the generated file shows what the portal answers),
 * its documented errors with status and server message; the system errors; and the named types
 * both reach. The testing kit reads only this file for API facts, never the spec.
 */
export function planTestingSpecFile(api: Api): PlannedFile {
  const named = new Map<string, NamedType>(api.types.map((t) => [t.name, t]));
  const defs = new Map<string, Schema>();
  const pending: string[] = [];
  const schemaOf = (t: TypeNode): Schema => {
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
        if (!defs.has(t.name) && !pending.includes(t.name)) pending.push(t.name);
        return { t: 'r', r: t.name, ...n };
      case 'array':
        return { t: 'l', i: schemaOf(t.items), ...n, ...(t.minItems !== undefined && { lo: t.minItems }), ...(t.maxItems !== undefined && { hi: t.maxItems }) };
      case 'union':
        return { t: 'u', v: t.variants.map(schemaOf), ...n };
      case 'object': {
        const required = t.properties.filter((p) => p.required).map((p) => p.name);
        return {
          t: 'o',
          ...n,
          ...(t.properties.length > 0 && { p: Object.fromEntries(t.properties.map((p) => [p.name, schemaOf(p.type)])) }),
          ...(required.length > 0 && { q: required }),
          ...(typeof t.additionalProperties === 'object' && { x: schemaOf(t.additionalProperties) }),
          ...(t.additionalProperties === true && { open: 1 as const }),
        };
      }
    }
  };
  const errors = (list: readonly ErrorSpec[]) =>
    Object.fromEntries(list.map((e) => [e.code, { status: e.status, ...(e.message !== undefined && { message: e.message }) }]));
  const methods = api.methods.map((m) => ({ name: m.name, params: schemaOf(m.params), result: schemaOf(m.result), errors: errors(m.errors), idempotent: m.idempotent }));
  while (pending.length > 0) {
    const name = pending.shift()!;
    const t = named.get(name);
    if (!t) continue;
    if (t.type.kind === 'enum') {
      const values = t.type.values.map((v) => v.value);
      defs.set(name, t.type.base === 'integer' ? { t: 'i', e: values as number[], ...(t.type.nullable && { n: 1 }) } : { t: 's', e: values.map(String), ...(t.type.nullable && { n: 1 }) });
    } else {
      defs.set(name, schemaOf(t.type));
    }
  }
  const sortedDefs = Object.fromEntries([...defs].sort(([a], [b]) => compareStrings(a, b)));
  const methodTable = Object.fromEntries(
    [...methods]
      .sort((a, b) => compareStrings(a.name, b.name))
      .map((m) => [m.name, { params: m.params, result: m.result, example: sample(m.result, sortedDefs), errors: m.errors, idempotent: m.idempotent }]),
  );
  return {
    path: 'testing/spec.ts',
    statements: [
      "import type { MethodMap } from '../client.js';",
      "import type { Schema, SchemaDefs } from './schema.js';",
      `/** What the test portal knows of one method, from the spec. */
export interface MethodFacts {
  /** The params as the portal checks them. */
  readonly params: Schema;
  /** The result's type. */
  readonly result: Schema;
  /** A result that conforms to \`result\`: what the portal answers when nothing else decides. */
  readonly example: unknown;
  /** The method's own documented errors: code -> HTTP status and the portal's \`error_description\`. */
  readonly errors: Readonly<Record<string, { readonly status: number; readonly message?: string }>>;
  /** The spec's \`idempotent\`. */
  readonly idempotent: boolean;
}`,
      `/** Errors any method may answer (spec/common/errors.yaml). */
export const systemErrors: Readonly<Record<string, { readonly status: number; readonly message?: string }>> = ${literal(errors(api.systemErrors))} as const;`,
      `/** The named types the methods' params and results reach. */
export const schemaDefs: SchemaDefs = ${literal(sortedDefs)} as const;`,
      `/** Every method of the spec, by REST name. */
export const methodFacts: Readonly<Record<keyof MethodMap, MethodFacts>> = ${literal(methodTable)} as const;`,
    ],
  };
}

/**
 * A JSON-like value as TypeScript literal text; every string and key through escape.ts. The
 * tables are written `as const`: a member named `constructor` gets no contextual type from an
 * index signature (TypeScript), so without it `t: 's'` would widen to string there.
 */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{ ${entries.map(([k, v]) => `${objectKey(k)}: ${literal(v)}`).join(', ')} }`;
}
