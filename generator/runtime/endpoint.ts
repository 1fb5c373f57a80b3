/**
 * Where calls go, from the client's options. Two modes:
 * - webhook: POST to `webhookUrl + method`; the secret is in the URL path.
 * - OAuth: POST to `portalUrl/rest/method`; the access token goes as `auth` in the body
 *   (added by the transport, which refreshes it: see tokens.ts).
 */

export interface Endpoint {
  /** The URL for a method (contains the webhook secret: never show it). */
  urlFor(method: string): string;
  /** The portal (its origin): the key of its rate-limit bucket. */
  portal: string;
  /** Strings that must never appear in errors or logs (the webhook code, the access token). */
  secrets: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function createEndpoint(options: { webhookUrl?: string; portalUrl?: string; accessToken?: string }): Endpoint {
  if (options.webhookUrl !== undefined && options.portalUrl !== undefined) {
    throw new TypeError('createClient: pass webhookUrl or portalUrl, not both');
  }
  if (typeof options.webhookUrl === 'string') {
    const url = parse(options.webhookUrl, 'webhookUrl');
    // fetch refuses a URL with credentials and quotes it whole in its error, password included:
    // refused here, once, without repeating them.
    if (url.username || url.password) {
      throw new TypeError('createClient: webhookUrl must not contain a user name or password (a Bitrix24 webhook URL has none, and fetch refuses such URLs); remove the "user:password@" part');
    }
    const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    // The path after /rest/ is `{userId}/{code}`: the code is the secret. Only it is masked
    // (the host stays readable in logs); redact() masks `/rest/{userId}/{code}` in URLs too.
    const secrets = url.pathname.split('/').filter((p) => p && p !== 'rest' && !/^[0-9]+$/.test(p));
    return { urlFor: (method) => base + method, portal: url.origin, secrets };
  }
  if (typeof options.portalUrl === 'string') {
    if (typeof options.accessToken !== 'string' || options.accessToken === '') {
      throw new TypeError('createClient: portalUrl needs accessToken');
    }
    const url = parse(options.portalUrl, 'portalUrl');
    return { urlFor: (method) => `${url.origin}/rest/${method}`, portal: url.origin, secrets: [options.accessToken] };
  }
  throw new TypeError('createClient: pass webhookUrl, or portalUrl with accessToken');
}

/** An https URL (plain http only on loopback hosts) from an option, or a TypeError that does not repeat it. */
export function parse(value: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value may be a mistyped secret URL: do not repeat it.
    throw new TypeError(`createClient: ${option} is not a valid absolute URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  throw new TypeError(
    `createClient: ${option} must use https:// (plain http:// is only allowed for 127.0.0.1, localhost and [::1]); got ${url.protocol}//${url.host}`,
  );
}
