import type { TransportEvent, TransportPlugin } from './core.js';
import { maskBody, redact } from './redact.js';

/** How much of a response body a `response` event carries (after masking). */
const LOGGED_BODY_CHARS = 4096;

/**
 * The logger plugin: `logger` receives every request, response, wait and token refresh, with
 * the webhook code, tokens and every value under a secret key (`botToken`, `auth`, ...,
 * batch `cmd` strings included) replaced by `***`; the portal's host stays readable. Response
 * bodies are masked whole, then cut at 4096 characters (so a cut never leaves the start of a
 * secret). A logger that throws, or returns a promise that rejects, changes nothing about the
 * call: its error is dropped.
 */
export function logTo(logger: (event: TransportEvent) => unknown): TransportPlugin {
  const deliver = (event: TransportEvent): void => {
    try {
      const returned = logger(event) as { then?: unknown } | undefined;
      // An async logger's rejection would otherwise be an unhandled rejection (a crash).
      if (typeof returned?.then === 'function') (returned as Promise<unknown>).then(undefined, () => {});
    } catch {
      // dropped: see above
    }
  };
  return {
    log(event, secrets) {
      switch (event.type) {
        case 'request':
          deliver({ ...event, url: redact(event.url, secrets()), body: maskBody(event.body, secrets()) });
          return;
        case 'response': {
          const body = maskBody(event.body, secrets());
          deliver({ ...event, body: body.length > LOGGED_BODY_CHARS ? `${body.slice(0, LOGGED_BODY_CHARS)}...` : body });
          return;
        }
        case 'warning':
          deliver({ ...event, message: redact(event.message, secrets()) });
          return;
        default:
          deliver(event);
      }
    },
  };
}
