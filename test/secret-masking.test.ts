import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Bitrix24Error, createClient, EmptyMessageError, maskBatchCommand, type TransportEvent } from '../generated/src/index.js';
import { json, TestServer, TIME } from './support/http-server.js';

/**
 * Secret masking (issue 26, item 12) is structural: the webhook code in the URL path and the
 * values of secret keys (`auth`, `botToken`, `access_token`, `refresh_token`, `client_secret`,
 * `application_token`) in JSON, form and query strings and batch `cmd` strings are masked
 * wherever the client writes them, whatever their length, before any cut; the text of a known
 * secret is masked elsewhere only when it has 8 characters or more, so a short bot token does not
 * garble messages; the portal's host stays readable.
 */
const WEBHOOK_CODE = 'maskingW3bh00kC0de42';
let server: TestServer;
const webhookUrl = () => `${server.url}/rest/1/${WEBHOOK_CODE}/`;

beforeAll(async () => {
  server = await TestServer.start();
});
beforeEach(() => {
  server.requests.length = 0;
});
afterAll(() => server.close());

/** Every way an error reaches a person or a log. */
function everyForm(err: unknown): string {
  const e = err as Error;
  return [String(e), e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 5 })].join('\n');
}

describe('short bot tokens', () => {
  it.each(['Message', 'r', 'is'])('a botToken of %j does not garble the portal’s message, and is masked where it stands as a value', async (botToken) => {
    server.handle((_req, res) => json(res, 400, { error: 'EMPTY_MESSAGE', error_description: 'Message is empty' }));
    const events: TransportEvent[] = [];
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, logger: (e) => void events.push(e) });
    const err = await client.bot({ botId: 7, botToken }).Chat.Message.send({ dialogId: 'chat5', fields: { message: 'r is a Message' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmptyMessageError);
    expect((err as Error).message).toBe('imbot.v2.Chat.Message.send: EMPTY_MESSAGE (HTTP 400): Message is empty');
    const request = events.find((e) => e.type === 'request') as Extract<TransportEvent, { type: 'request' }>;
    expect(JSON.parse(request.body)).toEqual({ botId: 7, botToken: '***', dialogId: 'chat5', fields: { message: 'r is a Message' } });
  });
});

describe('the logger', () => {
  it('shows the portal’s host and path with only the webhook code masked', async () => {
    server.handle((_req, res) => json(res, 200, { result: true, time: TIME }));
    const events: TransportEvent[] = [];
    await createClient({ webhookUrl: webhookUrl(), rateLimit: false, logger: (e) => void events.push(e) }).imbot.v2.Revision.get({});
    const request = events.find((e) => e.type === 'request') as Extract<TransportEvent, { type: 'request' }>;
    expect(request.url).toBe(`${server.url}/rest/1/***/imbot.v2.Revision.get`);
  });

  it('masks a response body whole before cutting it at 4096 characters: a secret across the cut leaves no first characters', async () => {
    const applicationToken = 'appTOKENabcdefghijklmnopqrstuvwxyz0123';
    const botToken = 'botTOKEN-in-params-0123456789';
    // The values start at character 4080 of the body, and run past the cut at 4096.
    const prefix = '{"result":{"pad":"';
    const pad = 'x'.repeat(4080 - prefix.length - '","application_token":"'.length);
    const body = `${prefix}${pad}","application_token":"${applicationToken}","echo":"${botToken}"},"time":{}}`;
    expect(body.indexOf(applicationToken)).toBe(4080);
    server.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const events: TransportEvent[] = [];
    await createClient({ webhookUrl: webhookUrl(), rateLimit: false, logger: (e) => void events.push(e) }).bot({ botId: 7, botToken }).Chat.Message.get({ messageId: 1 });
    const response = events.find((e) => e.type === 'response') as Extract<TransportEvent, { type: 'response' }>;
    expect(response.body).toHaveLength(4096 + 3);
    expect(response.body).toContain('"application_token":"***"');
    for (const start of [applicationToken.slice(0, 6), botToken.slice(0, 6)]) expect(response.body).not.toContain(start);
  });

  it('masks the botToken in batch cmd strings, URL-encoded, even a short one, and a rotation’s fields[botToken]', async () => {
    server.handle((_req, res) => json(res, 200, { result: { result: { a: { id: 1 }, b: { id: 2 } }, result_error: [], result_total: [], result_next: [], result_time: [] }, time: TIME }));
    const events: TransportEvent[] = [];
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false, logger: (e) => void events.push(e) });
    await client.batch({
      a: ['imbot.v2.Chat.Message.send', { botId: 7, botToken: 'r', dialogId: 'chat5', fields: { message: 'r&r=1' } }],
      b: ['imbot.v2.Bot.update', { botId: 7, botToken: 'r', fields: { botToken: 'new/token+long-enough' } }],
    });
    const request = events.find((e) => e.type === 'request') as Extract<TransportEvent, { type: 'request' }>;
    const cmd = (JSON.parse(request.body) as { cmd: Record<string, string> }).cmd;
    expect(cmd.a).toBe('imbot.v2.Chat.Message.send?botId=7&botToken=***&dialogId=chat5&fields%5Bmessage%5D=r%26r%3D1');
    expect(cmd.b).toBe('imbot.v2.Bot.update?botId=7&botToken=***&fields%5BbotToken%5D=***');
    expect(request.body).not.toContain('new%2Ftoken');
  });
});

describe('errors', () => {
  it('a batch call’s error that echoes its cmd string shows no token, in message, stack, JSON or inspect', async () => {
    const echoed = 'imbot.v2.Chat.Message.send?botId=7&botToken=r&fields%5BbotToken%5D=rotated-0123&fields%5Bmessage%5D=hi';
    server.handle((_req, res) => json(res, 200, { result: { result: [], result_error: { a: { error: 'EMPTY_MESSAGE', error_description: `bad command ${echoed}` } } }, time: TIME }));
    const client = createClient({ webhookUrl: webhookUrl(), rateLimit: false });
    const out = await client.batch({ a: ['imbot.v2.Chat.Message.send', { botId: 7, botToken: 'r', dialogId: 'chat5', fields: { message: 'hi' } }] });
    expect(out.a.status).toBe('rejected');
    const err = (out.a as { reason: Bitrix24Error }).reason;
    expect(err.description).toBe('bad command imbot.v2.Chat.Message.send?botId=7&botToken=***&fields%5BbotToken%5D=***&fields%5Bmessage%5D=hi');
    const text = everyForm(err);
    expect(text).not.toContain('botToken=r');
    expect(text).not.toContain('rotated-0123');
  });

  it('a long secret the portal echoes outside any structure is masked by the last net, and an access token in a query too', async () => {
    const accessToken = 'oauth-access-0123456789ab';
    server.handle((_req, res) => json(res, 400, { error: 'SOMETHING', error_description: `token ${accessToken} refused; see ${server.url}/rest/x?auth=${encodeURIComponent('a/b+c')}&x=1` }));
    const client = createClient({ portalUrl: server.url, accessToken, rateLimit: false });
    const err = await client.imbot.v2.Revision.get({}).catch((e: unknown) => e);
    expect((err as Bitrix24Error).description).toBe(`token *** refused; see ${server.url}/rest/x?auth=***&x=1`);
    expect(everyForm(err)).not.toContain(accessToken);
  });
});

describe('a webhook URL with user:password', () => {
  it('is refused by createClient without repeating the password (before: every call failed with fetch\'s error quoting the whole URL, password included, in message, stack, JSON and inspect)', async () => {
    const url = `${server.url.replace('://', '://admin:hunter2-pass@')}/rest/1/${WEBHOOK_CODE}/`;
    let thrown: unknown;
    try {
      const client = createClient({ webhookUrl: url, rateLimit: false, maxRetries: 0 });
      thrown = await client.bot({ botId: 7, botToken: 'bot-token-123456' }).Chat.Message.send({ dialogId: 'chat5', fields: { message: 'hi' } }).catch((e: unknown) => e);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toBe('createClient: webhookUrl must not contain a user name or password (a Bitrix24 webhook URL has none, and fetch refuses such URLs); remove the "user:password@" part');
    expect(everyForm(thrown)).not.toContain('hunter2-pass');
    expect(everyForm(thrown)).not.toContain(WEBHOOK_CODE);
    expect(server.requests).toEqual([]);
  });
});

describe('maskBatchCommand', () => {
  it.each([
    ['imbot.v2.Revision.get', 'imbot.v2.Revision.get'],
    ['m?botToken=abc', 'm?botToken=***'],
    ['m?fields[botToken]=abc&fields[message]=hi', 'm?fields[botToken]=***&fields[message]=hi'],
    ['m?fields%5BbotToken%5D=abc&x=%5B', 'm?fields%5BbotToken%5D=***&x=%5B'],
    ['m?auth=a&authorId=5&access_token=b&refresh_token=c&client_secret=d&application_token=e', 'm?auth=***&authorId=5&access_token=***&refresh_token=***&client_secret=***&application_token=***'],
    ['m?bad%ZZkey=1&botToken', 'm?bad%ZZkey=1&botToken'],
  ])('%s -> %s', (command, masked) => {
    expect(maskBatchCommand(command)).toBe(masked);
  });
});
