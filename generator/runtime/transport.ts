import { createEndpoint } from './endpoint.js';
import {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24ResponseError,
  Bitrix24TimeoutError,
  type ErrorClass,
} from './errors.js';
import { buildQuery } from './query-string.js';
import { rateLimitFor, sharedBucketStore, type BucketStore, type RateLimit } from './rate-limit.js';
import { MASK, redact } from './redact.js';
import { TokenHolder, type RefreshOptions } from './tokens.js';

interface CommonOptions {
  /**
   * How many times a failed call may be sent again (default 3; 0 = never). Only failures that
   * are safe to repeat are retried: `QUERY_LIMIT_EXCEEDED` (the portal did not run the call),
   * `OPERATION_TIME_LIMIT` (after its reset time), and, for methods the spec marks idempotent,
   * network errors, timeouts and 5xx answers. `OVERLOAD_LIMIT`, auth and validation errors are
   * never retried.
   */
  maxRetries?: number;
  /** Milliseconds before an attempt is given up (default 60000, the portal's own limit). */
  timeout?: number;
  /** First backoff delay in milliseconds (default 500); doubles each retry, with jitter. */
  retryDelay?: number;
  /**
   * The portal's request limit, kept on the client side so bursts never hit
   * `QUERY_LIMIT_EXCEEDED`: `'standard'` (cloud plans, default: 50, 2 per second),
   * `'enterprise'` (250, 5 per second), your own `{ limit, drainPerSecond }`, or `false`.
   */
  rateLimit?: 'standard' | 'enterprise' | RateLimit | false;
  /** Where the bucket lives (default: one in-memory bucket per portal, shared in the process). */
  rateLimitStore?: BucketStore;
  /**
   * The longest wait for a method blocked by `OPERATION_TIME_LIMIT` (ms, default 60000); when
   * its reset time is further away, the call fails at once.
   */
  maxWait?: number;
  /** Receives every request, response, wait and token refresh, with all secrets masked. */
  logger?: (event: TransportEvent) => void;
  /** A fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** Webhook mode: the URL from the portal's "Inbound webhook" page. */
export interface WebhookOptions extends CommonOptions {
  /** `https://portal.bitrix24.com/rest/{userId}/{code}/` — contains a secret. */
  webhookUrl: string;
  portalUrl?: undefined;
  accessToken?: undefined;
}

/** OAuth mode: an application's access token, sent as `auth` in the body, refreshed on expiry. */
export interface OAuthOptions extends CommonOptions, RefreshOptions {
  /** `https://portal.bitrix24.com` */
  portalUrl: string;
  accessToken: string;
  webhookUrl?: undefined;
}

export type ClientOptions = WebhookOptions | OAuthOptions;

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call, including any wait for the rate limit or between retries. */
  signal?: AbortSignal;
  /** Overrides the client's `timeout` for this call. */
  timeout?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
}

/** What the generated code knows about a method at run time. */
export interface MethodDescriptor {
  readonly name: string;
  /** Safe to send again after a failure whose outcome is unknown. */
  readonly idempotent: boolean;
}

/** A call's full response. */
export interface ApiResponse<T, TTime = unknown> {
  result: T;
  /** The portal's `time` block (`duration`, `operating`, `operating_reset_at`, ...). */
  time: TTime;
  status: number;
  headers: Headers;
  /** How many times the call was sent. */
  attempts: number;
}

/** A call's result; `.withResponse()` gives the `time` block, status and headers as well. */
export type ResponsePromise<T, TTime = unknown> = Promise<T> & {
  withResponse(): Promise<ApiResponse<T, TTime>>;
};

/** What the `logger` option receives. Bodies and URLs have every secret replaced by `***`. */
export type TransportEvent =
  | { type: 'request'; method: string; url: string; body: string; attempt: number }
  | { type: 'response'; method: string; status: number; body: string; ms: number; attempt: number }
  | { type: 'wait'; method: string; ms: number; reason: 'rate-limit' | 'retry' | 'operation-time-limit'; attempt: number }
  | { type: 'refresh'; method: string }
  | { type: 'warning'; message: string };

/** One call of a batch: a method and its params. */
export interface BatchCall {
  method: MethodDescriptor;
  params: object;
}

/** How one call of a batch ended; `skipped` when `halt` stopped the batch before it. */
export type BatchOutcome<T = unknown, E = Bitrix24Error> =
  | { status: 'fulfilled'; value: T }
  | { status: 'rejected'; reason: E }
  | { status: 'skipped' };

export interface BatchOptions {
  /** Stop at the first failing call (the portal's `halt`); later calls are `skipped`. */
  halt?: boolean;
  signal?: AbortSignal;
}

export interface Transport {
  call<T, TTime = unknown>(method: MethodDescriptor, params: object, options?: CallOptions): ResponsePromise<T, TTime>;
  /** Sends the calls through `batch`, 50 per request, each request through the rate limit. */
  batch(calls: Readonly<Record<string, BatchCall>>, options?: BatchOptions): Promise<Record<string, BatchOutcome>>;
}

/** Codes that are never retried even on methods that are safe to repeat. */
const NEVER_RETRY = new Set(['OVERLOAD_LIMIT', 'PORTAL_DELETED']);
/** The portal's limit of calls in one `batch`. */
export const BATCH_LIMIT = 50;
const BATCH: MethodDescriptor = { name: 'batch', idempotent: false };
/** Keys whose values are secrets wherever they appear in a body. */
const SECRET_KEY = /(^auth$|token$|secret$|^password$)/i;

/**
 * Creates the transport the generated client calls through. `errorClasses` maps documented
 * error codes to their generated classes; unknown codes become a plain Bitrix24Error.
 */
export function createTransport(options: ClientOptions, errorClasses: Readonly<Record<string, ErrorClass>>): Transport {
  const endpoint = createEndpoint(options);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const log = options.logger;
  const tokens =
    typeof options.accessToken === 'string'
      ? new TokenHolder(options.accessToken, options as OAuthOptions, fetchImpl, (message) => log?.({ type: 'warning', message: redact(message, secretsNow()) }))
      : undefined;
  const rate = rateLimitFor(options.rateLimit);
  const store = options.rateLimitStore ?? sharedBucketStore;
  const defaults = {
    maxRetries: options.maxRetries ?? 3,
    timeout: options.timeout ?? 60_000,
    retryDelay: options.retryDelay ?? 500,
    maxWait: options.maxWait ?? 60_000,
  };
  /** Per method: the latest `operating_reset_at` the portal reported, and until when it is blocked. */
  const operatingResetAt = new Map<string, number>();
  const blockedUntil = new Map<string, number>();

  function secretsNow(extra: string[] = []): string[] {
    return [...endpoint.secrets, ...(tokens?.secrets() ?? []), ...extra];
  }

  return {
    call<T, TTime>(method: MethodDescriptor, params: object, call: CallOptions = {}): ResponsePromise<T, TTime> {
      const raw = send<T, TTime>(method, params, call);
      const result = raw.then((r) => r.result) as ResponsePromise<T, TTime>;
      result.withResponse = () => raw;
      return result;
    },
    batch: runBatch,
  };

  async function send<T, TTime>(method: MethodDescriptor, params: object, call: CallOptions, extraSecrets: string[] = []): Promise<ApiResponse<T, TTime>> {
    // Collected only when something is about to be shown (an error, a log line), not per call.
    let known: string[] | undefined;
    const secrets = () => (known ??= secretsNow([...valuesUnderSecretKeys(params), ...extraSecrets]));
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      // The re-send after a token refresh is an attempt, but not one of the retries.
      const maxRetries = (call.maxRetries ?? defaults.maxRetries) + (refreshed ? 1 : 0);
      const slot = takeSlot(method.name, call.signal, attempt, secrets);
      if (slot) await slot;
      const token = tokens?.accessToken;
      const body = JSON.stringify(token === undefined ? params : { ...params, auth: token });
      try {
        return await once<T, TTime>(method, body, call, attempt, secrets);
      } catch (err) {
        if (!(err instanceof Bitrix24Error)) throw err;
        if (err.code === 'expired_token' && tokens?.canRefresh && !refreshed && token !== undefined) {
          // One refresh per call, shared with every call that hit the same expiry; not a retry.
          refreshed = true;
          log?.({ type: 'refresh', method: method.name });
          try {
            await tokens.refreshAfter(token);
          } catch (refreshError) {
            known = undefined; // the holder may know new secrets
            throw rewrap(refreshError, method.name, attempt, secrets());
          }
          known = undefined; // the new tokens are secrets too
          continue;
        }
        if (err.code === 'OPERATION_TIME_LIMIT') {
          const resetAt = operatingResetAt.get(method.name);
          const wait = resetAt === undefined ? Infinity : resetAt * 1000 - Date.now();
          if (attempt > maxRetries || wait > defaults.maxWait) throw err;
          blockedUntil.set(method.name, Date.now() + Math.max(0, wait));
          continue; // takeSlot waits until the block lifts
        }
        if (attempt > maxRetries || !retryable(err, method)) throw err;
        const delay = backoff(attempt, defaults.retryDelay);
        log?.({ type: 'wait', method: method.name, ms: delay, reason: 'retry', attempt });
        await sleep(delay, call.signal, method.name, attempt);
      }
    }
  }

  /** Waits for a method blocked by OPERATION_TIME_LIMIT, then for a slot in the portal's bucket. */
  /**
   * Waits for a method blocked by OPERATION_TIME_LIMIT, then for a slot in the portal's bucket.
   * Returns undefined when the call may go at once (the common case), so it costs no promise.
   */
  function takeSlot(method: string, signal: AbortSignal | undefined, attempt: number, secrets: () => string[]): Promise<void> | undefined {
    if (signal?.aborted) throw abortError(method, attempt - 1, signal);
    const blocked = blockedUntil.size > 0 ? (blockedUntil.get(method) ?? 0) - Date.now() : 0;
    if (blocked > 0) {
      if (blocked > defaults.maxWait) {
        throw new Bitrix24Error({ code: 'OPERATION_TIME_LIMIT', status: 429, description: `the method is blocked for another ${Math.ceil(blocked / 1000)} s, longer than maxWait`, method, attempts: attempt - 1 });
      }
      log?.({ type: 'wait', method, ms: blocked, reason: 'operation-time-limit', attempt });
      return sleep(blocked, signal, method, attempt - 1).then(() => reserveSlot(method, signal, attempt, secrets));
    }
    return reserveSlot(method, signal, attempt, secrets);
  }

  function reserveSlot(method: string, signal: AbortSignal | undefined, attempt: number, secrets: () => string[]): Promise<void> | undefined {
    if (!rate) return undefined;
    let reserved: number | Promise<number>;
    try {
      reserved = store.reserve(endpoint.portal, rate, Date.now());
    } catch (err) {
      throw rewrap(err, method, attempt - 1, secrets());
    }
    const waitFor = async (wait: number): Promise<void> => {
      if (wait <= 0) return;
      log?.({ type: 'wait', method, ms: wait, reason: 'rate-limit', attempt });
      try {
        await sleep(wait, signal, method, attempt - 1);
      } catch (err) {
        await store.release?.(endpoint.portal, rate, Date.now());
        throw err;
      }
    };
    if (typeof reserved === 'number') return reserved <= 0 ? undefined : waitFor(reserved);
    return reserved.then(waitFor, (err: unknown) => {
      throw rewrap(err, method, attempt - 1, secrets());
    });
  }

  async function once<T, TTime>(method: MethodDescriptor, body: string, call: CallOptions, attempts: number, secretsOf: () => string[]): Promise<ApiResponse<T, TTime>> {
    const fail = (Kind: typeof Bitrix24Error, code: string, description: string, status?: number, cause?: unknown) =>
      new Kind({ code, status, description: redact(description, secretsOf()), method: method.name, attempts, cause });

    const signal = call.signal;
    if (signal?.aborted) throw abortError(method.name, attempts - 1, signal);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timeout = call.timeout ?? defaults.timeout;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);

    const url = endpoint.urlFor(method.name);
    if (log) log({ type: 'request', method: method.name, url: redact(url, secretsOf()), body: maskBody(body, secretsOf()), attempt: attempts });
    const started = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
        signal: controller.signal,
      });
      text = await response.text();
    } catch (err) {
      if (signal?.aborted) throw abortError(method.name, attempts, signal);
      if (timedOut) throw fail(Bitrix24TimeoutError, 'TIMEOUT', `no response within ${timeout} ms`);
      const reason = describeNetworkFailure(err);
      throw fail(Bitrix24NetworkError, 'NETWORK_ERROR', reason, undefined, { message: redact(reason, secretsOf()) });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }

    const status = response.status;
    if (log) log({ type: 'response', method: method.name, status, body: maskBody(text.length > 4096 ? `${text.slice(0, 4096)}...` : text, secretsOf()), ms: Date.now() - started, attempt: attempts });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw fail(Bitrix24ResponseError, 'INVALID_RESPONSE', `expected a JSON body, got ${type} (${text.length} characters)`, status);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw fail(Bitrix24ResponseError, 'INVALID_RESPONSE', 'expected a JSON object', status);
    }
    const json = parsed as Record<string, unknown>;
    const time = json.time as { operating_reset_at?: unknown } | undefined;
    if (time && typeof time.operating_reset_at === 'number') operatingResetAt.set(method.name, time.operating_reset_at);
    if (Object.hasOwn(json, 'error')) {
      const code = json.error;
      if (typeof code !== 'string') throw fail(Bitrix24ResponseError, 'INVALID_RESPONSE', '`error` is not a string', status);
      const description = typeof json.error_description === 'string' ? json.error_description : '';
      const Kind = Object.hasOwn(errorClasses, code) ? errorClasses[code] : Bitrix24Error;
      throw fail(Kind as typeof Bitrix24Error, code, description, status);
    }
    if (!response.ok || !Object.hasOwn(json, 'result')) {
      throw fail(Bitrix24ResponseError, 'INVALID_RESPONSE', response.ok ? 'the body has neither `result` nor `error`' : `HTTP ${status} without an error code`, status);
    }
    return { result: json.result as T, time: json.time as TTime, status, headers: response.headers, attempts };
  }

  async function runBatch(calls: Readonly<Record<string, BatchCall>>, options: BatchOptions = {}): Promise<Record<string, BatchOutcome>> {
    const keys = Object.keys(calls);
    const out: Record<string, BatchOutcome> = Object.create(null) as Record<string, BatchOutcome>;
    let halted = false;
    for (let i = 0; i < keys.length; i += BATCH_LIMIT) {
      const chunk = keys.slice(i, i + BATCH_LIMIT);
      if (halted) {
        for (const key of chunk) out[key] = { status: 'skipped' };
        continue;
      }
      const cmd: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const key of chunk) {
        const query = buildQuery(calls[key].params);
        cmd[key] = query ? `${calls[key].method.name}?${query}` : calls[key].method.name;
      }
      const idempotent = chunk.every((key) => calls[key].method.idempotent);
      const entrySecrets = chunk.flatMap((key) => valuesUnderSecretKeys(calls[key].params));
      const response = await send<Record<string, unknown>, unknown>({ name: BATCH.name, idempotent }, { halt: options.halt ? 1 : 0, cmd }, { signal: options.signal }, entrySecrets);
      const results = asRecord(response.result.result);
      const errors = asRecord(response.result.result_error);
      const secrets = secretsNow(entrySecrets);
      for (const key of chunk) {
        const method = calls[key].method.name;
        if (Object.hasOwn(errors, key)) {
          const e = asRecord(errors[key]);
          const code = typeof e.error === 'string' ? e.error : 'INVALID_RESPONSE';
          const Kind = (Object.hasOwn(errorClasses, code) ? errorClasses[code] : Bitrix24Error) as typeof Bitrix24Error;
          const description = typeof e.error_description === 'string' ? e.error_description : '';
          out[key] = { status: 'rejected', reason: new Kind({ code, description: redact(description, secrets), method, attempts: response.attempts }) };
        } else if (Object.hasOwn(results, key)) {
          out[key] = { status: 'fulfilled', value: results[key] };
        } else {
          out[key] = { status: 'skipped' };
        }
      }
      if (options.halt && chunk.some((key) => out[key].status !== 'fulfilled')) halted = true;
    }
    return out;
  }
}

/** `batch` answers empty maps as `[]` (PHP arrays); both read as a record. */
function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function retryable(err: Bitrix24Error, method: MethodDescriptor): boolean {
  if (err instanceof Bitrix24AbortError || NEVER_RETRY.has(err.code)) return false;
  // The portal refused before running the call, so even a non-idempotent method is safe.
  if (err.code === 'QUERY_LIMIT_EXCEEDED') return true;
  if (!method.idempotent) return false;
  if (err instanceof Bitrix24NetworkError || err instanceof Bitrix24TimeoutError) return true;
  if (err instanceof Bitrix24ResponseError) return err.status === undefined || err.status >= 500 || err.code === 'INVALID_RESPONSE';
  return err.status !== undefined && err.status >= 500;
}

/** Exponential backoff with jitter: base * 2^(n-1), capped at 30 s, scaled by 0.5..1. */
function backoff(attempt: number, base: number): number {
  const ceiling = Math.min(30_000, base * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number, signal: AbortSignal | undefined, method: string, attempts: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(method, attempts, signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(method, attempts, signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(method: string, attempts: number, signal: AbortSignal): Bitrix24AbortError {
  return new Bitrix24AbortError({ code: 'ABORTED', description: 'the call was aborted', method, attempts, cause: signal.reason });
}

/** A failure outside a response (token refresh, a custom bucket store) as a Bitrix24Error, secrets masked. */
function rewrap(err: unknown, method: string, attempts: number, secrets: string[]): Bitrix24Error {
  if (err instanceof Bitrix24Error) {
    return new (err.constructor as typeof Bitrix24Error)({ code: err.code, status: err.status, description: redact(err.description, secrets), method, attempts });
  }
  return new Bitrix24Error({ code: 'CLIENT_ERROR', description: redact(err instanceof Error ? err.message : String(err), secrets), method, attempts });
}

/** Values of `botToken`, `auth`, `*Token`, `*Secret` keys anywhere in the params: secrets. */
function valuesUnderSecretKeys(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && SECRET_KEY.test(key)) out.push(v);
    else valuesUnderSecretKeys(v, out, depth + 1);
  }
  return out;
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

/** A readable reason from fetch's error chain (`ECONNREFUSED`, `socket hang up`, ...). */
function describeNetworkFailure(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof e.code === 'string') parts.push(e.code);
    else if (typeof e.message === 'string' && e.message) parts.push(e.message);
    current = e.cause;
  }
  return parts.length ? parts.join(': ') : 'the request failed';
}
