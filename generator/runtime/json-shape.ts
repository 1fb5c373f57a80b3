/**
 * The size of a JSON webhook body, measured on its text before JSON.parse builds anything: how
 * many values it holds (its commas outside strings, plus one) and how deep its objects and
 * arrays nest. A form body is counted the same way before it is parsed (form.ts countParams);
 * without this, a JSON body of 1 MB (under maxBodyBytes) could hold 300,000 values or 500,000
 * levels, which JSON.parse would build before the token was even looked at (over 100 MB of
 * memory in a trial). One linear scan, no allocation.
 */
export interface JsonShape {
  /** Values in the text (commas outside strings, plus one); a real event has a few dozen. */
  params: number;
  /** Deepest nesting of `{` and `[` (`{"data":{"a":1}}` has 2, as `data[a]=1` has 2 key levels). */
  depth: number;
}

export function jsonShape(text: string): JsonShape {
  let params = text.trim() === '' ? 0 : 1;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character (\" does not end the string)
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c) params++;
  }
  return { params, depth: deepest };
}
