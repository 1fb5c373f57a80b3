import { capacity, type BucketStore, type RateLimit } from '../runtime/rate-limit.js';
import type { StoreCallOptions } from '../runtime/stores.js';
import { redisAdapter, type RedisAdapter, type RedisClientLike } from './adapter.js';
import { keyPrefix, type RedisStoreOptions } from './keys.js';
import { BUCKET_SCRIPT } from './scripts.js';

/**
 * The portal's request bucket on Redis, shared by every process that uses the same Redis and
 * prefix: one Lua script per reservation, the arithmetic of MemoryBucketStore (a tenth of the
 * bucket kept free, waits rounded up to the ms) on the Redis server's clock (`TIME`), so the
 * callers' clocks never matter. Pass it as the client's `rateLimitStore`.
 */
export class RedisBucketStore implements BucketStore {
  private readonly redis: RedisAdapter;
  private readonly prefix: string;

  constructor(client: RedisClientLike, options: RedisStoreOptions = {}) {
    this.redis = redisAdapter(client, 'RedisBucketStore');
    this.prefix = `${keyPrefix(options, 'RedisBucketStore')}bucket:`;
  }

  /** Takes a slot in the portal's bucket; the ms to wait before sending (0: now). `now` is ignored: the server's clock counts. */
  async reserve(key: string, rate: RateLimit, _now?: number, options?: StoreCallOptions): Promise<number> {
    const args = [String(rate.drainPerSecond), String(capacity(rate))];
    // A reservation that lands after the caller gave up is given back.
    const wait = await this.redis.run(BUCKET_SCRIPT, [this.prefix + key], [...args, '1'], options, () => void this.redis.run(BUCKET_SCRIPT, [this.prefix + key], [...args, '-1']).then(undefined, () => {}));
    const ms = Number(wait);
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`the bucket script answered ${typeof wait === 'number' || typeof wait === 'string' ? String(wait) : typeof wait}, expected a number of ms`);
    return ms;
  }

  /** Gives back a slot reserved for a call that was aborted while waiting. */
  async release(key: string, rate: RateLimit, _now?: number, options?: StoreCallOptions): Promise<void> {
    await this.redis.run(BUCKET_SCRIPT, [this.prefix + key], [String(rate.drainPerSecond), String(capacity(rate)), '-1'], options);
  }
}
