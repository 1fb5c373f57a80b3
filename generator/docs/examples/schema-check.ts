import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Api } from '../../model/ir.js';
import { buildDocument } from '../../openapi/index.js';
import { SCHEMA_REF, type JsonSchema } from '../../openapi/schema.js';
import type { Place } from './attribute.js';

/**
 * Check (a): an example against the JSON Schema the OpenAPI export gives for its place, built in
 * memory from the IR (the same `buildDocument` as `b24gen openapi`), validated by Ajv 2020 in
 * strict mode:
 *
 * - params: the operation's request body;
 * - result: its 200 response (`{result, time}`);
 * - error: the error response of the status whose `error` enum holds the code;
 * - an event: the webhook's request body (`{event, data, ts, auth}`), its `data` alone for
 *   the data form, and for the Event.get item form `{type, data}` with that same `data` (the
 *   export has no per-event schema of Event.get's items, so it is derived from the webhook's);
 * - a named type: its components/schemas entry.
 */

const BASE = 'urn:b24gen:docs-examples';

export interface SchemaProblem {
  /** JSON pointer into the example (`/fields/keyboard/0/TEXT`), '' for the whole value. */
  path: string;
  message: string;
}

type Doc = {
  paths: Record<string, { post: { requestBody: Content; responses: Record<string, Content | { $ref: string }> } }>;
  webhooks?: Record<string, { post: { requestBody: Content } }>;
  components: { schemas: Record<string, JsonSchema>; responses?: Record<string, Content> };
};
type Content = { content?: Record<string, { schema: JsonSchema }> };

export class SchemaChecker {
  private readonly doc: Doc;
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(api: Api) {
    this.doc = buildDocument(api, { version: '0.0.0' }) as unknown as Doc;
    this.ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    // Named formats (OpenAPI's `byte`, ...) and the export's `x-` extensions are annotations, as
    // in the export's own tests; strict Ajv wants both declared. Collected from the document, so
    // an extension added to the export later needs no change here.
    const formats = new Set<string>();
    const extensions = new Set<string>();
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k.startsWith('x-')) extensions.add(k);
          if (k === 'format' && typeof x === 'string') formats.add(x);
          else collect(x);
        }
      }
    };
    collect(this.doc.components.schemas);
    collect(this.doc.paths);
    collect(this.doc.webhooks);
    collect(this.doc.components.responses);
    this.ajv.addVocabulary([...extensions].sort());
    for (const f of formats) this.ajv.addFormat(f, true);
    this.ajv.addSchema({ $id: BASE, $defs: absolute(this.doc.components.schemas) });
  }

  /** The problems of `value` at `place`: none when it conforms. */
  check(place: Place, value: unknown): SchemaProblem[] {
    const found = this.schemaOf(place);
    if ('problem' in found) return [{ path: '', message: found.problem }];
    let validate = this.compiled.get(found.key);
    if (!validate) {
      validate = this.ajv.compile(absolute(found.schema) as JsonSchema);
      this.compiled.set(found.key, validate);
    }
    if (validate(value)) return [];
    // The most specific first: inside a `oneOf` the branches' top-level complaints ("must be
    // array" for the other form) say less than the one about a nested value.
    const depth = (p: SchemaProblem): number => (p.path === '' ? 0 : p.path.split('/').length);
    return (validate.errors ?? [])
      .filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf')
      .map(problemOf)
      .sort((a, b) => depth(b) - depth(a));
  }

  private schemaOf(place: Place): { key: string; schema: JsonSchema } | { problem: string } {
    switch (place.kind) {
      case 'params':
      case 'result':
      case 'error': {
        const op = this.doc.paths[`/${place.method}`]?.post;
        if (!op) return { problem: `the export has no operation ${place.method}` };
        if (place.kind === 'params') return { key: `params ${place.method}`, schema: jsonSchema(op.requestBody) ?? {} };
        if (place.kind === 'result') {
          const ok = op.responses['200'];
          const schema = ok && !('$ref' in ok) ? jsonSchema(ok) : undefined;
          return schema ? { key: `result ${place.method}`, schema } : { problem: `the export has no 200 answer for ${place.method}` };
        }
        for (const [status, response] of Object.entries(op.responses)) {
          const resolved = '$ref' in response ? this.doc.components.responses?.[response.$ref.split('/').pop()!] : response;
          const schema = resolved ? jsonSchema(resolved) : undefined;
          const codes = ((schema?.properties as Record<string, { enum?: unknown[] }> | undefined)?.error?.enum ?? []) as unknown[];
          if (schema && codes.includes(place.code)) return { key: `error ${place.method} ${status}`, schema };
        }
        return { problem: `${place.method} has no error ${place.code} in the spec (neither its own nor a system error)` };
      }
      case 'event': {
        const body = this.doc.webhooks?.[place.event] ? jsonSchema(this.doc.webhooks[place.event]!.post.requestBody) : undefined;
        if (!body) return { problem: `the export has no webhook ${place.event}` };
        const data = (body.properties as Record<string, JsonSchema>).data!;
        if (place.form === 'webhook') return { key: `webhook ${place.event}`, schema: body };
        if (place.form === 'data') return { key: `data ${place.event}`, schema: data };
        return { key: `item ${place.event}`, schema: { type: 'object', required: ['type', 'data'], properties: { type: { const: place.event }, data } } };
      }
      case 'type':
        if (!this.doc.components.schemas[place.name]) return { problem: `the export has no schema ${place.name}` };
        return { key: `type ${place.name}`, schema: { $ref: SCHEMA_REF + place.name } };
    }
  }
}

function jsonSchema(c: Content): JsonSchema | undefined {
  return c.content?.['application/json']?.schema;
}

/** Refs into components/schemas become absolute refs into the one schema resource Ajv holds. */
function absolute(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(absolute);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? `${BASE}#/$defs/${x.slice(SCHEMA_REF.length)}` : absolute(x)]));
}

/** An Ajv error as a path and a sentence; the path of an extra property is that property's. */
function problemOf(e: ErrorObject): SchemaProblem {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: `${e.instancePath}/${String(p.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'not in the spec (no such property)' };
    case 'required':
      return { path: e.instancePath, message: `lacks the required property "${String(p.missingProperty)}"` };
    case 'enum': {
      const values = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return { path: e.instancePath, message: `must be one of ${values.length > 12 ? `${values.slice(0, 12).join(', ')}, ... (${values.length})` : values.join(', ')}` };
    }
    case 'const':
      return { path: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)}` };
    default:
      return { path: e.instancePath, message: e.message ?? e.keyword };
  }
}
