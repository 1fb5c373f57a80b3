import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  createWebhookHandler,
  decodeWebhook,
  MemoryBucketStore,
  toNodeHandler,
  WebhookBodyError,
  type AnyEvent,
  type EventOf,
  type KnownEvent,
} from '../generated/src/index.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { phpBuildQuery } from '../generator/testing/php-query.js';
import { capturedJoinChat, dropEmpty } from './support/webhook-posts.js';

/**
 * Receiving events: webhook posts encoded as the portal encodes them decode to exactly the
 * objects fetch mode gives; the handler refuses forged tokens without running any handler; no
 * body can reach a prototype; and the fetch loop resumes across a restart losing and repeating
 * nothing.
 */
const APP_TOKEN = '831c76b092f9f135d9b6b36c3a720757';
const UPSTREAM = resolve('../shared/upstream-docs/api-reference/chat-bots/chat-bots-v2');

// Objects as the docs' examples show them in fetch mode (imbot.v2/events/events.md).
const BOT = { id: 456, code: 'support_bot', type: 'bot', isHidden: false, isSupportOpenline: false, isReactionsEnabled: true, backgroundId: null, language: 'en', moduleId: 'rest', eventMode: 'fetch', countMessage: 150, countCommand: 3, countChat: 12, countUser: 45 };
const MESSAGE = { id: 789, chatId: 5, authorId: 1, date: '2025-01-15T10:30:00+02:00', text: 'Hello bot!', isSystem: false, uuid: '', forward: null, params: {}, viewedByOthers: false };
const CHAT = { id: 5, dialogId: 'chat5', type: 'chat', name: 'Support Chat', entityType: '', owner: 1, avatar: '', color: '#ab7761' };
const USER = {
  id: 1, active: true, name: 'John Smith', firstName: 'John', lastName: 'Smith', workPosition: 'Developer', color: '#df532d', avatar: '', gender: 'M', birthday: '',
  extranet: false, bot: false, connector: false, externalAuthId: 'default', status: 'online', idle: false, lastActivityDate: '2025-01-15T10:29:00+02:00', absent: false,
  departments: [1, 7], phones: false, type: 'employee',
};

/** Every documented event with data shaped like the docs' examples. */
const FETCHED: Record<string, Record<string, unknown>> = {
  ONIMBOTV2MESSAGEADD: { bot: BOT, message: MESSAGE, chat: CHAT, user: USER, language: 'en' },
  ONIMBOTV2MESSAGEUPDATE: { bot: BOT, message: { ...MESSAGE, text: 'Edited' }, chat: CHAT, user: USER, language: 'en' },
  ONIMBOTV2MESSAGEDELETE: { bot: BOT, messageId: 789, chat: CHAT, user: USER, language: 'de' },
  ONIMBOTV2JOINCHAT: { bot: BOT, dialogId: 'chat5', chat: CHAT, user: USER, language: 'en' },
  ONIMBOTV2DELETE: { bot: BOT },
  ONIMBOTV2CONTEXTGET: { bot: BOT, dialogId: '1', context: { source: 'crm', deal: 'D42' }, chat: CHAT, user: USER, language: 'en' },
  ONIMBOTV2COMMANDADD: { bot: BOT, command: { id: 12, command: '/help', params: 'billing', context: 'textarea' }, message: { ...MESSAGE, text: '/help billing' }, chat: CHAT, user: USER, language: 'en' },
  ONIMBOTV2REACTIONCHANGE: { bot: BOT, reaction: 'like', action: 'add', message: { ...MESSAGE, authorId: 456, forward: { id: 1, userId: 2, chatId: 3, date: '2025-01-01T00:00:00+00:00' } }, chat: CHAT, user: USER, language: 'en' },
  // Required empty containers and nulls, which http_build_query drops, come back (params: {}, forward: null).
  ONIMV2MESSAGEADD: { message: { ...MESSAGE, params: {}, forward: null }, chat: CHAT, user: { ...USER, departments: [5] }, language: 'en' },
  ONIMV2MESSAGEUPDATE: { message: MESSAGE, chat: CHAT, user: USER, language: 'en' },
  ONIMV2MESSAGEDELETE: { messageId: 5012, chat: CHAT, user: USER, language: 'en' },
  ONIMV2REACTIONCHANGE: { reaction: 'fire', action: 'delete', message: MESSAGE, chat: CHAT, user: USER, language: 'en' },
  ONIMV2JOINCHAT: { dialogId: 'chat5', chat: CHAT, user: USER, language: 'en' },
};

/** A webhook post for `event`, encoded as the portal encodes it. */
function webhookBody(event: string, data: Record<string, unknown>, token = APP_TOKEN): string {
  return phpBuildQuery({ event, data, ts: 1772093963, auth: { domain: 'some-domain.bitrix24.com', application_token: token, member_id: 'bac1cd5c' } });
}

describe('decodeWebhook', () => {
  it.each(Object.keys(FETCHED))('%s decodes to exactly the fetch-mode object', (event) => {
    const decoded = decodeWebhook(webhookBody(event, FETCHED[event]));
    expect(decoded).toEqual({ event, data: FETCHED[event], known: true, ts: 1772093963, auth: { domain: 'some-domain.bitrix24.com', application_token: APP_TOKEN, member_id: 'bac1cd5c' } });
  });

  it('covers every event the spec describes', () => {
    const specEvents = [...readFileSync(resolve('generated/src/events.ts'), 'utf8').matchAll(/^  (ONIM[A-Z0-9]+): /gm)].map((m) => m[1]).sort();
    expect(Object.keys(FETCHED).sort()).toEqual(specEvents);
  });

  it('reads a post exactly as captured from the portal, webhook bot object with its auth included', () => {
    const raw = capturedJoinChat(APP_TOKEN);
    const e = decodeWebhook(raw) as EventOf<'ONIMBOTV2JOINCHAT'>;
    expect(e.data.bot).toEqual({ id: 456, code: 'support_bot', auth: { access_token: '0b02a069', expires: 1772093963, user_id: 27 } });
    expect(e.data.chat).toEqual({ id: 5, dialogId: 'chat5', type: 'chat', name: 'Support Chat', color: null });
    expect(e.data.user).toMatchObject({ id: 1, active: true, idle: false, lastActivityDate: '2025-01-15T10:29:00+02:00', departments: [1], phones: { workPhone: '+100' } });
    expect(e.data.newField).toBe('kept');
  });

  it('an event the spec does not know comes through as is, marked unknown', () => {
    expect(decodeWebhook('event=ONIMBOTV2SOMETHINGNEW&data[x]=1&data[y][0]=a')).toEqual({ event: 'ONIMBOTV2SOMETHINGNEW', data: { x: '1', y: { 0: 'a' } }, known: false });
  });

  it('passes values of open enums through: chat and user kinds and reactions the lists do not have', () => {
    const data = {
      ...FETCHED.ONIMBOTV2REACTIONCHANGE,
      reaction: 'someReactionAddedLater',
      chat: { ...CHAT, type: 'private' },
      user: { ...USER, type: 'someAccountTypeAddedLater' },
    };
    const decoded = decodeWebhook(webhookBody('ONIMBOTV2REACTIONCHANGE', data)) as EventOf<'ONIMBOTV2REACTIONCHANGE'>;
    expect(decoded.known).toBe(true);
    expect(decoded.data).toEqual(data);
    expect([decoded.data.reaction, decoded.data.chat.type, decoded.data.user.type]).toEqual(['someReactionAddedLater', 'private', 'someAccountTypeAddedLater']);
  });

  it('a body that is not an event post is a WebhookBodyError', () => {
    expect(() => decodeWebhook('hello=world')).toThrow(WebhookBodyError);
    expect(() => decodeWebhook('event=X&data=5')).toThrow('`data` is not an object');
  });

  it('nothing in a body reaches a prototype', () => {
    const e = decodeWebhook(
      'event=ONIMBOTV2MESSAGEADD&data[__proto__][polluted]=1&data[constructor][prototype][polluted]=1&data[message][__proto__][polluted]=1&__proto__[polluted]=1&data[user][prototype]=x&data[message][id]=1&data[user][id]=2',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(e.data)).toBe(Object.prototype);
    expect(Object.keys(e.data).sort()).toEqual(['message', 'user']);
    expect(Object.getPrototypeOf((e.data as { message: object }).message)).toBe(Object.prototype);
  });

  it('reads the docs pages\' example data too, when the docs are here', () => {
    if (!existsSync(UPSTREAM)) {
      console.log(`events: ${UPSTREAM} is absent, so the docs' examples were not decoded.`);
      return;
    }
    let checked = 0;
    for (const page of ['imbot.v2/events/events.md', 'im.v2/events/events.md']) {
      const text = readFileSync(resolve(UPSTREAM, page), 'utf8');
      for (const section of text.split(/^## /m).slice(1)) {
        const name = /^(ONIM[A-Z0-9]+)/.exec(section)?.[1];
        const example = /### Example Data\s+```json\n([\s\S]*?)```/.exec(section)?.[1];
        if (!name || !example) continue;
        const fetched = JSON.parse(example) as Record<string, unknown>;
        const decoded = decodeWebhook(webhookBody(name, fetched));
        // Optional empty objects and arrays do not survive http_build_query, and free-form
        // `context` has no types to restore (its values arrive as strings); nothing else may differ.
        const expected = { ...fetched };
        if (expected.context) expected.context = Object.fromEntries(Object.entries(expected.context).map(([k, v]) => [k, String(v)]));
        expect(dropEmpty(decoded.data), name).toEqual(dropEmpty(expected));
        expect(decoded.known, name).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });
});


describe('createWebhookHandler', () => {
  const post = (body: string, type = 'application/x-www-form-urlencoded') => new Request('http://bot.example/hook', { method: 'POST', headers: { 'content-type': type }, body });

  it('calls the typed handler for the event and answers 200', async () => {
    const seen: string[] = [];
    const handler = createWebhookHandler({
      applicationToken: APP_TOKEN,
      waitForHandlers: true,
      on: {
        ONIMBOTV2MESSAGEADD: async (e) => {
          const text: string = e.data.message.text;
          const dialog: string = e.data.chat.dialogId;
          seen.push(`${dialog}: ${text} (${e.data.user.name})`);
        },
      },
    });
    const res = await handler(post(webhookBody('ONIMBOTV2MESSAGEADD', FETCHED.ONIMBOTV2MESSAGEADD)));
    expect(res.status).toBe(200);
    expect(seen).toEqual(['chat5: Hello bot! (John Smith)']);
  });

  it('refuses a forged or missing application_token with 401 and runs no handler', async () => {
    let called = 0;
    const handler = createWebhookHandler({ applicationToken: APP_TOKEN, waitForHandlers: true, on: { ONIMBOTV2MESSAGEADD: () => void called++ }, onOther: () => void called++ });
    for (const token of ['831c76b092f9f135d9b6b36c3a720758', '', APP_TOKEN.slice(0, -1), `${APP_TOKEN}0`]) {
      expect((await handler(post(webhookBody('ONIMBOTV2MESSAGEADD', FETCHED.ONIMBOTV2MESSAGEADD, token)))).status).toBe(401);
    }
    expect((await handler(post('event=ONIMBOTV2MESSAGEADD&data[x]=1'))).status).toBe(401);
    // The bot's own auth inside data does not count: only the top-level token does.
    expect((await handler(post(`event=ONIMBOTV2MESSAGEADD&data[bot][auth][application_token]=${APP_TOKEN}`))).status).toBe(401);
    expect(called).toBe(0);
  });

  it('surfaces handler errors to onError and still answers 200; malformed bodies get 400', async () => {
    const errors: unknown[] = [];
    const handler = createWebhookHandler({
      applicationToken: APP_TOKEN,
      waitForHandlers: true,
      on: { ONIMBOTV2DELETE: () => Promise.reject(new Error('db down')) },
      onError: (err) => errors.push(err),
    });
    expect((await handler(post(webhookBody('ONIMBOTV2DELETE', FETCHED.ONIMBOTV2DELETE)))).status).toBe(200);
    expect((errors[0] as Error).message).toBe('db down');
    expect((await handler(post('{not json', 'application/json'))).status).toBe(400);
    expect((await handler(new Request('http://bot.example/hook'))).status).toBe(405);
  });

  it('answers before a slow handler finishes', async () => {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    let finished = false;
    const handler = createWebhookHandler({ applicationToken: APP_TOKEN, on: { ONIMBOTV2DELETE: async () => { await done; finished = true; } } });
    const res = await handler(post(webhookBody('ONIMBOTV2DELETE', FETCHED.ONIMBOTV2DELETE)));
    expect(res.status).toBe(200);
    expect(finished).toBe(false);
    release();
  });

  it("works with Node's http through toNodeHandler", async () => {
    const seen: KnownEvent[] = [];
    const server: Server = createServer(toNodeHandler(createWebhookHandler({ applicationToken: APP_TOKEN, waitForHandlers: true, on: { ONIMBOTV2JOINCHAT: (e) => void seen.push(e) } })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: webhookBody('ONIMBOTV2JOINCHAT', FETCHED.ONIMBOTV2JOINCHAT) });
      expect(res.status).toBe(200);
      expect(seen[0].data).toEqual(FETCHED.ONIMBOTV2JOINCHAT);
      const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: webhookBody('ONIMBOTV2JOINCHAT', FETCHED.ONIMBOTV2JOINCHAT, 'forged') });
      expect(forged.status).toBe(401);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('bot.events(): the fetch loop', () => {
  let server: TestServer;
  /** The portal's queue: events not yet confirmed by an offset. */
  let queue: { eventId: number; type: string; date: string; data: unknown }[];
  const offsets: (number | undefined)[] = [];
  const bodies: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await TestServer.start();
    server.handle((req, res) => {
      const body = req.json as { offset?: number; limit: number };
      offsets.push(body.offset);
      bodies.push(body);
      // Event.get confirms every event below `offset`, then returns the next ones.
      if (body.offset !== undefined) queue = queue.filter((e) => e.eventId >= body.offset!);
      const page = queue.slice(0, body.limit);
      const last = page.at(-1);
      json(res, 200, { result: { events: page, nextOffset: last ? last.eventId + 1 : (body.offset ?? 0), hasMore: queue.length > page.length }, time: TIME });
    });
  });
  afterAll(() => server.close());

  it('delivers every event once across a restart, resuming from the stored offset', async () => {
    queue = Array.from({ length: 12 }, (_, i) => ({ eventId: 100 + i, type: i === 5 ? 'ONIMBOTV2NEWTHING' : 'ONIMBOTV2MESSAGEADD', date: '2025-01-15T10:30:00+02:00', data: { ...FETCHED.ONIMBOTV2MESSAGEADD, message: { ...MESSAGE, id: i } } }));
    const client = createClient({ webhookUrl: `${server.url}/rest/1/events-secret/`, rateLimitStore: new MemoryBucketStore() });
    const bot = client.bot({ botId: 456, botToken: 'tok' });
    const handled: number[] = [];
    let stored: number | undefined;

    // First run: handles 7 events, storing the offset after each, then "crashes".
    const first = new AbortController();
    const stream = bot.events({ signal: first.signal, limit: 5, idleDelay: 10 });
    for await (const e of stream) {
      handled.push(e.eventId!);
      stored = stream.offset;
      if (handled.length === 7) break;
    }
    expect(stored).toBe(107);

    // Restart from the stored offset: the rest, none twice; stop once the queue is drained.
    const second = new AbortController();
    const resumed = bot.events({ signal: second.signal, startOffset: stored, limit: 5, idleDelay: 10 });
    for await (const e of resumed) {
      handled.push(e.eventId!);
      if (e.known && e.event === 'ONIMBOTV2MESSAGEADD') expect(e.data.message.id).toBe(e.eventId! - 100);
      else expect(e.event).toBe('ONIMBOTV2NEWTHING');
      if (handled.length === 12) second.abort();
    }
    expect(handled).toEqual(Array.from({ length: 12 }, (_, i) => 100 + i));
    expect(resumed.offset).toBe(112);
    expect(offsets[0]).toBeUndefined();
  });

  it('with withUserEvents, Event.get and the stream give the same bot, user and unknown events, each typed by its name', async () => {
    const date = '2025-01-15T10:30:00+02:00';
    queue = [
      { eventId: 300, type: 'ONIMBOTV2MESSAGEADD', date, data: FETCHED.ONIMBOTV2MESSAGEADD },
      { eventId: 301, type: 'ONIMV2MESSAGEADD', date, data: FETCHED.ONIMV2MESSAGEADD },
      { eventId: 302, type: 'ONIMBOTV2SOMETHINGADDEDLATER', date, data: { anything: 1 } },
    ];
    const sent = [...queue];
    bodies.length = 0;
    const client = createClient({ webhookUrl: `${server.url}/rest/1/events-secret/`, rateLimitStore: new MemoryBucketStore() });
    const bot = client.bot({ botId: 456, botToken: 'tok' });

    const page = await bot.Event.get({ offset: 300, withUserEvents: true });
    expect(page.events).toEqual(sent);
    const texts: string[] = [];
    for (const e of page.events) {
      if (e.type === 'ONIMBOTV2MESSAGEADD') texts.push(e.data.message.text);
      else if (e.type === 'ONIMV2MESSAGEADD') texts.push(`user: ${e.data.message.text}`);
      else texts.push(`other: ${e.type}`);
    }
    expect(texts).toEqual(['Hello bot!', 'user: Hello bot!', 'other: ONIMBOTV2SOMETHINGADDEDLATER']);

    const controller = new AbortController();
    const streamed: AnyEvent[] = [];
    for await (const e of bot.events({ signal: controller.signal, startOffset: 300, withUserEvents: true, idleDelay: 10 })) {
      streamed.push(e);
      if (streamed.length === 3) controller.abort();
    }
    expect(streamed.map((e) => [e.event, e.known, e.eventId, e.date, e.data])).toEqual(sent.map((item, i) => [item.type, i < 2, item.eventId, item.date, item.data]));
    expect(bodies.map((b) => b.withUserEvents)).toEqual([true, true]);
  });

  it('waits between empty polls and stops at once on abort', async () => {
    queue = [];
    offsets.length = 0;
    const client = createClient({ webhookUrl: `${server.url}/rest/1/events-secret/`, rateLimitStore: new MemoryBucketStore() });
    const controller = new AbortController();
    const stream = client.bot({ botId: 456 }).events({ signal: controller.signal, idleDelay: 60_000, startOffset: 500 });
    setTimeout(() => controller.abort(), 100);
    const got: AnyEvent[] = [];
    for await (const e of stream) got.push(e);
    expect(got).toEqual([]);
    expect(offsets).toEqual([500]);
  }, 5_000);
});
