import type { SourceLocation } from './ir.js';

/**
 * The JSON text of IR nodes, as the plan memo (emit/plan-memo.ts) keys a method's file: places
 * included, so a file whose places moved is planned again. Remembered per node: a method's key
 * is written for its own file and its facade module's.
 */
const texts = new WeakMap<object, string>();

export function irJson(node: object): string {
  let text = texts.get(node);
  if (text === undefined) texts.set(node, (text = JSON.stringify(node)));
  return text;
}

/** IR JSON of any value holding IR nodes (a cache entry, a cache's salt), not remembered. */
export function irJsonOf(value: unknown): string {
  return JSON.stringify(value);
}

/** A place read back from IR JSON, when it is one in the file of `anchor` (a place the IR holds now). */
export function placeFromIrJson(anchor: SourceLocation | undefined, ref: unknown): SourceLocation | undefined {
  const r = ref as Partial<SourceLocation> | null;
  if (anchor === undefined || typeof r !== 'object' || r === null || r.file !== anchor.file) return undefined;
  return Number.isInteger(r.line) && Number.isInteger(r.col) ? { file: r.file, line: r.line!, col: r.col! } : undefined;
}
