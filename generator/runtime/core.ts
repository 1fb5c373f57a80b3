/**
 * The lean transport: everything a call needs and nothing else. Webhook or static OAuth token
 * auth, a JSON POST, a timeout, the retry policy (QUERY_LIMIT_EXCEEDED always; network errors,
 * timeouts and 5xx for calls that are safe to repeat, see `repeatable`), and the mapping of the
 * answer to its result or to a Bitrix24Error subclass from the table passed in. Secrets never
 * reach a message.
 *
 * The heavier features are plugins in their own modules, so a bundle only carries the ones it
 * imports: `rateLimiter` (rate-limit.ts: the leaky bucket and OPERATION_TIME_LIMIT waits),
 * `oauthRefresh` (tokens.ts), `logTo` (logger.ts) and `sendBatch` (batch.ts). `createTransport`
 * (transport.ts) is this core with all of them plugged in.
 */
import { createEndpoint } from './endpoint.js';
import {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24ResponseError,
  Bitrix24TimeoutError,
  type ErrorClass,
} from './errors.js';
import { jsonShape } from './json-shape.js';
import { redact, SECRET_KEY } from './redact.js';

export { SECRET_KEY };

/** Options shared by the lean transport and `createClient`. */
export interface BaseOptions {
  /**
   * How many times a failed call may be sent again (default 3; 0 = never). Only failures that
   * are safe to repeat are retried: `QUERY_LIMIT_EXCEEDED` (the portal did not run the call),
   * `OPERATION_TIME_LIMIT` (after its reset time, with the rate limiter), and, for calls that are
   * safe to repeat (see `repeatable`), network errors, timeouts and 5xx answers.
   * `OVERLOAD_LIMIT`, auth and validation errors are never retried.
   */
  maxRetries?: number;
  /**
   * Milliseconds an attempt may take in all, its whole answer read (default 60000, the portal's
   * own limit); then it fails with a Bitrix24TimeoutError, retried like a network error.
   * `Infinity` (or 2^31 ms, about 25 days, and more): no deadline of the client's own.
   */
  timeout?: number;
  /**
   * The most bytes an answer's body may have, counted while it is read, after decompression
   * (default 2 MiB). No documented answer carries file data (`File.download` gives a URL);
   * the largest are `Event.get` pages (up to 1000 events of about 1 KB in the docs' examples)
   * and batches: raise it for batches of many long messages (20,000 characters each); the bound
   * bot's events() stream halves its page size while a page is over it.
   * A bigger body is dropped at the limit with a Bitrix24ResponseError `RESPONSE_TOO_LARGE`,
   * never retried; so is one that nests past 64 levels, or holds more objects and arrays than
   * one per 32 bytes of this limit or more values than one per 16 (counted as it arrives:
   * JSON.parse would blow it up).
   */
  maxResponseBytes?: number;
  /** First backoff delay in milliseconds (default 500); doubles each retry, with jitter. */
  retryDelay?: number;
  /** A fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Features plugged into the transport: `rateLimiter(...)`, `oauthRefresh(...)`, `logTo(...)`. */
  plugins?: readonly TransportPlugin[];
}

/**
 * Options of the lean transport: a webhook URL (`https://portal.bitrix24.com/rest/{userId}/{code}/`,
 * a secret), or a portal URL with an OAuth access token (sent as `auth`; refreshed only with
 * the `oauthRefresh` plugin).
 */
export type LeanOptions = BaseOptions &
  (
    | { webhookUrl: string; portalUrl?: undefined; accessToken?: undefined }
    | { portalUrl: string; accessToken: string; webhookUrl?: undefined }
  );

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call, including any wait for the rate limit or between retries. */
  signal?: AbortSignal;
  /** Overrides the client's `timeout` for this call. */
  timeout?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Overrides the client's `maxResponseBytes` for this call. */
  maxResponseBytes?: number;
}

/** What the generated code knows about a method at run time. */
export interface MethodDescriptor {
  readonly name: string;
  /** Safe to send again after a failure whose outcome is unknown. */
  readonly idempotent: boolean;
  /**
   * Param paths (`[['fields', 'botToken']]`) that make a call of an idempotent method unsafe to
   * repeat when the call gives them: such a call is never re-sent after it may have run.
   */
  readonly notIdempotentWhen?: readonly (readonly string[])[];
}

/**
 * Whether this call may be sent again after a failure whose outcome is unknown (no answer, a
 * timeout, a 5xx): its method is idempotent and the call gives none of the params that make a
 * repeat unsafe (a value other than undefined counts as given, as JSON.stringify sends it).
 */
export function repeatable(method: MethodDescriptor, params: object): boolean {
  if (!method.idempotent) return false;
  const hazards = method.notIdempotentWhen;
  if (!hazards) return true;
  return !hazards.some((path) => {
    let value: unknown = params;
    for (const name of path) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, name)) return false;
      value = (value as Record<string, unknown>)[name];
    }
    return value !== undefined;
  });
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

/** What every generated method function calls through. */
export interface Transport {
  call<T, TTime = unknown>(method: MethodDescriptor, params: object, options?: CallOptions): ResponsePromise<T, TTime>;
}

/** The lean transport: `call`, plus what plugins such as `sendBatch` build on. */
export interface LeanTransport extends Transport {
  /** Sends a call and gives its full response; `mask` lists more strings to keep out of errors and logs. */
  send<T, TTime = unknown>(method: MethodDescriptor, params: object, options?: CallOptions, mask?: readonly string[]): Promise<ApiResponse<T, TTime>>;
  /** The error for a portal `error` code (its class from the table), the description with every secret masked. */
  error(code: string, description: string, method: string, attempts: number, mask?: readonly string[]): Bitrix24Error;
}

/** One call in flight, as plugins see it; the same object across its attempts. */
export interface CallState {
  readonly method: MethodDescriptor;
  readonly options: CallOptions;
  /** The attempt about to be sent, or that just failed (1 = the first send). */
  attempt: number;
  /** Retries still allowed after this attempt's. */
  maxRetries: number;
  /** The access token this attempt was sent with (OAuth). */
  token: string | undefined;
  /** Set by a plugin that re-sent the call after refreshing its token. */
  refreshed?: boolean;
  /** Every secret to keep out of text about this call (the transport's and its params'). */
  secrets(): string[];
}

/** What a plugin is given when the transport is created. */
export interface TransportContext {
  readonly options: LeanOptions;
  /** The portal's origin: the key of its rate-limit bucket. */
  readonly portal: string;
  readonly fetch: typeof fetch;
  /** Sends an event to the logger plugins (they mask it); a no-op without one. */
  log(event: TransportEvent): void;
  /** Every secret known now (webhook URL parts, tokens, and `extra`). */
  secrets(extra?: readonly string[]): string[];
  /**
   * The error for `code` as the portal would have answered it: its class from the transport's
   * table (so a plugin's own refusal, such as OPERATION_TIME_LIMIT, is caught like the portal's).
   */
  error(code: string, description: string, method: string, attempts: number, status?: number): Bitrix24Error;
}

/**
 * A feature plugged into the lean transport. Every hook is optional; hooks of several plugins
 * run in the order the plugins were given.
 */
export interface TransportPlugin {
  setup?(context: TransportContext): void;
  /** Before each attempt; a promise holds it back (a rate-limit slot). Throw to fail the call. */
  beforeAttempt?(call: CallState): Promise<void> | undefined;
  /** The access token to send as `auth` (a plugin that refreshes it). */
  accessToken?(): string | undefined;
  /** Every response body that is a JSON object. */
  onBody?(method: string, body: Record<string, unknown>): void;
  /**
   * A failed attempt. `'again'`: send it again now, not counted as a retry (a refreshed token);
   * `'retry'`: send it again as a retry (the plugin arranged any wait); undefined: the core's
   * retry policy decides. Throw to fail the call with another error.
   */
  onError?(err: Bitrix24Error, call: CallState): 'again' | 'retry' | undefined | Promise<'again' | 'retry' | undefined>;
  /** Secrets this plugin holds (tokens): masked in every error and log line. */
  secrets?(): string[];
  /** Receives every event with the secrets to mask in it; a logger plugin masks and forwards them. */
  log?(event: TransportEvent, secrets: () => string[]): void;
}

/** Codes that are never retried even on methods that are safe to repeat. */
const NEVER_RETRY = new Set(['OVERLOAD_LIMIT', 'PORTAL_DELETED']);
const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' } as const;

/**
 * Creates the lean transport. `errorClasses` maps documented error codes to their classes
 * (pass `errorClassesByCode`, or only the ones you catch); other codes become a plain
 * Bitrix24Error.
 */
export function createLeanTransport(options: LeanOptions, errorClasses: Readonly<Record<string, ErrorClass>> = {}): LeanTransport {
  const endpoint = createEndpoint(options);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const plugins = options.plugins ?? [];
  const staticToken = options.accessToken;
  const maxRetries = options.maxRetries ?? 3;
  const timeout = options.timeout ?? 60_000;
  const retryDelay = options.retryDelay ?? 500;
  const maxBytes = options.maxResponseBytes ?? 2 * 1024 * 1024;
  const tokenSource = plugins.find((p) => p.accessToken);
  const loggers = plugins.filter((p) => p.log);
  const log = loggers.length
    ? (event: TransportEvent, secrets: () => string[] = () => context.secrets()) => {
        for (const p of loggers) {
          // A logger that throws must not change the call's outcome (a send that ran must not
          // reject and invite a re-send): its error is dropped.
          try {
            p.log!(event, secrets);
          } catch {}
        }
      }
    : undefined;

  const context: TransportContext = {
    options,
    portal: endpoint.portal,
    fetch: fetchImpl,
    log: (event) => log?.(event),
    secrets: (extra = []) => [...endpoint.secrets, ...plugins.flatMap((p) => p.secrets?.() ?? []), ...extra],
    error: (code, description, method, attempts, status) => fail(classFor(code), code, description, method, attempts, () => context.secrets(), status),
  };
  for (const p of plugins) p.setup?.(context);

  const transport: LeanTransport = {
    call<T, TTime>(method: MethodDescriptor, params: object, call?: CallOptions): ResponsePromise<T, TTime> {
      const raw = send<T, TTime>(method, params, call);
      const result = raw.then(resultOf) as ResponsePromise<T, TTime>;
      result.withResponse = () => raw;
      return result;
    },
    send,
    error: (code, description, method, attempts, mask = []) => fail(classFor(code), code, description, method, attempts, () => context.secrets(mask)),
  };
  return transport;

  async function send<T, TTime>(method: MethodDescriptor, params: object, call: CallOptions = {}, mask: readonly string[] = []): Promise<ApiResponse<T, TTime>> {
    // Secrets are collected only when something is about to be shown (an error, a log line).
    const secrets = () => context.secrets([...valuesUnderSecretKeys(params), ...mask]);
    const state: CallState = { method, options: call, attempt: 0, maxRetries: call.maxRetries ?? maxRetries, token: undefined, secrets };
    const name = method.name;
    const signal = call.signal;
    const url = endpoint.urlFor(name);
    for (;;) {
      const attempt = ++state.attempt;
      if (signal?.aborted) throw abortError(name, attempt - 1, signal);
      for (const p of plugins) {
        const wait = p.beforeAttempt?.(state);
        if (wait) await wait;
      }
      const token = (state.token = tokenSource ? tokenSource.accessToken!() : staticToken);
      const body = JSON.stringify(token === undefined ? params : { ...params, auth: token });

      // One attempt, in this function (no extra promise per call); failures are values here.
      // Its deadline covers the whole attempt, the body read too (fetch's signal governs both):
      // a controller aborted by a timer or by the caller's signal, both unhooked when the attempt
      // ends. (AbortSignal.timeout and AbortSignal.any do the same at about twice the CPU time
      // per call on Node 20, and there `any` leaves an entry per call in a long-lived caller
      // signal for good.) Timers hold up to 2^31 - 1 ms (about 25 days): longer is no deadline.
      const ms = call.timeout ?? timeout;
      const deadline = ms < 2 ** 31 ? new AbortController() : undefined;
      const timer = deadline && setTimeout(() => deadline.abort(), ms);
      const follow = signal && deadline ? () => deadline.abort() : undefined;
      if (follow) {
        signal!.addEventListener('abort', follow);
        if (signal!.aborted) follow();
      }
      log?.({ type: 'request', method: name, url, body, attempt }, secrets);
      const started = log ? Date.now() : 0;
      let outcome: ApiResponse<T, TTime> | Bitrix24Error | undefined;
      let response: Response | undefined;
      let text: string | undefined;
      try {
        // Redirects are never followed: a 307/308 would re-send the body, `auth` included, to
        // wherever the Location points; the 3xx answer becomes a REDIRECT error below.
        response = await fetchImpl(url, { method: 'POST', headers: HEADERS, body, signal: deadline ? deadline.signal : signal, redirect: 'manual' });
        const status = response.status;
        if ((status > 299 && status < 400) || response.type === 'opaqueredirect') {
          void response.body?.cancel().catch(() => {});
          outcome = fail(Bitrix24ResponseError, 'REDIRECT', `not followed, to ${originOf(response.headers.get('location'), url)}: check the portal URL`, name, attempt, secrets, status || undefined);
        } else {
          const limit = call.maxResponseBytes ?? maxBytes;
          const body = await readBody(response, limit, true);
          if (typeof body === 'string') text = body;
          else outcome = fail(Bitrix24ResponseError, 'RESPONSE_TOO_LARGE', body.tooLarge, name, attempt, secrets, status);
        }
      } catch (err) {
        if (signal?.aborted) throw abortError(name, attempt, signal);
        if (deadline?.signal.aborted) outcome = fail(Bitrix24TimeoutError, 'TIMEOUT', `no response within ${ms} ms`, name, attempt, secrets);
        else {
          const reason = describeNetworkFailure(err);
          outcome = fail(Bitrix24NetworkError, 'NETWORK_ERROR', reason, name, attempt, secrets, undefined, { message: redact(reason, secrets()) });
        }
      } finally {
        clearTimeout(timer);
        if (follow) signal!.removeEventListener('abort', follow);
      }
      if (!outcome) {
        log?.({ type: 'response', method: name, status: response!.status, body: text!, ms: Date.now() - started, attempt }, secrets);
        outcome = read<T, TTime>(response!, text!, name, attempt, secrets);
        if (!(outcome instanceof Bitrix24Error)) return outcome;
      }

      const err = outcome as Bitrix24Error;
      let verdict: 'again' | 'retry' | undefined;
      for (const p of plugins) if ((verdict = await p.onError?.(err, state))) break;
      if (verdict === 'again') {
        state.maxRetries++; // the re-send after a token refresh is an attempt, not a retry
        continue;
      }
      if (verdict === 'retry') continue;
      if (attempt > state.maxRetries || !retryable(err, method, params)) throw err;
      const delay = backoff(attempt, retryDelay);
      log?.({ type: 'wait', method: name, ms: delay, reason: 'retry', attempt }, secrets);
      await sleep(delay, signal, name, attempt);
    }
  }

  /** The class of a portal error code: its own from the table, or Bitrix24Error. */
  function classFor(code: string): typeof Bitrix24Error {
    return (Object.hasOwn(errorClasses, code) ? errorClasses[code] : Bitrix24Error) as typeof Bitrix24Error;
  }

  /** The response of one attempt: its result, or the error it maps to. */
  function read<T, TTime>(response: Response, text: string, method: string, attempts: number, secrets: () => string[]): ApiResponse<T, TTime> | Bitrix24Error {
    const status = response.status;
    const invalid = (why: string) => fail(Bitrix24ResponseError, 'INVALID_RESPONSE', why, method, attempts, secrets, status);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return invalid(`expected a JSON body, got ${response.headers.get('content-type') ?? 'no content type'} (${text.length} characters)`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return invalid('expected a JSON object');
    const json = parsed as Record<string, unknown>;
    for (const p of plugins) p.onBody?.(method, json);
    if (Object.hasOwn(json, 'error')) {
      const code = json.error;
      if (typeof code !== 'string') return invalid('`error` is not a string');
      const description = typeof json.error_description === 'string' ? json.error_description : '';
      return fail(classFor(code), code, description, method, attempts, secrets, status);
    }
    if (!response.ok || !Object.hasOwn(json, 'result')) {
      return invalid(response.ok ? 'the body has neither `result` nor `error`' : `HTTP ${status} without an error code`);
    }
    return { result: json.result as T, time: json.time as TTime, status, headers: response.headers, attempts };
  }
}

function fail(Kind: typeof Bitrix24Error, code: string, description: string, method: string, attempts: number, secrets: () => string[], status?: number, cause?: unknown): Bitrix24Error {
  return new Kind({ code, status, description: redact(description, secrets()), method, attempts, cause });
}

function resultOf<T>(response: ApiResponse<T, unknown>): T {
  return response.result;
}

function retryable(err: Bitrix24Error, method: MethodDescriptor, params: object): boolean {
  if (err instanceof Bitrix24AbortError || NEVER_RETRY.has(err.code)) return false;
  // The portal refused before running the call, so even a non-idempotent method is safe.
  if (err.code === 'QUERY_LIMIT_EXCEEDED') return true;
  if (!repeatable(method, params)) return false;
  // No answer, or a body that is not the portal's (a redirect or an oversized body would come again).
  if (err instanceof Bitrix24NetworkError || err instanceof Bitrix24TimeoutError || err.code === 'INVALID_RESPONSE') return true;
  return err.status !== undefined && err.status >= 500;
}

/** The deepest nesting a portal's answer may have: the docs' answers nest under 10 levels. */
const MAX_ANSWER_DEPTH = 64;

/**
 * The body as text, read chunk by chunk so that no more than `limit` bytes (decompressed: fetch
 * inflates gzip, deflate and br before the stream) are ever held; `{ tooLarge }` (why) when it
 * grows past the limit, the stream then cancelled (which closes the connection). With `shaped`,
 * the JSON's shape is counted as it arrives (json-shape.ts) and the body refused the same way
 * once it nests past 64 levels, or holds more objects and arrays than one per 32 bytes of the
 * limit, plus 1000 (66,536 at 2 MiB; a page of 1000 events has about 15,000), or more values
 * than one per 16 bytes, plus 1000 (132,072; that page has about 60,000): JSON.parse would turn such a body, small as
 * text, into hundreds of MB. A body that trickles or never ends is still
 * bounded in time by the attempt's deadline, which errors the read.
 */
export async function readBody(response: Response, limit: number, shaped = false): Promise<string | { tooLarge: string }> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const shape = shaped ? jsonShape() : undefined;
  // (+ 1000: a small per-call limit must not refuse a small answer for its few brackets.)
  const containers = Math.floor(limit / 32) + 1000;
  const values = Math.floor(limit / 16) + 1000;
  // Bytes are kept as they came and decoded once at the end (a Blob decodes UTF-8 as
  // response.text() does): an oversized body is never decoded at all.
  const chunks: BlobPart[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return new Blob(chunks).text();
    shape?.add(value);
    const tooLarge =
      (size += value.byteLength) > limit
        ? `body over maxResponseBytes (${limit})`
        : shape && shape.depth > MAX_ANSWER_DEPTH
          ? `body nests deeper than ${MAX_ANSWER_DEPTH} levels`
          : shape && shape.containers > containers
            ? `body holds more than ${containers} objects and arrays (maxResponseBytes / 32 + 1000)`
            : shape && shape.params > values
              ? `body holds more than ${values} values (maxResponseBytes / 16 + 1000)`
              : undefined;
    if (tooLarge) {
      reader.cancel().catch(() => {});
      return { tooLarge };
    }
    chunks.push(value as BlobPart);
  }
}

/** Where a redirect points: its origin only (its path may hold a secret). */
function originOf(location: string | null, base: string): string {
  try {
    return new URL(location ?? '?', base).origin;
  } catch {
    return '?';
  }
}

/** Exponential backoff with jitter: base * 2^(n-1), capped at 30 s, scaled by 0.5..1. */
function backoff(attempt: number, base: number): number {
  const ceiling = Math.min(30_000, base * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Waits `ms`; an abort of `signal` ends the wait with a Bitrix24AbortError. */
export function sleep(ms: number, signal: AbortSignal | undefined, method: string, attempts: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(method, attempts, signal));
    const onAbort = () => {
      clearTimeout(wait);
      reject(abortError(method, attempts, signal!));
    };
    const wait = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(method: string, attempts: number, signal: AbortSignal): Bitrix24AbortError {
  return new Bitrix24AbortError({ code: 'ABORTED', description: 'the call was aborted', method, attempts, cause: signal.reason });
}

/** A failure outside a response (token refresh, a custom bucket store) as a Bitrix24Error, secrets masked. */
export function rewrap(err: unknown, method: string, attempts: number, secrets: readonly string[]): Bitrix24Error {
  if (err instanceof Bitrix24Error) {
    return new (err.constructor as typeof Bitrix24Error)({ code: err.code, status: err.status, description: redact(err.description, secrets), method, attempts });
  }
  return new Bitrix24Error({ code: 'CLIENT_ERROR', description: redact(err instanceof Error ? err.message : String(err), secrets), method, attempts });
}

/** Values of `botToken`, `auth`, `*Token`, `*Secret` keys anywhere in the params: secrets. */
export function valuesUnderSecretKeys(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && SECRET_KEY.test(key)) out.push(v);
    else valuesUnderSecretKeys(v, out, depth + 1);
  }
  return out;
}

/** A readable reason from fetch's error chain (`ECONNREFUSED`, `socket hang up`, ...): the codes and messages of its causes. */
export function describeNetworkFailure(err: unknown): string {
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
