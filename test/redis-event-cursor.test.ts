import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bitrix24StoreError, createClient, MemoryBucketStore, type AnyEvent, type LeaseChange, type StoreFallback } from '../generated/src/index.js';
import { RedisEventCursor, type RedisClientLike } from '../generated/src/redis/index.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { REDIS_KINDS, RedisClients } from './support/redis-clients.js';
import { haveRedisServer, RedisServer, redisSkipMessage } from './support/redis-server.js';

/**
 * `bot.events({ cursor })` with RedisEventCursor (issue 29) against a real redis-server and a
 * portal's event queue on 127.0.0.1: two consumers of one bot in one process, each with its own
 * Redis connection (as two processes would be). One consumes while the other stands by; the
 * standby takes over from the stored offset when the first stops; a consumer whose lease was
 * taken stops handing out events at once; a Redis that stops answering ends the stream with a
 * Bitrix24StoreError. Event.get is polled at the docs' pace (2 s after a full page), so these
 * tests wait for real and run concurrently.
 */
if (!haveRedisServer) console.warn(redisSkipMessage('test/redis-event-cursor.test.ts'));

let redisServer: RedisServer;
let clients: RedisClients;
const servers: TestServer[] = [];
beforeAll(async () => {
  if (!haveRedisServer) return;
  redisServer = await RedisServer.start();
  clients = new RedisClients(redisServer.url);
});
afterAll(async () => {
  await clients?.close();
  await redisServer?.stop();
  await Promise.all(servers.map((s) => s.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A portal's event queue: Event.get deletes every event below `offset`, then answers with the next `limit` events. */
async function queuePortal(ids: number[]) {
  const server = await TestServer.start();
  servers.push(server);
  let queue = [...ids];
  const deleted: number[] = [];
  server.handle((req, res) => {
    const body = req.json as { offset?: number; limit: number };
    if (typeof body.offset === 'number') {
      deleted.push(...queue.filter((id) => id < body.offset!));
      queue = queue.filter((id) => id >= body.offset!);
    }
    const events = queue.slice(0, body.limit);
    json(res, 200, {
      result: {
        events: events.map((eventId) => ({ eventId, type: 'ONIMBOTV2NEWTHING', date: '2025-01-15T10:30:00+02:00', data: { n: eventId } })),
        nextOffset: events.length ? events.at(-1)! + 1 : (body.offset ?? 0),
        hasMore: queue.length > events.length,
      },
      time: TIME,
    });
  });
  /** One consumer "process": its own client of the portal and its own cursor on its own Redis connection. */
  const consumer = (redis: RedisClientLike, leaseTtlMs: number, options: { onStoreError?: 'local'; onStoreFallback?: (f: StoreFallback) => void; storeTimeout?: number } = {}) => {
    const client = createClient({ webhookUrl: `${server.url}/rest/1/stream-secret/`, maxRetries: 0, rateLimitStore: new MemoryBucketStore(), ...options });
    return { bot: client.bot({ botId: 456, botToken: 'bot-tok-123456' }), cursor: new RedisEventCursor(redis, { leaseTtlMs }) };
  };
  return { server, deleted, consumer };
}

const idOf = (e: AnyEvent) => (e as { eventId: number }).eventId;

describe.skipIf(!haveRedisServer).concurrent.each(REDIS_KINDS)('with %s', (kind) => {
  it('one consumes while the other stands by; when it stops, the other resumes from the stored offset: every event once, in order', async () => {
    const ids = [10, 11, 12, 13, 14, 15];
    const { deleted, consumer } = await queuePortal(ids);
    const a = consumer(await clients.make(kind), 600);
    const b = consumer(await clients.make(kind), 600);
    const handled: [string, number][] = [];
    const leases: [string, LeaseChange][] = [];
    const stopA = new AbortController();
    const stopB = new AbortController();
    const run = async (name: string, c: typeof a, stop: AbortController, upTo: number) => {
      for await (const event of c.bot.events({ cursor: c.cursor, limit: 2, signal: stop.signal, onLease: (l) => void leases.push([name, l]) })) {
        handled.push([name, idOf(event)]);
        // This consumer shuts down after handling it: the body returns, so the event is stored
        // as handled, and the stream ends and gives the lease up. (A `break` instead would end
        // it without confirming this event: the next consumer would get it again.)
        if (idOf(event) === upTo) stop.abort();
      }
    };
    const runA = run('a', a, stopA, 12);
    await sleep(100); // a takes the lease first
    const runB = run('b', b, stopB, 15);
    await Promise.all([runA, runB]);
    expect(handled).toEqual([
      ['a', 10],
      ['a', 11],
      ['a', 12],
      ['b', 13],
      ['b', 14],
      ['b', 15],
    ]);
    expect(leases.map(([n, l]) => [n, l.state, l.offset])).toEqual([
      ['a', 'acquired', undefined],
      ['a', 'released', 13],
      ['b', 'acquired', 13],
      ['b', 'released', 16],
    ]);
    // The portal deleted only what was handled, never ahead of a consumer.
    expect(deleted).toEqual([10, 11, 12, 13, 14, 15].slice(0, deleted.length));
  }, 30_000);

  it('a consumer whose lease was taken (it stalled past the TTL) hands out nothing more; the taker goes on from the stored offset', async () => {
    const ids = [20, 21, 22, 23];
    const { server, consumer } = await queuePortal(ids);
    const redisA = await clients.make(kind);
    const a = consumer(redisA, 400);
    const b = consumer(await clients.make(kind), 400);
    const handled: [string, number][] = [];
    const leases: [string, string][] = [];
    const stopA = new AbortController();
    const stopB = new AbortController();
    const aDone = (async () => {
      for await (const event of a.bot.events({ cursor: a.cursor, limit: 10, signal: stopA.signal, onLease: (l) => void leases.push(['a', l.state]) })) {
        handled.push(['a', idOf(event)]);
        if (idOf(event) === 21) {
          // Stalled: its lease key vanishes as if it had lapsed, and b takes over meanwhile.
          const admin = redisA as unknown as { del(key: string): Promise<number> };
          expect(await admin.del(`b24gen:events:${server.url}|bot:456:lease`)).toBe(1);
          await sleep(600);
        }
      }
    })().then(
      () => undefined,
      (err: unknown) => err, // checked below: a's stream ends without an error
    );
    await sleep(150);
    const bDone = (async () => {
      for await (const event of b.bot.events({ cursor: b.cursor, limit: 10, signal: stopB.signal, onLease: (l) => void leases.push(['b', l.state]) })) {
        handled.push(['b', idOf(event)]);
        if (idOf(event) === 23) stopB.abort();
      }
    })();
    await bDone;
    // a stood by again after losing the lease (it would take over if b died): stop it.
    stopA.abort();
    expect(await aDone).toBeUndefined();
    expect(handled.filter(([n]) => n === 'a')).toEqual([
      ['a', 20],
      ['a', 21],
    ]);
    // b starts where the store says: 21 was in a's hands when it lost the lease, so b hands it out again.
    expect(handled.filter(([n]) => n === 'b')).toEqual([
      ['b', 21],
      ['b', 22],
      ['b', 23],
    ]);
    expect(leases.filter(([n]) => n === 'a')).toEqual([
      ['a', 'acquired'],
      ['a', 'lost'],
    ]);
  }, 30_000);

  it("with onStoreError: 'local' a Redis that does not answer leaves the stream on an in-process lease (said once), and it moves back to Redis when Redis answers", async () => {
    const own = await RedisServer.start();
    const ownClients = new RedisClients(own.url);
    try {
      const { server, consumer } = await queuePortal([40, 41, 42]);
      const redis = await ownClients.make(kind);
      const fallbacks: StoreFallback[] = [];
      const c = consumer(redis, 600, { onStoreError: 'local', onStoreFallback: (f) => void fallbacks.push(f), storeTimeout: 300 });
      const leases: LeaseChange[] = [];
      const handled: number[] = [];
      const stop = new AbortController();
      own.freeze();
      const done = (async () => {
        for await (const event of c.bot.events({ cursor: c.cursor, signal: stop.signal, onLease: (l) => void leases.push(l) })) {
          handled.push(idOf(event));
          if (handled.length === 1) own.thaw(); // Redis is back while the stream runs
        }
      })();
      // The standby-free in-process lease hands out every event; the next renewals find Redis again.
      const get = (k: string) => (redis as unknown as { get(k: string): Promise<string | null> }).get(k);
      const deadline = Date.now() + 10_000;
      while ((handled.length < 3 || (await get(`b24gen:events:${server.url}|bot:456:offset`)) !== '43') && Date.now() < deadline) await sleep(50);
      expect(handled).toEqual([40, 41, 42]);
      expect(leases[0]).toEqual({ state: 'acquired', offset: undefined, local: true });
      expect(fallbacks.map((f) => [f.store, f.operation, f.error.code])).toEqual([['RedisEventCursor', 'acquire', 'STORE_TIMEOUT']]);
      // Back on Redis: the offset the stream reached is stored there, under its lease.
      expect(await get(`b24gen:events:${server.url}|bot:456:offset`)).toBe('43');
      expect(await get(`b24gen:events:${server.url}|bot:456:lease`)).not.toBeNull();
      expect(leases).toHaveLength(1); // never lost: the late acquire of the frozen Redis was given back
      stop.abort();
      await done;
    } finally {
      own.thaw();
      await ownClients.close();
      await own.stop();
    }
  }, 30_000);

  it('a Redis that stops answering ends the stream with a Bitrix24StoreError naming the cursor, within storeTimeout', async () => {
    const own = await RedisServer.start();
    const ownClients = new RedisClients(own.url);
    try {
      const { consumer } = await queuePortal([30, 31]);
      const c = consumer(await ownClients.make(kind), 5_000, { storeTimeout: 300 });
      own.freeze();
      const started = Date.now();
      const err = await (async () => {
        for await (const _ of c.bot.events({ cursor: c.cursor })) {
          // nothing is handed out
        }
      })().catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(err).toBeInstanceOf(Bitrix24StoreError);
      expect(err).toMatchObject({ code: 'STORE_TIMEOUT', store: 'RedisEventCursor', operation: 'acquire' });
    } finally {
      own.thaw();
      await ownClients.close();
      await own.stop();
    }
  }, 30_000);
});
