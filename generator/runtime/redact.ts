/**
 * Secret masking. Masking is structural first: the places where the client itself puts a
 * secret are known (the webhook code in `/rest/{userId}/{code}/`, values under secret keys
 * such as `auth`, `botToken`, `access_token`, `refresh_token`, `client_secret`,
 * `application_token`, in JSON, in form and query strings, and in batch `cmd` strings), and
 * only those values become `***`. A known secret's text is replaced wherever else it appears
 * only as a last net, and only when it has at least 8 characters: a short bot token such as
 * `r` or `Message` must not garble every message that happens to contain it.
 */

/** What replaces a secret in any text the client produces. */
export const MASK = '***';

/** Keys whose values are secrets wherever they appear (JSON, form, query, batch `cmd`). */
export const SECRET_KEY = /(^auth$|token$|secret$|^password$)/i;

/** Shorter secrets are masked only where they stand as a value (structurally), never as a substring. */
const NET_MIN_LENGTH = 8;

/**
 * Masks free text (a portal's `error_description`, a network error's reason, a warning, a URL):
 * the code of a webhook URL (`/rest/1/***`) and secret keys' values in query or form strings
 * (`botToken=***`, `fields%5BbotToken%5D=***`), then every known secret of 8 characters or more
 * wherever it appears. The host of a URL stays visible.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
    .replace(/(\/rest\/\d+\/)[^/?#\s"']+/g, `$1${MASK}`)
    .replace(/((?:^|[?&\s])(?:[\w.-]+(?:\[|%5B))*(?:auth|\w*token|\w*secret|password)(?:\]|%5D)?=)[^&\s#"']*/gi, `$1${MASK}`);
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= NET_MIN_LENGTH) out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * A batch command (`imbot.v2.Chat.Message.send?botId=7&botToken=abc&fields%5Bmessage%5D=hi`)
 * with the value of every secret key replaced by `***`, whatever its nesting
 * (`fields[botToken]`, percent-encoded or not). The method and the other params stay readable.
 */
export function maskBatchCommand(command: string): string {
  const at = command.indexOf('?');
  if (at < 0) return command;
  const pairs = command.slice(at + 1).split('&');
  return `${command.slice(0, at)}?${pairs.map(maskPair).join('&')}`;
}

function maskPair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return pair;
  let key = pair.slice(0, eq);
  try {
    key = decodeURIComponent(key);
  } catch {
    // a malformed escape: judge the key as written
  }
  // `fields[botToken]` -> `botToken`: the innermost name decides.
  const name = /([^[\]]*)\]*$/.exec(key)![1];
  return SECRET_KEY.test(name) ? `${pair.slice(0, eq)}=${MASK}` : pair;
}

/**
 * A JSON body (the client's request or the portal's answer) with the value of every secret key
 * replaced, batch `cmd` strings masked with maskBatchCommand, then `redact` over the result.
 * A body that is not JSON (a gateway page, a cut-off answer) gets `"key":"value"` pairs of
 * secret keys masked in its text, then `redact`.
 */
export function maskBody(text: string, secrets: readonly string[]): string {
  let masked: string;
  try {
    masked = JSON.stringify(maskValue(JSON.parse(text), false));
  } catch {
    masked = text.replace(/("(?:auth|\w*token|\w*secret|password)"\s*:\s*")(?:[^"\\]|\\.)*"?/gi, `$1${MASK}"`);
  }
  return redact(masked, secrets);
}

function maskValue(value: unknown, commands: boolean): unknown {
  if (typeof value === 'string') return commands ? maskBatchCommand(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, commands));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // defineProperty: a `__proto__` key from the portal stays a plain key.
    Object.defineProperty(out, key, { value: typeof v === 'string' && SECRET_KEY.test(key) ? MASK : maskValue(v, commands || key === 'cmd'), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
