import { afterAll, describe, expect, it } from 'vitest';
import { builtPackageReady, builtPackageSkipMessage, fleetSize, LOADED_MACHINE_STORE_TIMEOUT_MS, spawnFleet, type FleetWorker, type WorkerMessage } from './support/fleet.js';
import { FleetPortal, portalMaximum } from './support/fleet-portal.js';
import { haveRedisServer, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * Four bot processes (or B24GEN_FLEET_PROCESSES) on one portal share its leaky bucket through RedisBucketStore (issue 29):
 * 2,000 `Chat.Message.send` in all, with the portal keeping the real bucket and refusing what
 * overflows it. The cloud plan's bucket is 50 drained at 2 per second, which would make this
 * take ~1,000 s: the test keeps the bucket (50) and scales the drain to 100 per second, so the
 * same arithmetic runs 50 times faster (about 20 s). Two workers use node-redis, two ioredis:
 * one fleet, one bucket, whichever library a process was written with.
 */
const BUCKET = { limit: 50, drainPerSecond: 100 };
const PROCESSES = fleetSize(4);
const MESSAGES = 2_000;

const haveBuiltPackage = haveRedisServer && (await builtPackageReady());
const ready = haveRedisServer && haveBuiltPackage;
if (!haveRedisServer) console.warn(redisSkipMessage('fleet-rate-limit.test.ts'));
else if (!haveBuiltPackage) console.warn(builtPackageSkipMessage('fleet-rate-limit.test.ts'));

describe.skipIf(!ready)(`a fleet of ${PROCESSES} processes shares the portal bucket through Redis`, () => {
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
      storeTimeout: LOADED_MACHINE_STORE_TIMEOUT_MS,
    }));
    // 2,000 in all, spread evenly (500 each with 4).
    const countOf = (w: FleetWorker) => Math.floor(MESSAGES / PROCESSES) + (w.id <= MESSAGES % PROCESSES ? 1 : 0);
    for (const w of workers) w.send({ type: 'send', count: countOf(w), prefix: `w${w.id}`, concurrency: 50 });
    const reports: WorkerMessage[] = await Promise.all(workers.map((w) => w.next('sent', 80_000)));

    // Nothing surfaced: every call returned its result (a QUERY_LIMIT_EXCEEDED would be here).
    const errors = reports.flatMap((r) => r.errors as { code: string }[]);
    expect(errors, JSON.stringify(errors.slice(0, 3))).toEqual([]);
    expect(reports.map((r) => r.ok)).toEqual(workers.map(countOf));

    // None lost, none duplicated: the portal ran each unique text exactly once.
    const texts = portal.sent.map((m) => m.text);
    expect(texts).toHaveLength(MESSAGES);
    expect(new Set(texts).size).toBe(MESSAGES);
    const expected = workers.flatMap((w) => Array.from({ length: countOf(w) }, (_, n) => `w${w.id}-${n}`));
    expect([...texts].sort()).toEqual(expected.sort());

    // Throughput on the portal's own clock, from its first accepted send to its last: the most
    // its bucket lets through in that time is a full bucket plus what drained meanwhile.
    //
    // On a loaded machine (this one is shared: load averages of 12-20 were seen) there are
    // moments when a process of the fleet does not run. The requests it had reserved slots for
    // then arrive late, and those slots are lost: the bucket's arithmetic (the same as
    // MemoryBucketStore's) counts a slot when it is reserved, not when it is used. Such a stall
    // shows on the portal's timeline as a gap between arrivals, which the shared bucket spaces
    // 10 ms apart (100/s). The asserted ratio leaves out of the elapsed time every gap over
    // 100 ms (10 slots): the machine's, not the store's. A store that makes calls wait too long
    // spaces arrivals wider but evenly; to leave gaps over 100 ms it would have to cut the rate
    // below a tenth, which the raw ratio, also asserted (>= 0.5), catches. Both are printed.
    const times = portal.sent.map((m) => m.at).sort((a, b) => a - b);
    const first = times[0]!;
    const last = times.at(-1)!;
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const SLOT_MS = 1000 / BUCKET.drainPerSecond;
    const stalls = gaps.filter((gap) => gap > 10 * SLOT_MS);
    const stalledMs = stalls.reduce((sum, gap) => sum + gap - SLOT_MS, 0);
    const rawRatio = MESSAGES / portalMaximum(BUCKET, first, last);
    const ratio = MESSAGES / portalMaximum(BUCKET, first, last - stalledMs);
    console.log(
      `fleet-rate-limit: ${PROCESSES} processes, ${MESSAGES} sends in ${((last - first) / 1000).toFixed(2)} s on the portal's clock ` +
        `(bucket ${BUCKET.limit}, ${BUCKET.drainPerSecond}/s): throughput ${rawRatio.toFixed(3)} of the portal's maximum; ` +
        `${ratio.toFixed(3)} leaving out ${stalls.length} machine stalls over ${10 * SLOT_MS} ms (${stalledMs.toFixed(0)} ms); ` +
        `refused by the portal's bucket (and retried): ${portal.portal.stats.rejectedByRateLimit}`,
    );
    expect(ratio).toBeGreaterThanOrEqual(0.9);
    expect(rawRatio).toBeGreaterThanOrEqual(0.5);
    // The shared bucket keeps the fleet at the portal's rate. The client leaves a tenth of the
    // bucket free for requests that reach the portal later than planned (5 requests: 2.5 s of
    // delivery jitter at the cloud's 2/s, but only 50 ms at this test's 100/s), so on a loaded
    // machine, where a stalled process's requests arrive together, the portal refuses some,
    // which the client retries unseen (measured: 9-22 on a quiet run, 60-120 at load averages
    // of 12-20, 180 with 6 processes; more processes, more jitter). A fleet without the shared
    // bucket has most of its requests refused (the control: N processes send N times the rate,
    // so at least half of some 2,000+ attempts), far above this bound.
    expect(portal.portal.stats.rejectedByRateLimit).toBeLessThanOrEqual(MESSAGES * 0.25);
    // Bounds for a machine under heavy load (about 25 s here at a load average of 19, 22 s quiet).
  }, 100_000);

  it('the control: the same fleet with a bucket per process overshoots the portal (what the shared bucket prevents)', async () => {
    // A slow drain (10/s), so that even on a loaded machine, with the processes starting apart,
    // each one's burst of 45 finds the portal's bucket filled by the others'.
    const slow = { limit: 50, drainPerSecond: 10 };
    const control = await FleetPortal.start({ bucket: slow });
    const fleet = await spawnFleet(PROCESSES, (id) => ({
      id: 100 + id,
      redisUrl: redis!.url,
      redisLib: 'node-redis',
      auth: { webhookUrl: control.portal.webhookUrl },
      rateLimit: slow,
      bucket: 'memory',
      // Each refusal surfaces at once (the retries would only stretch the run): the symptom itself.
      maxRetries: 0,
    }));
    workers.push(...fleet);
    try {
      const sends = 60 * PROCESSES;
      for (const w of fleet) w.send({ type: 'send', count: 60, prefix: `control-w${w.id}`, concurrency: 60 });
      const reports = await Promise.all(fleet.map((w) => w.next('sent', 30_000)));
      const surfaced = reports.flatMap((r) => r.errors as { code: string }[]).filter((e) => e.code === 'QUERY_LIMIT_EXCEEDED').length;
      console.log(
        `fleet-rate-limit control: ${PROCESSES} processes with a bucket each, ${sends} sends (bucket 50, 10/s): the portal refused ${control.portal.stats.rejectedByRateLimit}, ` +
          `${surfaced} calls failed with QUERY_LIMIT_EXCEEDED (no retries)`,
      );
      expect(control.portal.stats.rejectedByRateLimit).toBeGreaterThan(sends * 0.5);
      expect(surfaced).toBe(control.portal.stats.rejectedByRateLimit);
    } finally {
      await Promise.all(fleet.map((w) => w.stop()));
      await control.close();
    }
  }, 40_000);
});
