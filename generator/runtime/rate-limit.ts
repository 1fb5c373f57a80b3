/**
 * The client side of the portal's request limit. Bitrix24 counts requests per portal in a leaky
 * bucket (cloud plans: 50, drained at 2 per second; Enterprise: 250 and 5 per second) and
 * answers `QUERY_LIMIT_EXCEEDED` when it is full. Reserving a slot here before sending keeps a
 * burst under the limit, so that error is not hit in the first place: each caller learns how
 * long to wait, and callers are served in the order they asked.
 *
 * `rateLimiter` plugs this (and the waits `OPERATION_TIME_LIMIT` asks for) into the lean
 * transport; `createClient` always has it.
 */
import { abortError, rewrap, sleep, type CallState, type TransportContext, type TransportPlugin } from './core.js';
import { Bitrix24AbortError, Bitrix24StoreError } from './errors.js';
import { processWide } from './one-state.js';
import { createStoreGuard, type StoreCallOptions, type StoreGuard, type StoreOptions } from './stores.js';

export interface RateLimit {
  /** How many requests the bucket holds. */
  limit: number;
  /** How many requests drain from it per second. */
  drainPerSecond: number;
}

export const RATE_LIMIT_PLANS: Readonly<Record<'standard' | 'enterprise', RateLimit>> = {
  standard: { limit: 50, drainPerSecond: 2 },
  enterprise: { limit: 250, drainPerSecond: 5 },
};

/**
 * Where bucket levels live. The in-memory store is shared by all clients of a portal in this
 * process; to share one bucket between processes, use `RedisBucketStore` from
 * `@b24gen/imbot-v2/redis`, or implement `reserve` (and `release`) on another shared store
 * with an atomic read-modify-write doing the arithmetic of MemoryBucketStore.reserve.
 */
export interface BucketStore {
  /**
   * Takes one slot in bucket `key` at time `now` (ms); returns how many ms to wait before
   * sending (0: now). A store across the network gets `options.signal`, aborted at the
   * operation's deadline (`storeTimeout`); the client stops waiting then in any case.
   */
  reserve(key: string, rate: RateLimit, now: number, options?: StoreCallOptions): number | Promise<number>;
  /** Gives back a slot that was reserved but not used (the call was aborted while waiting). */
  release?(key: string, rate: RateLimit, now: number, options?: StoreCallOptions): void | Promise<void>;
}

interface Level {
  level: number;
  at: number;
}

export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, Level>();

  reserve(key: string, rate: RateLimit, now: number): number {
    const level = this.drained(key, rate, now) + 1;
    this.buckets.set(key, { level, at: now });
    // Over the limit: wait until enough has drained that this request fits. A tenth of the
    // bucket is kept free, because requests reach the portal a little later and less evenly
    // than they leave here; the steady rate is the full drain rate all the same.
    const room = capacity(rate);
    return level <= room ? 0 : Math.ceil(((level - room) / rate.drainPerSecond) * 1000);
  }

  release(key: string, rate: RateLimit, now: number): void {
    this.buckets.set(key, { level: Math.max(0, this.drained(key, rate, now) - 1), at: now });
  }

  private drained(key: string, rate: RateLimit, now: number): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    return Math.max(0, b.level - (Math.max(0, now - b.at) / 1000) * rate.drainPerSecond);
  }
}

/** The part of the bucket the client fills: all but a tenth (at least one request) of it. */
export function capacity(rate: RateLimit): number {
  return Math.max(1, rate.limit - Math.max(1, Math.ceil(rate.limit / 10)));
}

/**
 * The default store: one bucket per portal for every client in this process, whichever copy of
 * the package made it (the ESM and the CommonJS build loaded side by side fill the same bucket,
 * instead of letting twice the portal's limit through; see one-state.ts). The version in the
 * key changes only if the store's contract does.
 */
export const sharedBucketStore: BucketStore = processWide<BucketStore>(
  '@b24gen/imbot-v2:sharedBucketStore:v1',
  () => new MemoryBucketStore(),
  (found) => typeof (found as BucketStore).reserve === 'function',
);

export function rateLimitFor(option: 'standard' | 'enterprise' | RateLimit | false | undefined): RateLimit | undefined {
  if (option === false) return undefined;
  if (option === undefined || option === 'standard') return RATE_LIMIT_PLANS.standard;
  if (option === 'enterprise') return RATE_LIMIT_PLANS.enterprise;
  if (!(option.limit >= 1) || !(option.drainPerSecond > 0)) {
    throw new TypeError('createClient: rateLimit needs limit >= 1 and drainPerSecond > 0');
  }
  return option;
}

export interface RateLimiterOptions extends StoreOptions {
  /**
   * The portal's request limit, kept on the client side so bursts never hit
   * `QUERY_LIMIT_EXCEEDED`: `'standard'` (cloud plans, default: 50, 2 per second),
   * `'enterprise'` (250, 5 per second), your own `{ limit, drainPerSecond }`, or `false`.
   */
  rateLimit?: 'standard' | 'enterprise' | RateLimit | false;
  /**
   * Where the bucket lives (default: one in-memory bucket per portal, shared in the process;
   * `RedisBucketStore` from `@b24gen/imbot-v2/redis` shares it between processes). A store that
   * fails or misses `storeTimeout` fails the call with a Bitrix24StoreError, or with
   * `onStoreError: 'local'` the call takes its slot in the in-process bucket instead.
   */
  rateLimitStore?: BucketStore;
  /**
   * The longest wait for a method blocked by `OPERATION_TIME_LIMIT` (ms, default 60000); when
   * its reset time is further away, the call fails at once, and so do later calls of the method
   * until then, without being sent (`OPERATION_TIME_LIMIT`, the class of the portal's answer).
   */
  maxWait?: number;
}

/**
 * The rate-limit plugin: takes a slot in the portal's bucket before each attempt (waiting when
 * it is full), and after `OPERATION_TIME_LIMIT` holds the method back until the
 * `operating_reset_at` the portal reported, then retries it (up to `maxWait`).
 */
export function rateLimiter(options: RateLimiterOptions = {}): TransportPlugin {
  const rate = rateLimitFor(options.rateLimit);
  const store = options.rateLimitStore ?? sharedBucketStore;
  // An in-memory store answers at once and cannot fail: no deadline, no promise (the common case).
  const inProcess = store === sharedBucketStore || store instanceof MemoryBucketStore;
  const maxWait = options.maxWait ?? 60_000;
  /** Per method: the latest `operating_reset_at` the portal reported, and until when it is blocked. */
  const operatingResetAt = new Map<string, number>();
  const blockedUntil = new Map<string, number>();
  let context!: TransportContext;
  let guard!: StoreGuard;

  /** Waits `wait` ms before the attempt; an abort while waiting gives the slot back to `from`. */
  const waitFor = async (wait: number, call: CallState, from: BucketStore): Promise<void> => {
    if (wait <= 0) return;
    const method = call.method.name;
    context.log({ type: 'wait', method, ms: wait, reason: 'rate-limit', attempt: call.attempt });
    try {
      await sleep(wait, call.options.signal, method, call.attempt - 1);
    } catch (err) {
      if (from instanceof MemoryBucketStore) from.release(context.portal, rate!, Date.now());
      // Not awaited: the abort is reported at once; a shared store gets the slot back when it answers.
      else void guard.run(from, 'release', (o) => from.release?.(context.portal, rate!, Date.now(), o)).then(undefined, () => {});
      throw err;
    }
  };

  /** Returns undefined when the call may go at once (the common case), so it costs no promise. */
  function reserveSlot(call: CallState): Promise<void> | undefined {
    if (!rate) return undefined;
    const method = call.method.name;
    const signal = call.options.signal;
    const attempt = call.attempt;
    if (inProcess) {
      const wait = (store as MemoryBucketStore).reserve(context.portal, rate, Date.now());
      return wait <= 0 ? undefined : waitFor(wait, call, store);
    }
    // A shared store: bounded by storeTimeout; with onStoreError 'local' a failure takes the
    // slot in this process's bucket instead. The slot is given back where it was taken.
    const pending = guard.run(
      store,
      'reserve',
      async (o) => ({ wait: await store.reserve(context.portal, rate, Date.now(), o), from: store }),
      () => ({ wait: sharedBucketStore.reserve(context.portal, rate, Date.now()) as number, from: sharedBucketStore }),
      { signal },
    );
    // A store that never answers must not outlive the caller's abort; the slot it may still
    // reserve is given back once it does.
    return orAbort(pending, signal, () => {
      void pending.then(({ from }) => from.release?.(context.portal, rate, Date.now())).then(undefined, () => {});
      return abortError(method, attempt - 1, signal!);
    }).then(
      ({ wait, from }) => waitFor(wait, call, from),
      (err: unknown) => {
        if (err instanceof Bitrix24AbortError) throw err;
        if (err instanceof Bitrix24StoreError) throw new Bitrix24StoreError({ code: err.code, description: err.description, store: err.store, operation: err.operation, method, attempts: attempt - 1 });
        throw rewrap(err, method, attempt - 1, call.secrets());
      },
    );
  }

  return {
    setup(c) {
      context = c;
      guard = createStoreGuard(options, (message) => c.log({ type: 'warning', message }), () => c.secrets());
    },
    beforeAttempt(call) {
      const method = call.method.name;
      const signal = call.options.signal;
      if (signal?.aborted) throw abortError(method, call.attempt - 1, signal);
      const blocked = blockedUntil.size > 0 ? (blockedUntil.get(method) ?? 0) - Date.now() : 0;
      if (blocked > 0) {
        if (blocked > maxWait) {
          // The same class as the portal's own OPERATION_TIME_LIMIT answer (OperationTimeLimitError
          // with the generated table), so one `catch` handles both.
          throw context.error('OPERATION_TIME_LIMIT', `the method is blocked for another ${Math.ceil(blocked / 1000)} s, longer than maxWait`, method, call.attempt - 1, 429);
        }
        context.log({ type: 'wait', method, ms: blocked, reason: 'operation-time-limit', attempt: call.attempt });
        return sleep(blocked, signal, method, call.attempt - 1).then(() => reserveSlot(call));
      }
      return reserveSlot(call);
    },
    onBody(method, body) {
      const time = body.time as { operating_reset_at?: unknown } | undefined;
      if (time && typeof time.operating_reset_at === 'number') operatingResetAt.set(method, time.operating_reset_at);
    },
    onError(err, call) {
      if (err.code !== 'OPERATION_TIME_LIMIT') return undefined;
      const resetAt = operatingResetAt.get(call.method.name);
      const wait = resetAt === undefined ? Infinity : resetAt * 1000 - Date.now();
      // The portal blocks the method until its reset (limits.md: suspend calls to it), so later
      // calls wait for it too, or, when it is further away than maxWait, fail without being sent.
      if (Number.isFinite(wait)) blockedUntil.set(call.method.name, Date.now() + Math.max(0, wait));
      if (call.attempt > call.maxRetries || wait > maxWait) throw err;
      return 'retry'; // beforeAttempt waits until the block lifts
    },
  };
}

/** `promise`, or the error `aborted()` gives as soon as `signal` aborts, whichever comes first. */
function orAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, aborted: () => Error): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
