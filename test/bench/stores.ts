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
/** A bucket that never makes a call wait: only the store's own cost is timed. */
const OPEN_RATE = { limit: 1e9, drainPerSecond: 1e9 };

/** µs per sample, p50 and p99. */
async function timeIt(samples: number, op: () => unknown): Promise<Percentiles> {
  for (let i = 0; i < WARMUP; i++) await op();
  const us: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint();
    await op();
    us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  us.sort((a, b) => a - b);
  const at = (q: number) => Math.round(us[Math.min(us.length - 1, Math.floor(q * us.length))]! * 10) / 10;
  return { p50: at(0.5), p99: at(0.99) };
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
    const signal = new AbortController().signal;
    const pair = { accessToken: 'bench-access-token-0001', refreshToken: 'bench-refresh-token-0001' };

    const memoryBucket = new pkg.MemoryBucketStore();
    const reserve: StoreRow = { what: 'bucket `reserve` (every call)', memory: await timeIt(SAMPLES, () => memoryBucket.reserve('bench', OPEN_RATE, Date.now())), nodeRedis: { p50: 0, p99: 0 }, ioredis: { p50: 0, p99: 0 } };
    for (const [name, client] of clients) {
      const store = new RedisBucketStore(client, { prefix: `bench-${name}:` });
      reserve[name] = await timeIt(SAMPLES, () => store.reserve('bench', OPEN_RATE, Date.now(), { signal }));
    }

    const read: StoreRow = { what: 'token store `get` (the stored pair)', memory: { p50: 0, p99: 0 }, nodeRedis: { p50: 0, p99: 0 }, ioredis: { p50: 0, p99: 0 } };
    const memoryTokens = new pkg.MemoryTokenStore();
    await memoryTokens.set('bench', pair, { signal });
    read.memory = await timeIt(SAMPLES, () => memoryTokens.get('bench', { signal }));
    for (const [name, client] of clients) {
      const store = new RedisTokenStore(client, { prefix: `bench-${name}:` });
      await store.set('bench', pair, { signal });
      read[name] = await timeIt(SAMPLES, () => store.get('bench', { signal }));
    }

    // A whole call: the client's work with a fetch that answers at once, with either bucket.
    const answer = JSON.stringify({ result: { result: true }, time: { start: 0, finish: 0, duration: 0, processing: 0 } });
    const fetchAtOnce: typeof fetch = async () => new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } });
    const call = (rateLimitStore: unknown) => {
      const client = pkg.createClient({ webhookUrl: 'http://127.0.0.1:9/rest/1/bench-secret/', fetch: fetchAtOnce, rateLimit: OPEN_RATE, rateLimitStore: rateLimitStore as never });
      return () => client.imbot.v2.Chat.InputAction.notify({ botId: 1, botToken: 'bench-bot-token', dialogId: 'chat1' });
    };
    const whole: StoreRow = { what: 'a whole call (`fetch` answering at once)', memory: await timeIt(SAMPLES, call(new pkg.MemoryBucketStore())), nodeRedis: { p50: 0, p99: 0 }, ioredis: { p50: 0, p99: 0 } };
    for (const [name, client] of clients) whole[name] = await timeIt(SAMPLES, call(new RedisBucketStore(client, { prefix: `bench-call-${name}:` })));

    return { samples: SAMPLES, redisVersion, rows: [reserve, read, whole] };
  } finally {
    await nodeRedis.quit();
    ioredis.disconnect();
    await server.stop();
  }
}
