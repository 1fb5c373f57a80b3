/**
 * One way to run a Lua script on the Redis client the user passes in: a node-redis client (v4,
 * v5: `evalSha(sha, { keys, arguments })`) or an ioredis client (`evalsha(sha, numkeys, ...)`),
 * told apart by their methods; neither package is imported (both are optional peer
 * dependencies of the package). Scripts run by EVALSHA, falling back to EVAL once the server
 * answers NOSCRIPT (a restarted or flushed server forgot them).
 */
import type { StoreCallOptions } from '../runtime/stores.js';

/** The part of a node-redis (v4/v5) client the stores use. */
export interface NodeRedisLike {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * The part of an ioredis client (`Redis`) the stores use. Redis Cluster is not supported: a
 * token or cursor script touches two keys that may live in different slots.
 */
export interface IORedisLike {
  evalsha(sha: string, numkeys: number, ...args: string[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: string[]): Promise<unknown>;
}

/** A connected Redis client: node-redis (`createClient(...)` after `connect()`) or ioredis (`new Redis(...)`). */
export type RedisClientLike = NodeRedisLike | IORedisLike;

/** A Lua script and its SHA-1 (computed once, on first use). */
export interface Script {
  readonly name: string;
  readonly source: string;
}

/** Runs scripts on one client. */
export interface RedisAdapter {
  /** `'node-redis'` or `'ioredis'`: which client was detected. */
  readonly kind: 'node-redis' | 'ioredis';
  /**
   * Runs `script`; with `options`, rejects once `options.requestTimeout` ms pass or
   * `options.signal` aborts, whatever the client does (a disconnected client queues commands
   * until it reconnects: the caller must not wait that long). A request given up on may still
   * run later: `undo` is then called with its reply (to give back a slot, a lock, a lease).
   */
  run(script: Script, keys: string[], args: string[], options?: StoreCallOptions, undo?: (reply: unknown) => void): Promise<unknown>;
}

const shas = new Map<string, Promise<string>>();

/** The script's SHA-1 in hex, as Redis names it (Web Crypto: Node 20+, no import). */
function shaOf(source: string): Promise<string> {
  let sha = shas.get(source);
  if (!sha) {
    sha = globalThis.crypto.subtle.digest('SHA-1', new TextEncoder().encode(source)).then((digest) => [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''));
    shas.set(source, sha);
  }
  return sha;
}

function isNoScript(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return message.includes('NOSCRIPT');
}

/** Runs a script by its SHA-1, and by its source once the server answers NOSCRIPT (each client has its own calls for both). */
async function evalCached(script: Script, bySha: (sha: string) => Promise<unknown>, bySource: (source: string) => Promise<unknown>): Promise<unknown> {
  const sha = await shaOf(script.source);
  try {
    return await bySha(sha);
  } catch (err) {
    if (!isNoScript(err)) throw err;
    return bySource(script.source);
  }
}

/** The adapter for `client`, or a TypeError saying what is accepted. */
export function redisAdapter(client: RedisClientLike, who: string): RedisAdapter {
  const c = client as unknown as Record<string, unknown> | null;
  if (c !== null && typeof c === 'object' && typeof c.evalSha === 'function' && typeof c.eval === 'function') {
    const redis = client as NodeRedisLike;
    return bounded({
      kind: 'node-redis',
      run: (script, keys, args) =>
        evalCached(
          script,
          (sha) => redis.evalSha(sha, { keys, arguments: args }),
          (source) => redis.eval(source, { keys, arguments: args }),
        ),
    });
  }
  if (c !== null && typeof c === 'object' && typeof c.evalsha === 'function' && typeof c.eval === 'function') {
    const redis = client as IORedisLike;
    return bounded({
      kind: 'ioredis',
      run: (script, keys, args) =>
        evalCached(
          script,
          (sha) => redis.evalsha(sha, keys.length, ...keys, ...args),
          (source) => redis.eval(source, keys.length, ...keys, ...args),
        ),
    });
  }
  throw new TypeError(
    `${who}: expected a connected node-redis client (createClient() from 'redis', after connect()) or an ioredis client (new Redis() from 'ioredis'), got ${c === null ? 'null' : typeof c}`,
  );
}

/** The adapter with each request bounded by its options' `requestTimeout` and `signal`. */
function bounded(adapter: RedisAdapter): RedisAdapter {
  return {
    kind: adapter.kind,
    run(script, keys, args, options, undo) {
      const request = adapter.run(script, keys, args);
      if (!options) return request;
      const { signal, requestTimeout } = options;
      let gaveUp = false;
      return new Promise((resolve, reject) => {
        const stop = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          stop();
          gaveUp = true;
          reject(signal.reason);
        };
        const timer = setTimeout(() => {
          stop();
          gaveUp = true;
          reject(Object.assign(new Error(`Redis gave no answer to the ${script.name} script within ${requestTimeout} ms`), { code: 'STORE_TIMEOUT' }));
        }, Math.min(requestTimeout, 2 ** 31 - 1));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        request.then(
          (value) => {
            stop();
            if (gaveUp) undo?.(value);
            else resolve(value);
          },
          (err: unknown) => {
            stop();
            reject(err);
          },
        );
      });
    },
  };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A random token naming one lock or lease holder (never derived from anything secret). */
export function holderToken(): string {
  return globalThis.crypto.randomUUID();
}
