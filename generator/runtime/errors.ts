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
  /** What the message names as failing when that is not a REST method (the token endpoint). */
  subject?: string;
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
  const subject = init.subject ?? init.method;
  return `${subject ? `${subject}: ` : ''}${init.code}${status}${tries}${init.description ? `: ${init.description}` : ''}`;
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
 * A response that is not the portal's answer to the call. `INVALID_RESPONSE`: an HTML gateway
 * page, a truncated body, JSON without `result` or `error`, or an `error` that is not a string
 * (retried for calls safe to repeat). `RESPONSE_TOO_LARGE`: the body grew past
 * `maxResponseBytes` (decompressed size) and was dropped unread. `REDIRECT`: a 3xx answer,
 * which the client never follows (the message names the status and the target's origin).
 * The last two are never retried.
 */
export class Bitrix24ResponseError extends Bitrix24Error {
  override name = 'Bitrix24ResponseError';
}

/**
 * The OAuth token refresh failed, so the call could not be sent again. `endpoint` is the
 * token endpoint (`https://oauth.bitrix.info/oauth/token/`, never its query), or undefined
 * when your own `refresh` callback failed; `code` is the authorization server's (`invalid_grant`,
 * `invalid_client`, `PAYMENT_REQUIRED`, ...) or the client's (`TIMEOUT`, `NETWORK_ERROR`,
 * `INVALID_RESPONSE`, `REFRESH_FAILED`). A refusal by the server is remembered: later calls
 * fail with it at once, without asking again, until new tokens are given (`setTokens`).
 */
export class Bitrix24RefreshError extends Bitrix24Error {
  override name = 'Bitrix24RefreshError';
  readonly endpoint: string | undefined;

  constructor(init: Bitrix24ErrorInit & { endpoint?: string }) {
    super({ ...init, subject: init.subject ?? `token refresh at ${init.endpoint ?? 'the refresh callback'}` });
    this.endpoint = init.endpoint;
  }
}

/**
 * A shared store (the rate-limit bucket, the token store, the event cursor: see `rateLimitStore`,
 * `tokenStore`, `events({ cursor })`) failed or gave no answer within `storeTimeout`. `store` is
 * the store's class name (`RedisBucketStore`), `operation` what was asked of it (`reserve`);
 * `code` is `STORE_TIMEOUT` (no answer in time) or `STORE_FAILED` (it answered with an error,
 * described with secrets and connection passwords masked). With `onStoreError: 'local'` the
 * client uses its in-process store instead and reports that once, rather than throwing this.
 */
export class Bitrix24StoreError extends Bitrix24Error {
  override name = 'Bitrix24StoreError';
  readonly store: string;
  readonly operation: string;

  constructor(init: Bitrix24ErrorInit & { store: string; operation: string }) {
    super({ ...init, subject: init.subject ?? `${init.store}.${init.operation}` });
    this.store = init.store;
    this.operation = init.operation;
  }
}

/** A generated error class (one per documented code), as stored in the code -> class map. */
export type ErrorClass = new (init: Bitrix24ErrorInit) => Bitrix24Error;
