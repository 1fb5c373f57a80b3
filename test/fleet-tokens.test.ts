import { afterAll, describe, expect, it } from 'vitest';
import { builtPackageReady, builtPackageSkipMessage, fleetSize, LOADED_MACHINE_STORE_TIMEOUT_MS, spawnFleet, FleetWorker, type WorkerConfig, type WorkerMessage } from './support/fleet.js';
import { FleetPortal } from './support/fleet-portal.js';
import { haveRedisServer, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * Four bot processes (or B24GEN_FLEET_PROCESSES) with one OAuth app on one portal share the current token pair through
 * RedisTokenStore (issue 29). The portal issues a new pair on every refresh and takes only the
 * latest refresh token, so two processes refreshing with the same token would leave one with a
 * dead pair: the store lets exactly one refresh reach the token endpoint per expiry. The
 * refreshing process may die mid-refresh (the portal holds its token request until it is
 * killed): its lock expires and another process completes the refresh.
 */
// Long enough that a refresh on a loaded machine never outlives it; a kill costs this long.
const LOCK_TTL_MS = 3_000;
const PROCESSES = fleetSize(4);
const OAUTH = { accessToken: 'access-initial-0001', refreshToken: 'refresh-initial-0001', clientId: 'app.fleet', clientSecret: 'fleet-client-secret', ttlMs: 3_600_000 };

const haveBuiltPackage = haveRedisServer && (await builtPackageReady());
const ready = haveRedisServer && haveBuiltPackage;
if (!haveRedisServer) console.warn(redisSkipMessage('fleet-tokens.test.ts'));
else if (!haveBuiltPackage) console.warn(builtPackageSkipMessage('fleet-tokens.test.ts'));

describe.skipIf(!ready)(`a fleet of ${PROCESSES} processes refreshes an expired token once, through Redis`, () => {
  let redis: RedisServer | undefined;
  let portal: FleetPortal | undefined;
  let workers: FleetWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await portal?.close();
    await redis?.stop();
  });

  const config = (id: number): WorkerConfig => ({
    id,
    redisUrl: redis!.url,
    redisLib: id % 2 === 1 ? 'node-redis' : 'ioredis',
    auth: { portalUrl: portal!.portal.origin, oauthUrl: portal!.portal.origin, accessToken: OAUTH.accessToken, refreshToken: OAUTH.refreshToken, clientId: OAUTH.clientId, clientSecret: OAUTH.clientSecret },
    lockTtlMs: LOCK_TTL_MS,
    // Not what is tested here: a bucket that never makes these few dozen calls wait.
    rateLimit: { limit: 1_000, drainPerSecond: 1_000 },
    storeTimeout: LOADED_MACHINE_STORE_TIMEOUT_MS,
  });

  /** Each live worker sends `count` messages at once; returns their reports. */
  async function sendFromAll(round: string, count: number, live: FleetWorker[]): Promise<WorkerMessage[]> {
    for (const w of live) w.send({ type: 'send', count, prefix: `${round}-w${w.id}`, concurrency: count });
    return Promise.all(live.map((w) => w.next('sent', 20_000)));
  }

  it(`${PROCESSES} processes hit the expiry at once: one token request, every call succeeds`, async () => {
    redis = await RedisServer.start();
    portal = await FleetPortal.start({ oauth: OAUTH });
    workers = await spawnFleet(PROCESSES, config);

    // Every process works with the initial pair; then the portal expires it.
    const before = await sendFromAll('warm', 2, workers);
    expect(before.flatMap((r) => r.errors as unknown[])).toEqual([]);
    portal.portal.expireToken();

    const reports = await sendFromAll('expired', 5, workers);
    expect(reports.flatMap((r) => r.errors as unknown[])).toEqual([]);
    expect(reports.map((r) => r.ok)).toEqual(workers.map(() => 5));
    expect(portal.portal.stats.tokenRequests).toBe(1);
    expect(portal.portal.stats.refreshes).toBe(1);
  }, 40_000);

  it('the refreshing process is killed mid-refresh: another completes it, every other call succeeds, one new pair fleet-wide', async () => {
    portal!.portal.expireToken();
    portal!.portal.holdTokenRequests(1);
    const requestsBefore = portal!.portal.stats.tokenRequests;
    for (const w of workers) w.send({ type: 'send', count: 5, prefix: `killed-w${w.id}`, concurrency: 5 });

    // The process whose token request the portal holds is the one refreshing: kill it there.
    const { headers: stalled } = await portal!.portal.heldTokenRequest();
    const refreshing = workers.find((w) => String(w.id) === stalled['x-fleet-worker']);
    expect(refreshing).toBeDefined();
    const killedAt = Date.now();
    await refreshing!.kill();
    const survivors = workers.filter((w) => w !== refreshing);

    const reports = await Promise.all(survivors.map((w) => w.next('sent', 20_000)));
    const recoveredIn = Date.now() - killedAt;
    expect(reports.flatMap((r) => r.errors as unknown[])).toEqual([]);
    expect(reports.map((r) => r.ok)).toEqual(survivors.map(() => 5));
    // The held request was dropped unprocessed; exactly one more reached the endpoint and
    // succeeded: two expiries, two new pairs in all.
    expect(portal!.portal.stats.tokenRequests).toBe(requestsBefore + 2);
    expect(portal!.portal.stats.refreshes).toBe(2);

    // One pair in use fleet-wide: every token issued before is expired, so these calls succeed
    // only with the one new pair, and nobody refreshes again.
    const after = await sendFromAll('after', 3, survivors);
    expect(after.flatMap((r) => r.errors as unknown[])).toEqual([]);
    expect(portal!.portal.stats.tokenRequests).toBe(requestsBefore + 2);

    // A process started later with the stale pair from its configuration gets the current pair
    // from the store on its first expired_token, without another refresh.
    const late = await FleetWorker.spawn(config(PROCESSES + 1));
    workers.push(late);
    const lateReport = await sendFromAll('late', 3, [late]);
    expect(lateReport[0]!.errors).toEqual([]);
    expect(portal!.portal.stats.tokenRequests).toBe(requestsBefore + 2);
    expect(portal!.portal.stats.refreshes).toBe(2);
    console.log(`fleet-tokens: worker ${refreshing!.id} killed mid-refresh; the other ${survivors.length} processes' calls all succeeded ${recoveredIn} ms later (lockTtlMs ${LOCK_TTL_MS})`);
  }, 40_000);
});
