import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Bitrix24Error,
  BotCodeAlreadyTakenError,
  ChatNotFoundError,
  CommandNotFoundError,
  EmptyMessageError,
  FileTooLargeError,
  ReactionAlreadySetError,
  Reaction,
  createClient,
  type Client,
} from '../generated/src/index.js';
import { json, TestServer, TIME } from './support/http-server.js';

/**
 * One method of every group called through the generated client against a real HTTP server on
 * 127.0.0.1: the request the portal receives (path and JSON body, nested `fields`, keyboards and
 * attachments in their upper-case wire form), the result as the docs' examples show it, the
 * method's own error codes mapped to their classes, and retries following each method's
 * `idempotent` flag.
 */
let server: TestServer;
let client: Client;
const WEBHOOK = '/rest/1/methods-secret/';

beforeAll(async () => {
  server = await TestServer.start();
  client = createClient({ webhookUrl: server.url + WEBHOOK, retryDelay: 1 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** Answers every call with `{ result, time }`. */
function answer(result: unknown): void {
  server.handle((_req, res) => json(res, 200, { result, time: TIME }));
}

const USER = { id: 456, active: true, name: 'Support Bot', bot: true, type: 'bot' };
const BOT = { id: 456, code: 'support_bot', type: 'bot', isHidden: false, isSupportOpenline: false, isReactionsEnabled: true, backgroundId: null, language: 'en', moduleId: 'rest', eventMode: 'fetch', countMessage: 0, countCommand: 0, countChat: 0, countUser: 0 };

describe('every group of methods', () => {
  const bot = () => client.bot({ botId: 456, botToken: 'tok' });

  it.each([
    {
      method: 'imbot.v2.Bot.register',
      call: () => client.imbot.v2.Bot.register({ fields: { code: 'support_bot', botToken: 'tok', properties: { name: 'Support Bot', workPosition: 'AI Assistant' }, type: 'bot', eventMode: 'fetch' } }),
      body: { fields: { code: 'support_bot', botToken: 'tok', properties: { name: 'Support Bot', workPosition: 'AI Assistant' }, type: 'bot', eventMode: 'fetch' } },
      result: { bot: BOT, users: [USER] },
    },
    {
      method: 'imbot.v2.Bot.list',
      call: () => client.imbot.v2.Bot.list({ botToken: 'tok', filter: { type: 'supervisor' }, limit: 10, offset: 20 }),
      body: { botToken: 'tok', filter: { type: 'supervisor' }, limit: 10, offset: 20 },
      result: { bots: [BOT], users: [USER], hasNextPage: false },
    },
    {
      method: 'imbot.v2.Command.register',
      call: () => bot().Command.register({ fields: { command: 'help', title: { en: 'Help', de: 'Hilfe' }, common: true } }),
      body: { botId: 456, botToken: 'tok', fields: { command: 'help', title: { en: 'Help', de: 'Hilfe' }, common: true } },
      result: { command: { id: 12, botId: 456, command: '/help', common: true, hidden: false, extranetSupport: false } },
    },
    {
      method: 'imbot.v2.Chat.add',
      call: () => bot().Chat.add({ fields: { title: 'Support', userIds: [1, 2], color: 'mint' } }),
      body: { botId: 456, botToken: 'tok', fields: { title: 'Support', userIds: [1, 2], color: 'mint' } },
      result: { chat: { id: 5, dialogId: 'chat5', name: 'Support', type: 'chat', owner: 456 }, users: [USER] },
    },
    {
      method: 'imbot.v2.Chat.User.list',
      call: () => bot().Chat.User.list({ dialogId: 'chat5', order: { id: 'DESC' }, limit: 200 }),
      body: { botId: 456, botToken: 'tok', dialogId: 'chat5', order: { id: 'DESC' }, limit: 200 },
      result: [USER],
    },
    {
      method: 'imbot.v2.Chat.Message.send',
      call: () =>
        bot().Chat.Message.send({
          dialogId: 'chat5',
          fields: { message: 'Pick', keyboard: [{ TEXT: 'Yes', ACTION: 'SEND', ACTION_VALUE: 'yes' }, { TYPE: 'NEWLINE' }], attach: { ID: 1, BLOCKS: [{ MESSAGE: 'x' }, { DELIMITER: { SIZE: 200 } }] } },
        }),
      body: {
        botId: 456,
        botToken: 'tok',
        dialogId: 'chat5',
        fields: { message: 'Pick', keyboard: [{ TEXT: 'Yes', ACTION: 'SEND', ACTION_VALUE: 'yes' }, { TYPE: 'NEWLINE' }], attach: { ID: 1, BLOCKS: [{ MESSAGE: 'x' }, { DELIMITER: { SIZE: 200 } }] } },
      },
      result: { id: 789, uuidMap: {} },
    },
    {
      method: 'imbot.v2.Chat.Message.Reaction.add',
      call: () => bot().Chat.Message.Reaction.add({ messageId: 789, reaction: Reaction.like }),
      body: { botId: 456, botToken: 'tok', messageId: 789, reaction: 'like' },
      result: { result: true },
    },
    {
      method: 'imbot.v2.Event.get',
      call: () => bot().Event.get({ offset: 10, limit: 2 }),
      body: { botId: 456, botToken: 'tok', offset: 10, limit: 2 },
      result: { events: [{ eventId: 11, type: 'ONIMBOTV2JOINCHAT', date: '2025-01-15T10:30:00+01:00', data: { dialogId: 'chat5' } }], nextOffset: 11, hasMore: false },
    },
    {
      method: 'imbot.v2.File.upload',
      call: () => bot().File.upload({ dialogId: 'chat5', fields: { name: 'a.txt', content: 'aGVsbG8=', message: 'Report' } }),
      body: { botId: 456, botToken: 'tok', dialogId: 'chat5', fields: { name: 'a.txt', content: 'aGVsbG8=', message: 'Report' } },
      result: { file: { id: 9817, chatId: 5, name: 'a.txt', extension: 'txt', size: 5 }, messageId: 790, chatId: 5, dialogId: 'chat5' },
    },
    {
      method: 'imbot.v2.Chat.TextField.enabled',
      call: () => bot().Chat.TextField.enabled({ dialogId: '12', enabled: false }),
      body: { botId: 456, botToken: 'tok', dialogId: '12', enabled: false },
      result: { result: true },
    },
    {
      method: 'imbot.v2.Revision.get',
      call: () => client.imbot.v2.Revision.get({}),
      body: {},
      result: { rest: 1, web: 2, mobile: 3, desktop: 4 },
    },
    {
      method: 'im.v2.Event.subscribe',
      call: () => client.im.v2.Event.subscribe({}),
      body: {},
      result: true,
    },
    {
      method: 'im.v2.File.download',
      call: () => client.im.v2.File.download({ dialogId: 'chat5', fileId: 9817 }),
      body: { dialogId: 'chat5', fileId: 9817 },
      result: { downloadUrl: 'https://portal.example/download/9817' },
    },
  ])('$method sends its params and returns the documented result', async ({ method, call, body, result }) => {
    answer(result);
    await expect(call()).resolves.toEqual(result);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toBe(`${WEBHOOK}${method}`);
    expect(server.requests[0].json).toEqual(body);
  });
});

describe("methods' own error codes", () => {
  it.each([
    ['BOT_CODE_ALREADY_TAKEN', 'Bot code is already taken', () => client.imbot.v2.Bot.register({ fields: { code: 'x', properties: { name: 'X' } } }), BotCodeAlreadyTakenError],
    ['COMMAND_NOT_FOUND', 'Command not found', () => client.bot({ botId: 1 }).Command.unregister({ commandId: 9 }), CommandNotFoundError],
    ['EMPTY_MESSAGE', 'Message is empty', () => client.bot({ botId: 1 }).Chat.Message.send({ dialogId: 'chat1' }), EmptyMessageError],
    ['REACTION_ALREADY_SET', 'Reaction already set', () => client.bot({ botId: 1 }).Chat.Message.Reaction.add({ messageId: 1, reaction: 'fire' }), ReactionAlreadySetError],
    ['FILE_TOO_LARGE', 'File is too large', () => client.im.v2.File.upload({ dialogId: 'chat1', fields: { name: 'a', content: 'YQ==' } }), FileTooLargeError],
    ['CHAT_NOT_FOUND', 'CHAT_NOT_FOUND', () => client.im.v2.File.upload({ dialogId: 'chat1', fields: { name: 'a', content: 'YQ==' } }), ChatNotFoundError],
  ])('%s becomes its own class', async (code, message, call, cls) => {
    server.handle((_req, res) => json(res, 400, { error: code, error_description: message }));
    const err = await (call as () => Promise<unknown>)().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(Bitrix24Error);
    expect(err).toMatchObject({ code, status: 400, description: message });
  });
});

describe('retries follow the spec', () => {
  it('re-sends a read (Chat.Message.get) after a 5xx, never an upload (File.upload)', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls += 1;
      if (calls === 1) json(res, 502, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' });
      else json(res, 200, { result: { message: { id: 1 }, user: USER }, time: TIME });
    });
    await expect(client.bot({ botId: 1 }).Chat.Message.get({ messageId: 1 })).resolves.toEqual({ message: { id: 1 }, user: USER });
    expect(calls).toBe(2);

    server.requests.length = 0;
    server.handle((_req, res) => json(res, 502, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }));
    const err = await client.bot({ botId: 1 }).File.upload({ dialogId: 'chat1', fields: { name: 'a', content: 'YQ==' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Bitrix24Error);
    expect(server.requests).toHaveLength(1);
  });
});
