import type { BucketStore, StoreCallOptions, TokenStore } from '../../generated/src/index.js';
import type { RedisClientLike } from '../../generated/src/redis/index.js';
import { RedisServer, haveRedisServer } from '../support/redis-server.js';

/**
 * What a shared store adds to each call: the Redis stores (`@b24gen/imbot-v2/redis`, built
 * package) beside the in-memory ones, on a redis-server on this machine (127.0.0.1, so the
 * figure is the client library's and Redis's own work plus a loopback round trip; a Redis across
 * a network adds its round-trip time to each figure).
 *
 * Two measures, both sequential (one operation at a time, as one call sees it), p50 and p99 of
 * the samples after a warm-up:
 * - the store operation alone: the bucket's `reserve` (what every call does before it is sent)
 *   and the token store's `get` (the stored pair);
 * - a whole call through `createClient` whose `fetch` answers at once (no network), with the
 *   memory bucket and with the Redis bucket: the difference is the added cost per call.
 */
export interface Percentiles {
  p50: number;
  p99: number;
}

export interface StoreRow {
  what: string;
  memory: Percentiles;
  nodeRedis: Percentiles;
  ioredis: Percentiles;
}

export interface StoresResult {
  samples: number;
  redisVersion: string;
  rows: StoreRow[];
}

const SAMPLES = 5_000;
const WARMUP = 500;
const ROUNDS = 5;
/** A bucket that never makes a call wait: only the store's own cost is timed. */
const OPEN_RATE = { limit: 1e9, drainPerSecond: 1e9 };

/**
 * µs per operation, p50 and p99, for each side of a row: the sides take turns, ROUNDS rounds of
 * SAMPLES / ROUNDS sequential operations each after a warm-up, and each side's percentiles are
 * over all its samples, so a slow spell of the machine (it is shared) falls on every side alike.
 */
async function timeSides<K extends string>(sides: Record<K, () => unknown>): Promise<Record<K, Percentiles>> {
  const samples = new Map<K, number[]>();
  const names = Object.keys(sides) as K[];
  for (const name of names) {
    for (let i = 0; i < WARMUP; i++) await sides[name]();
    samples.set(name, []);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      const us = samples.get(name)!;
      for (let i = 0; i < SAMPLES / ROUNDS; i++) {
        const t = process.hrtime.bigint();
        await sides[name]();
        us.push(Number(process.hrtime.bigint() - t) / 1000);
      }
    }
  }
  const result = {} as Record<K, Percentiles>;
  for (const name of names) {
    const us = samples.get(name)!.sort((a, b) => a - b);
    const at = (q: number) => Math.round(us[Math.min(us.length - 1, Math.floor(q * us.length))]! * 10) / 10;
    result[name] = { p50: at(0.5), p99: at(0.99) };
  }
  return result;
}

export async function storesRun(): Promise<StoresResult | { skipped: string }> {
  if (!haveRedisServer) return { skipped: 'redis-server is not on the PATH (apt-get install -y redis-server)' };
  const pkg = await import('../../generated/dist/esm/index.js');
  const { RedisBucketStore, RedisTokenStore } = await import('../../generated/dist/esm/redis/index.js');
  const { createClient: createNodeRedis } = await import('redis');
  const { Redis: IORedis } = await import('ioredis');

  const server = await RedisServer.start();
  const nodeRedis = createNodeRedis({ url: server.url });
  await nodeRedis.connect();
  const ioredis = new IORedis(server.url);
  try {
    const redisVersion = String((await nodeRedis.info('server')).match(/redis_version:(\S+)/)?.[1] ?? 'unknown');
    const clients: [keyof Omit<StoreRow, 'what' | 'memory'>, RedisClientLike][] = [
      ['nodeRedis', nodeRedis as unknown as RedisClientLike],
      ['ioredis', ioredis as unknown as RedisClientLike],
    ];
    const options: StoreCallOptions = { signal: new AbortController().signal, requestTimeout: 2_000 };
    const pair = { accessToken: 'bench-access-token-0001', refreshToken: 'bench-refresh-token-0001' };
    const [nodeBucket, ioBucket] = clients.map(([name, client]) => new RedisBucketStore(client, { prefix: `bench-${name}:` }));
    const memoryBucket = new pkg.MemoryBucketStore();
    const reserve: StoreRow = {
      what: 'bucket `reserve` (every call)',
      ...(await timeSides({
        memory: () => memoryBucket.reserve('bench', OPEN_RATE, Date.now()),
        nodeRedis: () => nodeBucket!.reserve('bench', OPEN_RATE, Date.now(), options),
        ioredis: () => ioBucket!.reserve('bench', OPEN_RATE, Date.now(), options),
      })),
    };

    const memoryTokens: TokenStore = new pkg.MemoryTokenStore();
    const [nodeTokens, ioTokens] = clients.map(([name, client]) => new RedisTokenStore(client, { prefix: `bench-${name}:` }));
    for (const store of [memoryTokens, nodeTokens!, ioTokens!]) await store.set('bench', pair, options);
    const read: StoreRow = {
      what: 'token store `get` (the stored pair)',
      ...(await timeSides({
        memory: () => memoryTokens.get('bench', options),
        nodeRedis: () => nodeTokens!.get('bench', options),
        ioredis: () => ioTokens!.get('bench', options),
      })),
    };

    // A whole call: the client's work with a fetch that answers at once, with either bucket.
    const answer = JSON.stringify({ result: { result: true }, time: { start: 0, finish: 0, duration: 0, processing: 0 } });
    const fetchAtOnce: typeof fetch = async () => new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } });
    const call = (rateLimitStore: BucketStore) => {
      const client = pkg.createClient({ webhookUrl: 'http://127.0.0.1:9/rest/1/bench-secret/', fetch: fetchAtOnce, rateLimit: OPEN_RATE, rateLimitStore });
      return () => client.imbot.v2.Chat.InputAction.notify({ botId: 1, botToken: 'bench-bot-token', dialogId: 'chat1' });
    };
    const whole: StoreRow = {
      what: 'a whole call (`fetch` answering at once)',
      ...(await timeSides({
        memory: call(new pkg.MemoryBucketStore()),
        nodeRedis: call(new RedisBucketStore(clients[0]![1], { prefix: 'bench-call-node:' })),
        ioredis: call(new RedisBucketStore(clients[1]![1], { prefix: 'bench-call-io:' })),
      })),
    };

    return { samples: SAMPLES, redisVersion, rows: [reserve, read, whole] };
  } finally {
    await nodeRedis.quit();
    ioredis.disconnect();
    await server.stop();
  }
}
