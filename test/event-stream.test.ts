import type { ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { Bitrix24Error, Bitrix24ResponseError, createClient, MemoryBucketStore, type AnyEvent } from '../generated/src/index.js';
import { json, TestServer, TIME, type ReceivedRequest } from './support/http-server.js';

/**
 * `bot.events()` against a portal (a real server on 127.0.0.1) that misbehaves: outages, pages
 * that break the docs' rules, a queue that is never empty. No event may be lost or confirmed
 * (deleted by an `offset`) before the loop body for it returned, and the loop never polls faster
 * than the docs' guidance (2 s after `hasMore: true`, 5-30 s when idle). The tests wait for real
 * (the pauses are the behaviour under test), so they run concurrently.
 */

// Closed after all tests: they run concurrently, so one test's end must not close another's server.
const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

const DATE = '2025-01-15T10:30:00+02:00';
const item = (eventId: unknown) => ({
  eventId,
  type: 'ONIMBOTV2NEWTHING',
  date: DATE,
  data: { n: eventId },
});

/**
 * A portal's event queue: Event.get confirms (deletes) every event below `offset`, then answers
 * with `page` (by default the next events, as the docs describe). Records every offset and
 * every id it deleted.
 */
async function queuePortal(ids: number[], page?: (queue: number[], req: ReceivedRequest, res: ServerResponse, n: number) => boolean) {
  const server = await TestServer.start();
  servers.push(server);
  let queue = [...ids];
  const deleted: number[] = [];
  const offsets: (number | undefined)[] = [];
  server.handle((req, res) => {
    const body = req.json as { offset?: number; limit: number };
    offsets.push(body.offset);
    if (typeof body.offset === 'number') {
      deleted.push(...queue.filter((id) => id < body.offset!));
      queue = queue.filter((id) => id >= body.offset!);
    }
    if (page?.(queue, req, res, server.requests.length)) return;
    const events = queue.slice(0, body.limit);
    json(res, 200, {
      result: {
        events: events.map(item),
        nextOffset: events.length ? events.at(-1)! + 1 : (body.offset ?? 0),
        hasMore: queue.length > events.length,
      },
      time: TIME,
    });
  });
  const client = createClient({
    webhookUrl: `${server.url}/rest/1/stream-secret/`,
    maxRetries: 0,
    rateLimitStore: new MemoryBucketStore(),
  });
  return {
    server,
    bot: client.bot({ botId: 456, botToken: 'bot-tok-123456' }),
    deleted,
    offsets,
    queue: () => queue,
  };
}

describe.concurrent('bot.events(): outages', () => {
  it('keeps going through a 502, a reset connection and a 503 rate limit, reporting each to onError; loses nothing', async () => {
    const { bot, deleted } = await queuePortal([100, 101, 102], (_queue, _req, res, n) => {
      if (n === 1) {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>502 Bad Gateway</html>');
      } else if (n === 2) res.socket?.destroy();
      else if (n === 3)
        json(res, 503, {
          error: 'QUERY_LIMIT_EXCEEDED',
          error_description: 'Too many requests',
        });
      else return false;
      return true;
    });
    const controller = new AbortController();
    const failures: [string, number, number][] = [];
    const got: number[] = [];
    const started = Date.now();
    for await (const e of bot.events({
      signal: controller.signal,
      maxRetryDelay: 2_000,
      onError: (err, f) => {
        failures.push([err.constructor.name, f.failures, f.retryIn]);
      },
    })) {
      got.push(e.eventId!);
      if (got.length === 3) controller.abort();
    }
    expect(got).toEqual([100, 101, 102]);
    expect(failures).toEqual([
      ['Bitrix24ResponseError', 1, 2_000],
      ['Bitrix24NetworkError', 2, 2_000],
      ['QueryLimitExceededError', 3, 2_000],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 2_000 - 50); // waited between the failed polls
    expect(deleted).toEqual([]); // the abort came before any poll confirmed them: they are delivered again next time
  }, 15_000);

  it('doubles the wait after each failure in a row, from 2 s up to maxRetryDelay', async () => {
    const { bot } = await queuePortal([], (_q, _req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('down');
      return true;
    });
    const controller = new AbortController();
    const waits: number[] = [];
    const stream = bot.events({
      signal: controller.signal,
      maxRetryDelay: 5_000,
      onError: (_err, f) => {
        waits.push(f.retryIn);
        if (f.failures === 2) controller.abort(); // stops during the wait, quietly
      },
    });
    for await (const e of stream) expect.unreachable(`no event was queued, got ${String(e.eventId)}`);
    expect(waits).toEqual([2_000, 4_000]);
  }, 10_000);

  it('an async onError that rejects ends the stream with its error (before: an unhandled rejection, which crashes Node)', async () => {
    const { bot, deleted } = await queuePortal([7], (_q, _req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
      return true;
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5_000); // without the fix the stream would just go on polling
    const mine = new Error('my async error reporter failed');
    const run = async () => {
      for await (const _ of bot.events({ signal: controller.signal, onError: async () => Promise.reject(mine) })) expect.unreachable('no event');
    };
    await expect(run()).rejects.toBe(mine);
    clearTimeout(timer);
    expect(deleted).toEqual([]);
  }, 10_000);

  it('ends with the error for what waiting cannot fix (a wrong webhook), without calling onError', async () => {
    const { bot } = await queuePortal([1], (_q, _req, res) => {
      json(res, 401, {
        error: 'NO_AUTH_FOUND',
        error_description: 'Wrong authorization data',
      });
      return true;
    });
    const onError = (err: unknown) => expect.unreachable(`onError got ${String(err)}`);
    const run = async () => {
      for await (const _ of bot.events({ onError })) expect.unreachable('no event');
    };
    await expect(run()).rejects.toMatchObject({
      code: 'NO_AUTH_FOUND',
      status: 401,
    });
  });
});

describe.concurrent('bot.events(): pages that break the docs stop the stream without confirming anything', () => {
  /** Runs the stream over a portal answering `bad` after `good` pages; returns what the loop handled and the error. */
  async function runAgainst(ids: number[], bad: (queue: number[]) => unknown, goodPages = 0, limit = 100) {
    const portal = await queuePortal(ids, (queue, _req, res, n) => {
      if (n <= goodPages) return false;
      json(res, 200, { result: bad(queue), time: TIME });
      return true;
    });
    const handled: number[] = [];
    let error: unknown;
    try {
      for await (const e of portal.bot.events({ limit })) {
        handled.push(e.eventId as number);
        if (handled.length > 400) break; // the old loop would run on; nothing here should get this far
      }
    } catch (err) {
      error = err;
    }
    return { ...portal, handled, error };
  }

  it('an eventId that arrives as a string: nothing handed over, nothing deleted (the old loop deleted 200 of 300)', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => 100 + i);
    const r = await runAgainst(ids, (queue) => ({
      events: queue.slice(0, 100).map((id) => item(String(id))),
      nextOffset: String(queue[99] + 1),
      hasMore: true,
    }));
    expect(r.error).toBeInstanceOf(Bitrix24ResponseError);
    expect((r.error as Error).message).toContain('events[0].eventId is the string "100", expected a non-negative integer');
    expect(r.handled).toEqual([]);
    expect(r.deleted).toEqual([]);
    expect(r.queue()).toHaveLength(300);
  });

  it('ids out of order: nothing of the page is handed over (the old loop dropped the lower ids)', async () => {
    const r = await runAgainst([101, 102, 103], () => ({
      events: [item(103), item(101), item(102)],
      nextOffset: 104,
      hasMore: false,
    }));
    expect((r.error as Error).message).toContain('events[1].eventId 101 does not follow 103');
    expect(r.handled).toEqual([]);
    expect(r.deleted).toEqual([]);
  });

  it('a good page, then events: null: the good page is handled and confirmed, then a clear error, not a TypeError', async () => {
    const r = await runAgainst([1, 2, 3], () => ({ events: null, nextOffset: 0, hasMore: false }), 1, 2);
    expect(r.handled).toEqual([1, 2]);
    expect(r.error).toBeInstanceOf(Bitrix24ResponseError);
    expect((r.error as Bitrix24Error).message).toContain('`events` is null, expected an array');
    expect((r.error as Bitrix24Error).method).toBe('imbot.v2.Event.get');
    expect(r.deleted).toEqual([1, 2]); // confirmed by the poll that got the bad page: both were handled
  }, 15_000);

  it('a nextOffset at or below the last id, or not a number: stopped before handing over', async () => {
    const low = await runAgainst([5, 6], () => ({
      events: [item(5), item(6)],
      nextOffset: 6,
      hasMore: false,
    }));
    expect((low.error as Error).message).toContain("`nextOffset` 6 is not above the page's last eventId 6");
    const text = await runAgainst([5, 6], () => ({
      events: [item(5), item(6)],
      nextOffset: '7',
      hasMore: false,
    }));
    expect((text.error as Error).message).toContain('`nextOffset` is the string "7", expected an integer');
    expect([...low.handled, ...text.handled, ...low.deleted, ...text.deleted]).toEqual([]);
  });
});

describe.concurrent('bot.events(): confirmation follows handling', () => {
  it('an event is confirmed only after its loop body returned; a body that throws leaves it (and later ones) in the queue', async () => {
    const finished: number[] = [];
    const { bot, offsets, queue } = await queuePortal([10, 11, 12, 13]);
    const run = async () => {
      for await (const e of bot.events({ limit: 2 })) {
        await new Promise((r) => setTimeout(r, 20)); // a handler that takes a while
        if (e.eventId === 12) throw new Error('handler failed');
        finished.push(e.eventId!);
      }
    };
    await expect(run()).rejects.toThrow('handler failed');
    expect(finished).toEqual([10, 11]);
    expect(offsets).toEqual([undefined, 12]); // the second poll confirmed 10 and 11, after their bodies
    expect(queue()).toEqual([12, 13]);
  }, 10_000);
});

describe.concurrent('bot.events(): polling pace', () => {
  it('an empty page with hasMore: true is polled every 2 s, not in a busy loop; an idle queue at most every 5 s', async () => {
    const busy = await queuePortal([], (_q, _req, res) => {
      json(res, 200, {
        result: { events: [], nextOffset: 0, hasMore: true },
        time: TIME,
      });
      return true;
    });
    const idle = await queuePortal([]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 3_000);
    const drain = async (stream: AsyncIterable<AnyEvent>) => {
      for await (const e of stream) expect.unreachable(`no event was queued, got ${String(e.eventId)}`);
    };
    await Promise.all([drain(busy.bot.events({ signal: controller.signal })), drain(idle.bot.events({ signal: controller.signal, idleDelay: 10 }))]);
    expect(busy.server.requests).toHaveLength(2); // at 0 s and 2 s (the old loop: thousands)
    expect(idle.server.requests).toHaveLength(1); // idleDelay below the docs' 5 s is raised to 5 s
  }, 10_000);

  it('refuses a startOffset or limit Event.get cannot take, with a message saying which', async () => {
    const { bot } = await queuePortal([]);
    expect(() => bot.events({ startOffset: Number('12abc') })).toThrow(/startOffset must be a non-negative integer/);
    expect(() => bot.events({ limit: 5000 })).toThrow(/limit must be an integer from 1 to 1000/);
  });
});

describe.concurrent('bot.events(): pages over maxResponseBytes', () => {
  it('halves its page size while a page is too large (long messages), delivers every event in order, and grows back', async () => {
    const long = 'я'.repeat(10_000); // 20 KB of UTF-8 per event, as a long Cyrillic message is
    const ids = Array.from({ length: 12 }, (_, i) => 200 + i);
    const limits: number[] = [];
    const { server, deleted } = await queuePortal(ids, (queue, req, res) => {
      const body = req.json as { offset?: number; limit: number };
      limits.push(body.limit);
      const events = queue.slice(0, body.limit);
      json(res, 200, {
        result: { events: events.map((id) => ({ ...item(id), data: { n: id, text: long } })), nextOffset: events.length ? events.at(-1)! + 1 : (body.offset ?? 0), hasMore: queue.length > events.length },
        time: TIME,
      });
      return true;
    });
    // 64 KB holds three such events, not eight.
    const client = createClient({ webhookUrl: `${server.url}/rest/1/stream-secret/`, maxRetries: 0, rateLimitStore: new MemoryBucketStore(), maxResponseBytes: 64 * 1024 });
    const bot = client.bot({ botId: 456, botToken: 'bot-tok-123456' });
    const seen: number[] = [];
    const reported: string[] = [];
    const stop = new AbortController();
    for await (const e of bot.events({ signal: stop.signal, limit: 8, onError: (err) => void reported.push(err.code) })) {
      seen.push(e.eventId!);
      if (seen.length === ids.length) stop.abort();
    }
    expect(seen).toEqual(ids);
    // Only delivered events were confirmed, in order (the last page is confirmed by the next poll).
    expect(deleted).toEqual(ids.slice(0, deleted.length));
    expect(deleted.length).toBeGreaterThanOrEqual(ids.length - 4);
    expect(reported.every((c) => c === 'RESPONSE_TOO_LARGE')).toBe(true);
    // 8 is too large, 4 too, 2 fits; after a page that fits it tries 4 again.
    expect(limits.slice(0, 4)).toEqual([8, 4, 2, 4]);
  }, 30_000);
});
