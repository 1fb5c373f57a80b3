import { afterEach, describe, expect, it } from 'vitest';
import {
  Bitrix24AbortError,
  Bitrix24ResponseError,
  BotNotFoundError,
  createClient,
  ErrorBatchMethodNotAllowedError,
  MemoryBucketStore,
  type BatchEntry,
  type Client,
} from '../generated/src/index.js';
import { json, TestServer, TIME, type ReceivedRequest } from './support/http-server.js';

/**
 * `client.batch` against a portal (a real server on 127.0.0.1) that fails part of the way:
 * the outcomes of requests that already ran are kept, every call gets `fulfilled`, `rejected`,
 * `skipped` (not run) or `unknown` (may have run), and nothing throws, so a re-run can send
 * exactly the calls that did not run.
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<{ server: TestServer; client: Client }> {
  const server = await TestServer.start();
  servers.push(server);
  const client = createClient({ webhookUrl: `${server.url}/rest/1/batch-secret/`, retryDelay: 1, rateLimitStore: new MemoryBucketStore() });
  return { server, client };
}

/** `n` message sends (not repeat-safe: never re-sent after a lost answer). */
function sends(n: number): Record<string, BatchEntry> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, ['imbot.v2.Chat.Message.send', { botId: 7, botToken: 'bot-tok-123456', dialogId: 'chat5', fields: { message: `hello ${i}` } }]]));
}

/** The portal's answer running every call of the request: each gets a message id. */
function ranAll(req: ReceivedRequest): unknown {
  const cmd = (req.json as { cmd: Record<string, string> }).cmd;
  return { result: { result: Object.fromEntries(Object.keys(cmd).map((k, i) => [k, { id: 1000 + i, uuidMap: [] }])), result_error: [], result_total: [], result_next: [], result_time: [] }, time: TIME };
}

const statuses = (out: Record<string, { status: string }>) => Object.values(out).map((o) => o.status);
const count = (out: Record<string, { status: string }>, status: string) => statuses(out).filter((s) => s === status).length;

describe('batch: outcomes already in are never lost', () => {
  it('a 502 on the second of three requests: 50 fulfilled, 50 unknown, 20 skipped, nothing thrown, nothing re-sent', async () => {
    const { server, client } = await start();
    server.handle((req, res) => {
      if (server.requests.length === 2) {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>502 Bad Gateway</html>');
      } else json(res, 200, ranAll(req));
    });
    const out = await client.batch(sends(120));
    expect(server.requests).toHaveLength(2); // the sends are not repeat-safe: the lost request is not re-sent
    expect(count(out, 'fulfilled')).toBe(50);
    expect(count(out, 'unknown')).toBe(50);
    expect(count(out, 'skipped')).toBe(20);
    expect(out.m0).toEqual({ status: 'fulfilled', value: { id: 1000, uuidMap: [] } });
    const lost = out.m50;
    expect(lost.status).toBe('unknown');
    if (lost.status === 'unknown') expect(lost.reason).toBeInstanceOf(Bitrix24ResponseError);
    const later = out.m119;
    expect(later.status).toBe('skipped');
    if (later.status === 'skipped') expect(later.reason?.code).toBe('INVALID_RESPONSE');
    // A re-run of what did not run sends only the 20 skipped calls.
    const again = Object.fromEntries(Object.entries(sends(120)).filter(([k]) => out[k].status === 'skipped'));
    expect(Object.keys(again)).toHaveLength(20);
  });

  it('an abort while the second request is in flight keeps the first 50 and marks the rest unknown or skipped', async () => {
    const { server, client } = await start();
    const controller = new AbortController();
    server.handle((req, res) => {
      if (server.requests.length === 1) json(res, 200, ranAll(req));
      else setTimeout(() => controller.abort(), 20); // never answers; the caller gives up
    });
    const out = await client.batch(sends(120), { signal: controller.signal });
    expect(server.requests).toHaveLength(2);
    expect(count(out, 'fulfilled')).toBe(50);
    expect(count(out, 'unknown')).toBe(50);
    expect(count(out, 'skipped')).toBe(20);
    const inFlight = out.m60;
    if (inFlight.status === 'unknown') expect(inFlight.reason).toBeInstanceOf(Bitrix24AbortError);
    const notSent = out.m100;
    if (notSent.status === 'skipped') expect(notSent.reason).toBeInstanceOf(Bitrix24AbortError);
  });

  it('a signal aborted before the first request: every call skipped, nothing sent', async () => {
    const { server, client } = await start();
    const controller = new AbortController();
    controller.abort();
    const out = await client.batch(sends(3), { signal: controller.signal });
    expect(server.requests).toHaveLength(0);
    expect(statuses(out)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('a request the portal refuses as a whole (auth) is rejected, not unknown; the later ones are skipped', async () => {
    const { server, client } = await start();
    server.handle((req, res) => {
      if (server.requests.length === 1) json(res, 200, ranAll(req));
      else json(res, 401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
    });
    const out = await client.batch(sends(120));
    expect([count(out, 'fulfilled'), count(out, 'rejected'), count(out, 'skipped')]).toEqual([50, 50, 20]);
    const refused = out.m70;
    if (refused.status === 'rejected') expect(refused.reason).toMatchObject({ code: 'NO_AUTH_FOUND', status: 401 });
  });

  it('{"result": null} is an INVALID_RESPONSE outcome for each call, not a TypeError', async () => {
    const { server, client } = await start();
    server.handle((_req, res) => json(res, 200, { result: null, time: TIME }));
    const out = await client.batch(sends(2));
    expect(statuses(out)).toEqual(['unknown', 'unknown']);
    const first = out.m0;
    if (first.status === 'unknown') {
      expect(first.reason).toBeInstanceOf(Bitrix24ResponseError);
      expect(first.reason.message).toContain('`result` is null');
    }
  });
});

describe('batch: each call of an answer', () => {
  it('a key missing from the answer is unknown (it may have run), not skipped', async () => {
    const { server, client } = await start();
    server.handle((_req, res) => json(res, 200, { result: { result: { m0: { id: 1, uuidMap: [] } }, result_error: [] }, time: TIME }));
    const out = await client.batch(sends(2));
    expect(statuses(out)).toEqual(['fulfilled', 'unknown']);
    const missing = out.m1;
    if (missing.status === 'unknown') expect(missing.reason.message).toContain('neither a result nor an error for this call');
  });

  it('with halt, the calls after the failed one are skipped; a missing call before it is unknown', async () => {
    const { server, client } = await start();
    server.handle((_req, res) =>
      json(res, 200, { result: { result: { m0: { id: 1, uuidMap: [] } }, result_error: { m2: { error: 'BOT_NOT_FOUND', error_description: 'Bot not found' } } }, time: TIME }),
    );
    const out = await client.batch(sends(4), { halt: true });
    expect(statuses(out)).toEqual(['fulfilled', 'unknown', 'rejected', 'skipped']);
    expect((server.requests[0].json as { halt: number }).halt).toBe(1);
  });

  it("a call's error has its class; its status is the one batch.md documents for the code, else undefined", async () => {
    const { server, client } = await start();
    server.handle((_req, res) =>
      json(res, 200, {
        result: {
          result: [],
          result_error: {
            a: { error: 'BOT_NOT_FOUND', error_description: 'Bot not found' },
            b: { error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', error_description: 'Method is not allowed for batch usage' },
          },
        },
        time: TIME,
      }),
    );
    const out = await client.batch({ a: ['imbot.v2.Revision.get', {}], b: ['imbot.v2.Revision.get', {}] });
    const [a, b] = [out.a, out.b];
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    if (a.status === 'rejected') {
      expect(a.reason).toBeInstanceOf(BotNotFoundError);
      expect(a.reason.status).toBeUndefined();
    }
    if (b.status === 'rejected') {
      expect(b.reason).toBeInstanceOf(ErrorBatchMethodNotAllowedError);
      expect(b.reason.status).toBe(405);
      expect(b.reason.method).toBe('imbot.v2.Revision.get');
    }
  });
});
