import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBucketStore, type OAuthTokens, type RateLimit, type StoreCallOptions } from '../generated/src/index.js';
import { RedisBucketStore, RedisEventCursor, RedisTokenStore, redisAdapter } from '../generated/src/redis/index.js';
import { REDIS_KINDS, RedisClients, uniqueKey } from './support/redis-clients.js';
import { haveRedisServer, redisCommand, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * The three Redis stores (issue 29) against a real redis-server on 127.0.0.1, each case with a
 * node-redis client and with an ioredis client: the bucket's arithmetic is MemoryBucketStore's
 * on the server's clock and many clients together never pass the limit; the token lock lets one
 * refresh run and fences off a holder whose lock lapsed; the event lease is exclusive, renewed,
 * taken over after it lapses, and only its holder stores the offset.
 */
if (!haveRedisServer) console.warn(redisSkipMessage('test/redis-stores.test.ts'));

let server: RedisServer;
let clients: RedisClients;
beforeAll(async () => {
  if (!haveRedisServer) return;
  server = await RedisServer.start();
  clients = new RedisClients(server.url);
});
afterAll(async () => {
  await clients?.close();
  await server?.stop();
});

const STANDARD: RateLimit = { limit: 50, drainPerSecond: 2 };
const call = (ms = 2_000): StoreCallOptions => ({ signal: AbortSignal.timeout(ms), requestTimeout: ms });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!haveRedisServer).each(REDIS_KINDS)('with %s', (kind) => {
  describe('the adapter', () => {
    it('tells the client library apart by its methods, and refuses anything else naming what it accepts', async () => {
      expect(redisAdapter(await clients.make(kind), 'test').kind).toBe(kind);
      expect(() => redisAdapter({} as never, 'RedisBucketStore')).toThrow(/RedisBucketStore: expected a connected node-redis client .* or an ioredis client/);
      expect(() => new RedisTokenStore(null as never)).toThrow(TypeError);
    });

    it('runs a script again by EVAL after the server forgot it (SCRIPT FLUSH: NOSCRIPT)', async () => {
      const redis = await clients.make(kind);
      const store = new RedisBucketStore(redis);
      const key = uniqueKey('noscript');
      expect(await store.reserve(key, STANDARD)).toBe(0);
      const admin = await clients.make(kind);
      if (kind === 'node-redis') await (admin as unknown as { scriptFlush(): Promise<unknown> }).scriptFlush();
      else await (admin as unknown as { script(...a: string[]): Promise<unknown> }).script('FLUSH');
      expect(await store.reserve(key, STANDARD)).toBe(0);
    });
  });

  describe('a request that lands after its caller gave up (Redis stalled past requestTimeout)', () => {
    it('gives its bucket slot back, and its event lease, instead of holding them', async () => {
      const key = uniqueKey('late');
      const bucket = new RedisBucketStore(await clients.make(kind));
      const cursor = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 30_000 });
      server.freeze();
      try {
        const short = { signal: new AbortController().signal, requestTimeout: 100 };
        await expect(bucket.reserve(key, STANDARD, 0, short)).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
        await expect(cursor.acquire(key, short)).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
      } finally {
        server.thaw();
      }
      await sleep(100); // the late answers arrive and are undone
      const other = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 30_000 });
      expect(await other.acquire(key, call())).toBeDefined(); // not held for 30 s by the late lease
      const waits = [];
      for (let i = 0; i < 46; i++) waits.push(await bucket.reserve(key, STANDARD));
      expect(waits.slice(0, 45)).toEqual(Array(45).fill(0)); // the late slot was given back
      expect(waits[45]).toBeGreaterThan(0);
    });
  });

  describe('RedisBucketStore', () => {
    it('gives the waits MemoryBucketStore gives for the same sequence (a tenth kept free, ceil of ms), on the server clock', async () => {
      const store = new RedisBucketStore(await clients.make(kind));
      const memory = new MemoryBucketStore();
      const key = uniqueKey('arith');
      const started = Date.now();
      const redisWaits: number[] = [];
      for (let i = 0; i < 60; i++) redisWaits.push(await store.reserve(key, STANDARD));
      const drift = Date.now() - started; // the server's bucket drained this long meanwhile
      const memoryWaits = Array.from({ length: 60 }, () => memory.reserve(key, STANDARD, started));
      // 45 free (50 less a tenth), then 500 ms more per request at 2 per second.
      expect(memoryWaits.slice(0, 46)).toEqual([...Array(45).fill(0), 500]);
      for (let i = 0; i < 60; i++) {
        expect(redisWaits[i]).toBeLessThanOrEqual(memoryWaits[i]!);
        expect(redisWaits[i]).toBeGreaterThanOrEqual(memoryWaits[i]! - drift - 1);
      }
      // After a pause the server's clock drains it as MemoryBucketStore does with the time passed.
      await sleep(600);
      const now = Date.now();
      const after = await store.reserve(key, STANDARD);
      const expected = memory.reserve(key, STANDARD, now);
      expect(Math.abs(after - expected)).toBeLessThanOrEqual(Date.now() - started - (now - started) + drift + 2);
    });

    it('release gives a slot back: the next reservation waits as long as the released one did', async () => {
      const store = new RedisBucketStore(await clients.make(kind));
      const key = uniqueKey('release');
      const filledFrom = Date.now();
      for (let i = 0; i < 45; i++) expect(await store.reserve(key, STANDARD)).toBe(0);
      // The 46th waits for one slot to drain (500 ms at 2/s), less what drained while the 45
      // were reserved: bounds from the time that passed, never a fixed margin (a loaded machine).
      // Redis computes each wait on its own clock, somewhere between the request leaving and the
      // answer arriving: the drain between two waits is bounded by the client's time from before
      // the first request to after the second answer (plus 1 ms for each wait's rounding up).
      const firstSentAt = Date.now();
      const first = await store.reserve(key, STANDARD);
      expect(first).toBeGreaterThanOrEqual(Math.max(0, 500 - (Date.now() - filledFrom) - 1));
      await store.release(key, STANDARD);
      const again = await store.reserve(key, STANDARD);
      expect(again).toBeLessThanOrEqual(first);
      expect(again).toBeGreaterThanOrEqual(first - (Date.now() - firstSentAt) - 2);
    });

    it('keeps 8 clients reserving 200 slots at once under the limit: the k-th send never comes before the bucket has room for it', async () => {
      const stores = await Promise.all(Array.from({ length: 8 }, async () => new RedisBucketStore(await clients.make(kind))));
      const key = uniqueKey('fleet');
      const started = Date.now();
      const waits = (await Promise.all(stores.map((s) => Promise.all(Array.from({ length: 25 }, () => s.reserve(key, STANDARD)))))).flat();
      const spread = Date.now() - started;
      expect(waits).toHaveLength(200);
      waits.sort((a, b) => a - b);
      // With a bucket per process, 8 x 45 would go at once; shared, exactly 45 do.
      expect(waits.filter((w) => w === 0)).toHaveLength(45);
      waits.forEach((w, i) => {
        // Send k = i + 1 at `w`: the bucket holds at most 45 plus what drained by then.
        expect(i + 1).toBeLessThanOrEqual(45 + 1 + Math.floor(((w + spread) / 1000) * STANDARD.drainPerSecond));
      });
      // And no slot is wasted: the last send is due when 155 more have drained (77.5 s).
      expect(waits.at(-1)).toBeGreaterThan(77_500 - spread - 2);
      expect(waits.at(-1)).toBeLessThanOrEqual(77_500);
    });

    it('keeps buckets apart by key and prefix', async () => {
      const redis = await clients.make(kind);
      const key = uniqueKey('prefix');
      const a = new RedisBucketStore(redis, { prefix: 'app-a:' });
      const b = new RedisBucketStore(redis, { prefix: 'app-b:' });
      for (let i = 0; i < 45; i++) await a.reserve(key, STANDARD);
      expect(await a.reserve(key, STANDARD)).toBeGreaterThan(0);
      expect(await b.reserve(key, STANDARD)).toBe(0);
      expect(await a.reserve(uniqueKey('other'), STANDARD)).toBe(0);
    });
  });

  describe('RedisTokenStore', () => {
    const OLD: OAuthTokens = { accessToken: 'access-OLD-0123456789', refreshToken: 'refresh-OLD-0123456789' };

    it('runs one refresh for 6 stores (6 connections) that hit the same expiry; every one gets its pair', async () => {
      const stores = await Promise.all(Array.from({ length: 6 }, async () => new RedisTokenStore(await clients.make(kind), { lockTtlMs: 5_000 })));
      const key = uniqueKey('single');
      const asked: (string | undefined)[] = [];
      const refresh = async (current: OAuthTokens) => {
        asked.push(current.refreshToken);
        await sleep(100);
        return { accessToken: 'access-NEW-0123456789', refreshToken: 'refresh-NEW-0123456789', expiresAt: 1_900_000_000_000 };
      };
      const pairs = await Promise.all(stores.map((s) => s.refresh(key, OLD, refresh, call())));
      expect(asked).toEqual([OLD.refreshToken]);
      for (const p of pairs) expect(p).toEqual({ accessToken: 'access-NEW-0123456789', refreshToken: 'refresh-NEW-0123456789', expiresAt: 1_900_000_000_000 });
      expect(await stores[0]!.get(key, call())).toEqual(pairs[0]);
      // A store that hits the old token's expiry later gets the stored pair without a refresh.
      expect(await new RedisTokenStore(await clients.make(kind)).refresh(key, OLD, refresh, call())).toEqual(pairs[0]);
      expect(asked).toHaveLength(1);
    });

    it('refreshes with the stored refresh token, not the caller’s stale one', async () => {
      const store = new RedisTokenStore(await clients.make(kind));
      const key = uniqueKey('stored');
      await store.set(key, { accessToken: 'access-A-0123456789', refreshToken: 'refresh-A-0123456789' }, call());
      let used: string | undefined;
      const pair = await store.refresh(key, { accessToken: 'access-A-0123456789', refreshToken: 'refresh-STALE' }, async (c) => ((used = c.refreshToken), { accessToken: 'access-B-0123456789' }), call());
      expect(used).toBe('refresh-A-0123456789');
      expect(pair).toEqual({ accessToken: 'access-B-0123456789' });
    });

    it('refreshes a stored pair that is known to have expired as well (a fleet idle past the hour), from its refresh token, instead of handing it out', async () => {
      const store = new RedisTokenStore(await clients.make(kind));
      const key = uniqueKey('stale');
      const stale = { accessToken: 'access-STALE-0123456789', refreshToken: 'refresh-STALE-0123456789', expiresAt: Date.now() - 60_000 };
      await store.set(key, stale, call());
      let used: string | undefined;
      const pair = await store.refresh(key, OLD, async (c) => ((used = c.refreshToken), { accessToken: 'access-FRESH-0123456789', expiresAt: Date.now() + 3_600_000 }), call());
      expect(used).toBe(stale.refreshToken);
      expect(pair.accessToken).toBe('access-FRESH-0123456789');
      // One still valid is handed out as it is.
      expect(await store.refresh(key, OLD, () => Promise.reject(new Error('not asked')), call())).toEqual(pair);
    });

    it('lets another take over when the holder is stuck past the lock’s TTL, and refuses the stuck holder’s late write', async () => {
      const key = uniqueKey('fencing');
      const stuck = new RedisTokenStore(await clients.make(kind), { lockTtlMs: 150 });
      const taker = new RedisTokenStore(await clients.make(kind), { lockTtlMs: 150 });
      let release!: () => void;
      const stuckRefresh = stuck.refresh(
        key,
        OLD,
        async () => {
          await new Promise<void>((r) => (release = r));
          return { accessToken: 'access-STUCK-0123456789', refreshToken: 'refresh-STUCK-0123456789' };
        },
        call(5_000),
      );
      await sleep(50);
      const started = Date.now();
      const taken = await taker.refresh(key, OLD, async () => ({ accessToken: 'access-TAKER-0123456789', refreshToken: 'refresh-TAKER-0123456789' }), call(5_000));
      // It waited for the lock to lapse, no more (plus a poll).
      expect(Date.now() - started).toBeGreaterThanOrEqual(80);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(taken.accessToken).toBe('access-TAKER-0123456789');
      release();
      // The stuck holder's pair is refused; it ends with the taker's, which stays stored.
      expect((await stuckRefresh).accessToken).toBe('access-TAKER-0123456789');
      expect((await taker.get(key, call()))?.accessToken).toBe('access-TAKER-0123456789');
    });

    it('a failed refresh releases the lock at once (a waiter does not wait out the TTL) and is passed on unchanged', async () => {
      const key = uniqueKey('failed');
      const a = new RedisTokenStore(await clients.make(kind), { lockTtlMs: 10_000 });
      const b = new RedisTokenStore(await clients.make(kind), { lockTtlMs: 10_000 });
      const refusal = new Error('invalid_grant');
      const first = a.refresh(key, OLD, async () => (await sleep(50), Promise.reject(refusal)), call());
      await sleep(10);
      const started = Date.now();
      const second = b.refresh(key, OLD, async () => ({ accessToken: 'access-B-0123456789' }), call());
      await expect(first).rejects.toBe(refusal);
      expect((await second).accessToken).toBe('access-B-0123456789');
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('a waiter stops at its own deadline while the holder is stuck', async () => {
      const key = uniqueKey('deadline');
      const holder = new RedisTokenStore(await clients.make(kind), { lockTtlMs: 10_000 });
      const waiter = new RedisTokenStore(await clients.make(kind), { lockTtlMs: 10_000 });
      let release!: () => void;
      const held = holder.refresh(key, OLD, () => new Promise<OAuthTokens>((r) => (release = () => r({ accessToken: 'access-LATE-0123456789' }))), call(5_000));
      await sleep(20);
      const started = Date.now();
      const gaveUp = new Error('the caller’s deadline');
      const controller = new AbortController();
      setTimeout(() => controller.abort(gaveUp), 200);
      await expect(waiter.refresh(key, OLD, async () => ({ accessToken: 'never' }), { signal: controller.signal, requestTimeout: 1_000 })).rejects.toBe(gaveUp);
      // Stopped by its caller at 200 ms, not by its own requestTimeout (1,000 ms).
      expect(Date.now() - started).toBeLessThan(1_000);
      release();
      expect((await held).accessToken).toBe('access-LATE-0123456789');
    });

    it('keeps the tokens out of the key names', async () => {
      const redis = await clients.make(kind);
      const store = new RedisTokenStore(redis, { prefix: `keys-test-${kind}:` });
      const key = `${uniqueKey('names')}|app.123`;
      await store.refresh(key, OLD, async () => ({ accessToken: 'access-SECRET-0123456789', refreshToken: 'refresh-SECRET-0123456789' }), call());
      // Both libraries name the command `keys`.
      const names = await (redis as unknown as { keys(pattern: string): Promise<string[]> }).keys(`b24gen:keys-test-${kind}:*`);
      expect(names).toEqual([`b24gen:keys-test-${kind}:tokens:${key}`]);
      expect(names.join()).not.toMatch(/SECRET|OLD/);
    });
  });

  describe('RedisEventCursor', () => {
    it('gives the lease to one consumer at a time; the other gets none until it is released', async () => {
      const key = uniqueKey('exclusive');
      const a = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const b = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const [la, lb] = await Promise.all([a.acquire(key, call()), b.acquire(key, call())]);
      expect([la, lb].filter(Boolean)).toHaveLength(1);
      const held = (la ?? lb)!;
      const other = la ? b : a;
      expect(await other.acquire(key, call())).toBeUndefined();
      expect(await held.commit(42, call())).toBe(true);
      await held.release(call());
      const next = await other.acquire(key, call());
      expect(next?.offset).toBe(42);
    });

    it('stays with its holder while renewed, past several TTLs', async () => {
      const key = uniqueKey('renewed');
      const a = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 150 });
      const b = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 150 });
      const lease = (await a.acquire(key, call()))!;
      for (let i = 0; i < 8; i++) {
        await sleep(50);
        expect(await lease.renew(call())).toBe(true);
        expect(await b.acquire(key, call())).toBeUndefined();
      }
    });

    it('is taken over once it lapses; the old holder can then neither renew, store an offset, nor release the new lease', async () => {
      const key = uniqueKey('lapsed');
      const a = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 100 });
      const b = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const old = (await a.acquire(key, call()))!;
      expect(await old.commit(10, call())).toBe(true);
      expect(await b.acquire(key, call())).toBeUndefined();
      await sleep(150);
      const taken = (await b.acquire(key, call()))!;
      expect(taken.offset).toBe(10);
      expect(await old.renew(call())).toBe(false);
      expect(await old.commit(99, call())).toBe(false);
      await old.release(call());
      expect(await taken.commit(11, call())).toBe(true);
      await taken.release(call());
      expect((await a.acquire(key, call()))?.offset).toBe(11);
    });

    /** What a Redis that restarted without persistence has lost: the lease and the offset of `key`. */
    const forget = (key: string) => redisCommand(server.port, 'DEL', `b24gen:events:${key}:lease`, `b24gen:events:${key}:offset`);
    const storedOffset = (key: string) => redisCommand(server.port, 'GET', `b24gen:events:${key}:offset`);

    it('restores the offset it committed when Redis lost it (restarted empty), and a higher stored one wins', async () => {
      const key = uniqueKey('restore-own');
      const a = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const b = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const first = (await a.acquire(key, call()))!;
      expect(await first.commit(42, call())).toBe(true);
      await forget(key);
      // The next event's body returned, but its commit finds no lease (gone with Redis's data):
      // refused, yet handled here and by no one else, so a knows 43.
      expect(await first.commit(43, call())).toBe(false);
      const again = (await a.acquire(key, call()))!;
      expect(again.offset).toBe(43);
      expect(await storedOffset(key)).toBe('43');
      await again.release(call());
      // b, which never saw 43, goes on from it; once b stored 50, a's older 43 does not win.
      const taken = (await b.acquire(key, call()))!;
      expect(taken.offset).toBe(43);
      expect(await taken.commit(50, call())).toBe(true);
      await taken.release(call());
      expect((await a.acquire(key, call()))?.offset).toBe(50);
    });

    it('a standby remembers the offset it read while refused and restores it when it takes the lease after Redis lost it', async () => {
      const key = uniqueKey('restore-standby');
      const consumer = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const standby = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const lease = (await consumer.acquire(key, call()))!;
      expect(await lease.commit(17, call())).toBe(true);
      expect(await standby.acquire(key, call())).toBeUndefined(); // reads 17 with the refusal
      expect(await lease.commit(18, call())).toBe(true); // committed after its last read: not known to it
      await forget(key);
      const taken = (await standby.acquire(key, call()))!;
      expect(taken.offset).toBe(17);
      expect(await storedOffset(key)).toBe('17');
      expect(await lease.commit(19, call())).toBe(false); // the old consumer's lease went with Redis
    });

    it('takes its own abandoned lease back at once (a loop restarted after a store error), with the handled offset; another cursor waits', async () => {
      const key = uniqueKey('abandoned');
      const a = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const b = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 5_000 });
      const old = (await a.acquire(key, call()))!;
      expect(await old.commit(5, call())).toBe(true);
      // The stream stopped on a store failure after event 6's body returned (commit 7 never made).
      old.abandon!(7);
      expect(await b.acquire(key, call())).toBeUndefined();
      const back = (await a.acquire(key, call()))!;
      expect(back.offset).toBe(7);
      expect(await storedOffset(key)).toBe('7');
      // Taken under a new holder: the abandoned one's late requests are refused.
      expect(await old.renew(call())).toBe(false);
      expect(await old.commit(6, call())).toBe(false);
      expect(await b.acquire(key, call())).toBeUndefined();
      // Taken back once: a second acquire of a's finds it held.
      expect(await a.acquire(key, call())).toBeUndefined();
    });

    it('keeps its abandoned lease for itself when the acquire taking it back lands after its caller gave up (an outage\'s queued request)', async () => {
      const key = uniqueKey('abandoned-late');
      const a = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 30_000 });
      const b = new RedisEventCursor(await clients.make(kind), { leaseTtlMs: 30_000 });
      const old = (await a.acquire(key, call()))!;
      expect(await old.commit(3, call())).toBe(true);
      old.abandon!(4);
      server.freeze();
      try {
        await expect(a.acquire(key, { signal: new AbortController().signal, requestTimeout: 100 })).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
      } finally {
        server.thaw();
      }
      await sleep(100); // the late answer arrives: a took its lease back under a new holder, after giving up
      // Not released to whoever asks first: still a's, for a's next acquire, with the offset a knows.
      expect(await b.acquire(key, call())).toBeUndefined();
      const back = (await a.acquire(key, call()))!;
      expect(back.offset).toBe(4);
      expect(await old.renew(call())).toBe(false);
    });
  });
});
