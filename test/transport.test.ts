import { afterEach, describe, expect, it } from 'vitest';
import {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  BotNotFoundError,
  createClient,
  EmptyMessageError,
  MemoryBucketStore,
  OverloadLimitError,
  type BatchEntry,
  type Client,
  type OAuthTokens,
  type TransportEvent,
} from '../generated/src/index.js';
import { createTestPortal, type TestPortal, type TestPortalOptions } from '../generated/src/testing/index.js';

/**
 * The transport against the testing kit's portal (a real HTTP server on 127.0.0.1): the client-side leaky
 * bucket, retries by fault and by the spec's idempotent flag, OPERATION_TIME_LIMIT waits, OAuth
 * refresh shared by concurrent calls, batch, response metadata, and a logger that never sees a
 * secret.
 */
const BOT_TOKEN = 'bot-token-Zx81-secret';
const portals: TestPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((p) => p.close()));
});

/**
 * A portal with bot 7 (a supervisor, so Chat.Message.get is allowed) and message 1 in chat5;
 * no leaky bucket unless a test asks for one.
 */
async function portal(options: TestPortalOptions = {}): Promise<TestPortal> {
  const p = await createTestPortal({ rateLimit: false, bots: [{ id: 7, code: 'transport', botToken: BOT_TOKEN, type: 'supervisor' }], ...options });
  p.recordUserMessage({ dialogId: 'chat5', authorId: 1, text: 'the message read() reads', botId: 7 });
  portals.push(p);
  return p;
}

function webhookClient(p: TestPortal, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  return createClient({ webhookUrl: p.webhookUrl, retryDelay: 5, rateLimitStore: new MemoryBucketStore(), ...extra } as Parameters<typeof createClient>[0]);
}

const send = (client: Client, text = 'hi') => client.bot({ botId: 7, botToken: BOT_TOKEN }).Chat.Message.send({ dialogId: 'chat5', fields: { message: text } });
const read = (client: Client) => client.bot({ botId: 7, botToken: BOT_TOKEN }).Chat.Message.get({ messageId: 1 });

describe('the client-side leaky bucket', () => {
  it('a burst of 45 calls never trips QUERY_LIMIT_EXCEEDED, and every call runs exactly once', async () => {
    // Drain scaled up from the real 2/s so the test is quick; the client keeps a tenth of the
    // bucket free (here 2 requests = 400 ms: room for a machine busy with other tests) for requests that reach the portal late.
    const p = await portal({ rateLimit: { limit: 20, drainPerSecond: 5 } });
    const client = webhookClient(p, { rateLimit: { limit: 20, drainPerSecond: 5 } });
    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => send(client, `m${i}`)));
    expect(p.stats.rejectedByRateLimit).toBe(0);
    expect(p.calls.ran()).toHaveLength(45);
    expect(new Set(p.calls.ran().map((e) => (e.params.fields as { message: string }).message)).size).toBe(45);
    expect(new Set(results.map((r) => r.id)).size).toBe(45);
  });

  it('is shared by every client of a portal that uses the same store', async () => {
    const p = await portal({ rateLimit: { limit: 10, drainPerSecond: 10 } });
    const store = new MemoryBucketStore();
    const a = webhookClient(p, { rateLimit: { limit: 10, drainPerSecond: 10 }, rateLimitStore: store });
    const b = webhookClient(p, { rateLimit: { limit: 10, drainPerSecond: 10 }, rateLimitStore: store });
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b)));
    expect(p.stats.rejectedByRateLimit).toBe(0);
    expect(p.calls.ran()).toHaveLength(20);
  });

  it('an abort while waiting for a slot stops the call before it is sent', async () => {
    const p = await portal();
    const client = webhookClient(p, { rateLimit: { limit: 1, drainPerSecond: 0.01 } });
    await send(client);
    const controller = new AbortController();
    const pending = client.bot({ botId: 7 }).Chat.Message.send({ dialogId: 'chat5', fields: { message: 'late' } }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(Bitrix24AbortError);
    expect(p.stats.requests).toBe(1);
  }, 5_000);
});

describe('retries', () => {
  it('QUERY_LIMIT_EXCEEDED is retried with backoff, even for a call that is not safe to repeat', async () => {
    const p = await portal();
    const client = webhookClient(p, { rateLimit: false });
    p.fail('imbot.v2.Chat.Message.send', 'QUERY_LIMIT_EXCEEDED', { times: 2 });
    const r = await send(client).withResponse();
    expect(r.attempts).toBe(3);
    expect(p.calls.ran()).toHaveLength(1);
  });

  it('OVERLOAD_LIMIT surfaces at once', async () => {
    const p = await portal();
    p.fail('imbot.v2.Chat.Message.get', 'OVERLOAD_LIMIT');
    const err = await read(webhookClient(p)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OverloadLimitError);
    expect(err).toMatchObject({ attempts: 1, status: 503 });
    expect(p.stats.requests).toBe(1);
  });

  it('a send whose connection was reset after the portal ran it is not sent again; a read is', async () => {
    const p = await portal();
    const client = webhookClient(p);
    p.fault('imbot.v2.Chat.Message.send', 'reset-after');
    const err = await send(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24NetworkError);
    expect(err).toMatchObject({ attempts: 1 });
    expect(p.calls.ran().filter((e) => e.method === 'imbot.v2.Chat.Message.send')).toHaveLength(1);

    p.fault('imbot.v2.Chat.Message.get', 'reset-after', 'truncate');
    const r = await read(client).withResponse();
    expect(r.attempts).toBe(3);
  });

  it('5xx and HTML gateway pages: retried for reads, surfaced for sends, with the attempts in the message', async () => {
    const p = await portal();
    const client = webhookClient(p);
    p.fail('imbot.v2.Chat.Message.get', 'INTERNAL_SERVER_ERROR').fault('imbot.v2.Chat.Message.get', 'html');
    expect((await read(client).withResponse()).attempts).toBe(3);
    p.fail('imbot.v2.Chat.Message.get', 'INTERNAL_SERVER_ERROR', { times: 4 });
    const err = (await read(client).catch((e: unknown) => e)) as Bitrix24Error;
    expect(err.attempts).toBe(4);
    expect(err.message).toBe('imbot.v2.Chat.Message.get: INTERNAL_SERVER_ERROR (HTTP 500) after 4 attempts: Internal server error');
    p.fail('imbot.v2.Chat.Message.send', 'INTERNAL_SERVER_ERROR');
    expect(await send(client).catch((e: unknown) => (e as Bitrix24Error).attempts)).toBe(1);
  });

  it('a timeout is retried for a read only', async () => {
    const p = await portal();
    const client = webhookClient(p, { timeout: 100 });
    p.fault('imbot.v2.Chat.Message.get', { slowMs: 400 });
    expect((await read(client).withResponse()).attempts).toBe(2);
    p.fault('imbot.v2.Chat.Message.send', { slowMs: 400 });
    await expect(send(client)).rejects.toMatchObject({ code: 'TIMEOUT', attempts: 1 });
  });

  it('validation and auth errors are never retried', async () => {
    const p = await portal();
    const client = webhookClient(p);
    p.fail('imbot.v2.Chat.Message.get', 'BOT_NOT_FOUND');
    await expect(read(client)).rejects.toBeInstanceOf(BotNotFoundError);
    p.fail('imbot.v2.Chat.Message.get', 'NO_AUTH_FOUND');
    await expect(read(client)).rejects.toMatchObject({ code: 'NO_AUTH_FOUND', attempts: 1 });
    expect(p.stats.requests).toBe(2);
  });

  it('an abort during backoff stops at once', async () => {
    const p = await portal();
    const client = webhookClient(p, { retryDelay: 60_000 });
    p.fail('imbot.v2.Chat.Message.get', 'INTERNAL_SERVER_ERROR');
    const controller = new AbortController();
    const pending = client.bot({ botId: 7 }).Chat.Message.get({ messageId: 1 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24AbortError);
    expect(err).toMatchObject({ code: 'ABORTED', attempts: 1 });
    expect(p.stats.requests).toBe(1);
  }, 5_000);
});

describe('OPERATION_TIME_LIMIT', () => {
  it('waits until operating_reset_at, then runs the call', async () => {
    const p = await portal({ operatingLimit: { budget: 2, costPerCall: 1, resetAfterMs: 400 } });
    const client = webhookClient(p);
    await read(client);
    const first = await read(client).withResponse();
    expect(first.time).toMatchObject({ operating: 2, operating_reset_at: expect.any(Number) });
    const r = await read(client).withResponse();
    expect(r.attempts).toBe(2);
    expect(p.calls.ran()).toHaveLength(3);
  });

  it('gives up at once when the reset is further away than maxWait', async () => {
    const p = await portal({ operatingLimit: { budget: 1, costPerCall: 1, resetAfterMs: 60_000 } });
    const client = webhookClient(p, { maxWait: 1_000 });
    await read(client);
    await expect(read(client)).rejects.toMatchObject({ code: 'OPERATION_TIME_LIMIT', status: 429, attempts: 1 });
    // The method stays blocked: the next call fails without reaching the portal.
    const received = p.stats.requests;
    await expect(read(client)).rejects.toMatchObject({ code: 'OPERATION_TIME_LIMIT' });
    expect(p.stats.requests).toBe(received);
  });
});

describe('OAuth', () => {
  const OAUTH = { accessToken: 'access-0-initial', refreshToken: 'refresh-0-initial', clientId: 'app.123', clientSecret: 'client-secret-XYZ', ttlMs: 60_000 };

  it('ten concurrent calls hitting an expired token cause one refresh; onTokens gets the new pair', async () => {
    const p = await portal({ oauth: OAUTH });
    const seen: OAuthTokens[] = [];
    const client = createClient({
      portalUrl: p.origin,
      accessToken: OAUTH.accessToken,
      refreshToken: OAUTH.refreshToken,
      clientId: OAUTH.clientId,
      clientSecret: OAUTH.clientSecret,
      oauthUrl: p.origin,
      onTokens: (t) => void seen.push(t),
      rateLimitStore: new MemoryBucketStore(),
    });
    await read(client);
    p.expireToken();
    const results = await Promise.all(Array.from({ length: 10 }, () => read(client).withResponse()));
    expect(p.stats.refreshes).toBe(1);
    expect(results.every((r) => r.attempts === 2)).toBe(true);
    expect(seen).toEqual([{ accessToken: p.accessToken, refreshToken: expect.stringMatching(/^refresh-1-/), expiresAt: expect.any(Number) }]);
    await read(client);
    expect(p.stats.refreshes).toBe(1);
  });

  it('refreshes through a callback of your own', async () => {
    const p = await portal({ oauth: OAUTH });
    const client = createClient({
      portalUrl: p.origin,
      accessToken: OAUTH.accessToken,
      refreshToken: OAUTH.refreshToken,
      refresh: async (refreshToken) => {
        const res = await fetch(`${p.oauthUrl}?grant_type=refresh_token&client_id=${OAUTH.clientId}&client_secret=${OAUTH.clientSecret}&refresh_token=${refreshToken}`);
        const body = (await res.json()) as { access_token: string; refresh_token: string };
        return { accessToken: body.access_token, refreshToken: body.refresh_token };
      },
      rateLimitStore: new MemoryBucketStore(),
    });
    p.expireToken();
    await expect(read(client)).resolves.toBeDefined();
    expect(p.stats.refreshes).toBe(1);
  });

  it('a refused refresh surfaces the authorization server error without any secret', async () => {
    const p = await portal({ oauth: OAUTH });
    const client = createClient({ portalUrl: p.origin, accessToken: OAUTH.accessToken, refreshToken: 'wrong-refresh-token', clientId: OAUTH.clientId, clientSecret: OAUTH.clientSecret, oauthUrl: p.origin, rateLimitStore: new MemoryBucketStore() });
    p.expireToken();
    const err = (await read(client).catch((e: unknown) => e)) as Bitrix24Error;
    expect(err).toBeInstanceOf(Bitrix24Error);
    expect(err.code).toBe('invalid_grant');
    const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
    for (const secret of ['wrong-refresh-token', OAUTH.clientSecret, OAUTH.accessToken]) expect(text).not.toContain(secret);
  });

  it('without a way to refresh, expired_token surfaces as is', async () => {
    const p = await portal({ oauth: OAUTH });
    const client = createClient({ portalUrl: p.origin, accessToken: OAUTH.accessToken, rateLimitStore: new MemoryBucketStore() });
    p.expireToken();
    await expect(read(client)).rejects.toMatchObject({ code: 'expired_token', status: 401, attempts: 1 });
  });
});

describe('batch', () => {
  it('types each entry, maps errors to their classes, and splits 120 calls into 3 requests', async () => {
    const p = await portal({ rateLimit: { limit: 50, drainPerSecond: 2 } });
    const client = webhookClient(p);
    p.fail('imbot.v2.Chat.Message.send', 'EMPTY_MESSAGE');
    const entries = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`m${i}`, ['imbot.v2.Chat.Message.send', { botId: 7, botToken: BOT_TOKEN, dialogId: 'chat5', fields: { message: `hello ${i}`, system: i % 2 === 0 } }] as const]),
    );
    const all: Record<string, BatchEntry> = { ...entries, revision: ['imbot.v2.Revision.get', {}] };
    const out = await client.batch(all);
    expect(p.stats.requests).toBe(3);
    expect(out.m0.status).toBe('rejected');
    if (out.m0.status === 'rejected') expect(out.m0.reason).toBeInstanceOf(EmptyMessageError);
    // chat-message-send.md's answer: "uuidMap": {} when nothing was forwarded.
    expect(out.m1).toEqual({ status: 'fulfilled', value: { id: expect.any(Number), uuidMap: {} } });
    expect(Object.values(out).filter((o) => o.status === 'fulfilled')).toHaveLength(120);
    const sent = p.calls.of('imbot.v2.Chat.Message.send').find((e) => e.params.fields?.message === 'hello 2');
    // A batch command's params arrive as PHP query strings: all strings, `true` as "1".
    expect(sent).toMatchObject({ via: 'batch', raw: { botId: '7', dialogId: 'chat5', fields: { message: 'hello 2', system: '1' } }, params: { botId: 7, fields: { system: true } } });
  });

  it('halt: the calls after the first failure are skipped, in later chunks too', async () => {
    const p = await portal();
    const client = webhookClient(p);
    p.fail('imbot.v2.Chat.Message.get', 'BOT_NOT_FOUND');
    const entries = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, ['imbot.v2.Chat.Message.get', { botId: 7, messageId: i }] as const]));
    const out = await client.batch(entries, { halt: true });
    expect(out.k0.status).toBe('rejected');
    expect(Object.values(out).every((o, i) => i === 0 || o.status === 'skipped')).toBe(true);
    expect(p.stats.requests).toBe(1);
  });
});

describe('the logger', () => {
  it('sees requests, responses, waits and refreshes with every secret masked', async () => {
    const OAUTH = { accessToken: 'access-0-LOGGED', refreshToken: 'refresh-0-LOGGED', clientId: 'app.9', clientSecret: 'client-secret-LOGGED', ttlMs: 60_000 };
    const p = await portal({ oauth: OAUTH });
    const events: TransportEvent[] = [];
    const client = createClient({ portalUrl: p.origin, ...OAUTH, oauthUrl: p.origin, logger: (e) => events.push(e), retryDelay: 1, rateLimitStore: new MemoryBucketStore() });
    p.expireToken();
    await read(client);
    await client.batch({ a: ['imbot.v2.Chat.Message.send', { botId: 7, botToken: BOT_TOKEN, dialogId: 'chat1', fields: { message: 'x' } }] });
    p.fail('imbot.v2.Chat.Message.get', 'INTERNAL_SERVER_ERROR');
    await read(client);

    const webhook = await portal({ webhook: { userId: 1, secret: 'webhook-LOGGED-code' } });
    await read(createClient({ webhookUrl: webhook.webhookUrl, logger: (e) => events.push(e), rateLimitStore: new MemoryBucketStore() }));

    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['request', 'response', 'refresh', 'wait']));
    const text = JSON.stringify(events);
    for (const secret of [OAUTH.accessToken, OAUTH.refreshToken, OAUTH.clientSecret, p.accessToken, BOT_TOKEN, 'webhook-LOGGED-code']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('***');
  });
});
