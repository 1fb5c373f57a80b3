import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  BotNotFoundError,
  createClient,
  MemoryBucketStore,
  MessageNotFoundError,
  ReactionAlreadySetError,
  type Client,
  type ClientOptions,
} from '../generated/src/index.js';
import type { TestPortal } from '../generated/src/testing/index.js';
import { testPortals } from './support/test-portals.js';

/**
 * The testing kit's portal where a bot relies on what it remembers (bots, commands, chats,
 * messages, reactions, the Event.get queue), how it answers params that do not fit the spec, and
 * its scripting (on, fail, fault, calls) and batch.
 */
const TOKEN = 'state-bot-token';
const portal = testPortals();

function clientOf(p: TestPortal, extra: Partial<ClientOptions> = {}): Client {
  return createClient({ webhookUrl: p.webhookUrl, rateLimitStore: new MemoryBucketStore(), maxRetries: 0, ...extra } as ClientOptions);
}

/** A raw call: params the client's types would refuse, sent as JSON (or a form) to the webhook URL. */
async function post(p: TestPortal, method: string, body: string, type = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${p.webhookUrl}${method}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('bots', () => {
  it('Bot.register is idempotent by code; list, get, update and unregister act on the registered bots', async () => {
    const p = await portal();
    const client = clientOf(p);
    const fields = { code: 'echo', botToken: TOKEN, properties: { name: 'Echo' }, eventMode: 'webhook' as const, webhookUrl: 'http://127.0.0.1:9/hook' };
    const first = await client.imbot.v2.Bot.register({ fields });
    const again = await client.imbot.v2.Bot.register({ fields: { ...fields, properties: { name: 'Echo 2' } } });
    expect(again.bot.id).toBe(first.bot.id);
    expect(p.bots()).toEqual([{ id: first.bot.id, code: 'echo', eventMode: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook' }]);
    const other = await client.imbot.v2.Bot.register({ fields: { code: 'second', botToken: 'second-token', properties: { name: 'Second' } } });
    expect(other.bot.id).toBeGreaterThan(first.bot.id);
    expect((await client.imbot.v2.Bot.list({ botToken: TOKEN })).bots.map((b) => b.code)).toEqual(['echo', 'second']);
    const bot = client.bot({ botId: first.bot.id, botToken: TOKEN });
    await bot.Bot.update({ fields: { eventMode: 'fetch', isHidden: true } });
    expect(await client.imbot.v2.Bot.get({ botId: first.bot.id, botToken: TOKEN })).toMatchObject({ bot: { id: first.bot.id, eventMode: 'fetch', isHidden: true }, users: [{ id: first.bot.id, name: 'Echo', bot: true }] });
    await bot.Bot.unregister({});
    await expect(client.imbot.v2.Bot.get({ botId: first.bot.id, botToken: TOKEN })).rejects.toBeInstanceOf(BotNotFoundError);
    expect(p.bots().map((b) => b.code)).toEqual(['second']);
  });

  it('through a webhook, Bot.register without fields.botToken is BOT_TOKEN_NOT_SPECIFIED, also for a code already registered', async () => {
    const p = await portal({ bots: [{ id: 3, code: 'taken', botToken: TOKEN }] });
    for (const code of ['new', 'taken']) {
      await expect(clientOf(p).imbot.v2.Bot.register({ fields: { code, properties: { name: 'N' } } })).rejects.toMatchObject({ code: 'BOT_TOKEN_NOT_SPECIFIED', status: 400 });
    }
  });

  it('a webhook-mode bot needs its webhookUrl (BOT_WEBHOOK_URL_REQUIRED)', async () => {
    const p = await portal();
    await expect(clientOf(p).imbot.v2.Bot.register({ fields: { code: 'w', botToken: TOKEN, properties: { name: 'W' }, eventMode: 'webhook' } })).rejects.toMatchObject({ code: 'BOT_WEBHOOK_URL_REQUIRED', status: 400 });
  });

  it('commands: register, list, update, unregister; an unknown command is COMMAND_NOT_FOUND', async () => {
    const p = await portal({ bots: [{ id: 3, code: 'cmd', botToken: TOKEN }] });
    const bot = clientOf(p).bot({ botId: 3, botToken: TOKEN });
    const { command } = await bot.Command.register({ fields: { command: 'help', title: { en: 'Help' } } });
    await bot.Command.register({ fields: { command: 'stop' } });
    expect((await bot.Command.list({})).commands.map((c) => [c.command, c.title])).toEqual([
      ['help', 'Help'],
      ['stop', ''],
    ]);
    await expect(bot.Command.update({ commandId: command.id, fields: { command: 'stop' } })).rejects.toMatchObject({ code: 'COMMAND_ALREADY_EXISTS' });
    expect((await bot.Command.update({ commandId: command.id, fields: { command: 'assist', hidden: true } })).command).toMatchObject({ id: command.id, command: 'assist', hidden: true, botId: 3 });
    await bot.Command.unregister({ commandId: command.id });
    await expect(bot.Command.unregister({ commandId: command.id })).rejects.toMatchObject({ code: 'COMMAND_NOT_FOUND' });
    expect((await bot.Command.list({})).commands.map((c) => c.command)).toEqual(['stop']);
  });
});

describe('messages', () => {
  it('send -> get -> update -> reaction -> delete, on what was sent; ids increase; a deleted message answers the documented errors', async () => {
    const p = await portal({ bots: [{ id: 9, code: 'sup', botToken: TOKEN, type: 'supervisor' }] });
    const bot = clientOf(p).bot({ botId: 9, botToken: TOKEN });
    const a = await bot.Chat.Message.send({ dialogId: 'chat12', fields: { message: 'first' } });
    const b = await bot.Chat.Message.send({ dialogId: 'chat12', fields: { message: 'second' } });
    expect(b.id).toBeGreaterThan(a.id);
    expect(await bot.Chat.Message.get({ messageId: a.id })).toMatchObject({ message: { id: a.id, chatId: 12, authorId: 9, text: 'first' }, user: { id: 9, bot: true } });
    await bot.Chat.Message.update({ messageId: a.id, fields: { message: 'first, edited' } });
    expect((await bot.Chat.Message.get({ messageId: a.id })).message.text).toBe('first, edited');
    await bot.Chat.Message.Reaction.add({ messageId: a.id, reaction: 'like' });
    await expect(bot.Chat.Message.Reaction.add({ messageId: a.id, reaction: 'like' })).rejects.toBeInstanceOf(ReactionAlreadySetError);
    await bot.Chat.Message.Reaction.delete({ messageId: a.id, reaction: 'like' });
    await bot.Chat.Message.Reaction.add({ messageId: a.id, reaction: 'like' });
    const context = await bot.Chat.Message.getContext({ messageId: b.id, range: 5 });
    expect(context.messages.map((m) => m.text)).toEqual(['first, edited', 'second']);
    await bot.Chat.Message.delete({ messageId: a.id });
    await expect(bot.Chat.Message.get({ messageId: a.id })).rejects.toBeInstanceOf(MessageNotFoundError);
    // chat-message-update.md and -delete.md: ACCESS_DENIED for a message that does not exist.
    await expect(bot.Chat.Message.update({ messageId: a.id, fields: { message: 'x' } })).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(bot.Chat.Message.delete({ messageId: a.id })).rejects.toMatchObject({ code: 'ACCESS_DENIED', status: 403, description: 'Access denied' });
    await expect(bot.Chat.Message.Reaction.add({ messageId: a.id, reaction: 'fire' })).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it("a bot cannot edit a user's message; a user's message is found by get and read", async () => {
    const p = await portal({ bots: [{ id: 9, code: 'sup', botToken: TOKEN, type: 'supervisor' }] });
    const bot = clientOf(p).bot({ botId: 9, botToken: TOKEN });
    const said = p.recordUserMessage({ dialogId: '42', authorId: 42, text: 'hello bot', botId: 9 });
    expect((await bot.Chat.Message.get({ messageId: said.messageId })).message).toMatchObject({ text: 'hello bot', authorId: 42, chatId: said.chatId });
    await expect(bot.Chat.Message.update({ messageId: said.messageId, fields: { message: 'x' } })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(await bot.Chat.Message.read({ dialogId: '42' })).toEqual({ chatId: said.chatId, lastId: said.messageId, counter: 0, viewedMessages: [said.messageId] });
  });

  it('Chat.Message.get is for supervisor and personal bots only (BOT_TYPE_NOT_ALLOWED)', async () => {
    const p = await portal({ bots: [{ id: 4, code: 'plain', botToken: TOKEN }] });
    const bot = clientOf(p).bot({ botId: 4, botToken: TOKEN });
    const { id } = await bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: 'x' } });
    await expect(bot.Chat.Message.get({ messageId: id })).rejects.toMatchObject({ code: 'BOT_TYPE_NOT_ALLOWED' });
  });

  it('a text over 20,000 characters is cut and ends with " (...)", not refused (chat-message-send.md)', async () => {
    const p = await portal({ bots: [{ id: 9, code: 'sup', botToken: TOKEN, type: 'supervisor' }] });
    const bot = clientOf(p).bot({ botId: 9, botToken: TOKEN });
    const { id } = await bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: 'й'.repeat(20_010) } });
    const text = (await bot.Chat.Message.get({ messageId: id })).message.text;
    expect([...text]).toHaveLength(20_000);
    expect(text.endsWith('й (...)')).toBe(true);
    await bot.Chat.Message.update({ messageId: id, fields: { message: 'x'.repeat(20_001) } });
    expect((await bot.Chat.Message.get({ messageId: id })).message.text).toBe(`${'x'.repeat(19_994)} (...)`);
  });

  it('an empty message is EMPTY_MESSAGE', async () => {
    const p = await portal({ bots: [{ id: 4, code: 'plain', botToken: TOKEN }] });
    await expect(clientOf(p).bot({ botId: 4, botToken: TOKEN }).Chat.Message.send({ dialogId: 'chat1', fields: { message: '  ' } })).rejects.toMatchObject({ code: 'EMPTY_MESSAGE', status: 400 });
  });
});

describe('chats', () => {
  it('Chat.add, members and managers, owner, title; Chat.get shows them', async () => {
    const p = await portal({ bots: [{ id: 9, code: 'sup', botToken: TOKEN }] });
    const bot = clientOf(p).bot({ botId: 9, botToken: TOKEN });
    const { chat } = await bot.Chat.add({ fields: { title: 'Team', userIds: [2, 3] } });
    await bot.Chat.User.add({ dialogId: chat.dialogId, userIds: [4] });
    await bot.Chat.User.delete({ dialogId: chat.dialogId, userId: 2 });
    await bot.Chat.Manager.add({ dialogId: chat.dialogId, userIds: [3] });
    await bot.Chat.update({ dialogId: chat.dialogId, fields: { title: 'Team 2' } });
    expect((await bot.Chat.User.list({ dialogId: chat.dialogId })).map((u) => u.id)).toEqual([3, 4, 9]);
    expect((await bot.Chat.get({ dialogId: chat.dialogId })).chat).toMatchObject({ id: chat.id, name: 'Team 2', owner: 9, role: 'owner', managerList: [3] });
    await bot.Chat.setOwner({ dialogId: chat.dialogId, userId: 3 });
    expect((await bot.Chat.get({ dialogId: chat.dialogId })).chat).toMatchObject({ owner: 3, role: 'member' });
    await expect(bot.Chat.Manager.add({ dialogId: chat.dialogId, userIds: [] })).rejects.toMatchObject({ code: 'EMPTY_USER_IDS' });
  });
});

describe('the Event.get queue', () => {
  it('returns events oldest first up to limit; offset confirms and removes earlier ones; hasMore and nextOffset follow', async () => {
    const p = await portal({ bots: [{ id: 2, code: 'fetcher', botToken: TOKEN }] });
    const bot = clientOf(p).bot({ botId: 2, botToken: TOKEN });
    const ids = [1, 2, 3].map((n) => p.enqueue(2, 'ONIMBOTV2JOINCHAT', { n }));
    expect(ids[1]! - ids[0]!).toBe(1);
    const first = await bot.Event.get({ limit: 2 });
    expect(first.events.map((e) => e.eventId)).toEqual(ids.slice(0, 2));
    expect(first).toMatchObject({ hasMore: true, nextOffset: ids[1]! + 1 });
    // Without an offset nothing is confirmed: the same page again.
    expect((await bot.Event.get({ limit: 2 })).events.map((e) => e.eventId)).toEqual(ids.slice(0, 2));
    expect(p.queued(2).map((e) => e.eventId)).toEqual(ids);
    const second = await bot.Event.get({ offset: first.nextOffset, limit: 2 });
    expect(second.events.map((e) => e.eventId)).toEqual([ids[2]]);
    // queued(): what the portal still holds, the confirmed ones gone.
    expect(p.queued(2)).toEqual([{ eventId: ids[2], type: 'ONIMBOTV2JOINCHAT', date: expect.any(String), data: { n: 3 } }]);
    expect(second).toMatchObject({ hasMore: false, nextOffset: ids[2]! + 1 });
    // An older offset cannot bring confirmed events back.
    expect((await bot.Event.get({ offset: ids[0]! })).events.map((e) => e.eventId)).toEqual([ids[2]]);
    const empty = await bot.Event.get({ offset: second.nextOffset });
    expect(empty).toEqual({ events: [], nextOffset: second.nextOffset, hasMore: false });
    expect(first.events[0]).toMatchObject({ type: 'ONIMBOTV2JOINCHAT', data: { n: 1 }, date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/) });
  });

  it("im.v2.Event.get answers the user's queue: empty, with hasMore false, on a fresh portal", async () => {
    const p = await portal();
    expect(await clientOf(p).im.v2.Event.get({})).toEqual({ events: [], nextOffset: 0, hasMore: false });
  });
});

describe('params that do not fit the spec', () => {
  it('a missing required param with a documented code gets that code (BOT_ID_REQUIRED, BOT_CODE_REQUIRED, BOT_PROPERTIES_REQUIRED)', async () => {
    const p = await portal();
    expect(await post(p, 'imbot.v2.Chat.InputAction.notify', JSON.stringify({ botToken: TOKEN, dialogId: 'chat1' }))).toEqual({ status: 400, body: { error: 'BOT_ID_REQUIRED', error_description: 'Bot ID is required' } });
    expect((await post(p, 'imbot.v2.Bot.register', JSON.stringify({ fields: { botToken: TOKEN, properties: { name: 'x' } } }))).body).toMatchObject({ error: 'BOT_CODE_REQUIRED' });
    expect((await post(p, 'imbot.v2.Bot.register', JSON.stringify({ fields: { code: 'x', botToken: TOKEN } }))).body).toMatchObject({ error: 'BOT_PROPERTIES_REQUIRED' });
  });

  it('an enum value outside the list with a documented code gets it (BOT_INVALID_TYPE, REACTION_NOT_FOUND)', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'b', botToken: TOKEN }] });
    expect((await post(p, 'imbot.v2.Bot.register', JSON.stringify({ fields: { code: 'x', botToken: TOKEN, properties: { name: 'x' }, type: 'robot' } }))).body).toMatchObject({ error: 'BOT_INVALID_TYPE' });
    expect((await post(p, 'imbot.v2.Chat.Message.Reaction.add', JSON.stringify({ botId: 1, botToken: TOKEN, messageId: 1, reaction: 'noSuchReaction' }))).body).toMatchObject({ error: 'REACTION_NOT_FOUND' });
  });

  it('any other problem is 400 INVALID_REQUEST naming the param, the problem and the method', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'b', botToken: TOKEN }] });
    const cases: [string, Record<string, unknown>, string][] = [
      ['imbot.v2.Chat.Message.send', { botId: 1, botToken: TOKEN, dialogId: 'chat1', fields: { message: 'x', colour: 'red' } }, '`fields.colour` is not a parameter of this method'],
      ['imbot.v2.Chat.Message.send', { botId: 'one', botToken: TOKEN, dialogId: 'chat1' }, '`botId` expected an integer, got string'],
      ['imbot.v2.Chat.Message.send', { botId: 1, botToken: TOKEN }, '`dialogId` is required'],
      ['imbot.v2.Chat.InputAction.notify', { botId: 1, botToken: TOKEN, dialogId: 'chat1', statusMessageCode: 'NAPPING' }, '`statusMessageCode` "NAPPING" is not one of "IMBOT_AGENT_ACTION_THINKING"'],
      ['imbot.v2.Chat.InputAction.notify', { botId: 1, botToken: TOKEN, dialogId: 'chat1', duration: 601 }, '`duration` 601 is above the maximum 600'],
      ['imbot.v2.Event.get', { botId: 1, botToken: TOKEN, limit: 0 }, '`limit` 0 is below the minimum 1'],
      ['imbot.v2.Chat.get', { botId: 1, botToken: TOKEN, dialogId: 'room5' }, '`dialogId` "room5" does not match ^(chat[0-9]+|[0-9]+)$'],
    ];
    for (const [method, params, problem] of cases) {
      const r = await post(p, method, JSON.stringify(params));
      expect(r.status, problem).toBe(400);
      expect(r.body.error, problem).toBe('INVALID_REQUEST');
      expect(r.body.error_description, problem).toContain(`Invalid params of ${method}: ${problem}`);
    }
    // The calls were refused before they ran.
    expect(p.calls.ran()).toEqual([]);
    expect(p.calls.map((c) => c.outcome)).toEqual(cases.map(() => ({ type: 'error', code: 'INVALID_REQUEST', status: 400, by: 'validation' })));
  });

  it('never shows the value of a secret param', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'b', botToken: TOKEN }] });
    const long = 'secret-token-value-that-is-too-long-0123456789';
    const r = await post(p, 'imbot.v2.Bot.register', JSON.stringify({ fields: { code: 'y', botToken: long, properties: { name: 'y' } } }));
    expect(r.body).toMatchObject({ error: 'INVALID_REQUEST', error_description: expect.stringContaining('`fields.botToken` is 46 characters long, at most 40 allowed') });
    expect(JSON.stringify(r.body)).not.toContain(long);
  });

  it('a form body is read as PHP reads it and its strings typed by the spec', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'b', botToken: TOKEN }] });
    const r = await post(p, 'imbot.v2.Chat.Message.send', `botId=1&botToken=${TOKEN}&dialogId=chat1&fields[message]=hi%20there&fields[system]=1`, 'application/x-www-form-urlencoded');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: { id: 1, uuidMap: {} }, time: { start: expect.any(Number), finish: expect.any(Number), date_start: expect.any(String) } });
    expect(p.calls.of('imbot.v2.Chat.Message.send')[0]).toMatchObject({ params: { botId: 1, fields: { message: 'hi there', system: true } }, raw: { botId: '1', fields: { system: '1' } } });
  });

  it('an unknown method answers 404 ERROR_METHOD_NOT_FOUND', async () => {
    const p = await portal();
    expect(await post(p, 'imbot.v2.No.such', '{}')).toEqual({ status: 404, body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found' } });
  });
});

describe('scripting', () => {
  it('on() answers with typed params; ctx.error gives documented errors, ctx.next the default, ctx.raw anything', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'b', botToken: TOKEN }] });
    const bot = clientOf(p).bot({ botId: 1, botToken: TOKEN });
    p.on('imbot.v2.Chat.Message.send', (params, ctx) => {
      if (params.fields?.message === 'boom') return ctx.error('SENDING_FAILED');
      if (params.fields?.message === 'raw') return ctx.raw(502, { error: 'BAD_GATEWAY_TEST', error_description: 'forced' });
      const sent = ctx.next();
      return { ...sent, id: sent.id + 1000 };
    });
    expect(await bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: 'hi' } })).toEqual({ id: 1001, uuidMap: {} });
    await expect(bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: 'boom' } })).rejects.toMatchObject({ code: 'SENDING_FAILED', status: 400 });
    await expect(bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: 'raw' } })).rejects.toMatchObject({ code: 'BAD_GATEWAY_TEST', status: 502, description: 'forced' });
    p.off('imbot.v2.Chat.Message.send');
    expect((await bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: 'plain' } })).id).toBe(2);
  });

  it('a handler that throws a client error class answers it as documented; any other throw is 500 and kept', async () => {
    const p = await portal();
    const client = clientOf(p);
    p.on('imbot.v2.Revision.get', () => {
      throw new BotNotFoundError({ code: 'BOT_NOT_FOUND', description: '' });
    });
    // Revision.get documents no BOT_NOT_FOUND: the kit refuses to answer it, and says why.
    await expect(client.imbot.v2.Revision.get({})).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR', status: 500 });
    expect(p.handlerErrors).toHaveLength(1);
    p.on('imbot.v2.Revision.get', () => {
      throw new Error('a bug in the handler');
    });
    await expect(client.imbot.v2.Revision.get({})).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect((p.handlerErrors[1] as Error).message).toBe('a bug in the handler');
    p.on('imbot.v2.Bot.get', () => {
      throw new BotNotFoundError({ code: 'BOT_NOT_FOUND', description: '' });
    });
    await expect(client.imbot.v2.Bot.get({ botId: 5, botToken: TOKEN })).rejects.toMatchObject({ code: 'BOT_NOT_FOUND', status: 400, description: 'Bot not found' });
  });

  it('ctx.error refuses an undocumented code at once', async () => {
    const p = await portal();
    p.on('imbot.v2.Revision.get', (_params, ctx) => ctx.error('EMPTY_MESSAGE' as never));
    await expect(clientOf(p).imbot.v2.Revision.get({})).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect((p.handlerErrors[0] as Error).message).toMatch(/"EMPTY_MESSAGE" is not a documented error of imbot\.v2\.Revision\.get/);
  });

  it('calls records every call with its outcome; calls.of types the params of one method', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'b', botToken: TOKEN }] });
    const client = clientOf(p);
    await client.bot({ botId: 1, botToken: TOKEN }).Chat.Message.send({ dialogId: 'chat1', fields: { message: 'one' } });
    p.fault('imbot.v2.Revision.get', p.raw(500, '<html>oops</html>'));
    await expect(client.imbot.v2.Revision.get({})).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
    const sends = p.calls.of('imbot.v2.Chat.Message.send');
    const text: string | undefined = sends[0]!.params.fields?.message;
    expect(text).toBe('one');
    expect(p.calls.map((c) => [c.method, c.via, c.auth, c.outcome.type])).toEqual([
      ['imbot.v2.Chat.Message.send', 'call', 'webhook', 'result'],
      ['imbot.v2.Revision.get', 'call', 'webhook', 'dropped'],
    ]);
  });

  it('rateLimit() sets the leaky bucket: 503 QUERY_LIMIT_EXCEEDED past it, the call not run', async () => {
    const p = await portal();
    p.rateLimit({ limit: 2, drainPerSecond: 0.001 });
    const client = clientOf(p, { rateLimit: false });
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => client.imbot.v2.Revision.get({})));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', status: 503, description: 'Too many requests' });
    expect(p.stats).toMatchObject({ requests: 3, rejectedByRateLimit: 1 });
    expect(p.calls.ran()).toHaveLength(2);
  });

  it('the default portal keeps the standard plan: 50 requests at once, 2 more per second, then QUERY_LIMIT_EXCEEDED', async () => {
    const p = await portal({ rateLimit: undefined }); // left unset: the portal's default bucket
    const client = clientOf(p, { rateLimit: false });
    const started = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => client.imbot.v2.Revision.get({})));
    const seconds = (Date.now() - started) / 1000;
    const ran = outcomes.filter((o) => o.status === 'fulfilled').length;
    // However slow the machine, no more than the bucket and what drained meanwhile.
    expect(ran).toBeGreaterThanOrEqual(50);
    expect(ran).toBeLessThanOrEqual(50 + Math.ceil(2 * seconds));
    expect(p.stats.rejectedByRateLimit).toBe(100 - ran);
  });
});

describe('batch', () => {
  it('per command errors in result_error, halt, at most 50 commands (ERROR_BATCH_LENGTH_EXCEEDED), no batch inside (ERROR_BATCH_METHOD_NOT_ALLOWED)', async () => {
    const p = await portal({ bots: [{ id: 1, code: 'b', botToken: TOKEN }] });
    const cmd: Record<string, string> = { nested: 'batch?halt=0', bad: `imbot.v2.Chat.Message.send?botId=1&botToken=${TOKEN}` };
    for (let i = 0; i < 50; i++) cmd[`r${i}`] = 'imbot.v2.Revision.get';
    const r = await post(p, 'batch', JSON.stringify({ halt: 0, cmd }));
    expect(r.status).toBe(200);
    const result = r.body.result as { result: Record<string, unknown>; result_error: Record<string, { error: string }>; result_time: Record<string, unknown> };
    expect(result.result_error.nested).toEqual({ error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', error_description: 'Method is not allowed for batch usage' });
    expect(result.result_error.bad!.error).toBe('INVALID_REQUEST');
    expect(Object.keys(result.result)).toHaveLength(48);
    expect(result.result_error.r48).toEqual({ error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' });
    expect(Object.keys(result.result_time)).toHaveLength(48);
    const halted = await post(p, 'batch', JSON.stringify({ halt: 1, cmd: { a: 'imbot.v2.Revision.get', b: 'batch', c: 'imbot.v2.Revision.get' } }));
    expect(halted.body.result).toMatchObject({ result: { a: expect.any(Object) }, result_error: { b: expect.any(Object) } });
    expect(Object.keys((halted.body.result as { result: object }).result)).toEqual(['a']);
  });
});

describe('the seam for the event side', () => {
  it('bots(), enqueue(), recordUserMessage() and user() read and write the same state the methods do', async () => {
    const p = await portal({ bots: [{ id: 5, code: 'seam', botToken: TOKEN, type: 'personal', eventMode: 'fetch' }] });
    expect(p.bots()).toEqual([{ id: 5, code: 'seam', eventMode: 'fetch' }]);
    expect(p.user(5)).toMatchObject({ id: 5, bot: true, type: 'bot' });
    expect(p.user(1)).toMatchObject({ id: 1, bot: false, name: 'Test User' });
    const said = p.recordUserMessage({ dialogId: 'chat7', authorId: 1, text: 'hi', botId: 5 });
    expect(said).toEqual({ messageId: 1, chatId: 7, dialogId: 'chat7', date: expect.any(String) });
    const bot = clientOf(p).bot({ botId: 5, botToken: TOKEN });
    expect((await bot.Chat.Message.get({ messageId: said.messageId })).message.text).toBe('hi');
    const eventId = p.enqueue(5, 'ONIMBOTV2MESSAGEADD', { message: { id: said.messageId } });
    expect((await bot.Event.get({})).events).toEqual([{ eventId, type: 'ONIMBOTV2MESSAGEADD', date: expect.any(String), data: { message: { id: said.messageId } } }]);
    expect(p.clientEndpoint).toBe(`${p.origin}/rest/`);
    expect(p.domain).toBe(p.origin.replace('http://', ''));
    expect(p.applicationToken).toMatch(/^[0-9a-f]{24}$/);
    expect(p.memberId).toMatch(/^[0-9a-f]{24}$/);
  });
});
