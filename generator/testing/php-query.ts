/**
 * PHP's `http_build_query`, the way the portal encodes an event before posting it to a bot's
 * handler URL (imbot.v2/events/events.md, "Webhook Notification Structure": the body is
 * `application/x-www-form-urlencoded` built by `http_build_query`, keys in PHP form
 * `data[bot][id]`). Written from PHP's behaviour and the docs' table "Data Types in Webhook Mode",
 * independently of the package's decoder (runtime/form.ts), so a test of one against the other
 * means something:
 *
 * - nested keys in brackets, list items by index (`data[user][departments][0]=1`);
 * - every scalar as a string: numbers as written, `true`/`false` as `1`/`0`, `null` as an empty
 *   string (the docs' table: `null` -> `""`);
 * - empty arrays and objects leave no key at all (PHP writes nothing for an empty array);
 * - names and values percent-encoded as PHP's `urlencode` does (PHP_QUERY_RFC1738, the default):
 *   only letters, digits and `-_.` stay, a space is `+`, brackets are `%5B`/`%5D`.
 */
export function phpBuildQuery(value: Readonly<Record<string, unknown>>): string {
  const out: string[] = [];
  const walk = (key: string, v: unknown): void => {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return;
    if (v === null) return void out.push(`${urlencode(key)}=`);
    if (typeof v === 'boolean') return void out.push(`${urlencode(key)}=${v ? '1' : '0'}`);
    if (typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) walk(`${key}[${k}]`, child);
      return;
    }
    out.push(`${urlencode(key)}=${urlencode(String(v))}`);
  };
  for (const [k, v] of Object.entries(value)) walk(k, v);
  return out.join('&');
}

/** PHP's `urlencode`: `encodeURIComponent` also keeps `!'()*~`, which PHP encodes. */
function urlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
