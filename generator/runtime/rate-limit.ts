/**
 * The client side of the portal's request limit. Bitrix24 counts requests per portal in a leaky
 * bucket (cloud plans: 50, drained at 2 per second; Enterprise: 250 and 5 per second) and
 * answers `QUERY_LIMIT_EXCEEDED` when it is full. Reserving a slot here before sending keeps a
 * burst under the limit, so that error is not hit in the first place: each caller learns how
 * long to wait, and callers are served in the order they asked.
 */

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
 * process; to share one bucket between processes, implement `reserve` (and `release`) on a
 * shared store with an atomic read-modify-write (for example a Redis Lua script doing the
 * arithmetic of MemoryBucketStore.reserve on a hash `{level, at}` per key).
 */
export interface BucketStore {
  /** Takes one slot in bucket `key` at time `now` (ms); returns how many ms to wait before sending (0: now). */
  reserve(key: string, rate: RateLimit, now: number): number | Promise<number>;
  /** Gives back a slot that was reserved but not used (the call was aborted while waiting). */
  release?(key: string, rate: RateLimit, now: number): void | Promise<void>;
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

/** The default store: one bucket per portal for every client in this process. */
export const sharedBucketStore: BucketStore = new MemoryBucketStore();

export function rateLimitFor(option: 'standard' | 'enterprise' | RateLimit | false | undefined): RateLimit | undefined {
  if (option === false) return undefined;
  if (option === undefined || option === 'standard') return RATE_LIMIT_PLANS.standard;
  if (option === 'enterprise') return RATE_LIMIT_PLANS.enterprise;
  if (!(option.limit >= 1) || !(option.drainPerSecond > 0)) {
    throw new TypeError('createClient: rateLimit needs limit >= 1 and drainPerSecond > 0');
  }
  return option;
}
