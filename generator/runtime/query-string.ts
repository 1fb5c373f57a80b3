/**
 * PHP's `http_build_query`, which `batch` commands need (`method?a=1&fields[message]=hi`):
 * nested objects and arrays become bracketed keys, `true`/`false` become `1`/`0`, `null` and
 * `undefined` are left out, everything is percent-encoded (RFC 3986).
 */
export function buildQuery(params: object): string {
  const pairs: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'boolean') pairs.push(`${encode(key)}=${value ? '1' : '0'}`);
    else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${key}[${k}]`, v);
    } else pairs.push(`${encode(key)}=${encode(String(value))}`);
  };
  for (const [k, v] of Object.entries(params)) add(k, v);
  return pairs.join('&');
}

function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
