import { compareStrings, type Api, type ErrorSpec } from '../model/ir.js';
import { KitSchemas } from '../model/kit-schema.js';
import { check, sample, type Schema, type SchemaDefs } from '../testing/schema.js';
import { objectKey, stringLiteral } from './escape.js';
import type { PlannedFile } from './source-file.js';

/**
 * `testing/spec.ts`: what the test portal (generator/testing/, copied into testing/) knows of the
 * API, from the IR: per method its params and result as a `Schema` (the runtime's TypeDesc plus
 * enum values, ranges, lengths, patterns), an example result: the spec's `result.example` (the
 * docs' example) where there is one, else built from the result's schema (testing/schema.ts
 * `sample`, run here so the generated file shows what the portal answers), the named types'
 * objects found in those examples (`typeExamples`, what the state lays its own fields over),
 * its documented errors with status and server message; the system errors; and the named types
 * both reach. The testing kit reads only this file for API facts, never the spec.
 */
export function planTestingSpecFile(api: Api): PlannedFile {
  const schemas = new KitSchemas(api);
  const errors = (list: readonly ErrorSpec[]) =>
    Object.fromEntries(list.map((e) => [e.code, { status: e.status, ...(e.message !== undefined && { message: e.message }) }]));
  const methods = api.methods.map((m) => ({ name: m.name, params: schemas.of(m.params), result: schemas.of(m.result), docsExample: m.result.example, errors: errors(m.errors), idempotent: m.idempotent }));
  const sortedDefs = schemas.definitions();
  const methodTable = Object.fromEntries(
    [...methods]
      .sort((a, b) => compareStrings(a.name, b.name))
      .map((m) => [
        m.name,
        { params: m.params, result: m.result, example: m.docsExample ?? sample(m.result, sortedDefs), fromDocs: m.docsExample !== undefined, errors: m.errors, idempotent: m.idempotent },
      ]),
  );
  const typeExamples = namedTypeExamples(methods, sortedDefs);
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
  /**
   * A result that conforms to \`result\`: what the portal answers when nothing else decides. The
   * spec's \`result.example\` (the docs' example) where it has one, else a sample of the type.
   */
  readonly example: unknown;
  /** \`example\` is the docs' example (the spec's \`result.example\`), not a sample. */
  readonly fromDocs: boolean;
  /** The method's own documented errors: code -> HTTP status and the portal's \`error_description\`. */
  readonly errors: Readonly<Record<string, { readonly status: number; readonly message?: string }>>;
  /** The spec's \`idempotent\`. */
  readonly idempotent: boolean;
}`,
      `/** Errors any method may answer (spec/common/errors.yaml). */
export const systemErrors: Readonly<Record<string, { readonly status: number; readonly message?: string }>> = ${literal(errors(api.systemErrors))} as const;`,
      `/** The named types the methods' params and results reach. */
export const schemaDefs: SchemaDefs = ${literal(sortedDefs)} as const;`,
      `/**
 * Per named type, the first object of that type in the methods' docs examples (methods by name):
 * what the portal's state lays its remembered fields over, in place of the type's sample.
 */
export const typeExamples: Readonly<Record<string, Readonly<Record<string, unknown>>>> = ${literal(typeExamples)} as const;`,
      `/** Every method of the spec, by REST name. */
export const methodFacts: Readonly<Record<keyof MethodMap, MethodFacts>> = ${literal(methodTable)} as const;`,
    ],
  };
}

/**
 * Walks each docs example beside its schema and keeps, per named type, the first object value of
 * that type (methods in name order, so the choice is stable). A union's value counts for the
 * first variant it conforms to.
 */
function namedTypeExamples(methods: readonly { name: string; result: Schema; docsExample?: unknown }[], defs: SchemaDefs): Record<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const walk = (value: unknown, schema: Schema, depth: number): void => {
    if (depth > 32 || value === null || typeof value !== 'object') return;
    if (schema.t === 'r') {
      const def = Object.hasOwn(defs, schema.r) ? defs[schema.r] : undefined;
      if (!def) return;
      if (def.t === 'o' && !Array.isArray(value) && !found.has(schema.r)) found.set(schema.r, value as Record<string, unknown>);
      walk(value, def, depth + 1);
    } else if (schema.t === 'l' && Array.isArray(value)) {
      for (const item of value) walk(item, schema.i, depth + 1);
    } else if (schema.t === 'u') {
      const variant = schema.v.find((v) => !check(value, v, defs));
      if (variant) walk(value, variant, depth + 1);
    } else if (schema.t === 'o' && !Array.isArray(value)) {
      for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
        const known = schema.p && Object.hasOwn(schema.p, key) ? schema.p[key] : schema.x;
        if (known) walk(member, known, depth + 1);
      }
    }
  };
  for (const m of [...methods].sort((a, b) => compareStrings(a.name, b.name))) {
    if (m.docsExample !== undefined) walk(m.docsExample, m.result, 0);
  }
  return Object.fromEntries([...found].sort(([a], [b]) => compareStrings(a, b)));
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
