import type { Api } from '../model/ir.js';
import { buildDocument } from './document.js';
import { toYaml } from './yaml.js';

export { buildDocument } from './document.js';
export { toYaml } from './yaml.js';

/**
 * The document as text (pretty JSON, or YAML when `format` is `yaml`; always ends with `\n`) and
 * how many component schemas it holds (the named types the wire uses).
 */
export function renderDocument(api: Api, format: 'json' | 'yaml', version: string): { text: string; schemas: number } {
  const doc = buildDocument(api, { version });
  const schemas = Object.keys((doc.components as { schemas: object }).schemas).length;
  return { text: format === 'yaml' ? toYaml(doc) : `${JSON.stringify(doc, null, 2)}\n`, schemas };
}
