import type { SourceLocation } from './ir.js';

/**
 * The JSON text of IR nodes, as the plan memo (emit/plan-memo.ts) keys a method's file.
 * While it is written, `writingIrJson()` is true: a place then writes the data path it stands
 * for, not its line and column (load/places.ts), so keying a file never needs positions.
 * The text is remembered per node: a method's key is written for its own file and its facade module's.
 */
const texts = new WeakMap<object, string>();
let writing = false;

export function irJson(node: object): string {
  let text = texts.get(node);
  if (text === undefined) texts.set(node, (text = irJsonOf(node)));
  return text;
}

/** IR JSON of any value holding IR nodes (a cache entry, a cache's salt), not remembered. */
export function irJsonOf(value: unknown): string {
  writing = true;
  try {
    return JSON.stringify(value);
  } finally {
    writing = false;
  }
}

/** Whether IR JSON is being written (see above). */
export function writingIrJson(): boolean {
  return writing;
}

/**
 * A place read back from IR JSON (where it is written as a data path), in the file of `anchor`,
 * a place the IR holds now; undefined when `ref` is not a place of that file.
 */
export function placeFromIrJson(anchor: SourceLocation | undefined, ref: unknown): SourceLocation | undefined {
  const inFile = anchor as { sameFile?: (ref: unknown) => SourceLocation | undefined } | undefined;
  return typeof inFile?.sameFile === 'function' ? inFile.sameFile(ref) : undefined;
}
