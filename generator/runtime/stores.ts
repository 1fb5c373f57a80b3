/**
 * Shared stores: what lets several processes (instances behind a load balancer, a worker pool)
 * act as one client of a portal. Three kinds, each optional, each in-process by default:
 *
 * - the rate-limit bucket (`BucketStore`, rate-limit.ts; option `rateLimitStore`);
 * - the OAuth token pair and its refresh (`TokenStore` below; option `tokenStore`);
 * - the fetch-mode event consumer and its offset (`EventCursor` below; `events({ cursor })`).
 *
 * `@b24gen/imbot-v2/redis` implements all three on Redis. A store lives across the network, so
 * the client never waits on it without a deadline (`storeTimeout`), and what happens when it
 * fails is the user's choice (`onStoreError`): a `Bitrix24StoreError` naming the store and the
 * operation, or the in-process store for that operation, reported once.
 */
import { Bitrix24StoreError } from './errors.js';
import { redact } from './redact.js';
import type { OAuthTokens } from './tokens.js';

/** What every store operation is given. */
export interface StoreCallOptions {
  /**
   * Aborted when the operation's deadline passes (`storeTimeout`, or for a token refresh the
   * client's `timeout`) or its caller gives up: stop waiting and reject. The client stops
   * waiting at that moment whatever the store does.
   */
  signal: AbortSignal;
  /**
   * The longest one request to the store may take, in ms (`storeTimeout`): an operation made of
   * several requests (a refresh waiting for another's) bounds each by it, and rejects with an
   * error whose `code` is `'STORE_TIMEOUT'` when one misses it.
   */
  requestTimeout: number;
}

/**
 * The current OAuth pair of one application on one portal, shared by every client that uses
 * the store, and the refresh of it, single-flight across all of them.
 */
export interface TokenStore {
  /** The stored pair for `key`, or undefined when none is stored yet. */
  get(key: string, options: StoreCallOptions): Promise<OAuthTokens | undefined>;
  /** Stores `tokens` as the current pair for `key` (tokens the application gave: `setTokens`, or the first pair seen). */
  set(key: string, tokens: OAuthTokens, options: StoreCallOptions): Promise<void>;
  /**
   * The pair that replaces `expired` (the portal answered `expired_token` to its access token).
   * When the stored pair already has another access token (someone refreshed) and is not known
   * to have expired too (`storedPairReplaces`), that pair, with no refresh. Otherwise `refresh`
   * runs once for everyone sharing the store (the others wait for its result and read it), with
   * the stored pair (or `expired` when none is stored), and its result is stored before anyone
   * else may refresh. `refresh`'s own failure is rejected as it is, unchanged.
   */
  refresh(key: string, expired: OAuthTokens, refresh: (current: OAuthTokens) => Promise<OAuthTokens>, options: StoreCallOptions): Promise<OAuthTokens>;
}

/**
 * Where a bot's fetch-mode consumer and its offset live: one consumer per key (bot) at a time,
 * by a lease with a time to live, renewed while the consumer polls.
 */
export interface EventCursor {
  /** How long a lease lives without renewal (ms). The stream renews every third of it, and a standby tries to take the lease as often. */
  readonly leaseTtlMs: number;
  /** Takes the lease on `key` when no one holds it: the lease, or undefined while another consumer holds it. */
  acquire(key: string, options: StoreCallOptions): Promise<EventLease | undefined>;
}

/** A lease on one bot's events, held by one consumer. */
export interface EventLease {
  /** The offset stored for the key when the lease was taken (undefined: none stored yet). */
  readonly offset: number | undefined;
  /** Extends the lease by the cursor's TTL: false when it is no longer ours (it lapsed and another took it). */
  renew(options: StoreCallOptions): Promise<boolean>;
  /** Stores `offset` (and extends the lease) while the lease is ours: false, storing nothing, when it is not. */
  commit(offset: number, options: StoreCallOptions): Promise<boolean>;
  /** Gives the lease up, if it is still ours, so a standby takes over at once. */
  release(options: StoreCallOptions): Promise<void>;
  /**
   * Optional: the stream stopped on a store failure without releasing the lease (the store did
   * not answer). The cursor may let this process's next `acquire` of the same key take it back
   * at once (a loop restarted after the error) instead of every consumer waiting out its TTL.
   * `handled`: the offset the stream reached, when it has one the store did not take (the loop
   * body returned but the commit was not made): the cursor may restore it on that acquire.
   */
  abandon?(handled?: number): void;
}

/** Client options about shared stores. */
export interface StoreOptions {
  /**
   * What a call does when a shared store fails or gives no answer within `storeTimeout`:
   * `'throw'` (default): it fails with a `Bitrix24StoreError` naming the store and the
   * operation; `'local'`: that operation uses the in-process store instead (this process's
   * bucket, its own token refresh, its own offset), reported once per outage through `logger`
   * (a `warning`) and `onStoreFallback`. With `'local'`, an outage gives up what the shared store
   * guarantees for its duration (the fleet's shared rate, the single refresh, the one consumer).
   */
  onStoreError?: 'throw' | 'local';
  /**
   * Called once when a store starts failing and the client falls back to the in-process store
   * (`onStoreError: 'local'`); again after it answered once more and failed again. While it
   * fails, operations go to the in-process store at once, asking the shared one again every
   * `storeTimeout` ms.
   */
  onStoreFallback?: (fallback: StoreFallback) => void;
  /** The longest wait for one store operation, in ms (default 2000). */
  storeTimeout?: number;
}

/** What `onStoreFallback` is told. */
export interface StoreFallback {
  /** The store's class name (`RedisBucketStore`). */
  store: string;
  /** The operation that failed (`reserve`). */
  operation: string;
  error: Bitrix24StoreError;
}

export const DEFAULT_STORE_TIMEOUT_MS = 2_000;

/** One client's way of calling its stores: the deadline, the error, the fallback and its report. */
export interface StoreGuard {
  readonly mode: 'throw' | 'local';
  readonly timeout: number;
  /**
   * Runs `op` on `store` within `timeout` ms (default `storeTimeout`; `signal` also ends it). A
   * failure or a missed deadline is a Bitrix24StoreError; with `'local'` and a `local`, that
   * error is reported (once per outage) and `local()`'s result returned instead.
   */
  run<T>(store: object, operation: string, op: (options: StoreCallOptions) => T | Promise<T>, local?: () => T | Promise<T>, limits?: { timeout?: number; signal?: AbortSignal }): Promise<T>;
  /** The store error for `err` (a Bitrix24StoreError passes as it is). */
  error(store: object, operation: string, err: unknown): Bitrix24StoreError;
  /** Reports a fallback (once per outage of the store) when the mode is `'local'`; false in `'throw'` mode. */
  fallingBack(error: Bitrix24StoreError): boolean;
}

/** The store's name in errors: its class name. */
export function storeName(store: object): string {
  const name = (store as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'store';
}

/** Masks the user:password part of any URL in `text` (a Redis URL in a connection error). */
function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
}

export function createStoreGuard(options: StoreOptions, warn: (message: string) => void, secrets: () => string[] = () => []): StoreGuard {
  const mode = options.onStoreError ?? 'throw';
  if (mode !== 'throw' && mode !== 'local') throw new TypeError(`createClient: onStoreError must be 'throw' or 'local', got ${String(mode)}`);
  const timeout = options.storeTimeout ?? DEFAULT_STORE_TIMEOUT_MS;
  if (!(timeout > 0)) throw new TypeError(`createClient: storeTimeout must be a positive number of ms, got ${String(timeout)}`);
  /** Stores failing now (reported once until they answer again), and when to ask them again. */
  const failing = new Map<string, number>();

  const guard: StoreGuard = {
    mode,
    timeout,
    error(store, operation, err) {
      if (err instanceof Bitrix24StoreError) return err;
      const text = err instanceof Error ? err.message : String(err);
      const code = (err as { code?: unknown } | null)?.code === 'STORE_TIMEOUT' ? 'STORE_TIMEOUT' : 'STORE_FAILED';
      return new Bitrix24StoreError({ code, store: storeName(store), operation, description: redact(maskUrlCredentials(text), secrets()) });
    },
    fallingBack(error) {
      if (mode !== 'local') return false;
      // Not asked again for `timeout` ms: during an outage a call goes local at once instead
      // of waiting out the deadline each time; then one call asks the store again.
      const reported = failing.has(error.store);
      failing.set(error.store, Date.now() + timeout);
      if (!reported) {
        warn(`${error.message}; using the in-process store instead until ${error.store} answers again (onStoreError: 'local')`);
        try {
          options.onStoreFallback?.({ store: error.store, operation: error.operation, error });
        } catch {
          // a hook that throws must not change the call's outcome
        }
      }
      return true;
    },
    async run(store, operation, op, local, limits = {}) {
      const ms = limits.timeout ?? timeout;
      const name = storeName(store);
      if (local && mode === 'local' && (failing.get(name) ?? 0) > Date.now()) return local();
      const controller = new AbortController();
      const outer = limits.signal;
      const onOuterAbort = () => controller.abort(outer?.reason);
      if (outer?.aborted) controller.abort(outer.reason);
      else outer?.addEventListener('abort', onOuterAbort, { once: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const err = new Bitrix24StoreError({ code: 'STORE_TIMEOUT', store: name, operation, description: `no answer within ${ms} ms` });
            controller.abort(err);
            reject(err);
          }, Math.min(ms, 2 ** 31 - 1));
        });
        const value = await Promise.race([Promise.resolve().then(() => op({ signal: controller.signal, requestTimeout: timeout })), deadline]);
        failing.delete(name);
        return value;
      } catch (err) {
        // The caller's abort is the caller's to report, not the store's failure.
        if (outer?.aborted && !(err instanceof Bitrix24StoreError)) throw outer.reason ?? err;
        const error = guard.error(store, operation, err);
        if (local && guard.fallingBack(error)) return local();
        throw error;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onOuterAbort);
      }
    },
  };
  return guard;
}

/**
 * Whether `stored` is a pair to use instead of `expired`: another access token, not known to
 * have expired as well (a pair stored an hour ago by a fleet that then went idle is refreshed,
 * not handed out to fail again). What a TokenStore's `refresh` checks before refreshing.
 */
export function storedPairReplaces(stored: OAuthTokens | undefined, expired: OAuthTokens): boolean {
  return stored !== undefined && stored.accessToken !== expired.accessToken && !(stored.expiresAt !== undefined && stored.expiresAt <= Date.now());
}

/**
 * The in-process token store: the default (one per client, so one client refreshes as it
 * always did), or one instance given to several clients of the same application in a process
 * so that they share one refresh and the pair it gives.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly pairs = new Map<string, OAuthTokens>();
  private readonly inFlight = new Map<string, Promise<OAuthTokens>>();

  async get(key: string): Promise<OAuthTokens | undefined> {
    return this.pairs.get(key);
  }

  async set(key: string, tokens: OAuthTokens): Promise<void> {
    this.pairs.set(key, tokens);
  }

  refresh(key: string, expired: OAuthTokens, refresh: (current: OAuthTokens) => Promise<OAuthTokens>): Promise<OAuthTokens> {
    const stored = this.pairs.get(key);
    if (storedPairReplaces(stored, expired)) return Promise.resolve(stored!);
    let pending = this.inFlight.get(key);
    if (!pending) {
      // Started now, not a tick later: its own deadline then runs before those of the calls
      // waiting for it, so a call sent after it failed is not handed the same failure.
      let started: Promise<OAuthTokens>;
      try {
        started = refresh(stored ?? expired);
      } catch (err) {
        started = Promise.reject(err);
      }
      pending = started
        .then((tokens) => {
          this.pairs.set(key, tokens);
          return tokens;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }
}

/**
 * The in-process event cursor: one consumer per key among the streams of this process that
 * share the instance. What `onStoreError: 'local'` falls back to (one instance per process).
 */
export class MemoryEventCursor implements EventCursor {
  private readonly leases = new Map<string, { owner: object; until: number }>();
  private readonly offsets = new Map<string, number>();

  constructor(readonly leaseTtlMs = 10_000) {
    if (!(leaseTtlMs >= 30)) throw new TypeError(`MemoryEventCursor: leaseTtlMs must be at least 30 ms, got ${String(leaseTtlMs)}`);
  }

  async acquire(key: string): Promise<EventLease | undefined> {
    const held = this.leases.get(key);
    if (held && held.until > Date.now()) return undefined;
    const owner = {};
    this.leases.set(key, { owner, until: Date.now() + this.leaseTtlMs });
    const ours = () => {
      const now = this.leases.get(key);
      return now !== undefined && now.owner === owner && now.until > Date.now();
    };
    const extend = () => this.leases.set(key, { owner, until: Date.now() + this.leaseTtlMs });
    return {
      offset: this.offsets.get(key),
      renew: async () => ours() && (extend(), true),
      commit: async (offset: number) => {
        if (!ours()) return false;
        this.offsets.set(key, offset);
        extend();
        return true;
      },
      release: async () => {
        if (ours()) this.leases.delete(key);
      },
    };
  }
}
