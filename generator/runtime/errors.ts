/**
 * The error base of the generated client. Every failure a call can end in is a Bitrix24Error:
 * a documented code gets its own generated subclass (chosen by the `error` code in the body,
 * never by the HTTP status), anything else one of the classes below.
 *
 * Messages are built only from the method name, the code, the status and the portal's
 * description with secrets masked (see redact.ts); request params and URLs never go in.
 */

export interface Bitrix24ErrorInit {
  /** The portal's `error` code, or one of the client's own codes (`NETWORK_ERROR`, ...). */
  code: string;
  /** HTTP status of the response; undefined when no response arrived. */
  status?: number;
  /** The portal's `error_description` (secrets masked), or the client's explanation. */
  description: string;
  /** The REST method that failed. */
  method?: string;
  /** How many times the call was sent before giving up. */
  attempts?: number;
  cause?: unknown;
}

/**
 * JSON.stringify shows the own fields below (`name`, `code`, `status`, `description`, `method`,
 * `attempts`): the facts, never the request. `message`, `stack` and `cause` are not enumerable.
 */
export class Bitrix24Error extends Error {
  override name = 'Bitrix24Error';
  readonly code: string;
  readonly status: number | undefined;
  readonly description: string;
  readonly method: string | undefined;
  readonly attempts: number;

  constructor(init: Bitrix24ErrorInit) {
    super(composeMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.description = init.description;
    this.method = init.method;
    this.attempts = init.attempts ?? 1;
  }
}

function composeMessage(init: Bitrix24ErrorInit): string {
  const status = init.status === undefined ? '' : ` (HTTP ${init.status})`;
  const tries = (init.attempts ?? 1) > 1 ? ` after ${init.attempts} attempts` : '';
  return `${init.method ? `${init.method}: ` : ''}${init.code}${status}${tries}${init.description ? `: ${init.description}` : ''}`;
}

/** The request never got an HTTP response: DNS, refused or reset connection, TLS. */
export class Bitrix24NetworkError extends Bitrix24Error {
  override name = 'Bitrix24NetworkError';
}

/** No complete response within the client's `timeout`. */
export class Bitrix24TimeoutError extends Bitrix24Error {
  override name = 'Bitrix24TimeoutError';
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class Bitrix24AbortError extends Bitrix24Error {
  override name = 'Bitrix24AbortError';
}

/**
 * A response that is not the portal's JSON: an HTML gateway page, a truncated body, JSON
 * without `result` or `error`, or an `error` that is not a string.
 */
export class Bitrix24ResponseError extends Bitrix24Error {
  override name = 'Bitrix24ResponseError';
}

/** A generated error class (one per documented code), as stored in the code -> class map. */
export type ErrorClass = new (init: Bitrix24ErrorInit) => Bitrix24Error;
