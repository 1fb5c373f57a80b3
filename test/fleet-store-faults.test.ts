import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtPackageReady, builtPackageSkipMessage, FleetWorker, spawnFleet, within, type WorkerMessage } from './support/fleet.js';
import { FLEET_BOT, FleetPortal } from './support/fleet-portal.js';
import { haveRedisServer, redisCommand, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * Redis goes away under a running fleet (issue 29): unreachable (the server killed: connection
 * refused), hung (the process stopped: connections accepted, never answered), and restarted
 * mid-run (empty: no persistence). Four processes, each Redis library with each choice of
 * `onStoreError`, use the client libraries' default settings (they queue commands while
 * reconnecting, which is what would hang a call without the store's deadline). A call either
 * fails with a Bitrix24StoreError naming the store, or, with `onStoreError: 'local'`, goes on
 * with the in-process store and says so (onStoreFallback, a logger warning); none hangs: each
 * round is bounded, and a missed bound fails the test.
 */
const BUCKET = { limit: 50, drainPerSecond: 100 };
/** The default deadline of a store operation, what users get. */
const STORE_TIMEOUT_MS = 2_000;
/** A round of calls may take the store's deadline, a few times over, never more. */
const ROUND_BOUND_MS = 15_000;

const haveBuiltPackage = haveRedisServer && (await builtPackageReady());
const ready = haveRedisServer && haveBuiltPackage;
if (!haveRedisServer) console.warn(redisSkipMessage('fleet-store-faults.test.ts'));
else if (!haveBuiltPackage) console.warn(builtPackageSkipMessage('fleet-store-faults.test.ts'));

type SendError = { name: string; code: string; store?: string; message: string };
const errorsOf = (r: WorkerMessage) => r.errors as SendError[];

describe.skipIf(!ready)('a fleet when Redis is unreachable, hung or restarted', () => {
  let redis: RedisServer;
  let portal: FleetPortal;
  let workers: FleetWorker[] = [];
  const MODES = [
    { redisLib: 'node-redis', onStoreError: 'throw' },
    { redisLib: 'ioredis', onStoreError: 'throw' },
    { redisLib: 'node-redis', onStoreError: 'local' },
    { redisLib: 'ioredis', onStoreError: 'local' },
  ] as const;
  const throwing = () => workers.filter((w) => MODES[w.id - 1]!.onStoreError === 'throw');
  const local = () => workers.filter((w) => MODES[w.id - 1]!.onStoreError === 'local');

  beforeAll(async () => {
    redis = await RedisServer.start();
    portal = await FleetPortal.start({ bucket: BUCKET });
    workers = await spawnFleet(MODES.length, (id) => ({
      id,
      redisUrl: redis.url,
      redisLib: MODES[id - 1]!.redisLib,
      auth: { webhookUrl: portal.portal.webhookUrl },
      rateLimit: BUCKET,
      onStoreError: MODES[id - 1]!.onStoreError,
      storeTimeout: STORE_TIMEOUT_MS,
    }));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await portal?.close();
    await redis?.stop();
  });

  /** Every worker sends `count`; the reports by worker id, the round bounded by `boundMs`. */
  async function round(name: string, count: number, boundMs = ROUND_BOUND_MS, concurrency = count): Promise<Map<number, WorkerMessage>> {
    for (const w of workers) w.send({ type: 'send', count, prefix: `${name}-w${w.id}`, concurrency });
    const reports = await within(Promise.all(workers.map((w) => w.next('sent', boundMs + 5_000))), boundMs, `round '${name}'`);
    return new Map(reports.map((r) => [r.worker, r]));
  }


  /** The throwing workers failed every call with a store error naming RedisBucketStore; the local ones fell back and said so. */
  function expectStoreFailure(reports: Map<number, WorkerMessage>, count: number, codes: string[]) {
    for (const w of throwing()) {
      const r = reports.get(w.id)!;
      expect(r.ok, `worker ${w.id} (${MODES[w.id - 1]!.redisLib}, throw)`).toBe(0);
      expect(errorsOf(r)).toHaveLength(count);
      for (const e of errorsOf(r)) {
        expect(e.name).toBe('Bitrix24StoreError');
        expect(codes).toContain(e.code);
        expect(e.store).toBe('RedisBucketStore');
        expect(e.message).toContain('RedisBucketStore');
      }
    }
    for (const w of local()) {
      const r = reports.get(w.id)!;
      expect(errorsOf(r), `worker ${w.id} (${MODES[w.id - 1]!.redisLib}, local)`).toEqual([]);
      expect(r.ok).toBe(count);
      const fallbacks = r.fallbacks as { store: string; code: string }[];
      expect(fallbacks.length).toBeGreaterThanOrEqual(1);
      expect(fallbacks[0]!.store).toBe('RedisBucketStore');
      expect((r.warnings as string[]).join('\n')).toMatch(/RedisBucketStore.*in-process store/);
    }
  }

  /**
   * Until every process has made a call through Redis, one process at a time (bounded). No error
   * and no fallback report is not enough for a 'local' process: while its client still counts
   * Redis as failing (for storeTimeout after a failure) it uses its own bucket at once, saying
   * nothing more in the same outage. So the bucket's key (which expires once empty) is deleted
   * before each call and must be back after it: that call reserved its slot on Redis.
   */
  const untilAllThroughRedis = (what: string) =>
    within(
      (async () => {
        const key = `b24gen:bucket:${portal.portal.origin}`;
        for (const w of workers) {
          for (;;) {
            const deleted = await redisCommand(redis.port, 'DEL', key).catch(() => undefined);
            if (deleted !== undefined) {
              w.send({ type: 'send', count: 1, prefix: `${what}-w${w.id}-${Date.now()}` });
              const r = await w.next('sent', 30_000);
              if (errorsOf(r).length === 0 && (await redisCommand(redis.port, 'EXISTS', key).catch(() => '')) === ':1') break;
            }
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      })(),
      40_000,
      `every process working through Redis (${what})`,
    );

  it('Redis answering: every process works through it', async () => {
    await untilAllThroughRedis('up');
  }, 50_000);

  it('Redis unreachable (killed, connection refused): a clear store error, or the local fallback, within the bound', async () => {
    await redis.halt();
    const started = Date.now();
    const reports = await round('down', 5);
    expectStoreFailure(reports, 5, ['STORE_FAILED', 'STORE_TIMEOUT']);
    console.log(`fleet-store-faults: Redis down, 5 calls x 4 processes settled in ${Date.now() - started} ms`);
  }, 30_000);

  it('Redis hung (stopped, connections never answered): STORE_TIMEOUT after storeTimeout, or the local fallback', async () => {
    await redis.restart();
    // The clients reconnect on their own (their default strategies); wait until all answer again.
    await untilAllThroughRedis('reconnect');
    redis.freeze();
    try {
      const started = Date.now();
      const reports = await round('hung', 3);
      expectStoreFailure(reports, 3, ['STORE_TIMEOUT']);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(STORE_TIMEOUT_MS);
      console.log(`fleet-store-faults: Redis hung, 3 calls x 4 processes settled in ${elapsed} ms (storeTimeout ${STORE_TIMEOUT_MS} ms)`);
    } finally {
      redis.thaw();
    }
  }, 60_000);

  it('Redis restarted mid-run (empty): calls go on or fail with a store error, none lost or run twice, all succeed after', async () => {
    const count = 60;
    for (const w of workers) w.send({ type: 'send', count, prefix: `restart-w${w.id}`, concurrency: 4 });
    await new Promise((r) => setTimeout(r, 300));
    await redis.restart();
    const reports = new Map(
      (await within(Promise.all(workers.map((w) => w.next('sent', 30_000))), 30_000, 'the restart round')).map((r) => [r.worker, r]),
    );
    let failed = 0;
    for (const w of workers) {
      const r = reports.get(w.id)!;
      expect((r.ok as number) + errorsOf(r).length).toBe(count);
      for (const e of errorsOf(r)) {
        expect(e.name, e.message).toBe('Bitrix24StoreError');
        expect(e.message).toContain('RedisBucketStore');
      }
      if (MODES[w.id - 1]!.onStoreError === 'local') expect(errorsOf(r)).toEqual([]);
      failed += errorsOf(r).length;
    }
    // What the portal ran is exactly what succeeded: nothing sent twice, nothing lost.
    const texts = portal.sent.map((m) => m.text).filter((t) => t.startsWith('restart-'));
    expect(new Set(texts).size).toBe(texts.length);
    const ok = [...reports.values()].reduce((n, r) => n + (r.ok as number), 0);
    expect(texts).toHaveLength(ok);

    // Once the clients have reconnected, every process works through Redis again.
    await untilAllThroughRedis('after');
    console.log(`fleet-store-faults: Redis restarted under ${4 * count} calls: ${failed} failed with a store error (throw mode), the rest ran once each`);
  }, 80_000);
});

describe.skipIf(!ready)('the token store and the event cursor when Redis goes away', () => {
  let redis: RedisServer;
  let portal: FleetPortal;
  const workers: FleetWorker[] = [];
  const OAUTH = { accessToken: 'access-faults-0001', refreshToken: 'refresh-faults-0001', clientId: 'app.faults', clientSecret: 'faults-client-secret', ttlMs: 3_600_000 };

  beforeAll(async () => {
    redis = await RedisServer.start();
    portal = await FleetPortal.start({ oauth: OAUTH });
  });
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await Promise.all(closers.map((close) => close()));
    await portal?.close();
    await redis?.stop();
  });

  const oauthWorker = (id: number, redisLib: 'node-redis' | 'ioredis', onStoreError: 'throw' | 'local') =>
    FleetWorker.spawn({
      id,
      redisUrl: redis.url,
      redisLib,
      auth: { portalUrl: portal.portal.origin, oauthUrl: portal.portal.origin, accessToken: OAUTH.accessToken, refreshToken: OAUTH.refreshToken, clientId: OAUTH.clientId, clientSecret: OAUTH.clientSecret },
      // The bucket in memory: only the token store and the cursor meet the outage here.
      bucket: 'memory',
      rateLimit: { limit: 1_000, drainPerSecond: 1_000 },
      onStoreError,
      storeTimeout: STORE_TIMEOUT_MS,
      lockTtlMs: 2_000,
    });

  it('an expiry while Redis is down: RedisTokenStore named in the error and no refresh (throw), or this process refreshes alone and says so (local)', async () => {
    const throwing = await oauthWorker(1, 'node-redis', 'throw');
    const local = await oauthWorker(2, 'ioredis', 'local');
    workers.push(throwing, local);
    await redis.halt();
    portal.portal.expireToken();

    throwing.send({ type: 'send', count: 2, prefix: 'expired-throw' });
    const failed = await within(throwing.next('sent', ROUND_BOUND_MS + 5_000), ROUND_BOUND_MS, 'the throwing process\'s calls');
    expect(failed.ok).toBe(0);
    for (const e of errorsOf(failed)) {
      expect(e).toMatchObject({ name: 'Bitrix24StoreError', store: 'RedisTokenStore' });
      expect(e.message).toContain('RedisTokenStore');
      expect(e.message).not.toContain(OAUTH.refreshToken);
      expect(e.message).not.toContain(OAUTH.clientSecret);
    }
    // The single refresh is not given up in 'throw' mode: nobody asked the token endpoint.
    expect(portal.portal.stats.tokenRequests).toBe(0);

    local.send({ type: 'send', count: 2, prefix: 'expired-local' });
    const fellBack = await within(local.next('sent', ROUND_BOUND_MS + 5_000), ROUND_BOUND_MS, 'the local process\'s calls');
    expect(errorsOf(fellBack)).toEqual([]);
    expect(fellBack.ok).toBe(2);
    expect((fellBack.fallbacks as { store: string }[]).map((f) => f.store)).toContain('RedisTokenStore');
    expect(portal.portal.stats.tokenRequests).toBe(1);
    console.log(`fleet-store-faults: expiry with Redis down: throw -> ${errorsOf(failed)[0]?.message}`);
  }, 45_000);

  it('Redis goes away under bot.events(): the loop ends with an error naming RedisEventCursor (throw), within the bound', async () => {
    await redis.restart();
    // A webhook portal of its own (the OAuth one above wants its rotated token).
    const queue = await FleetPortal.start({});
    expect(queue.enqueue(400)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const consumer = await FleetWorker.spawn({ id: 3, redisUrl: redis.url, redisLib: 'node-redis', auth: { webhookUrl: queue.portal.webhookUrl }, bucket: 'memory', storeTimeout: STORE_TIMEOUT_MS });
    workers.push(consumer);
    closers.push(() => queue.close());
    consumer.send({ type: 'events', ...FLEET_BOT, lastEventId: 400, delayMs: 20, leaseTtlMs: 1_500, limit: 400, record: 'ipc' });
    await consumer.next('event', 30_000);
    await redis.halt();
    const haltedAt = Date.now();
    const ended = await within(consumer.next('events-failed', ROUND_BOUND_MS + 5_000), ROUND_BOUND_MS, 'the event loop ending');
    const error = ended.error as SendError;
    expect(error).toMatchObject({ name: 'Bitrix24StoreError', store: 'RedisEventCursor' });
    expect(error.message).toContain('RedisEventCursor');
    // Events after the outage began were not handed out unconfirmed-to-the-store: the loop
    // stopped at the first offset it could not store.
    const handed = 1 + consumer.messages.filter((m) => m.type === 'event').length; // the first was taken by next('event')
    expect(handed).toBeLessThan(400);
    console.log(`fleet-store-faults: Redis gone under events(): the loop ended ${Date.now() - haltedAt} ms later after ${handed} events handed out: ${error.message}`);
  }, 60_000);
});
