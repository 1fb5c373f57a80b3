import { SCHEMA_REF } from './schema.js';

/**
 * The names of the component schemas the rest of the document refers to, directly or through
 * other components. A named type nothing on the wire uses (e.g. `ImbotEventType`, a list of event
 * names the TypeScript client offers as constants, while each Event.get item carries its name
 * as a `const`) stays out of `components/schemas`: linters flag unused components, and a reader
 * of the export learns nothing from a schema no operation or webhook can meet.
 */
export function referencedSchemas(roots: unknown, schemas: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const pending: unknown[] = [roots];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF)) {
          const name = value.slice(SCHEMA_REF.length);
          if (!found.has(name) && name in schemas) {
            found.add(name);
            pending.push(schemas[name]);
          }
        } else {
          pending.push(value);
        }
      }
    }
  }
  return found;
}
