/**
 * The shape of a JSON text, measured on its bytes before JSON.parse builds anything (and, for an
 * answer, while it arrives): how many values it holds (its commas outside strings, plus one),
 * how many of them are objects or arrays, and how deep they nest. JSON.parse turns one byte into
 * far more memory when the text is all brackets (`[[[[...`, `[{},{},...`): a webhook body of 1 MB
 * (under maxBodyBytes) held 330,000 values that took the server past 100 MB before the token was
 * looked at, and a portal's answer of 4 MB (under maxResponseBytes) of nested arrays took the
 * client to 350 MB. The webhook server (webhook.ts) and the client (core.ts) refuse such texts
 * by their shape. The structural characters are ASCII, and no byte of a multi-byte UTF-8
 * character is, so counting bytes counts the same as counting characters. No allocation.
 */
export interface JsonShape {
  /** Values so far (commas outside strings, plus one); a real event has a few dozen. */
  params: number;
  /** Deepest nesting of `{` and `[` so far (`{"data":{"a":1}}` has 2, as `data[a]=1` has 2 key levels). */
  depth: number;
  /** Objects and arrays so far (`{` and `[` outside strings). */
  containers: number;
  /** Counts the next bytes of the text (a chunk at a time, in order). */
  add(bytes: Uint8Array): void;
}

export function jsonShape(): JsonShape {
  let level = 0;
  let inString = false;
  let escaped = false;
  const shape: JsonShape = {
    params: 0,
    depth: 0,
    containers: 0,
    add(bytes) {
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i];
        if (shape.params === 0 && c > 0x20) shape.params = 1; // the first value
        if (escaped) escaped = false;
        else if (inString) {
          if (c === 0x5c) escaped = true; // \" does not end the string
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) {
          shape.containers++;
          if (++level > shape.depth) shape.depth = level;
        } else if (c === 0x7d || c === 0x5d) level--;
        else if (c === 0x2c) shape.params++;
      }
    },
  };
  return shape;
}
