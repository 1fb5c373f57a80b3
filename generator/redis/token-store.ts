import { storedPairReplaces, type StoreCallOptions, type TokenStore } from '../runtime/stores.js';
import type { OAuthTokens } from '../runtime/tokens.js';
import { holderToken, pause, redisAdapter, type RedisAdapter, type RedisClientLike } from './adapter.js';
import { keyPrefix, type RedisStoreOptions } from './keys.js';
import { READ_PAIR_SCRIPT, RELEASE_SCRIPT, SET_PAIR_SCRIPT, TAKE_SCRIPT, WRITE_REFRESHED_SCRIPT } from './scripts.js';

export interface RedisTokenStoreOptions extends RedisStoreOptions {
  /**
   * How long the refresh lock lives, in ms (default 10000). Longer than the token endpoint's
   * slowest answer: a refresh still running when it lapses loses the lock (its pair is refused
   * and it reads the one of whoever took over). A process that dies mid-refresh holds the
   * others back this long at most.
   */
  lockTtlMs?: number;
}

/** The first and the longest pause between two reads of a waiter (ms): it doubles from one to the other. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/**
 * The OAuth pair on Redis, one per portal and application (a hash holding the access token, the
 * refresh token and the expiry; the key holds neither), shared by every process that uses the
 * same Redis and prefix. A refresh takes a lock (`SET NX PX` with a random holder token); the
 * holder re-reads the pair, refreshes, and writes the new pair and releases the lock in one
 * script, which refuses the write of a holder whose lock lapsed and was taken over (fencing by
 * the holder token). The others poll the pair (every 10 ms, doubling up to 200 ms) until it
 * changes, within their own deadline. Pass it as the client's `tokenStore`.
 */
export class RedisTokenStore implements TokenStore {
  private readonly redis: RedisAdapter;
  private readonly prefix: string;
  readonly lockTtlMs: number;

  constructor(client: RedisClientLike, options: RedisTokenStoreOptions = {}) {
    this.redis = redisAdapter(client, 'RedisTokenStore');
    this.prefix = `${keyPrefix(options, 'RedisTokenStore')}tokens:`;
    this.lockTtlMs = options.lockTtlMs ?? 10_000;
    if (!Number.isInteger(this.lockTtlMs) || this.lockTtlMs < 10) throw new TypeError(`RedisTokenStore: lockTtlMs must be an integer number of ms, at least 10, got ${String(options.lockTtlMs)}`);
  }

  async get(key: string, options?: StoreCallOptions): Promise<OAuthTokens | undefined> {
    return toPair(await this.redis.run(READ_PAIR_SCRIPT, [this.prefix + key], [], options));
  }

  async set(key: string, tokens: OAuthTokens, options?: StoreCallOptions): Promise<void> {
    await this.redis.run(SET_PAIR_SCRIPT, [this.prefix + key], pairArgs(tokens), options);
  }

  async refresh(key: string, expired: OAuthTokens, refresh: (current: OAuthTokens) => Promise<OAuthTokens>, options: StoreCallOptions): Promise<OAuthTokens> {
    const pairKey = this.prefix + key;
    const lockKey = `${pairKey}:lock`;
    const signal = options.signal;
    let poll = FIRST_POLL_MS;
    for (;;) {
      signal.throwIfAborted();
      const stored = await this.get(key, options);
      if (storedPairReplaces(stored, expired)) return stored!;
      const holder = holderToken();
      // A lock taken after this caller gave up is released, not left to hold the others back.
      const release = () => void this.redis.run(RELEASE_SCRIPT, [lockKey], [holder]).then(undefined, () => {});
      if ((await this.redis.run(TAKE_SCRIPT, [lockKey], [holder, String(this.lockTtlMs)], options, (taken) => taken === 1 && release())) === 1) {
        let from: OAuthTokens;
        let fresh: OAuthTokens;
        try {
          // Someone may have written a new pair between the read above and the lock.
          const again = await this.get(key, options);
          if (storedPairReplaces(again, expired)) {
            await this.redis.run(RELEASE_SCRIPT, [lockKey], [holder], options);
            return again!;
          }
          from = again ?? expired;
          fresh = await refresh(from);
        } catch (err) {
          // Best effort: a lock not released lapses after lockTtlMs.
          release();
          throw err;
        }
        const written = await this.redis.run(WRITE_REFRESHED_SCRIPT, [lockKey, pairKey], [holder, from.accessToken, ...pairArgs(fresh)], options);
        if (written === 1) return fresh;
        // Refused: the lock lapsed while this refresh ran and another holder took over. Its pair
        // is the one everyone uses: wait for it like any other waiter.
        poll = FIRST_POLL_MS;
        continue;
      }
      await pause(poll, signal);
      poll = Math.min(MAX_POLL_MS, poll * 2);
    }
  }
}

function pairArgs(tokens: OAuthTokens): string[] {
  return [tokens.accessToken, tokens.refreshToken ?? '', tokens.expiresAt === undefined ? '' : String(tokens.expiresAt)];
}

function toPair(reply: unknown): OAuthTokens | undefined {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string' || reply[0] === '') return undefined;
  const [accessToken, refreshToken, expiresAt] = reply as [string, unknown, unknown];
  return {
    accessToken,
    ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
    ...(typeof expiresAt === 'string' && expiresAt !== '' ? { expiresAt: Number(expiresAt) } : {}),
  };
}
