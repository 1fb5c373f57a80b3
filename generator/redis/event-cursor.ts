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

  /**
   * Per key, the highest offset this process knows to be handled: what it committed (or tried
   * to, when the store gave no answer or no one held the lease: commit is called after the loop
   * body returned, so a commit lost in an outage still counts; one refused because another
   * consumer holds the lease does not), what an
   * abandoned lease had reached, and what it read as a standby. Restored on acquire when the stored offset is
   * missing or lower, so a Redis that restarts empty does not hand out again what this process
   * saw handled.
   */
  private readonly known = new Map<string, number>();
  /** Per key, the holder token of this process's lease whose stream stopped on a store failure (abandon()), taken back by the next acquire. */
  private readonly abandoned = new Map<string, string>();

  private remember(key: string, offset: number | undefined): void {
    if (offset !== undefined && offset > (this.known.get(key) ?? -1)) this.known.set(key, offset);
  }

  async acquire(key: string, options?: StoreCallOptions): Promise<EventLease | undefined> {
    const leaseKey = `${this.prefix}${key}:lease`;
    const offsetKey = `${this.prefix}${key}:offset`;
    const holder = holderToken();
    const ttl = String(this.leaseTtlMs);
    const known = this.known.get(key);
    const previous = this.abandoned.get(key);
    // A lease taken after this caller gave up is given back, not left to hold the bot for a TTL;
    // except this process's abandoned lease taken back (it held the bot before this acquire
    // anyway): it stays this process's, for its next acquire to take back with the offset it
    // knows, instead of going to whichever standby asks first after an outage.
    const giveBack = (r: unknown) => {
      if (!Array.isArray(r) || r[0] !== 1) return;
      if (r[2] === 1) this.abandoned.set(key, holder);
      else void this.redis.run(RELEASE_SCRIPT, [leaseKey], [holder]).then(undefined, () => {});
    };
    const reply = await this.redis.run(ACQUIRE_LEASE_SCRIPT, [leaseKey, offsetKey], [holder, ttl, known === undefined ? '' : String(known), previous ?? ''], options, giveBack);
    const read = Array.isArray(reply) ? parseOffset(reply[1]) : undefined;
    this.remember(key, read);
    if (!Array.isArray(reply) || reply[0] !== 1) return undefined;
    if (this.abandoned.get(key) === previous) this.abandoned.delete(key);
    const redis = this.redis;
    const remember = (offset: number) => this.remember(key, offset);
    const abandoned = this.abandoned;
    return {
      offset: read,
      async renew(o) {
        return (await redis.run(RENEW_LEASE_SCRIPT, [leaseKey], [holder, ttl], o)) === 1;
      },
      async commit(offset, o) {
        let reply: unknown;
        try {
          reply = await redis.run(COMMIT_OFFSET_SCRIPT, [leaseKey, offsetKey], [holder, ttl, String(offset)], o);
        } catch (err) {
          // No answer (an outage): the loop body returned, so it is handled here, stored or not.
          remember(offset);
          throw err;
        }
        // Stored, or refused with no lease at all (Redis came back empty, or it lapsed with no
        // taker): handled here and by no one else. Refused with another holder: that consumer's
        // stored offset is the one that counts.
        if (reply === 1 || reply === -1) remember(offset);
        return reply === 1;
      },
      async release(o) {
        await redis.run(RELEASE_SCRIPT, [leaseKey], [holder], o);
      },
      abandon(handled) {
        if (handled !== undefined) remember(handled);
        abandoned.set(key, holder);
      },
    };
  }
}

/** A stored offset as the scripts return it: a non-negative safe integer, or undefined (none, or not a number). */
function parseOffset(raw: unknown): number | undefined {
  if (raw === '' || raw === null || raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
