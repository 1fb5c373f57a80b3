import { createClient as createRedisClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { builtPackageReady, builtPackageSkipMessage, fleetSize, LOADED_MACHINE_STORE_TIMEOUT_MS, spawnFleet, within, type FleetWorker } from './support/fleet.js';
import { FLEET_BOT, FleetPortal } from './support/fleet-portal.js';
import { haveRedisServer, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * Three bot processes (or B24GEN_FLEET_PROCESSES) run `bot.events()` on the same bot with RedisEventCursor (issue 29): one
 * consumer at a time (a lease), the offset stored after each event's loop body returned. The
 * consumer is killed (SIGKILL) part-way through 1,000 queued events, at a random point, and so
 * is the process that took over from it; each time a standby takes the lease when it lapses and
 * resumes from the stored offset.
 *
 * What the design guarantees, and so what this asserts: events are handled in order, each
 * exactly once, except the one event in flight when a process dies. Its loop body may have run
 * (all or part of it) before the offset moved past it, so the next consumer handles it again:
 * at-least-once for that one event per crash, exactly-once for every other. A handler whose
 * effect must not repeat keys it by `eventId` (unique per event); the effects are then exactly
 * once, in order, which the test checks too.
 */
const EVENTS = 1_000;
const LEASE_TTL_MS = 3_000;
const PROCESSES = fleetSize(3);
/** Every consumer but the last is killed, one after another. */
const KILLS = PROCESSES - 1;

const haveBuiltPackage = haveRedisServer && (await builtPackageReady());
const ready = haveRedisServer && haveBuiltPackage;
if (!haveRedisServer) console.warn(redisSkipMessage('fleet-events.test.ts'));
else if (!haveBuiltPackage) console.warn(builtPackageSkipMessage('fleet-events.test.ts'));

describe.skipIf(!ready)(`a fleet of ${PROCESSES} processes consumes one bot's events through RedisEventCursor`, () => {
  let redis: RedisServer | undefined;
  let portal: FleetPortal | undefined;
  let workers: FleetWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await portal?.close();
    await redis?.stop();
  });

  it(`${EVENTS} events, the consumer killed ${KILLS} times part-way: every event handled, in order, once (the one in flight at each kill at most twice)`, async () => {
    redis = await RedisServer.start();
    portal = await FleetPortal.start({});
    // A new portal numbers them 1..1000, the ids the checks below count on.
    expect(portal.enqueue(EVENTS)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    workers = await spawnFleet(PROCESSES, (id) => ({
      id,
      redisUrl: redis!.url,
      redisLib: id % 2 === 1 ? 'node-redis' : 'ioredis',
      auth: { webhookUrl: portal!.portal.webhookUrl },
      storeTimeout: LOADED_MACHINE_STORE_TIMEOUT_MS,
    }));
    // 250 a page: several polls (2 s apart, the docs' minimum), so the kills and the takeovers
    // cross page boundaries; each body records twice (started, handled), so a kill can land
    // inside one.
    for (const w of workers) w.send({ type: 'events', ...FLEET_BOT, lastEventId: EVENTS, leaseTtlMs: LEASE_TTL_MS, limit: 250 });

    // Kill the consumer at random points: the first at event 100-400, each that took over
    // 150-450 events later (fewer with more processes, so that all fit in the 1,000); the last
    // process finishes.
    const handledBy = (w: FleetWorker) => w.messages.filter((m) => m.type === 'event').length;
    const total = () => workers.reduce((n, w) => n + handledBy(w), 0);
    const victims: { worker: FleetWorker; at: number; aimed: number }[] = [];
    let aim = 100 + Math.floor(Math.random() * 300);
    for (let kill = 0; kill < KILLS; kill++) {
      const victim = await within(
        (async () => {
          for (;;) {
            // The consumer: the live worker that has handled events (the others stand by).
            const consumer = workers.find((w) => w.alive && handledBy(w) > 0);
            if (consumer && total() >= aim) return consumer;
            await new Promise((r) => setTimeout(r, 5));
          }
        })(),
        30_000,
        `a consumer reaching event ${aim}`,
      );
      await victim.kill();
      victims.push({ worker: victim, at: handledBy(victim), aimed: aim });
      aim = total() + Math.floor((150 + Math.random() * 300) * (2 / KILLS));
    }
    const survivor = workers.find((w) => w.alive)!;
    await within(survivor.next('events-done', 40_000), 45_000, 'the last process finishing the queue');

    const reader = createRedisClient({ url: redis.url });
    await reader.connect();
    const handled = (await reader.lRange('fleet:handled', 0, -1)).map((s: string) => s.split(':').map(Number) as [number, number]);
    const started = (await reader.lRange('fleet:started', 0, -1)).map((s: string) => s.split(':').map(Number) as [number, number]);
    await reader.quit();
    const ids = handled.map(([id]) => id);

    // In order, every event, none skipped: with a repeat folded into its first handling, the
    // handled sequence is exactly 1..1000.
    const folded = ids.filter((id, i) => i === 0 || ids[i - 1] !== id);
    expect(folded).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    // The effects keyed by eventId: exactly once each.
    const effects = [...new Set(ids)];
    expect(effects).toHaveLength(EVENTS);
    // Handled twice: at most the event each killed process had in flight, nothing else.
    const repeated = ids.filter((id, i) => i > 0 && ids[i - 1] === id);
    expect(repeated.length).toBeLessThanOrEqual(KILLS);
    const lastOf = (w: FleetWorker) => handled.filter(([, by]) => by === w.id).at(-1)?.[0];
    for (const id of repeated) expect(victims.map((v) => lastOf(v.worker))).toContain(id);
    // Nothing confirmed (deleted at the portal) twice, and nothing confirmed that was not handled.
    expect(new Set(portal.confirmed).size).toBe(portal.confirmed.length);
    const handledSet = new Set(ids);
    expect(portal.confirmed.filter((id) => !handledSet.has(id))).toEqual([]);

    const inFlight = (w: FleetWorker) => started.filter(([, by]) => by === w.id).at(-1)?.[0];
    console.log(
      `fleet-events: ${EVENTS} events, ${PROCESSES} processes; ` +
        victims.map((v) => `worker ${v.worker.id} killed at event ${inFlight(v.worker)} (aimed at ${v.aimed} handled)`).join(', ') +
        `; worker ${survivor.id} finished; handled twice: ${repeated.length ? repeated.join(', ') : 'none'}`,
    );
  }, 90_000);
});
