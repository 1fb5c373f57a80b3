import { eventsOf, type Api, type EnumType, type EnumValue, type NamedType, type ObjectType, type TypeNode } from '../model/ir.js';
import type { Position } from '../model/positions.js';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it), built as plain data. */
export type JsonSchema = Record<string, unknown>;

export const SCHEMA_REF = '#/components/schemas/';

/** What a schema depends on besides its node: the API (named enums) and the side it is read on. */
export interface SchemaContext {
  api: Api;
  /** `output` (results, event data): a ref to an open enum also accepts any value of its base type. */
  position: Position;
}

/**
 * IR type -> JSON Schema. Named types become `$ref`s to components/schemas; `nullable` becomes a
 * type array (`["string", "null"]`) or, for refs and unions, an `anyOf` with `{type: "null"}`
 * (`anyOf`, not `oneOf`: the target may itself accept null); `any` is the empty schema, which
 * already accepts null. Spec text only ever lands in string values of this data; the
 * document is serialised by JSON.stringify or the yaml package, never assembled as text.
 */
export function typeSchema(type: TypeNode, ctx: SchemaContext): JsonSchema {
  const s = baseSchema(type, ctx);
  if (type.description !== undefined) s.description = type.description;
  if (type.deprecated) s.deprecated = true;
  if (type.default !== undefined) s.default = type.default;
  if (type.example !== undefined) s.examples = [type.example];
  return type.nullable ? nullable(s) : s;
}

function baseSchema(type: TypeNode, ctx: SchemaContext): JsonSchema {
  switch (type.kind) {
    case 'ref': {
      const ref = { $ref: SCHEMA_REF + type.name };
      const target = ctx.api.types.find((t) => t.name === type.name)?.type;
      // An open enum where users read it: the documented values, or any other of its base type.
      if (ctx.position === 'output' && target?.kind === 'enum' && target.open) return { anyOf: [ref, { type: target.base }] };
      return ref;
    }
    case 'primitive': {
      if (type.name === 'any') return {};
      const s: JsonSchema = { type: type.name };
      for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format'] as const) {
        if (type[key] !== undefined) s[key] = type[key];
      }
      return s;
    }
    case 'array': {
      const s: JsonSchema = { type: 'array', items: typeSchema(type.items, ctx) };
      if (type.minItems !== undefined) s.minItems = type.minItems;
      if (type.maxItems !== undefined) s.maxItems = type.maxItems;
      return s;
    }
    case 'union':
      return { oneOf: type.variants.map((v) => typeSchema(v, ctx)) };
    case 'object': {
      if (type.eventOf) return eventUnionSchema(type, ctx);
      const s: JsonSchema = { type: 'object' };
      if (type.properties.length > 0) {
        // Built with defineProperty semantics (Object.fromEntries), so a property named
        // `__proto__` is an own key of the schema, never its prototype.
        s.properties = Object.fromEntries(type.properties.map((p) => [p.name, typeSchema(p.type, ctx)]));
        const required = type.properties.filter((p) => p.required).map((p) => p.name);
        if (required.length > 0) s.required = required;
      }
      s.additionalProperties = typeof type.additionalProperties === 'boolean' ? type.additionalProperties : typeSchema(type.additionalProperties, ctx);
      return s;
    }
  }
}

/**
 * An `eventOf` object: `anyOf` one variant per event of its namespaces (the name property a
 * `const`, the data property that event's data schema) and one for events the spec does not
 * describe (the name any string but the known ones, the data any object), so exactly one variant
 * matches any item. No `discriminator`: OpenAPI's needs a named schema per variant and cannot
 * express the fallback; `x-event-of` carries the same facts for tools that want them.
 */
function eventUnionSchema(type: ObjectType, ctx: SchemaContext): JsonSchema {
  const union = type.eventOf!;
  const events = eventsOf(union, ctx.api);
  const variant = (name: JsonSchema, data: JsonSchema): JsonSchema => {
    const s: JsonSchema = {
      type: 'object',
      properties: Object.fromEntries(
        type.properties.map((p) => {
          const base = typeSchema(p.type, ctx);
          if (p.name === union.nameProperty) return [p.name, { ...name, ...(base.description !== undefined ? { description: base.description } : {}) }];
          if (p.name === union.dataProperty) return [p.name, { ...data, ...(base.description !== undefined ? { description: base.description } : {}) }];
          return [p.name, base];
        }),
      ),
    };
    const required = type.properties.filter((p) => p.required).map((p) => p.name);
    if (required.length > 0) s.required = required;
    s.additionalProperties = typeof type.additionalProperties === 'boolean' ? type.additionalProperties : typeSchema(type.additionalProperties, ctx);
    return s;
  };
  // anyOf, not oneOf: the variants already exclude each other by their `type` (each a const, the
  // fallback none of them), so "exactly one" adds nothing for a validator, while linters
  // (redocly's no-illogical-composition-keywords) cannot see that a `not: {enum}` excludes the
  // consts and warn that the oneOf members overlap.
  return {
    anyOf: [
      ...events.map((e) => variant({ type: 'string', const: e.name }, typeSchema(e.data, { api: ctx.api, position: 'output' }))),
      variant({ type: 'string', not: { enum: events.map((e) => e.name) } }, { type: 'object' }),
    ],
    'x-event-of': { namespaces: union.namespaces, nameProperty: union.nameProperty, dataProperty: union.dataProperty },
  };
}

function nullable(s: JsonSchema): JsonSchema {
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'] };
  const { description, deprecated, default: def, examples, ...rest } = s;
  if (Object.keys(rest).length === 0) return s; // `any`: already accepts null
  return dropUndefined({ description, deprecated, default: def, examples, anyOf: [rest, { type: 'null' }] });
}

function dropUndefined(s: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
}

/** A named type as a component schema; enums keep each value's displayed text and description. */
export function namedSchema(named: NamedType, ctx: SchemaContext): JsonSchema {
  if (named.type.kind !== 'enum') {
    const s = typeSchema(named.type, ctx);
    if (named.description !== undefined && s.description === undefined) s.description = named.description;
    return s;
  }
  return enumSchema(named.type, named.description);
}

function enumSchema(type: EnumType, description?: string): JsonSchema {
  // A nullable enum lists null among its values (`enum` is checked on its own), and the
  // per-value extensions stay aligned with `enum` index by index.
  const values: (EnumValue | null)[] = type.nullable ? [...type.values, null] : type.values;
  const s: JsonSchema = { type: type.nullable ? [type.base, 'null'] : type.base, enum: values.map((v) => (v === null ? null : v.value)) };
  const text = type.description ?? description;
  if (text !== undefined) s.description = text;
  // Widely read extensions (openapi-generator, Redoc, hey-api): per-value names and descriptions.
  if (type.values.some((v) => v.text !== undefined)) s['x-enum-texts'] = values.map((v) => v?.text ?? null);
  if (type.values.some((v) => v.description !== undefined)) s['x-enum-descriptions'] = values.map((v) => v?.description ?? v?.text ?? '');
  const deprecated = type.values.filter((v) => v.deprecated).map((v) => v.value);
  if (deprecated.length > 0) s['x-enum-deprecated'] = deprecated;
  // The documented values; results and events refer to it as `anyOf: [this, {type: <base>}]`.
  if (type.open) s['x-open-enum'] = true;
  if (type.deprecated) s.deprecated = true;
  if (type.default !== undefined) s.default = type.default;
  if (type.example !== undefined) s.examples = [type.example];
  return s;
}
