import type { TransportEvent, TransportPlugin } from './core.js';
import { SECRET_KEY } from './core.js';
import { MASK, redact } from './redact.js';

/**
 * The logger plugin: `logger` receives every request, response, wait and token refresh, with
 * the webhook secret, tokens and every value under a secret key (`botToken`, `auth`, ...)
 * replaced by `***`. Response bodies are cut at 4096 characters.
 */
export function logTo(logger: (event: TransportEvent) => void): TransportPlugin {
  return {
    log(event, secrets) {
      switch (event.type) {
        case 'request':
          logger({ ...event, url: redact(event.url, secrets()), body: maskBody(event.body, secrets()) });
          return;
        case 'response': {
          const body = event.body.length > 4096 ? `${event.body.slice(0, 4096)}...` : event.body;
          logger({ ...event, body: maskBody(body, secrets()) });
          return;
        }
        case 'warning':
          logger({ ...event, message: redact(event.message, secrets()) });
          return;
        default:
          logger(event);
      }
    },
  };
}

/** A body for the logger: values under secret keys replaced, then any known secret masked. */
function maskBody(text: string, secrets: string[]): string {
  let masked = text;
  try {
    masked = JSON.stringify(JSON.parse(text), (key, value) => (typeof value === 'string' && SECRET_KEY.test(key) ? MASK : value));
  } catch {
    // not JSON: mask the known secrets only
  }
  return redact(masked, secrets);
}
