import type { DocsField } from '../page.js';
import { docsShape, type Shape } from '../shape.js';
import { DESCRIPTION_MARKER } from '../../load/pending.js';
import type { SpecFiles } from './spec-files.js';


/** The marker with the page and line a person should read to write the description. */
export function pendingDescription(at: { file: string; line: number } | undefined): string {
  return at ? `${DESCRIPTION_MARKER}: describe from ${at.file.replace(/^api-reference\/chat-bots\/chat-bots-v2\//, '')}:${at.line}` : DESCRIPTION_MARKER;
}

/**
 * A docs type (`string`, `integer[]`, `Bot`, `string | null`) -> a spec type node. The shared
 * objects of entities.md become a `$ref` when the spec has a named type of that name; anything
 * else the page only calls `object` or `array` stays as open as the page says.
 */
export function specTypeOf(typeText: string | undefined, files: SpecFiles): Record<string, unknown> | undefined {
  if (typeText === undefined) return undefined;
  const alternatives = typeText.split('|').map((t) => t.trim().replace(/^\((.*)\)$/, '$1')).filter((t) => t !== '');
  const nullable = alternatives.some((a) => a.toLowerCase() === 'null');
  const kinds = alternatives.filter((a) => a.toLowerCase() !== 'null').map((a) => one(a, files));
  if (kinds.some((k) => k === undefined) || kinds.length === 0) return undefined;
  const node: Record<string, unknown> = kinds.length === 1 ? { ...kinds[0]! } : { oneOf: kinds };
  if (nullable) node.nullable = true;
  return node;
}

function one(text: string, files: SpecFiles): Record<string, unknown> | undefined {
  if (text.endsWith('[]')) {
    const items = one(text.slice(0, -2), files);
    return items ? { type: 'array', items } : undefined;
  }
  if (/^[A-Z][A-Za-z0-9]*$/.test(text) && files.typePlace(text)) return { $ref: text };
  const shape = docsShape(text);
  if (!shape || shape.length !== 1) return undefined;
  return fromShape(shape[0]!);
}

function fromShape(s: Shape): Record<string, unknown> {
  if (s.kind === 'array') return { type: 'array', items: s.items && s.items.length === 1 ? fromShape(s.items[0]!) : { type: 'any' } };
  if (s.kind === 'object') return { type: 'object' };
  return { type: s.kind };
}

/** A new property from the docs' row: its type, `required` (params only), the description marker. */
export function newProperty(side: 'param' | 'result' | 'event', field: { typeText?: string | undefined; required: boolean; at?: DocsField['at'] | undefined }, files: SpecFiles, resultRequired: boolean): Record<string, unknown> | undefined {
  const type = specTypeOf(field.typeText, files);
  if (!type) return undefined;
  const node: Record<string, unknown> = { ...type };
  // Returned tables mark nothing required; the spec's results and event data mark every field
  // the docs list as present, as its siblings do.
  if (side === 'param' ? field.required : resultRequired) node.required = true;
  node.description = pendingDescription(field.at);
  return node;
}
