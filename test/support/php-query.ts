/**
 * PHP's `http_build_query` as the portal applies it to an event before posting it to a webhook,
 * written for the tests independently of the runtime: nested keys in brackets, list indexes as
 * `[0]`, `true`/`false` as `1`/`0`, `null` as an empty string (the portal's own conversion, see
 * "Data Types in Webhook Mode" in imbot.v2/events/events.md), empty arrays and objects left out,
 * spaces as `+` (PHP_QUERY_RFC1738).
 */
export function phpBuildQuery(value: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (key: string, v: unknown): void => {
    if (v === undefined) return;
    if (v === null) return void out.push(`${enc(key)}=`);
    if (typeof v === 'boolean') return void out.push(`${enc(key)}=${v ? '1' : '0'}`);
    if (typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) walk(`${key}[${k}]`, child);
      return;
    }
    out.push(`${enc(key)}=${enc(String(v))}`);
  };
  for (const [k, v] of Object.entries(value)) walk(k, v);
  return out.join('&');
}

function enc(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
