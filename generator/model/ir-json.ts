/**
 * The JSON text of IR nodes. The plan memo keys each method file by its method's JSON; the IR
 * cache has that text already when it hands out a stored method, so it is remembered here
 * instead of serialising 2,000 methods again. Text is only ever remembered for the node parsed
 * from it, so `irJson(node)` is always `JSON.stringify(node)`.
 */
const texts = new WeakMap<object, string>();

export function irJson(node: object): string {
  let text = texts.get(node);
  if (text === undefined) texts.set(node, (text = JSON.stringify(node)));
  return text;
}

/** `node` parsed from `text`, remembered with it. */
export function parseIrJson<T extends object>(text: string): T {
  const node = JSON.parse(text) as T;
  texts.set(node, text);
  return node;
}
