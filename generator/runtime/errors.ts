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
 * The identity of an error class that survives loading the package twice (its ESM and CommonJS
 * builds in one process, or two installed versions): `instanceof` compares it when the value's
 * class is another copy's. A runtime class sets it under this key; a generated class is known by
 * its `static code` (one class per code).
 */
export const ERROR_CLASS_ID = Symbol.for('@b24gen/imbot-v2:errorClassId');

function classId(C: unknown): string | undefined {
  if (typeof C !== 'function') return undefined;
  if (Object.hasOwn(C, ERROR_CLASS_ID)) return String((C as unknown as Record<symbol, unknown>)[ERROR_CLASS_ID]);
  const code = Object.hasOwn(C, 'code') ? (C as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `code:${code}` : undefined;
}

/**
 * JSON.stringify shows the own fields below (`name`, `code`, `status`, `description`, `method`,
 * `attempts`): the facts, never the request. `message`, `stack` and `cause` are not enumerable.
 */
export class Bitrix24Error extends Error {
  static readonly [ERROR_CLASS_ID]: string = 'Bitrix24Error';
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

  /**
   * `err instanceof X` also holds when `err` was made by another copy of this package loaded in
   * the same process (the CommonJS build beside the ESM one): a class along its prototype chain
   * with the same identity (ERROR_CLASS_ID or generated `code`) counts as X.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const id = classId(this);
    if (id === undefined || value === null || typeof value !== 'object') return false;
    for (let proto = Object.getPrototypeOf(value) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
      if (Object.hasOwn(proto, 'constructor') && classId((proto as { constructor: unknown }).constructor) === id) return true;
    }
    return false;
  }
}

function composeMessage(init: Bitrix24ErrorInit): string {
  const status = init.status === undefined ? '' : ` (HTTP ${init.status})`;
  const tries = (init.attempts ?? 1) > 1 ? ` after ${init.attempts} attempts` : '';
  return `${init.method ? `${init.method}: ` : ''}${init.code}${status}${tries}${init.description ? `: ${init.description}` : ''}`;
}

/** The request never got an HTTP response: DNS, refused or reset connection, TLS. */
export class Bitrix24NetworkError extends Bitrix24Error {
  static override readonly [ERROR_CLASS_ID]: string = 'Bitrix24NetworkError';
  override name = 'Bitrix24NetworkError';
}

/** No complete response within the client's `timeout`. */
export class Bitrix24TimeoutError extends Bitrix24Error {
  static override readonly [ERROR_CLASS_ID]: string = 'Bitrix24TimeoutError';
  override name = 'Bitrix24TimeoutError';
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class Bitrix24AbortError extends Bitrix24Error {
  static override readonly [ERROR_CLASS_ID]: string = 'Bitrix24AbortError';
  override name = 'Bitrix24AbortError';
}

/**
 * A response that is not the portal's JSON: an HTML gateway page, a truncated body, JSON
 * without `result` or `error`, or an `error` that is not a string.
 */
export class Bitrix24ResponseError extends Bitrix24Error {
  static override readonly [ERROR_CLASS_ID]: string = 'Bitrix24ResponseError';
  override name = 'Bitrix24ResponseError';
}

/** A generated error class (one per documented code), as stored in the code -> class map. */
export type ErrorClass = new (init: Bitrix24ErrorInit) => Bitrix24Error;
