import type { Bitrix24Error } from './errors.js';
import type { CallOptions, LeanTransport, MethodDescriptor } from './core.js';
import { repeatable, valuesUnderSecretKeys } from './core.js';
import { buildQuery } from './query-string.js';

/** The portal's limit of calls in one `batch`. */
export const BATCH_LIMIT = 50;

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

/**
 * Sends the calls through the portal's `batch` method, 50 per request, each request through
 * the transport (its rate limit, retries and logger). Each call's error gets its class from the
 * transport's table; `botToken` and other secret values in the calls are masked like the
 * transport's own secrets.
 */
export async function sendBatch(transport: LeanTransport, calls: Readonly<Record<string, BatchCall>>, options: BatchOptions = {}): Promise<Record<string, BatchOutcome>> {
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
    // The batch request may be re-sent after a lost answer only when every call in it may be
    // (a `Bot.update` rotating its token in the batch makes the whole request unsafe to repeat).
    const idempotent = chunk.every((key) => repeatable(calls[key].method, calls[key].params));
    const entrySecrets = chunk.flatMap((key) => valuesUnderSecretKeys(calls[key].params));
    const call: CallOptions = { signal: options.signal };
    const response = await transport.send<Record<string, unknown>>({ name: 'batch', idempotent }, { halt: options.halt ? 1 : 0, cmd }, call, entrySecrets);
    const results = asRecord(response.result.result);
    const errors = asRecord(response.result.result_error);
    for (const key of chunk) {
      if (Object.hasOwn(errors, key)) {
        const e = asRecord(errors[key]);
        const code = typeof e.error === 'string' ? e.error : 'INVALID_RESPONSE';
        const description = typeof e.error_description === 'string' ? e.error_description : '';
        out[key] = { status: 'rejected', reason: transport.error(code, description, calls[key].method.name, response.attempts, entrySecrets) };
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

/** `batch` answers empty maps as `[]` (PHP arrays); both read as a record. */
function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
