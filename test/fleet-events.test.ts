import { createClient as createRedisClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { builtPackageSkipMessage, haveBuiltPackage, spawnFleet, within, type FleetWorker } from './support/fleet.js';
import { FleetPortal } from './support/fleet-portal.js';
import { haveRedisServer, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * Three bot processes run `bot.events()` on the same bot with RedisEventCursor (issue 29): one
 * consumer at a time (a lease), the offset stored after each event's loop body returned. The
 * consumer is killed (SIGKILL) part-way through 1,000 queued events; a standby takes the lease
 * when it lapses and resumes from the stored offset.
 *
 * What the design guarantees, and so what this asserts: events are handled in order, each
 * exactly once, except the one event in flight when a process dies. Its loop body may have run
 * (all or part of it) before the offset moved past it, so the next consumer handles it again:
 * at-least-once for that one event per crash, exactly-once for every other. A handler whose
 * effect must not repeat keys it by `eventId` (unique per event); the effects are then exactly
 * once, in order, which the test checks too.
 */
const EVENTS = 1_000;
const BOT = { botId: 7, botToken: 'fleet-bot-token-0001' };
const LEASE_TTL_MS = 3_000;

const ready = haveRedisServer && haveBuiltPackage;
if (!haveRedisServer) console.warn(redisSkipMessage('fleet-events.test.ts'));
else if (!haveBuiltPackage) console.warn(builtPackageSkipMessage('fleet-events.test.ts'));

describe.skipIf(!ready)('a fleet of 3 processes consumes one bot\'s events through RedisEventCursor', () => {
  let redis: RedisServer | undefined;
  let portal: FleetPortal | undefined;
  let workers: FleetWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await portal?.close();
    await redis?.stop();
  });

  it(`${EVENTS} events, the consumer killed part-way: every event handled, in order, once (the one in flight at the kill at most twice)`, async () => {
    redis = await RedisServer.start();
    portal = await FleetPortal.start({});
    portal.enqueue(BOT.botId, 1, EVENTS);
    workers = await spawnFleet(3, (id) => ({
      id,
      redisUrl: redis!.url,
      redisLib: id % 2 === 1 ? 'node-redis' : 'ioredis',
      auth: { webhookUrl: portal!.portal.webhookUrl },
    }));
    // 250 a page: several polls (2 s apart, the docs' minimum), so the kill and the takeover
    // cross page boundaries; a 1 ms pause in each body lets the kill land inside one.
    for (const w of workers) w.send({ type: 'events', ...BOT, lastEventId: EVENTS, delayMs: 1, leaseTtlMs: LEASE_TTL_MS, limit: 250 });

    const handledBy = (w: FleetWorker) => w.messages.filter((m) => m.type === 'event').length;
    const killAt = 150 + Math.floor(Math.random() * 500);
    const victim = await within(
      (async () => {
        for (;;) {
          const consumer = workers.find((w) => handledBy(w) > 0);
          if (consumer && handledBy(consumer) >= killAt) return consumer;
          await new Promise((r) => setTimeout(r, 5));
        }
      })(),
      30_000,
      `the first consumer reaching event ${killAt}`,
    );
    await victim.kill();
    const killedAfter = handledBy(victim);
    const survivors = workers.filter((w) => w !== victim);

    // A survivor takes the lease once it lapses and handles the rest.
    const finisher = await within(
      Promise.any(survivors.map((w) => w.next('events-done', 40_000).then(() => w))),
      45_000,
      'the takeover finishing the queue',
    );
    const reader = createRedisClient({ url: redis.url });
    await reader.connect();
    const handled = (await reader.lRange('fleet:handled', 0, -1)).map((s) => s.split(':').map(Number) as [number, number]);
    const started = (await reader.lRange('fleet:started', 0, -1)).map((s) => s.split(':').map(Number) as [number, number]);
    await reader.quit();
    const ids = handled.map(([id]) => id);

    // In order: never an event before one already handled.
    for (let i = 1; i < ids.length; i++) expect(ids[i], `handled[${i}] after ${ids[i - 1]}`).toBeGreaterThanOrEqual(ids[i - 1]!);
    // Every event; the effects, keyed by eventId, exactly once and in order.
    const effects = [...new Set(ids)];
    expect(effects).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    // At most the event in flight at the kill handled twice (by the victim, then the taker).
    const repeated = ids.filter((id, i) => i > 0 && ids[i - 1] === id);
    expect(repeated.length).toBeLessThanOrEqual(1);
    const victimIds = handled.filter(([, w]) => w === victim.id).map(([id]) => id);
    const victimStarted = started.filter(([, w]) => w === victim.id).map(([id]) => id);
    if (repeated.length === 1) expect(repeated[0]).toBe(victimIds.at(-1));
    // The victim handled a prefix, the finisher took over right after it (or at the event in flight).
    expect(victimIds).toEqual(Array.from({ length: victimIds.length }, (_, i) => i + 1));
    const inFlight = victimStarted.at(-1)!;
    const takeoverFirst = handled.find(([, w]) => w !== victim.id)![0];
    expect([inFlight, inFlight + 1]).toContain(takeoverFirst);
    // Nothing confirmed (deleted at the portal) twice, and nothing confirmed that was not handled.
    expect(new Set(portal.confirmed).size).toBe(portal.confirmed.length);
    for (const id of portal.confirmed) expect(effects).toContain(id);

    console.log(
      `fleet-events: ${EVENTS} events; worker ${victim.id} killed after ${killedAfter} (aimed at ${killAt}; event ${inFlight} in flight), ` +
        `worker ${finisher.id} took over at event ${takeoverFirst}; handled twice: ${repeated.length ? repeated.join(', ') : 'none'}`,
    );
  }, 60_000);
});
