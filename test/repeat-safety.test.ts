import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Bitrix24NetworkError, createClient, imbotV2BotUpdateMethod, type Client } from '../generated/src/index.js';
import { json, TestServer, TIME, type ReceivedRequest } from './support/http-server.js';
import type { ServerResponse } from 'node:http';

/**
 * A call that is not safe to repeat is never re-sent after it may have run, even when its method
 * is: `imbot.v2.Bot.update` is idempotent, but with `fields.botToken` it rotates the bot's token
 * and the old one stops working at once, so a re-sent rotation would be refused with
 * BOT_OWNERSHIP_ERROR for a rotation that took effect (spec: `notIdempotentWhen`). Against a real
 * server on 127.0.0.1 that reads the whole request and then drops the connection (a lost answer).
 */
const WEBHOOK_CODE = 'wh-c0de-s3cret';
const OLD_TOKEN = 'old-bot-token-1';
const NEW_TOKEN = 'new-bot-token-2';

let server: TestServer;
let client: Client;

beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  client = createClient({ webhookUrl: `${server.url}/rest/1/${WEBHOOK_CODE}/`, retryDelay: 1, rateLimit: false });
});

/** The first request is read in full, then its connection dropped; later ones get `answer`. */
function loseFirstAnswer(answer: (req: ReceivedRequest, res: ServerResponse) => void): void {
  server.handle((req, res) => {
    if (server.requests.length === 1) res.socket?.destroy();
    else answer(req, res);
  });
}

/** What the portal answers a call authorised with a token that a rotation already replaced. */
const ownershipError = (_req: ReceivedRequest, res: ServerResponse) =>
  json(res, 400, { error: 'BOT_OWNERSHIP_ERROR', error_description: 'Bot is registered by another application' });

describe('imbot.v2.Bot.update on its own', () => {
  it('a token rotation whose answer is lost is sent exactly once, and the network error surfaces', async () => {
    loseFirstAnswer(ownershipError);
    const rotation = client.imbot.v2.Bot.update({ botId: 456, botToken: OLD_TOKEN, fields: { botToken: NEW_TOKEN } });
    const err = await rotation.then(
      () => expect.unreachable('the rotation should fail'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Bitrix24NetworkError);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR', attempts: 1, method: 'imbot.v2.Bot.update' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].json).toMatchObject({ fields: { botToken: NEW_TOKEN } });
  });

  it('the same rotation through the bound bot is not re-sent either', async () => {
    loseFirstAnswer(ownershipError);
    const bot = client.bot({ botId: 456, botToken: OLD_TOKEN });
    await expect(bot.Bot.update({ fields: { botToken: NEW_TOKEN } })).rejects.toBeInstanceOf(Bitrix24NetworkError);
    expect(server.requests).toHaveLength(1);
  });

  it('an update without fields.botToken is still re-sent after a lost answer', async () => {
    loseFirstAnswer((_req, res) => json(res, 200, { result: { bot: { id: 456 } }, time: TIME }));
    const r = await client.imbot.v2.Bot.update({ botId: 456, botToken: OLD_TOKEN, fields: { properties: { name: 'Helper' } } }).withResponse();
    expect(r.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('fields.botToken: undefined is not sent, so that call is re-sent like any other', async () => {
    loseFirstAnswer((_req, res) => json(res, 200, { result: { bot: { id: 456 } }, time: TIME }));
    const r = await client.imbot.v2.Bot.update({ botId: 456, botToken: OLD_TOKEN, fields: { botToken: undefined, isHidden: true } }).withResponse();
    expect(r.attempts).toBe(2);
    expect(server.requests[0].json).toEqual({ botId: 456, botToken: OLD_TOKEN, fields: { isHidden: true } });
  });

  it('the descriptor carries the param that makes a call unsafe to repeat', () => {
    expect(imbotV2BotUpdateMethod).toEqual({ name: 'imbot.v2.Bot.update', idempotent: true, notIdempotentWhen: [['fields', 'botToken']] });
  });
});

describe('imbot.v2.Bot.update inside a batch', () => {
  const batchResult = (req: ReceivedRequest, res: ServerResponse) => {
    const cmd = (req.json as { cmd: Record<string, string> }).cmd;
    const result = Object.fromEntries(Object.keys(cmd).map((key) => [key, { result: true }]));
    json(res, 200, { result: { result, result_error: [], result_total: [], result_next: [], result_time: [] }, time: TIME });
  };

  it('a batch request holding a rotation is sent once when its answer is lost', async () => {
    loseFirstAnswer(batchResult);
    const out = await client.batch({
      profile: ['imbot.v2.Bot.update', { botId: 456, botToken: OLD_TOKEN, fields: { properties: { name: 'Helper' } } }],
      rotate: ['imbot.v2.Bot.update', { botId: 456, botToken: OLD_TOKEN, fields: { botToken: NEW_TOKEN } }],
    });
    // Both calls may have run (the request went out, its answer was lost): unknown, not re-sent.
    for (const outcome of [out.profile, out.rotate]) {
      expect(outcome.status).toBe('unknown');
      if (outcome.status === 'unknown') expect(outcome.reason).toBeInstanceOf(Bitrix24NetworkError);
    }
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toBe(`/rest/1/${WEBHOOK_CODE}/batch`);
  });

  it('a batch request of calls that are all safe to repeat is re-sent', async () => {
    loseFirstAnswer(batchResult);
    const out = await client.batch({
      profile: ['imbot.v2.Bot.update', { botId: 456, botToken: OLD_TOKEN, fields: { properties: { name: 'Helper' } } }],
      hide: ['imbot.v2.Bot.update', { botId: 456, botToken: OLD_TOKEN, fields: { isHidden: true } }],
    });
    expect(out.profile).toEqual({ status: 'fulfilled', value: { result: true } });
    expect(out.hide).toEqual({ status: 'fulfilled', value: { result: true } });
    expect(server.requests).toHaveLength(2);
  });
});
