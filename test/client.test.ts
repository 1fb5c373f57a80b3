import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Bitrix24AbortError,
  Bitrix24Error,
  Bitrix24NetworkError,
  Bitrix24ResponseError,
  Bitrix24TimeoutError,
  BotNotFoundError,
  BotOwnershipError,
  ExpiredTokenError,
  InsufficientScopeError,
  NoAuthFoundError,
  OverloadLimitError,
  QueryLimitExceededError,
  StatusMessageCode,
  createClient,
  createTransport,
  errorClassesByCode,
  type Client,
} from '../generated/src/index.js';
import { errorsOf } from '../generator/model/ir.js';
import { loadSpec } from '../generator/load/index.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { secretChecks } from './support/secret-checks.js';

const WEBHOOK_CODE = 's3cr3tW3bh00kC0de';
const BOT_TOKEN = 'bot-token-s3cr3t-xyz';
const ACCESS_TOKEN = 'oauth-access-T0KEN-123';
const SECRETS = [WEBHOOK_CODE, BOT_TOKEN, ACCESS_TOKEN];

const NOTIFY = 'imbot.v2.Chat.InputAction.notify';
const params = {
  botId: 456,
  botToken: BOT_TOKEN,
  dialogId: 'chat5',
  statusMessageCode: StatusMessageCode.IMBOT_AGENT_ACTION_THINKING,
  duration: 30,
};

let server: TestServer;
let client: Client;

const { expectNoSecrets, failure } = secretChecks(SECRETS);

beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  client = createClient({ webhookUrl: `${server.url}/rest/1/${WEBHOOK_CODE}/`, retryDelay: 1 });
});

describe('a successful call', () => {
  it('POSTs the params as JSON to webhookUrl + method and resolves to `result`', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const result = await client.imbot.v2.Chat.InputAction.notify(params);
    expect(result).toEqual({ result: true });
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/rest/1/${WEBHOOK_CODE}/${NOTIFY}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.json).toEqual({
      botId: 456,
      botToken: BOT_TOKEN,
      dialogId: 'chat5',
      statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING',
      duration: 30,
    });
  });

  it('gives the time block, status and headers through withResponse()', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const response = await client.imbot.v2.Chat.InputAction.notify(params).withResponse();
    expect(response.result).toEqual({ result: true });
    expect(response.time).toEqual(TIME);
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(1);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('in OAuth mode posts to portalUrl/rest/method with the token as `auth`', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const oauth = createClient({ portalUrl: server.url, accessToken: ACCESS_TOKEN });
    await oauth.imbot.v2.Chat.InputAction.notify({ botId: 456, dialogId: '12' });
    const [req] = server.requests;
    expect(req.path).toBe(`/rest/${NOTIFY}`);
    expect(req.json).toEqual({ botId: 456, dialogId: '12', auth: ACCESS_TOKEN });
  });
});

describe('a bound bot', () => {
  it('fills in botId and botToken for every call', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const bot = client.bot({ botId: 456, botToken: BOT_TOKEN });
    await expect(bot.Chat.InputAction.notify({ dialogId: 'chat5', duration: 5 })).resolves.toEqual({ result: true });
    expect(server.requests[0].json).toEqual({ dialogId: 'chat5', duration: 5, botId: 456, botToken: BOT_TOKEN });
  });

  it('sends no botToken when bound without one (OAuth)', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const oauth = createClient({ portalUrl: server.url, accessToken: ACCESS_TOKEN });
    await oauth.bot({ botId: 7 }).Chat.InputAction.notify({ dialogId: '12' });
    expect(server.requests[0].json).toEqual({ dialogId: '12', botId: 7, auth: ACCESS_TOKEN });
  });

  it('keeps the bound identity even if a call smuggles its own', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const bot = client.bot({ botId: 456, botToken: BOT_TOKEN });
    await bot.Chat.InputAction.notify({ dialogId: 'chat5', botId: 1 } as never);
    expect((server.requests[0].json as { botId: number }).botId).toBe(456);
  });
});

describe('documented errors', () => {
  const api = loadSpec('spec');
  const method = api.methods.find((m) => m.name === NOTIFY)!;
  const documented = errorsOf(method, api);

  it('documents its own five codes and the sixteen system ones', () => {
    expect(method.errors.map((e) => e.code)).toEqual([
      'BOT_TOKEN_NOT_SPECIFIED',
      'BOT_ID_REQUIRED',
      'BOT_NOT_FOUND',
      'BOT_OWNERSHIP_ERROR',
      'ACCESS_DENIED',
    ]);
    expect(api.systemErrors).toHaveLength(16);
    expect(new Set(documented.map((e) => e.code)).size).toBe(20);
  });

  it.each(documented.map((e) => [e.code, e.status, e.message] as const))(
    '%s (HTTP %i) becomes its own error class',
    async (code, status, documented) => {
      // A code whose message no page gives (OPERATION_TIME_LIMIT) still carries whatever text the portal sends.
      const message = documented ?? 'Method is blocked';
      server.handle((_req, res) => json(res, status, { error: code, error_description: message }));
      const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { maxRetries: 0 }));
      expect(err).toBeInstanceOf(errorClassesByCode[code]);
      expect(err.constructor).toBe(errorClassesByCode[code]);
      expect(err.code).toBe(code);
      expect(err.status).toBe(status);
      expect(err.description).toBe(message);
      expect(err.method).toBe(NOTIFY);
      expect(err.message).toBe(`${NOTIFY}: ${code} (HTTP ${status}): ${message}`);
    },
  );

  it('names classes after codes, without doubled suffixes', () => {
    expect(errorClassesByCode.BOT_NOT_FOUND).toBe(BotNotFoundError);
    expect(errorClassesByCode.BOT_OWNERSHIP_ERROR).toBe(BotOwnershipError);
    expect(errorClassesByCode.insufficient_scope).toBe(InsufficientScopeError);
    expect(errorClassesByCode.QUERY_LIMIT_EXCEEDED).toBe(QueryLimitExceededError);
    expect(errorClassesByCode.expired_token).toBe(ExpiredTokenError);
    expect(errorClassesByCode.NO_AUTH_FOUND).toBe(NoAuthFoundError);
    expect(errorClassesByCode.OVERLOAD_LIMIT).toBe(OverloadLimitError);
    expect(new BotNotFoundError({ code: 'BOT_NOT_FOUND', description: '' }).name).toBe('BotNotFoundError');
    expect(BotNotFoundError.code).toBe('BOT_NOT_FOUND');
  });

  it('chooses the class by the error code, not by the HTTP status', async () => {
    server.handle((_req, res) => json(res, 500, { error: 'BOT_NOT_FOUND', error_description: 'Bot not found' }));
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { maxRetries: 0 }));
    expect(err).toBeInstanceOf(BotNotFoundError);
    expect(err.status).toBe(500);
  });

  it('gives a plain Bitrix24Error carrying an unknown code', async () => {
    server.handle((_req, res) => json(res, 400, { error: 'SOMETHING_NEW', error_description: 'New in a later API' }));
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err.constructor).toBe(Bitrix24Error);
    expect(err.code).toBe('SOMETHING_NEW');
    expect(err.description).toBe('New in a later API');
  });

  it('does not look codes up on the prototype chain', async () => {
    server.handle((_req, res) => json(res, 400, { error: 'constructor', error_description: 'x' }));
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err.constructor).toBe(Bitrix24Error);
    expect(err.code).toBe('constructor');
  });

  it('masks a secret the portal echoes back in error_description (the webhook code only, the path around it stays)', async () => {
    server.handle((_req, res) =>
      json(res, 400, { error: 'BOT_NOT_FOUND', error_description: `no bot with token ${BOT_TOKEN} at /rest/1/${WEBHOOK_CODE}/` }),
    );
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err.description).toBe('no bot with token *** at /rest/1/***/');
  });
});

describe('failures without a portal answer', () => {
  it('turns an HTML 502 gateway page into a Bitrix24ResponseError', async () => {
    server.handle((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { maxRetries: 0 }));
    expect(err).toBeInstanceOf(Bitrix24ResponseError);
    expect(err.code).toBe('INVALID_RESPONSE');
    expect(err.status).toBe(502);
    expect(err.description).toContain('text/html');
  });

  it('turns JSON with neither result nor error into a Bitrix24ResponseError', async () => {
    server.handle((_req, res) => json(res, 200, { hello: 'world' }));
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err).toBeInstanceOf(Bitrix24ResponseError);
  });

  it('turns a refused connection into a Bitrix24NetworkError', async () => {
    const gone = await TestServer.start();
    const url = gone.url;
    await gone.close();
    const offline = createClient({ webhookUrl: `${url}/rest/1/${WEBHOOK_CODE}/`, maxRetries: 0 });
    const err = await failure(offline.imbot.v2.Chat.InputAction.notify(params));
    expect(err).toBeInstanceOf(Bitrix24NetworkError);
    expect(err.code).toBe('NETWORK_ERROR');
    expect(err.status).toBeUndefined();
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('gives up after `timeout` with a Bitrix24TimeoutError', async () => {
    server.handle(() => {
      /* never answers */
    });
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { timeout: 150, maxRetries: 0 }));
    expect(err).toBeInstanceOf(Bitrix24TimeoutError);
    expect(err.code).toBe('TIMEOUT');
  });

  it('stops at once when the signal aborts, with a Bitrix24AbortError', async () => {
    server.handle(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const call = client.imbot.v2.Chat.InputAction.notify(params, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 30);
    const err = await failure(call);
    expect(err).toBeInstanceOf(Bitrix24AbortError);
    expect((err.cause as Error).message).toBe('user left');
    expect(server.requests).toHaveLength(1);
  });

  it('gives fetch an abort signal only when something can abort the call: a finite timeout or a signal of the caller', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    const signals: (AbortSignal | null | undefined)[] = [];
    const recording = createClient({
      webhookUrl: `${server.url}/rest/1/${WEBHOOK_CODE}/`,
      timeout: Infinity,
      fetch: (url, init) => {
        signals.push(init?.signal);
        return fetch(url, init);
      },
    });
    expect(await recording.imbot.v2.Chat.InputAction.notify(params)).toEqual({ result: true });
    expect(await recording.imbot.v2.Chat.InputAction.notify(params, { timeout: 5_000 })).toEqual({ result: true });
    expect(await recording.imbot.v2.Chat.InputAction.notify(params, { signal: new AbortController().signal })).toEqual({ result: true });
    expect(signals.map((s) => s instanceof AbortSignal)).toEqual([false, true, true]);

    // Without a timeout, the caller's signal still stops a call the portal never answers.
    server.handle(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const call = recording.imbot.v2.Chat.InputAction.notify(params, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    expect(await failure(call)).toBeInstanceOf(Bitrix24AbortError);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(Bitrix24AbortError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries QUERY_LIMIT_EXCEEDED and reports the attempts', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls < 3) json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      else json(res, 200, { result: { result: true }, time: TIME });
    });
    const response = await client.imbot.v2.Chat.InputAction.notify(params).withResponse();
    expect(response.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it('never retries OVERLOAD_LIMIT', async () => {
    server.handle((_req, res) => json(res, 503, { error: 'OVERLOAD_LIMIT', error_description: 'REST API is blocked due to overload' }));
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params));
    expect(err).toBeInstanceOf(OverloadLimitError);
    expect(err.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('sends once with maxRetries: 0', async () => {
    server.handle((_req, res) => json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }));
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { maxRetries: 0 }));
    expect(err).toBeInstanceOf(QueryLimitExceededError);
    expect(server.requests).toHaveLength(1);
  });

  it('says how many attempts were made when it gives up', async () => {
    server.handle((_req, res) => json(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }));
    const err = await failure(client.imbot.v2.Chat.InputAction.notify(params, { maxRetries: 2 }));
    expect(err.attempts).toBe(3);
    expect(err.message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('re-sends an idempotent call after a dropped connection, but never a non-idempotent one', async () => {
    server.handle((req, res) => {
      if (server.requests.length === 1) res.socket?.destroy();
      else json(res, 200, { result: { result: true }, time: TIME });
    });
    await expect(client.imbot.v2.Chat.InputAction.notify(params)).resolves.toEqual({ result: true });
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.handle((_req, res) => {
      res.socket?.destroy();
    });
    const transport = createTransport({ webhookUrl: `${server.url}/rest/1/${WEBHOOK_CODE}/`, retryDelay: 1 }, errorClassesByCode);
    const send = transport.call({ name: 'imbot.v2.Chat.Message.send', idempotent: false }, { botToken: BOT_TOKEN });
    const err = await failure(send);
    expect(err).toBeInstanceOf(Bitrix24NetworkError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('client options', () => {
  it('refuses plain http:// except on loopback hosts, without repeating the secret', () => {
    expect(() => createClient({ webhookUrl: `http://portal.example.com/rest/1/${WEBHOOK_CODE}/` })).toThrowError(
      'createClient: webhookUrl must use https:// (plain http:// is only allowed for 127.0.0.1, localhost and [::1]); got http://portal.example.com',
    );
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:9000']) {
      expect(() => createClient({ webhookUrl: `http://${host}/rest/1/${WEBHOOK_CODE}/` })).not.toThrow();
    }
    expect(() => createClient({ portalUrl: 'https://portal.example.com', accessToken: ACCESS_TOKEN })).not.toThrow();
  });

  it('refuses an unusable URL without echoing it', () => {
    try {
      createClient({ webhookUrl: `not a url ${WEBHOOK_CODE}` });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError);
      expectNoSecrets(err);
    }
  });
});
