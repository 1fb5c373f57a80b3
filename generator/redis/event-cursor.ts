import type { EventCursor, EventLease, StoreCallOptions } from '../runtime/stores.js';
import { holderToken, redisAdapter, type RedisAdapter, type RedisClientLike } from './adapter.js';
import { keyPrefix, type RedisStoreOptions } from './keys.js';
import { ACQUIRE_LEASE_SCRIPT, COMMIT_OFFSET_SCRIPT, RELEASE_SCRIPT, RENEW_LEASE_SCRIPT } from './scripts.js';

export interface RedisEventCursorOptions extends RedisStoreOptions {
  /**
   * How long a consumer's lease lives without renewal, in ms (default 10000). The stream renews
   * it every third of that while it runs; when a consumer dies, a standby takes over after at
   * most this long.
   */
  leaseTtlMs?: number;
}

/**
 * One bot's fetch-mode consumer and its offset on Redis: a lease per bot (`SET NX PX` with a
 * random holder token), renewed and given up only by its holder (scripts compare the token),
 * and the offset stored only while the lease is still the writer's. Pass it as
 * `bot.events({ cursor })` in every process: one of them consumes, the others stand by.
 */
export class RedisEventCursor implements EventCursor {
  private readonly redis: RedisAdapter;
  private readonly prefix: string;
  readonly leaseTtlMs: number;

  constructor(client: RedisClientLike, options: RedisEventCursorOptions = {}) {
    this.redis = redisAdapter(client, 'RedisEventCursor');
    this.prefix = `${keyPrefix(options, 'RedisEventCursor')}events:`;
    this.leaseTtlMs = options.leaseTtlMs ?? 10_000;
    if (!Number.isInteger(this.leaseTtlMs) || this.leaseTtlMs < 30) throw new TypeError(`RedisEventCursor: leaseTtlMs must be an integer number of ms, at least 30, got ${String(options.leaseTtlMs)}`);
  }

  async acquire(key: string, options?: StoreCallOptions): Promise<EventLease | undefined> {
    const leaseKey = `${this.prefix}${key}:lease`;
    const offsetKey = `${this.prefix}${key}:offset`;
    const holder = holderToken();
    const ttl = String(this.leaseTtlMs);
    // A lease taken after this caller gave up is given back, not left to hold the bot for a TTL.
    const giveBack = (r: unknown) => Array.isArray(r) && r[0] === 1 && void this.redis.run(RELEASE_SCRIPT, [leaseKey], [holder]).then(undefined, () => {});
    const reply = await this.redis.run(ACQUIRE_LEASE_SCRIPT, [leaseKey, offsetKey], [holder, ttl], options, giveBack);
    if (!Array.isArray(reply) || reply[0] !== 1) return undefined;
    const stored = reply[1] === '' || reply[1] === null || reply[1] === undefined ? undefined : Number(reply[1]);
    const redis = this.redis;
    return {
      offset: stored !== undefined && Number.isSafeInteger(stored) && stored >= 0 ? stored : undefined,
      async renew(o) {
        return (await redis.run(RENEW_LEASE_SCRIPT, [leaseKey], [holder, ttl], o)) === 1;
      },
      async commit(offset, o) {
        return (await redis.run(COMMIT_OFFSET_SCRIPT, [leaseKey, offsetKey], [holder, ttl, String(offset)], o)) === 1;
      },
      async release(o) {
        await redis.run(RELEASE_SCRIPT, [leaseKey], [holder], o);
      },
    };
  }
}
