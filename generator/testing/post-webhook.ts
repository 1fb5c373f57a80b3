/// <reference types="node" />
// Node's types: posting uses node:http and node:https.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Posting an event body to a bot's handler URL, as the portal does: one POST, no retry ("Retries
 * on failure are not guaranteed", imbot.v2/events/index.md), the answer read and reported so a
 * test can assert what the handler said.
 */

/** What the bot's handler answered. */
export interface HandlerAnswer {
  status: number;
  /** The answer's body as text, when it has at most `BODY_SHOWN` bytes; otherwise undefined. */
  body?: string;
}

/** A handler that did not answer, or could not be reached. Its message names the URL without secrets. */
export class EventDeliveryError extends Error {
  override name = 'EventDeliveryError';
  constructor(
    message: string,
    /** The handler URL without query, fragment or credentials. */
    readonly url: string,
  ) {
    super(message);
  }
}

/** Bodies up to this size are handed back in the result; a bigger one is read and dropped. */
export const BODY_SHOWN = 4096;

/**
 * POSTs `body` to `url` with `contentType` and waits at most `timeoutMs` for the whole answer.
 * Uses node:http rather than `fetch`, so a test's mocked or instrumented `fetch` never sees the
 * portal's own traffic.
 */
export function postWebhook(url: string, body: string, contentType: string, timeoutMs: number): Promise<HandlerAnswer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new EventDeliveryError('the bot\'s webhookUrl is not a URL; register the bot with an absolute http(s) URL', '(not a URL)'));
  }
  const shown = shownUrl(target);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(new EventDeliveryError(`cannot post an event to ${shown}: only http: and https: handler URLs are supported`, shown));
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const bytes = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new EventDeliveryError(message, shown));
    };
    const req = send(
      target,
      { method: 'POST', headers: { 'content-type': contentType, 'content-length': String(bytes.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= BODY_SHOWN) chunks.push(chunk);
        });
        res.on('error', () => fail(`the handler at ${shown} broke off its answer`));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, ...(size <= BODY_SHOWN ? { body: Buffer.concat(chunks).toString('utf8') } : {}) });
        });
      },
    );
    const timer = setTimeout(() => fail(`the handler at ${shown} did not answer within ${timeoutMs} ms; does it answer every POST (the portal expects HTTP 200)?`), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => fail(`could not post the event to ${shown}: ${err.code ?? err.message}`));
    req.end(bytes);
  });
}

/** The URL without what may hold a secret: credentials, query and fragment. */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
