import type { SourceLocation } from './ir.js';

/**
 * The JSON text of IR nodes, as the IR cache keeps a method and the plan memo keys its file.
 * While it is written, `writingIrJson()` is true: a place then writes the data path it stands
 * for, not its line and column (load/places.ts), so keeping an IR never needs positions.
 *
 * The text is remembered per node: the IR cache has it already when it hands out a stored
 * method, so 2,000 methods are not serialised again for the plan memo. Text is only ever
 * remembered for the node parsed from it, so `irJson(node)` is always the node's IR JSON.
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

/** `node` parsed from `text`, remembered with it. */
export function parseIrJson<T extends object>(text: string): T {
  const node = JSON.parse(text) as T;
  texts.set(node, text);
  return node;
}
