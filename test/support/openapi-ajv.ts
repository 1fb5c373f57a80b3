import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Schema = Record<string, any>;

const BASE = 'urn:b24gen:openapi';
const REF = '#/components/schemas/';

/**
 * A strict Ajv (JSON Schema 2020-12) holding an OpenAPI document's components/schemas; `compile`
 * takes any schema of the document (its `$ref`s point into components), `named` a component.
 * Used by the OpenAPI export's tests and by the testing kit's (answers checked against the spec).
 */
export function schemaChecker(doc: { components: { schemas: Record<string, Schema> } }) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  ajv.addVocabulary(['x-enum-texts', 'x-enum-descriptions', 'x-enum-deprecated', 'x-open-enum', 'x-event-of']);
  // Named formats (OpenAPI's `byte`, ...) are annotations here; strict mode wants them declared.
  const formats = new Set<string>();
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'format' && typeof x === 'string' ? formats.add(x) : collect(x);
  };
  collect(doc);
  for (const f of formats) ajv.addFormat(f, true);
  // Refs point into the document; Ajv gets them as absolute refs into one schema resource.
  const absolute = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(absolute);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? `${BASE}#/$defs/${x.slice(REF.length)}` : absolute(x)]));
  };
  ajv.addSchema({ $id: BASE, $defs: absolute(doc.components.schemas) });
  return {
    compile: (s: Schema): ValidateFunction => ajv.compile(absolute(s) as Schema),
    named: (name: string): ValidateFunction => ajv.getSchema(`${BASE}#/$defs/${name}`)!,
  };
}
