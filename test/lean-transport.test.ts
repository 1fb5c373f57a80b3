import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24ResponseError,
  Bitrix24TimeoutError,
  BotNotFoundError,
  ExpiredTokenError,
  MemoryBucketStore,
  QueryLimitExceededError,
  createLeanTransport,
  logTo,
  oauthRefresh,
  rateLimiter,
  sendBatch,
  type TransportEvent,
} from '../generated/src/index.js';
import { imbotV2ChatInputActionNotify } from '../generated/src/imbot.v2/Chat.InputAction.notify.js';
import { imbotV2ChatMessageGetMethod } from '../generated/src/imbot.v2/Chat.Message.get.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { secretChecks } from './support/secret-checks.js';

/**
 * The lean transport (runtime/core.ts) as the README's "One method, smallest bundle" uses it,
 * against a real HTTP server on 127.0.0.1: no mocks.
 */
const WEBHOOK_CODE = 'lean-W3bh00k-c0de';
const BOT_TOKEN = 'lean-bot-t0ken-xyz';
const ACCESS_TOKEN = 'lean-access-T0KEN';
const SECRETS = [WEBHOOK_CODE, BOT_TOKEN, ACCESS_TOKEN];
const params = { botId: 456, botToken: BOT_TOKEN, dialogId: 'chat5' };

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
});

const webhookUrl = () => `${server.url}/rest/1/${WEBHOOK_CODE}/`;

const { expectNoSecrets, failure } = secretChecks(SECRETS);

describe('the lean transport', () => {
  it('calls a deep-imported method over a webhook and gives its result and response', async () => {
    const transport = createLeanTransport({ webhookUrl: webhookUrl() });
    expect(await imbotV2ChatInputActionNotify(transport, params)).toEqual({ result: true });
    const full = await imbotV2ChatInputActionNotify(transport, params).withResponse();
    expect(full).toMatchObject({ result: { result: true }, time: TIME, status: 200, attempts: 1 });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: `/rest/1/${WEBHOOK_CODE}/imbot.v2.Chat.InputAction.notify`, json: params });
    expect(server.requests[0].headers['content-type']).toBe('application/json');
  });

  it('sends a static OAuth token as auth', async () => {
    const transport = createLeanTransport({ portalUrl: server.url, accessToken: ACCESS_TOKEN });
    await imbotV2ChatInputActionNotify(transport, params);
    expect(server.requests[0]).toMatchObject({ path: '/rest/imbot.v2.Chat.InputAction.notify', json: { ...params, auth: ACCESS_TOKEN } });
  });

  it('maps error codes to the classes passed in, others to Bitrix24Error, with no secret in any message', async () => {
    // The portal echoes the secrets back: they must be masked all the same.
    const echo = `bad ${WEBHOOK_CODE} ${BOT_TOKEN} ${webhookUrl()}`;
    server.handle((_req, res) => json(res, 400, { error: 'BOT_NOT_FOUND', error_description: echo }));
    const transport = createLeanTransport({ webhookUrl: webhookUrl() }, { BOT_NOT_FOUND: BotNotFoundError });
    const err = await failure(imbotV2ChatInputActionNotify(transport, params));
    expect(err).toBeInstanceOf(BotNotFoundError);
    expect(err).toMatchObject({ code: 'BOT_NOT_FOUND', status: 400, method: 'imbot.v2.Chat.InputAction.notify', attempts: 1 });
    expect(err.description).toContain('***');
    // JSON shows the facts only: no request, no cause.
    expect(JSON.parse(JSON.stringify(err))).toEqual({ name: 'BotNotFoundError', code: 'BOT_NOT_FOUND', status: 400, description: err.description, method: 'imbot.v2.Chat.InputAction.notify', attempts: 1 });

    const bare = await failure(imbotV2ChatInputActionNotify(createLeanTransport({ webhookUrl: webhookUrl() }), params));
    expect(bare.constructor).toBe(Bitrix24Error);
    expect(bare.code).toBe('BOT_NOT_FOUND');

    server.handle((_req, res) => json(res, 401, { error: 'expired_token', error_description: `token ${ACCESS_TOKEN} expired` }));
    const oauth = createLeanTransport({ portalUrl: server.url, accessToken: ACCESS_TOKEN }, { expired_token: ExpiredTokenError });
    const expired = await failure(imbotV2ChatInputActionNotify(oauth, params));
    expect(expired).toBeInstanceOf(ExpiredTokenError);
    expect(expired.attempts).toBe(1); // no refresh without the oauthRefresh plugin
  });

  it('turns an HTML page into a Bitrix24ResponseError, retried for a read only', async () => {
    server.handle((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(`<html>gateway ${WEBHOOK_CODE}</html>`);
    });
    const transport = createLeanTransport({ webhookUrl: webhookUrl(), retryDelay: 1, maxRetries: 2 });
    const err = await failure(imbotV2ChatInputActionNotify(transport, params)); // idempotent
    expect(err).toBeInstanceOf(Bitrix24ResponseError);
    expect(err).toMatchObject({ code: 'INVALID_RESPONSE', status: 502, attempts: 3 });
    server.requests.length = 0;
    await failure(transport.call({ name: 'imbot.v2.Chat.Message.send', idempotent: false }, params));
    expect(server.requests).toHaveLength(1);
  });

  it('retries QUERY_LIMIT_EXCEEDED, even for a call that is not safe to repeat', async () => {
    let n = 0;
    server.handle((_req, res) => (++n < 3 ? json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }) : json(res, 200, { result: 7, time: TIME })));
    const transport = createLeanTransport({ webhookUrl: webhookUrl(), retryDelay: 1 }, { QUERY_LIMIT_EXCEEDED: QueryLimitExceededError });
    const r = await transport.call({ name: 'imbot.v2.Chat.Message.send', idempotent: false }, params).withResponse();
    expect(r).toMatchObject({ result: 7, attempts: 3 });
    n = -10;
    const err = await failure(transport.call({ name: 'imbot.v2.Chat.Message.send', idempotent: false }, params, { maxRetries: 1 }));
    expect(err).toBeInstanceOf(QueryLimitExceededError);
    expect(err.attempts).toBe(2);
  });

  it('times out each call at its own deadline, and a late answer does not matter', async () => {
    server.handle(async (req, res) => {
      const wait = (req.json as { wait: number }).wait;
      await new Promise((r) => setTimeout(r, wait));
      if (!res.destroyed) json(res, 200, { result: wait, time: TIME });
    });
    const transport = createLeanTransport({ webhookUrl: webhookUrl(), maxRetries: 0, timeout: 5_000 });
    const method = { name: 'imbot.v2.Chat.Message.send', idempotent: false };
    const started = Date.now();
    const [slow, fast, ok] = await Promise.allSettled([
      transport.call(method, { wait: 1_000, botToken: BOT_TOKEN }, { timeout: 400 }),
      transport.call(method, { wait: 1_000, botToken: BOT_TOKEN }, { timeout: 100 }),
      transport.call(method, { wait: 10, botToken: BOT_TOKEN }, { timeout: 300 }),
    ]);
    expect(ok).toEqual({ status: 'fulfilled', value: 10 });
    for (const [r, ms] of [[slow, 400], [fast, 100]] as const) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason as Bitrix24Error;
      expect(err).toBeInstanceOf(Bitrix24TimeoutError);
      expect(err.message).toContain(`no response within ${ms} ms`);
      expectNoSecrets(err);
    }
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('stops at an abort, and reports a refused connection as a network error without secrets', async () => {
    server.handle(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 300));
      if (!res.destroyed) json(res, 200, { result: true, time: TIME });
    });
    const transport = createLeanTransport({ webhookUrl: webhookUrl() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failure(imbotV2ChatInputActionNotify(transport, params, { signal: controller.signal }))).toBeInstanceOf(Bitrix24AbortError);

    const gone = await TestServer.start();
    const deadUrl = `${gone.url}/rest/1/${WEBHOOK_CODE}/`;
    await gone.close();
    const err = await failure(imbotV2ChatInputActionNotify(createLeanTransport({ webhookUrl: deadUrl, maxRetries: 0 }), params));
    expect(err).toBeInstanceOf(Bitrix24NetworkError);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('refuses a plain http:// portal and a mistyped URL without repeating it', () => {
    expect(() => createLeanTransport({ webhookUrl: `http://portal.example.com/rest/1/${WEBHOOK_CODE}/` })).toThrow(/must use https/);
    try {
      createLeanTransport({ webhookUrl: `not a url ${WEBHOOK_CODE}` });
    } catch (err) {
      expect(String(err)).not.toContain(WEBHOOK_CODE);
    }
  });
});

describe('plugins on the lean transport', () => {
  it('rateLimiter, logTo and sendBatch plug in; the log shows no secret', async () => {
    const events: TransportEvent[] = [];
    const transport = createLeanTransport(
      { webhookUrl: webhookUrl(), plugins: [rateLimiter({ rateLimit: { limit: 3, drainPerSecond: 50 }, rateLimitStore: new MemoryBucketStore() }), logTo((e) => events.push(e))] },
      { BOT_NOT_FOUND: BotNotFoundError },
    );
    await Promise.all(Array.from({ length: 5 }, () => imbotV2ChatInputActionNotify(transport, params)));
    expect(events.some((e) => e.type === 'wait' && e.reason === 'rate-limit')).toBe(true);

    server.handle((_req, res) =>
      json(res, 200, { result: { result: { a: { id: 1 } }, result_error: { b: { error: 'BOT_NOT_FOUND', error_description: `no bot ${BOT_TOKEN}` } } }, time: TIME }),
    );
    const out = await sendBatch(transport, { a: { method: imbotV2ChatMessageGetMethod, params: { messageId: 1 } }, b: { method: imbotV2ChatMessageGetMethod, params: { messageId: 2, botToken: BOT_TOKEN } } });
    expect(out.a).toEqual({ status: 'fulfilled', value: { id: 1 } });
    expect(out.b.status).toBe('rejected');
    const reason = (out.b as { reason: Bitrix24Error }).reason;
    expect(reason).toBeInstanceOf(BotNotFoundError);
    expectNoSecrets(reason);

    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['request', 'response', 'wait']));
    const logged = JSON.stringify(events);
    for (const secret of SECRETS) expect(logged).not.toContain(secret);
  });

  it('oauthRefresh refreshes an expired token once and re-sends the call', async () => {
    let current = ACCESS_TOKEN;
    server.handle((req, res) =>
      (req.json as { auth?: string }).auth === current
        ? json(res, 200, { result: true, time: TIME })
        : json(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired' }),
    );
    const renewed: string[] = [];
    const transport = createLeanTransport({
      portalUrl: server.url,
      accessToken: 'old-token',
      plugins: [oauthRefresh({ refresh: async () => ({ accessToken: current }), onTokens: (t) => void renewed.push(t.accessToken) })],
    });
    const r = await transport.call({ name: 'imbot.v2.Chat.Message.get', idempotent: true }, { messageId: 1 }, { maxRetries: 0 }).withResponse();
    expect(r).toMatchObject({ result: true, attempts: 2 });
    expect(renewed).toEqual([current]);
    expect(() => createLeanTransport({ webhookUrl: webhookUrl(), plugins: [oauthRefresh()] })).toThrow(/needs portalUrl with accessToken/);
  });
});
