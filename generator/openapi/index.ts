import type { Api } from '../model/ir.js';
import { buildDocument } from './document.js';
import { toYaml } from './yaml.js';

export { buildDocument } from './document.js';
export { toYaml } from './yaml.js';

/** The document as text: pretty JSON, or YAML when `format` is `yaml`. Always ends with `\n`. */
export function renderDocument(api: Api, format: 'json' | 'yaml', version: string): string {
  const doc = buildDocument(api, { version });
  if (format === 'yaml') return toYaml(doc);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
