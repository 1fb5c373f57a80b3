import { afterAll, describe, expect, it } from 'vitest';
import { builtPackageSkipMessage, haveBuiltPackage, spawnFleet, type FleetWorker, type WorkerMessage } from './support/fleet.js';
import { FleetPortal, portalMaximum } from './support/fleet-portal.js';
import { haveRedisServer, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * Four bot processes on one portal share its leaky bucket through RedisBucketStore (issue 29):
 * 2,000 `Chat.Message.send` in all, with the portal keeping the real bucket and refusing what
 * overflows it. The cloud plan's bucket is 50 drained at 2 per second, which would make this
 * take ~1,000 s: the test keeps the bucket (50) and scales the drain to 100 per second, so the
 * same arithmetic runs 50 times faster (about 20 s). Two workers use node-redis, two ioredis:
 * one fleet, one bucket, whichever library a process was written with.
 */
const BUCKET = { limit: 50, drainPerSecond: 100 };
const PROCESSES = 4;
const MESSAGES = 2_000;

const ready = haveRedisServer && haveBuiltPackage;
if (!haveRedisServer) console.warn(redisSkipMessage('fleet-rate-limit.test.ts'));
else if (!haveBuiltPackage) console.warn(builtPackageSkipMessage('fleet-rate-limit.test.ts'));

describe.skipIf(!ready)('a fleet of 4 processes shares the portal bucket through Redis', () => {
  let redis: RedisServer | undefined;
  let portal: FleetPortal | undefined;
  let workers: FleetWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await portal?.close();
    await redis?.stop();
  });

  it(`${MESSAGES} Chat.Message.send: no QUERY_LIMIT_EXCEEDED surfaced, none lost or duplicated, throughput >= 0.9 of the portal's maximum`, async () => {
    redis = await RedisServer.start();
    portal = await FleetPortal.start({ bucket: BUCKET });
    const webhookUrl = portal.portal.webhookUrl;
    workers = await spawnFleet(PROCESSES, (id) => ({
      id,
      redisUrl: redis!.url,
      redisLib: id % 2 === 1 ? 'node-redis' : 'ioredis',
      auth: { webhookUrl },
      rateLimit: BUCKET,
    }));
    const perProcess = MESSAGES / PROCESSES;
    for (const w of workers) w.send({ type: 'send', count: perProcess, prefix: `w${w.id}`, concurrency: 10 });
    const reports: WorkerMessage[] = await Promise.all(workers.map((w) => w.next('sent', 50_000)));

    // Nothing surfaced: every call returned its result (a QUERY_LIMIT_EXCEEDED would be here).
    const errors = reports.flatMap((r) => r.errors as { code: string }[]);
    expect(errors).toEqual([]);
    expect(reports.map((r) => r.ok)).toEqual(workers.map(() => perProcess));

    // None lost, none duplicated: the portal ran each unique text exactly once.
    const texts = portal.sent.map((m) => m.text);
    expect(texts).toHaveLength(MESSAGES);
    expect(new Set(texts).size).toBe(MESSAGES);
    const expected = workers.flatMap((w) => Array.from({ length: perProcess }, (_, n) => `w${w.id}-${n}`));
    expect([...texts].sort()).toEqual(expected.sort());

    // Throughput on the portal's own clock, from its first accepted send to its last: the most
    // its bucket lets through in that time is a full bucket plus what drained meanwhile.
    const times = portal.sent.map((m) => m.at);
    const first = Math.min(...times);
    const last = Math.max(...times);
    const maximum = portalMaximum(BUCKET, first, last);
    const ratio = MESSAGES / maximum;
    console.log(
      `fleet-rate-limit: ${PROCESSES} processes, ${MESSAGES} sends in ${((last - first) / 1000).toFixed(2)} s on the portal's clock; ` +
        `portal maximum ${maximum.toFixed(0)} (bucket ${BUCKET.limit}, ${BUCKET.drainPerSecond}/s) -> throughput ${ratio.toFixed(3)} of it; ` +
        `refused by the portal's bucket (and retried): ${portal.portal.rejectedByBucket}`,
    );
    expect(ratio).toBeGreaterThanOrEqual(0.9);
    // The shared bucket keeps the fleet at the portal's rate. The client leaves a tenth of the
    // bucket free for requests that reach the portal later than planned (5 requests: 2.5 s of
    // delivery jitter at the cloud's 2/s, but only 50 ms at this test's 100/s), so on a loaded
    // machine the portal may refuse a few, which the client retries unseen. A fleet without the
    // shared bucket overshoots by hundreds (the control below); a few here, never surfaced.
    expect(portal.portal.rejectedByBucket).toBeLessThanOrEqual(MESSAGES * 0.05);
  }, 60_000);

  it('the control: the same fleet with a bucket per process overshoots the portal (what the shared bucket prevents)', async () => {
    const control = await FleetPortal.start({ bucket: BUCKET });
    const fleet = await spawnFleet(PROCESSES, (id) => ({
      id: 10 + id,
      redisUrl: redis!.url,
      redisLib: 'node-redis',
      auth: { webhookUrl: control.portal.webhookUrl },
      rateLimit: BUCKET,
      bucket: 'memory',
    }));
    workers.push(...fleet);
    try {
      for (const w of fleet) w.send({ type: 'send', count: 100, prefix: `control-w${w.id}`, concurrency: 50 });
      await Promise.all(fleet.map((w) => w.next('sent', 30_000)));
      // Each process lets 45 go at once, four times the bucket's room: the portal refuses many.
      console.log(`fleet-rate-limit control: ${PROCESSES} processes with a bucket each, 400 sends: the portal refused ${control.portal.rejectedByBucket}`);
      expect(control.portal.rejectedByBucket).toBeGreaterThan(MESSAGES * 0.05);
    } finally {
      await Promise.all(fleet.map((w) => w.stop()));
      await control.close();
    }
  }, 40_000);
});
