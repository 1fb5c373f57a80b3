import type { JSDocStructure, OptionalKind, JSDocTagStructure } from 'ts-morph';
import type { Api, EnumType, TypeNode } from '../model/ir.js';
import { docText } from './escape.js';

/** A JSDoc block from paragraphs of spec text (escaped here) and tags (texts escaped here too). */
export function jsDoc(
  paragraphs: (string | undefined | false)[],
  tags: { tagName: string; text?: string }[] = [],
): OptionalKind<JSDocStructure>[] {
  const description = paragraphs
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map(docText)
    .join('\n\n');
  const tagStructures: OptionalKind<JSDocTagStructure>[] = tags.map((t) => ({
    tagName: t.tagName,
    ...(t.text !== undefined && { text: docText(t.text) }),
  }));
  if (description === '' && tagStructures.length === 0) return [];
  return [{ description: description === '' ? undefined : description, tags: tagStructures }];
}

/**
 * The facts about a value a caller needs at the call site: range, length, pattern, default.
 * For a `$ref` to a named primitive, the named type's constraints and description are used, so
 * hovering `botId` still says what a bot id is.
 */
export function typeFacts(node: TypeNode | EnumType, api: Api): { description?: string; facts: string[] } {
  const target = node.kind === 'ref' ? api.types.find((t) => t.name === node.name)?.type : undefined;
  const description = node.description ?? (target ? target.description : undefined);
  const facts: string[] = [];
  const constrained = node.kind === 'ref' ? target : node;
  if (constrained?.kind === 'primitive') {
    const { minimum: lo, maximum: hi, minLength, maxLength, pattern } = constrained;
    if (lo !== undefined && hi !== undefined) facts.push(`Between ${lo} and ${hi}.`);
    else if (lo !== undefined) facts.push(`At least ${lo}.`);
    else if (hi !== undefined) facts.push(`At most ${hi}.`);
    if (minLength !== undefined && maxLength !== undefined) facts.push(`${minLength} to ${maxLength} characters.`);
    else if (maxLength !== undefined) facts.push(`At most ${maxLength} characters.`);
    else if (minLength !== undefined) facts.push(`At least ${minLength} characters.`);
    if (pattern !== undefined) facts.push(`Matches \`${pattern}\`.`);
  }
  if (constrained?.kind === 'array') {
    if (constrained.maxItems !== undefined) facts.push(`At most ${constrained.maxItems} items.`);
    if (constrained.minItems !== undefined) facts.push(`At least ${constrained.minItems} items.`);
  }
  if (node.default !== undefined) facts.push(`Default: \`${JSON.stringify(node.default)}\`.`);
  return { description, facts };
}

/**
 * A `/** ... *\/` block as text, for places where code is written as text (object literal
 * members, nested type members) rather than through a ts-morph structure.
 */
export function commentBlock(paragraphs: (string | undefined | false)[]): string {
  const text = paragraphs
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map(docText)
    .join('\n\n');
  if (text === '') return '';
  return `/**\n${text.split('\n').map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}
