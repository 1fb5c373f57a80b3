/** What replaces a secret in any text the client produces. */
export const MASK = '***';

/**
 * Replaces every occurrence of every secret in `text` with `***`. The client never puts
 * request data into errors; this is the second line of defence for text that comes back from
 * the portal or the network stack (which may echo a token or the webhook URL).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join(MASK);
  }
  return out;
}
