import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bitrix24StoreError, createClient, type BucketStore, type OAuthTokens, type StoreFallback, type TransportEvent } from '../generated/src/index.js';
import { RedisBucketStore, RedisEventCursor, RedisTokenStore } from '../generated/src/redis/index.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { REDIS_KINDS, RedisClients } from './support/redis-clients.js';
import { haveRedisServer, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * The client with its shared stores (issue 29) against a real redis-server and a real portal
 * and token server on 127.0.0.1: several clients (one per simulated process, each with its own
 * Redis connection) refresh once per expiry and all go on with the new pair; a Redis that stops
 * answering fails a call with a Bitrix24StoreError naming the store and the operation within
 * `storeTimeout`, never a hang, or with `onStoreError: 'local'` falls back and says so once.
 */
if (!haveRedisServer) console.warn(redisSkipMessage('test/redis-client-stores.test.ts'));

const OLD_ACCESS = 'access-OLD-0123456789';
const REFRESH = 'refresh-TOKEN-0123456789';
const CLIENT_SECRET = 'client-SECRET-0123456789';
const SECRETS = [OLD_ACCESS, REFRESH, CLIENT_SECRET];

let redisServer: RedisServer;
let clients: RedisClients;
let portal: TestServer;
let oauth: TestServer;
/** The access token the portal accepts now. */
let valid = 'access-NEW-0123456789';

beforeAll(async () => {
  portal = await TestServer.start();
  oauth = await TestServer.start();
  portal.handle((req, res) => {
    const auth = (req.json as { auth?: string }).auth;
    if (auth === valid) json(res, 200, { result: { id: 1 }, time: TIME });
    else json(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
  });
  if (!haveRedisServer) return;
  redisServer = await RedisServer.start();
  clients = new RedisClients(redisServer.url);
});
afterAll(async () => {
  await clients?.close();
  await redisServer?.stop();
  await portal?.close();
  await oauth?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const get = (client: ReturnType<typeof createClient>) => client.bot({ botId: 7 }).Chat.Message.get({ messageId: 1 });

/** Every way an error is shown, with none of the secrets. */
function shown(err: unknown, secrets: string[] = SECRETS): string {
  const e = err as Error;
  const text = [e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 5 })].join('\n');
  for (const secret of secrets) expect(text).not.toContain(secret);
  return text;
}

/** The OAuth options of one "process": its own portal URL (so its pair has its own key), its own Redis connection. */
function oauthOptions(portalUrl: string, extra: Record<string, unknown> = {}) {
  return { portalUrl, accessToken: OLD_ACCESS, refreshToken: REFRESH, clientId: 'app.0123.4567', clientSecret: CLIENT_SECRET, oauthUrl: oauth.url, rateLimit: false as const, maxRetries: 0, ...extra };
}

describe.skipIf(!haveRedisServer).each(REDIS_KINDS)('with %s', (kind) => {
  it('5 clients (one Redis connection each) hit the same expiry: one request reaches the token endpoint, every call succeeds, onTokens fires once', async () => {
    valid = `access-NEW-${kind}-0123456789`;
    oauth.requests.length = 0;
    oauth.handle(async (_req, res) => {
      await sleep(100);
      json(res, 200, { access_token: valid, refresh_token: `refresh-NEXT-${kind}-0123456789`, expires: Math.floor(Date.now() / 1000) + 3600 });
    });
    // The same portal and application for all: one pair in Redis. Another test's pair lives under another prefix.
    const prefix = `single-${kind}:`;
    const stored: OAuthTokens[] = [];
    const fleet = await Promise.all(
      Array.from({ length: 5 }, async () =>
        createClient(oauthOptions(portal.url, { tokenStore: new RedisTokenStore(await clients.make(kind), { prefix }), onTokens: (t: OAuthTokens) => void stored.push(t) })),
      ),
    );
    await expect(Promise.all(fleet.map(get))).resolves.toEqual(Array(5).fill({ id: 1 }));
    expect(oauth.requests).toHaveLength(1);
    expect(stored).toEqual([{ accessToken: valid, refreshToken: `refresh-NEXT-${kind}-0123456789`, expiresAt: expect.any(Number) }]);
    // Each client keeps the new pair: the next calls go through without asking again.
    await expect(Promise.all(fleet.map(get))).resolves.toHaveLength(5);
    expect(oauth.requests).toHaveLength(1);
    // A client that starts later with the old pair takes the stored one at its first expiry.
    const late = createClient(oauthOptions(portal.url, { tokenStore: new RedisTokenStore(await clients.make(kind), { prefix }) }));
    await expect(get(late)).resolves.toEqual({ id: 1 });
    expect(oauth.requests).toHaveLength(1);
  });

  describe('Redis stops answering', () => {
    // One server per test here: these tests freeze it.
    let own: RedisServer;
    let ownClients: RedisClients;
    beforeAll(async () => {
      own = await RedisServer.start();
      ownClients = new RedisClients(own.url);
    });
    afterAll(async () => {
      own.thaw();
      await ownClients.close();
      await own.stop();
    });

    it('a call fails within storeTimeout with a Bitrix24StoreError naming the store and the operation (bucket, then token store; Redis hung, then stopped)', async () => {
      const bucket = new RedisBucketStore(await ownClients.make(kind));
      const tokens = new RedisTokenStore(await ownClients.make(kind), { prefix: 'frozen:' });
      valid = 'access-FROZEN-0123456789';
      oauth.handle((_req, res) => json(res, 200, { access_token: valid, refresh_token: 'refresh-FROZEN-0123456789' }));
      const limited = createClient({ webhookUrl: `${portal.url}/rest/1/webhook-secret-0123/`, rateLimitStore: bucket, storeTimeout: 300, maxRetries: 0 });
      const refreshing = createClient(oauthOptions(portal.url, { tokenStore: tokens, storeTimeout: 300, timeout: 1_000 }));
      own.freeze();
      try {
        const sent = portal.requests.length;
        let started = Date.now();
        const err = await get(limited).catch((e: unknown) => e);
        expect(Date.now() - started).toBeLessThan(1_500);
        expect(err).toBeInstanceOf(Bitrix24StoreError);
        expect(err).toMatchObject({ code: 'STORE_TIMEOUT', store: 'RedisBucketStore', operation: 'reserve', method: 'imbot.v2.Chat.Message.get' });
        expect((err as Error).message).toBe('RedisBucketStore.reserve: STORE_TIMEOUT: no answer within 300 ms');
        shown(err, ['webhook-secret-0123']);
        // The portal is never reached.
        expect(portal.requests).toHaveLength(sent);

        started = Date.now();
        const refreshErr = await get(refreshing).catch((e: unknown) => e);
        expect(Date.now() - started).toBeLessThan(2_500);
        expect(refreshErr).toBeInstanceOf(Bitrix24StoreError);
        expect(refreshErr).toMatchObject({ store: 'RedisTokenStore', operation: 'refresh' });
        expect(refreshErr).toMatchObject({ code: 'STORE_TIMEOUT' });
        expect((refreshErr as Error).message).toBe('RedisTokenStore.refresh: STORE_TIMEOUT: Redis gave no answer to the read-pair script within 300 ms');
        shown(refreshErr);
      } finally {
        own.thaw();
      }
      // Stopped outright (connections refused while the client reconnects): the same, in time.
      await own.halt();
      try {
        const started = Date.now();
        const err = await get(limited).catch((e: unknown) => e);
        expect(Date.now() - started).toBeLessThan(1_500);
        expect(err).toBeInstanceOf(Bitrix24StoreError);
        expect(err).toMatchObject({ store: 'RedisBucketStore', operation: 'reserve' });
        shown(err, ['webhook-secret-0123']);
      } finally {
        await own.restart();
      }
    });

    it("with onStoreError: 'local' the call goes on with the in-process store, reported once per outage (logger and onStoreFallback)", async () => {
      const bucket = new RedisBucketStore(await ownClients.make(kind));
      const tokens = new RedisTokenStore(await ownClients.make(kind), { prefix: 'local:' });
      valid = `access-LOCAL-${kind}-0123456789`;
      oauth.requests.length = 0;
      oauth.handle((_req, res) => json(res, 200, { access_token: valid, refresh_token: 'refresh-LOCAL-0123456789' }));
      const fallbacks: StoreFallback[] = [];
      const warnings: string[] = [];
      const logger = (e: TransportEvent) => void (e.type === 'warning' && warnings.push(e.message));
      const onStoreFallback = (f: StoreFallback) => void fallbacks.push(f);
      const limited = createClient({ webhookUrl: `${portal.url}/rest/1/webhook-secret-0123/`, rateLimitStore: bucket, storeTimeout: 200, onStoreError: 'local', onStoreFallback, logger });
      portal.handle((req, res) => {
        const auth = (req.json as { auth?: string }).auth;
        if (auth === valid || req.path.includes('webhook-secret')) json(res, 200, { result: { id: 1 }, time: TIME });
        else json(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
      });
      const refreshing = createClient(oauthOptions(portal.url, { tokenStore: tokens, storeTimeout: 200, onStoreError: 'local', onStoreFallback, logger }));
      own.freeze();
      try {
        let started = Date.now();
        await expect(get(limited)).resolves.toEqual({ id: 1 });
        expect(Date.now() - started).toBeGreaterThanOrEqual(190); // it waited for Redis once
        // Then, while Redis is known to fail, the calls go local at once.
        started = Date.now();
        for (let i = 0; i < 2; i++) await expect(get(limited)).resolves.toEqual({ id: 1 });
        // Either of them waiting for Redis would alone take storeTimeout (200 ms): the widest bound that still shows neither did.
        expect(Date.now() - started).toBeLessThan(200);
        expect(fallbacks.map((f) => [f.store, f.operation, f.error.code])).toEqual([['RedisBucketStore', 'reserve', 'STORE_TIMEOUT']]);
        expect(warnings).toEqual(["RedisBucketStore.reserve: STORE_TIMEOUT: no answer within 200 ms; using the in-process store instead until RedisBucketStore answers again (onStoreError: 'local')"]);
        // The token store: this client refreshes on its own.
        await expect(get(refreshing)).resolves.toEqual({ id: 1 });
        expect(oauth.requests).toHaveLength(1);
        expect(fallbacks.map((f) => [f.store, f.operation])).toEqual([
          ['RedisBucketStore', 'reserve'],
          ['RedisTokenStore', 'refresh'],
        ]);
        for (const w of warnings) for (const s of SECRETS) expect(w).not.toContain(s);
      } finally {
        own.thaw();
      }
      // Redis answers again: asked again after storeTimeout, the bucket is used again, and a
      // later outage is reported again.
      await new Promise((r) => setTimeout(r, 250));
      await expect(get(limited)).resolves.toEqual({ id: 1 });
      own.freeze();
      try {
        await expect(get(limited)).resolves.toEqual({ id: 1 });
        expect(fallbacks.filter((f) => f.store === 'RedisBucketStore')).toHaveLength(2);
      } finally {
        own.thaw();
      }
    });
  });
});

describe('the store options', () => {
  it('are checked when the client is made: a clear TypeError naming the option', () => {
    const base = { webhookUrl: 'https://portal.bitrix24.test/rest/1/webhook-code-0123/' };
    expect(() => createClient({ ...base, onStoreError: 'ignore' as 'local' })).toThrow("createClient: onStoreError must be 'throw' or 'local', got ignore");
    expect(() => createClient({ ...base, storeTimeout: 0 })).toThrow('createClient: storeTimeout must be a positive number of ms, got 0');
    expect(() => createClient(base).bot({ botId: 1 }).events({ cursor: {} as never })).toThrow(/^events: cursor must be an EventCursor \(acquire\(\) and leaseTtlMs\)/);
  });
});

describe('a store’s error', () => {
  it('never shows the password of a Redis URL, nor the client’s secrets', async () => {
    const failing: BucketStore = {
      reserve: () => Promise.reject(new Error('connect to redis://default:hunter2-PASSWORD@10.0.0.5:6379 failed; auth was access-OLD-0123456789')),
    };
    const client = createClient(oauthOptions(portal.url, { rateLimit: 'standard', rateLimitStore: failing }));
    const err = await get(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24StoreError);
    expect(err).toMatchObject({ code: 'STORE_FAILED', store: 'store', operation: 'reserve' });
    expect((err as Error).message).toBe('store.reserve: STORE_FAILED: connect to redis://***@10.0.0.5:6379 failed; auth was ***');
    shown(err, [...SECRETS, 'hunter2-PASSWORD']);
  });
});
