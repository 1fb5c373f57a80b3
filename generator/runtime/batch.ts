import { Bitrix24AbortError, Bitrix24Error, Bitrix24NetworkError, Bitrix24ResponseError, Bitrix24TimeoutError } from './errors.js';
import type { ApiResponse, CallOptions, LeanTransport, MethodDescriptor } from './core.js';
import { abortError, repeatable, valuesUnderSecretKeys } from './core.js';
import { buildQuery } from './query-string.js';

/** The portal's limit of calls in one `batch`. */
export const BATCH_LIMIT = 50;

/** One call of a batch: a method and its params. */
export interface BatchCall {
  method: MethodDescriptor;
  params: object;
}

/**
 * How one call of a batch ended:
 * - `fulfilled`: the portal ran it; `value` is its result.
 * - `rejected`: it did not succeed: the portal's error for this call (from `result_error`, its
 *   class from the method's table), or the portal refused the whole request it was in.
 *   A call's own error has `status` undefined: `batch` answers HTTP 200 as a whole and gives no
 *   status per call (except the two codes settings/how-to-call-rest-api/batch.md lists with one:
 *   `ERROR_BATCH_METHOD_NOT_ALLOWED` 405, `ERROR_BATCH_LENGTH_EXCEEDED` 400).
 * - `skipped`: it was not run, nothing was sent for it: after a failure with `halt`, or after an
 *   abort or a failed request that stopped the batch before its request (`reason` says which).
 * - `unknown`: it may have run: its request was sent and no usable answer came (network error,
 *   timeout, 5xx, an abort while waiting, a body that is not the portal's, or an answer without
 *   this call's key). Check before sending it again.
 */
export type BatchOutcome<T = unknown, E = Bitrix24Error> =
  | { status: 'fulfilled'; value: T }
  | { status: 'rejected'; reason: E | Bitrix24Error }
  | { status: 'skipped'; reason?: Bitrix24Error }
  | { status: 'unknown'; reason: Bitrix24Error };

export interface BatchOptions {
  /** Stop at the first failing call (the portal's `halt`); later calls are `skipped`. */
  halt?: boolean;
  /**
   * Stops the batch: calls whose request was not sent yet are `skipped`, those of a request in
   * flight `unknown`; outcomes already in are kept.
   */
  signal?: AbortSignal;
}

/** Statuses settings/how-to-call-rest-api/batch.md documents for errors of a call inside `batch`. */
const SUB_CALL_STATUS: Readonly<Record<string, number>> = { ERROR_BATCH_METHOD_NOT_ALLOWED: 405, ERROR_BATCH_LENGTH_EXCEEDED: 400 };

/**
 * Sends the calls through the portal's `batch` method, 50 per request, each request through
 * the transport (its rate limit, retries and logger). Never throws for a failure of the portal
 * or the network: every call gets an outcome, and outcomes of requests that already ran are
 * never lost (a re-run can send only the calls that are not `fulfilled`). A request that fails
 * as a whole stops the batch: its calls are `unknown` (it may have run) or `rejected` (the
 * portal refused it before running anything), the calls after it `skipped`. Each call's error
 * gets its class from the transport's table; `botToken` and other secret values in the calls
 * are masked like the transport's own secrets.
 */
export async function sendBatch(transport: LeanTransport, calls: Readonly<Record<string, BatchCall>>, options: BatchOptions = {}): Promise<Record<string, BatchOutcome>> {
  const keys = Object.keys(calls);
  const out: Record<string, BatchOutcome> = Object.create(null) as Record<string, BatchOutcome>;
  /** Set when the batch stops: why the calls not sent yet are skipped (undefined after `halt`). */
  let stopped: { reason?: Bitrix24Error } | undefined;
  for (let i = 0; i < keys.length; i += BATCH_LIMIT) {
    const chunk = keys.slice(i, i + BATCH_LIMIT);
    if (!stopped && options.signal?.aborted) stopped = { reason: abortError('batch', 0, options.signal) };
    if (stopped) {
      for (const key of chunk) out[key] = stopped.reason ? { status: 'skipped', reason: stopped.reason } : { status: 'skipped' };
      continue;
    }
    const cmd: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const key of chunk) {
      const query = buildQuery(calls[key].params);
      cmd[key] = query ? `${calls[key].method.name}?${query}` : calls[key].method.name;
    }
    // The batch request may be re-sent after a lost answer only when every call in it may be
    // (a `Bot.update` rotating its token in the batch makes the whole request unsafe to repeat).
    const idempotent = chunk.every((key) => repeatable(calls[key].method, calls[key].params));
    // The cmd strings carry these values URL-encoded: the logger masks every `cmd` string by its
    // secret keys (maskBatchCommand), and errors are redacted by key as well; the raw values
    // listed here are the last net.
    const entrySecrets = chunk.flatMap((key) => valuesUnderSecretKeys(calls[key].params));
    const call: CallOptions = { signal: options.signal };
    let response: ApiResponse<unknown>;
    try {
      response = await transport.send<unknown>({ name: 'batch', idempotent }, { halt: options.halt ? 1 : 0, cmd }, call, entrySecrets);
    } catch (err) {
      const failure = err instanceof Bitrix24Error ? err : transport.error('CLIENT_ERROR', err instanceof Error ? err.message : String(err), 'batch', 0, entrySecrets);
      const outcome: BatchOutcome = notSent(failure)
        ? { status: 'skipped', reason: failure }
        : mayHaveRun(failure)
          ? { status: 'unknown', reason: failure }
          : { status: 'rejected', reason: failure };
      for (const key of chunk) out[key] = outcome;
      stopped = { reason: failure };
      continue;
    }
    const body = response.result;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      // The portal answered 200 but not with batch's result object: the calls may have run.
      const failure = new Bitrix24ResponseError({
        code: 'INVALID_RESPONSE',
        status: response.status,
        description: `the batch answer's \`result\` is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not an object with \`result\` and \`result_error\`; the calls of this request may have run`,
        method: 'batch',
        attempts: response.attempts,
      });
      for (const key of chunk) out[key] = { status: 'unknown', reason: failure };
      stopped = { reason: failure };
      continue;
    }
    const results = asRecord((body as Record<string, unknown>).result);
    const errors = asRecord((body as Record<string, unknown>).result_error);
    // With `halt`, the portal runs nothing after the first call that failed (batch.md).
    const firstFailed = options.halt ? chunk.findIndex((key) => Object.hasOwn(errors, key)) : -1;
    chunk.forEach((key, index) => {
      const method = calls[key].method.name;
      if (Object.hasOwn(errors, key)) {
        out[key] = { status: 'rejected', reason: subCallError(transport, errors[key], method, response.attempts, entrySecrets) };
      } else if (Object.hasOwn(results, key)) {
        out[key] = { status: 'fulfilled', value: results[key] };
      } else if (firstFailed >= 0 && index > firstFailed) {
        out[key] = { status: 'skipped' };
      } else {
        const missing = new Bitrix24ResponseError({
          code: 'INVALID_RESPONSE',
          status: response.status,
          description: 'the batch answer has neither a result nor an error for this call; it may have run',
          method,
          attempts: response.attempts,
        });
        out[key] = { status: 'unknown', reason: missing };
      }
    });
    if (options.halt && chunk.some((key) => out[key].status !== 'fulfilled')) stopped = {};
  }
  return out;
}

/** The error of one call inside `batch` (an item of `result_error`), in its method's class. */
function subCallError(transport: LeanTransport, value: unknown, method: string, attempts: number, mask: readonly string[]): Bitrix24Error {
  const e = asRecord(value);
  const code = typeof e.error === 'string' ? e.error : 'INVALID_RESPONSE';
  const description = typeof e.error_description === 'string' ? e.error_description : typeof e.error === 'string' ? '' : 'the batch answer gives this call an error without a code';
  const error = transport.error(code, description, method, attempts, mask);
  const status = Object.hasOwn(SUB_CALL_STATUS, code) ? SUB_CALL_STATUS[code] : undefined;
  if (status === undefined) return error;
  // The same class and masked description, with the status batch.md documents for the code.
  const Kind = error.constructor as typeof Bitrix24Error;
  return new Kind({ code, status, description: error.description, method, attempts });
}

/** Aborted before its first send (waiting for the rate limit): nothing of it reached the portal. */
function notSent(err: Bitrix24Error): boolean {
  return err instanceof Bitrix24AbortError && err.attempts === 0;
}

/** A request that got no usable answer may have run; one the portal refused with a code (not 5xx) did not. */
function mayHaveRun(err: Bitrix24Error): boolean {
  if (err instanceof Bitrix24AbortError) return true; // aborted while sent, or while waiting to re-send one that was
  if (err instanceof Bitrix24NetworkError || err instanceof Bitrix24TimeoutError || err instanceof Bitrix24ResponseError) return true;
  return err.status === undefined || err.status >= 500;
}

/** `batch` answers empty maps as `[]` (PHP arrays); both read as a record. */
function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
