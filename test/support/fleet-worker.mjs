// One bot process of a fleet (test/support/fleet.ts spawns several): it imports the BUILT package
// (a copy of generated/dist/esm, what users install) with its Redis stores, connects its own Redis client
// (node-redis or ioredis, as the test asks), and does what the test process tells it over IPC,
// reporting every outcome back. Plain .mjs so it starts in plain node, as a user's process does.
//
// Config (argv[2], JSON): WorkerConfig in fleet.ts. Commands over IPC:
//   { type: 'send', count, prefix, concurrency }: Chat.Message.send with unique texts -> 'sent';
//   { type: 'events', botId, botToken, lastEventId, delayMs, leaseTtlMs, limit, record, restartOnStoreError }: a
//     bot.events() loop with RedisEventCursor -> 'event' per event ('handled' too with record 'ipc'),
//     'lease' per onLease change, 'events-done' or 'events-failed'; with restartOnStoreError, 'store-error' and the loop again;
//   { type: 'exit' }: closes its Redis connection and exits.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(process.argv[2]);
// The test's private copy of generated/dist/esm (fleet.ts builtPackage()).
const { createClient, MemoryBucketStore } = await import(pathToFileURL(join(config.packageDir, 'index.js')).href);
const { RedisBucketStore, RedisEventCursor, RedisTokenStore } = await import(pathToFileURL(join(config.packageDir, 'redis/index.js')).href);
const id = config.id;
const report = (message) => process.send?.({ ...message, worker: id });

/**
 * A connected Redis client of the library the test chose, with the library's default settings
 * (as a user creates it): both queue commands while reconnecting, and reconnect on their own.
 */
async function connectRedis() {
  if (config.redisLib === 'ioredis') {
    const { default: IORedis } = await import('ioredis');
    const redis = new IORedis(config.redisUrl, { lazyConnect: true });
    redis.on('error', () => {}); // a lost connection is reported through the store's errors
    await redis.connect();
    return { redis, close: () => redis.disconnect() };
  }
  const { createClient: createRedisClient } = await import('redis');
  const redis = createRedisClient({ url: config.redisUrl });
  redis.on('error', () => {}); // node-redis needs a listener, or a lost connection ends the process
  await redis.connect();
  return { redis, close: () => redis.destroy() };
}

const { redis, close } = await connectRedis();
/** RPUSH in either library's spelling. */
const push = (list, value) => (config.redisLib === 'ioredis' ? redis.rpush(list, value) : redis.rPush(list, value));

/** Adds the worker's id to every request, the token endpoint's included: the portal tells who asked. */
const taggedFetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('x-fleet-worker', String(id));
  return fetch(input, { ...init, headers });
};

const fallbacks = [];
const warnings = [];
const client = createClient({
  ...config.auth,
  fetch: taggedFetch,
  rateLimit: config.rateLimit,
  // 'memory': the control case, each process with its own bucket (what a fleet has without Redis).
  rateLimitStore: config.bucket === 'memory' ? new MemoryBucketStore() : new RedisBucketStore(redis),
  ...(config.auth.accessToken ? { tokenStore: new RedisTokenStore(redis, { lockTtlMs: config.lockTtlMs ?? 10_000 }) } : {}),
  ...(config.onStoreError ? { onStoreError: config.onStoreError } : {}),
  ...(config.storeTimeout ? { storeTimeout: config.storeTimeout } : {}),
  ...(config.maxRetries !== undefined ? { maxRetries: config.maxRetries } : {}),
  // What the tests read of the fallback to the in-process store (onStoreError: 'local').
  onStoreFallback: ({ store, operation, error }) => fallbacks.push({ store, operation, code: error.code, message: error.message }),
  logger: (event) => {
    if (event.type === 'warning') warnings.push(event.message);
  },
});

/** An error as the test reads it: class, code, store, message. */
const describe = (err) => ({ name: err?.name, code: err?.code, store: err?.store, message: String(err?.message ?? err) });

// botId and botToken: the bot the test portal has registered (FLEET_BOT in fleet-portal.ts).
async function send({ count, prefix, concurrency = 10, dialogId = 'chat1', botId = 7, botToken = 'fleet-bot-token-0001' }) {
  let next = 0;
  let ok = 0;
  const errors = [];
  const started = Date.now();
  async function lane() {
    while (next < count) {
      const n = next++;
      try {
        await client.imbot.v2.Chat.Message.send({ botId, botToken, dialogId, fields: { message: `${prefix}-${n}` } });
        ok++;
      } catch (err) {
        errors.push({ n, ...describe(err) });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  report({ type: 'sent', ok, errors, ms: Date.now() - started, fallbacks: fallbacks.splice(0), warnings: warnings.splice(0) });
}

/**
 * Consumes the bot's events with the Redis cursor until `lastEventId` was handled (by anyone:
 * the shared `done` list says so). Each event's loop body records `started`, waits `delayMs`
 * (so a kill can land inside a body), then records `handled`; the body returning is what
 * "handled" means, and the cursor stores the offset after it.
 */
async function events({ botId, botToken, lastEventId, delayMs = 0, leaseTtlMs = 2_000, limit = 100, key = 'fleet', record = 'redis', restartOnStoreError = false }) {
  const controller = new AbortController();
  const bot = client.bot({ botId, botToken });
  const cursor = new RedisEventCursor(redis, { leaseTtlMs });
  const stop = setInterval(async () => {
    if (record !== 'redis') return;
    try {
      if ((await redis.get(`${key}:finished`)) === '1') controller.abort();
    } catch {
      // Redis away for a moment: asked again on the next tick
    }
  }, 100);
  try {
    // The loop a supervisor keeps running: with restartOnStoreError, a store error (Redis away)
    // is reported and the loop starts again after a short pause, with the same cursor (the one
    // that knows this process's offset), as a bot's main loop or a restarted process would.
    for (;;) {
      try {
        for await (const event of bot.events({ cursor, limit, idleDelay: 5_000, signal: controller.signal, onLease: (change) => report({ type: 'lease', ...change, at: Date.now() }) })) {
          // record 'ipc': only tell the test (for a run where Redis itself goes away).
          if (record === 'redis') await push(`${key}:started`, `${event.eventId}:${id}`);
          report({ type: 'event', eventId: event.eventId, at: Date.now() });
          if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
          if (record === 'redis') await push(`${key}:handled`, `${event.eventId}:${id}`);
          else report({ type: 'handled', eventId: event.eventId, at: Date.now() });
          if (event.eventId >= lastEventId) {
            if (record === 'redis') await redis.set(`${key}:finished`, '1');
            report({ type: 'events-done' });
            return;
          }
        }
        report({ type: 'events-done' });
        return;
      } catch (err) {
        if (!restartOnStoreError || err?.name !== 'Bitrix24StoreError') throw err;
        report({ type: 'store-error', error: describe(err), at: Date.now() });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    report({ type: 'events-failed', error: describe(err) });
  } finally {
    clearInterval(stop);
  }
}

process.on('message', (command) => {
  const run = command.type === 'send' ? send(command) : command.type === 'events' ? events(command) : undefined;
  if (command.type === 'exit') {
    Promise.resolve(close())
      .catch(() => {})
      .finally(() => process.exit(0));
    return;
  }
  run?.catch((err) => report({ type: 'crashed', error: describe(err) }));
});
report({ type: 'ready' });
