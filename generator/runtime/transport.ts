import { createEndpoint } from './endpoint.js';
import {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24ResponseError,
  Bitrix24TimeoutError,
  type ErrorClass,
} from './errors.js';
import { redact } from './redact.js';

interface CommonOptions {
  /**
   * How many times a failed call may be sent again (default 3; 0 = never). Only failures that
   * are safe to repeat are retried: `QUERY_LIMIT_EXCEEDED` (the portal did not run the call),
   * and, for methods the spec marks idempotent, network errors, timeouts and 5xx answers.
   * `OVERLOAD_LIMIT`, auth and validation errors are never retried.
   */
  maxRetries?: number;
  /** Milliseconds before an attempt is given up (default 60000, the portal's own limit). */
  timeout?: number;
  /** First backoff delay in milliseconds (default 500); doubles each retry, with jitter. */
  retryDelay?: number;
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

/** OAuth mode: an application's access token, sent as `auth` in the body. */
export interface OAuthOptions extends CommonOptions {
  /** `https://portal.bitrix24.com` */
  portalUrl: string;
  accessToken: string;
  webhookUrl?: undefined;
}

export type ClientOptions = WebhookOptions | OAuthOptions;

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call, including any wait between retries. */
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
  /** The portal's `time` block. */
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

export interface Transport {
  call<T, TTime = unknown>(method: MethodDescriptor, params: object, options?: CallOptions): ResponsePromise<T, TTime>;
}

/** Codes that are never retried even on methods that are safe to repeat. */
const NEVER_RETRY = new Set(['OVERLOAD_LIMIT', 'PORTAL_DELETED']);

/**
 * Creates the transport the generated client calls through. `errorClasses` maps documented
 * error codes to their generated classes; unknown codes become a plain Bitrix24Error.
 */
export function createTransport(options: ClientOptions, errorClasses: Readonly<Record<string, ErrorClass>>): Transport {
  const endpoint = createEndpoint(options);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const defaults = {
    maxRetries: options.maxRetries ?? 3,
    timeout: options.timeout ?? 60_000,
    retryDelay: options.retryDelay ?? 500,
  };

  return {
    call<T, TTime>(method: MethodDescriptor, params: object, callOptions: CallOptions = {}): ResponsePromise<T, TTime> {
      const raw = run<T, TTime>(method, params, callOptions);
      const result = raw.then((r) => r.result) as ResponsePromise<T, TTime>;
      result.withResponse = () => raw;
      return result;
    },
  };

  async function run<T, TTime>(method: MethodDescriptor, params: object, call: CallOptions): Promise<ApiResponse<T, TTime>> {
    const maxRetries = call.maxRetries ?? defaults.maxRetries;
    const secrets = [...endpoint.secrets, ...paramSecrets(params)];
    const body = JSON.stringify({ ...params, ...endpoint.auth });
    for (let attempt = 1; ; attempt++) {
      try {
        return await once<T, TTime>(method, body, call, attempt, secrets);
      } catch (err) {
        if (!(err instanceof Bitrix24Error) || attempt > maxRetries || !retryable(err, method)) throw err;
        await sleep(backoff(attempt, defaults.retryDelay), call.signal, method.name, attempt);
      }
    }
  }

  async function once<T, TTime>(
    method: MethodDescriptor,
    body: string,
    call: CallOptions,
    attempts: number,
    secrets: string[],
  ): Promise<ApiResponse<T, TTime>> {
    const fail = (Kind: typeof Bitrix24Error, code: string, description: string, status?: number, cause?: unknown) =>
      new Kind({ code, status, description: redact(description, secrets), method: method.name, attempts, cause });

    const signal = call.signal;
    if (signal?.aborted) throw abortError(method.name, attempts, signal);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timeout = call.timeout ?? defaults.timeout;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);

    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(endpoint.urlFor(method.name), {
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
      throw fail(Bitrix24NetworkError, 'NETWORK_ERROR', reason, undefined, { message: redact(reason, secrets) });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }

    const status = response.status;
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
}

function retryable(err: Bitrix24Error, method: MethodDescriptor): boolean {
  if (err instanceof Bitrix24AbortError || NEVER_RETRY.has(err.code)) return false;
  // The portal refused before running the call, so even a non-idempotent method is safe.
  if (err.code === 'QUERY_LIMIT_EXCEEDED') return true;
  if (!method.idempotent) return false;
  if (err instanceof Bitrix24NetworkError || err instanceof Bitrix24TimeoutError) return true;
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

/** botToken (and any other `*Token` param) is a secret too. */
function paramSecrets(params: object): string[] {
  return Object.entries(params)
    .filter(([key, value]) => /token$/i.test(key) && typeof value === 'string')
    .map(([, value]) => value as string);
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
