import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createWebhookHandler, decodeWebhook, eventSchemas, toNodeHandler, type AnyEvent, type KnownEvent } from '../generated/src/index.js';
import { eventPost, fetchModeData } from '../generated/src/testing/event-post.js';
import type { RegisteredBot } from '../generated/src/testing/event-target.js';
import { createTestPortal, EventDeliveryError, type SeedBot, type TestPortal } from '../generated/src/testing/index.js';
import { docsEventExamples, EVENTS_DOCS } from './support/docs-event-examples.js';
import { tsc } from './support/typecheck.js';
import { capturedJoinChat, dropEmpty } from './support/webhook-posts.js';
import { phpBuildQuery } from '../generated/src/testing/php-query.js';
import { SchemaChecker } from '../generator/docs/examples/schema-check.js';
import { loadSpec } from '../generator/load/index.js';

/**
 * The kit's event side: events built exactly as the portal posts them (PHP form, the `auth`
 * block, the webhook form of `data.bot`), decoded by the package's own decoder and handler to
 * the docs' example objects, delivered over real HTTP on 127.0.0.1 to a webhook-mode bot or
 * queued for a fetch-mode one.
 */
const APP_TOKEN = 'kit-app-token-5f0c2a9e1d';

/** A test portal with these bots, closed after the test. */
const portals: TestPortal[] = [];
async function portalWith(bots: SeedBot[]): Promise<TestPortal> {
  const portal = await createTestPortal({ applicationToken: APP_TOKEN, bots });
  portals.push(portal);
  return portal;
}
afterAll(async () => {
  await Promise.all(portals.map((p) => p.close()));
});

/** A bot's webhook server on 127.0.0.1 running the package's handler through its Node adapter. */
async function botServer(handler: (req: Request) => Promise<Response>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(toNodeHandler(handler));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot/hook`;
  return { url, close: () => new Promise((done) => server.close(() => done())) };
}


const examples = docsEventExamples();
/** The spec's JSON Schemas (the OpenAPI export's, as docs-diff checks the docs' examples with them). */
const schemas = new SchemaChecker(loadSpec(resolve('spec')));

describe('eventPost: every event as the portal posts it', () => {
  const bot: RegisteredBot = { id: 456, code: 'support_bot', eventMode: 'webhook', webhookUrl: 'http://127.0.0.1:1/hook' };
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await portalWith([bot]);
  });

  it('decodes, through the package\'s decoder, to the docs\' example data of each event (bot in its webhook form)', () => {
    if (!examples) {
      console.log(`kit-events: ${EVENTS_DOCS} is absent, so the posts were not compared with the docs' examples.`);
      return;
    }
    // Every event the spec describes (the decoder's table) has its docs example.
    const specEvents = Object.keys(eventSchemas.events).sort();
    expect([...examples.keys()].sort()).toEqual(specEvents);
    const portalAuth = {
      domain: portal.domain,
      server_endpoint: portal.clientEndpoint,
      status: 'L',
      client_endpoint: portal.clientEndpoint,
      member_id: portal.memberId,
      application_token: APP_TOKEN,
    };
    for (const [event, { data }] of examples) {
      const post = eventPost(portal, bot, event, data, { ts: 1772093963 });
      const decoded = decodeWebhook(post.body);
      expect(decoded.known, event).toBe(true);
      expect(decoded.event).toBe(event);
      expect(decoded.ts).toBe(1772093963);
      const { bot: postedBot, ...rest } = decoded.data as Record<string, unknown>;
      const { bot: exampleBot, ...expected } = data;
      // Free-form `context` has no types to restore: its values arrive as the strings PHP wrote.
      if (expected.context) expected.context = Object.fromEntries(Object.entries(expected.context).map(([k, v]) => [k, String(v)]));
      expect(dropEmpty(rest), event).toEqual(dropEmpty(expected));
      if (exampleBot) {
        // "Webhook — simplified object {id, code, auth}" (events.md, Bot Object Format), its auth
        // decoded to the spec's types, holding the portal's OAuth pair for calls back.
        expect(postedBot, event).toEqual({
          id: (exampleBot as { id: number }).id,
          code: (exampleBot as { code: string }).code,
          auth: { access_token: portal.accessToken, expires: 1772093963 + 3600, expires_in: 3600, scope: 'imbot', ...portalAuth, refresh_token: portal.refreshToken },
        });
      } else {
        expect(postedBot, event).toBeUndefined();
      }
      // The post, decoded, conforms to the spec's webhook body for the event; the fetch-mode data to its data schema.
      expect(schemas.check({ kind: 'event', event, form: 'webhook' }, { event: decoded.event, data: decoded.data, ts: decoded.ts, auth: decoded.auth }), event).toEqual([]);
      expect(schemas.check({ kind: 'event', event, form: 'data' }, fetchModeData(portal, bot, data)), event).toEqual([]);
      expect(decoded.auth, event).toEqual({ scope: event.startsWith('ONIMBOTV2') ? 'imbot' : 'im', ...portalAuth });
    }
  });

  it('writes the bytes PHP\'s http_build_query writes: bracketed keys, 1/0 for booleans, empty for null, nothing for empty arrays', () => {
    const post = eventPost(portal, bot, 'ONIMBOTV2JOINCHAT', {
      bot: { id: 456, code: 'support_bot' },
      dialogId: 'chat5',
      chat: { id: 5, dialogId: 'chat5', type: 'chat', name: "Tom's chat (new)*~!", entityLink: {}, color: null },
      user: { id: 1, active: true, name: 'A B', bot: false, type: 'employee', departments: [1, 7] },
      language: 'en',
    }, { ts: 1772093963 });
    const parts = post.body.split('&');
    // The docs' key forms (events.md: `data[bot][id]=...`, `auth[application_token]=...`), percent-encoded as PHP's urlencode does.
    expect(parts.slice(0, 3)).toEqual(['event=ONIMBOTV2JOINCHAT', 'data%5Bbot%5D%5Bid%5D=456', 'data%5Bbot%5D%5Bcode%5D=support_bot']);
    expect(parts).toContain('data%5Bchat%5D%5Bname%5D=Tom%27s+chat+%28new%29%2A%7E%21');
    expect(parts).toContain('data%5Bchat%5D%5Bcolor%5D=');
    expect(parts.filter((p) => p.includes('entityLink'))).toEqual([]);
    expect(parts).toContain('data%5Buser%5D%5Bactive%5D=1');
    expect(parts).toContain('data%5Buser%5D%5Bbot%5D=0');
    expect(parts).toContain('data%5Buser%5D%5Bdepartments%5D%5B0%5D=1');
    expect(parts).toContain('data%5Buser%5D%5Bdepartments%5D%5B1%5D=7');
    expect(parts).toContain('ts=1772093963');
    expect(parts.at(-1)).toBe(`auth%5Bapplication_token%5D=${APP_TOKEN}`);
    // Field order as the docs' webhook payload: event, data, ts, auth.
    const tops = [...new Set(parts.map((p) => decodeURIComponent(p.split('=')[0]!).replace(/\[.*$/, '')))];
    expect(tops).toEqual(['event', 'data', 'ts', 'auth']);
    for (const p of parts) expect(decodeURIComponent(p.split('=')[0]!)).toMatch(/^[a-z]+(\[[A-Za-z0-9_]+\])*$/);
  });

  it('encodes a post to the same bytes as the portal\'s capture in test/support/webhook-posts.ts', () => {
    const post = {
      event: 'ONIMBOTV2JOINCHAT',
      data: {
        bot: { id: 456, code: 'support_bot', auth: { access_token: '0b02a069', expires: 1772093963, user_id: 27 } },
        dialogId: 'chat5',
        chat: { id: 5, dialogId: 'chat5', type: 'chat', name: 'Support Chat', color: null },
        user: { id: 1, active: true, idle: false, lastActivityDate: '2025-01-15T10:29:00+02:00', departments: [1], phones: { workPhone: '+100' } },
        language: 'en',
        newField: 'kept',
      },
      ts: 1772093963,
      auth: { application_token: APP_TOKEN },
    };
    expect(phpBuildQuery(post)).toBe(capturedJoinChat(APP_TOKEN));
  });

  it('fetch mode: the same data, bot as Bot.get gives it (what the caller gave kept), without auth, with the registered id and code', () => {
    const data = { bot: { id: 456, code: 'old', auth: { access_token: 'x' }, countMessage: 99 }, messageId: 3 };
    const full = portal.bot(456) as Record<string, unknown>;
    expect(full).toMatchObject({ id: 456, code: 'support_bot', type: 'bot', eventMode: 'webhook' });
    expect(fetchModeData(portal, bot, data)).toEqual({ bot: { ...full, countMessage: 99 }, messageId: 3 });
  });
});

describe('portal.emit and portal.say over HTTP', () => {
  const seen: AnyEvent[] = [];
  let good: { url: string; close: () => Promise<void> };
  let forged: { url: string; close: () => Promise<void> };
  let silent: Server;
  let silentUrl: string;

  beforeAll(async () => {
    good = await botServer(createWebhookHandler({ applicationToken: APP_TOKEN, waitForHandlers: true, onOther: (e) => void seen.push(e), on: { ONIMBOTV2MESSAGEADD: (e: KnownEvent) => void seen.push(e) } }));
    forged = await botServer(createWebhookHandler({ applicationToken: 'another-apps-token-0000', waitForHandlers: true, on: { ONIMBOTV2MESSAGEADD: (e: KnownEvent) => void seen.push(e) } }));
    // Accepts the connection, reads the body and never answers.
    silent = createServer((req) => void req.resume());
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    silentUrl = `http://user:pw-secret@127.0.0.1:${(silent.address() as AddressInfo).port}/hook/path?key=query-secret#frag`;
  });
  afterAll(async () => {
    await good.close();
    await forged.close();
    silent.closeAllConnections();
    await new Promise((done) => silent.close(done));
  });

  it('say: a webhook-mode bot\'s handler gets ONIMBOTV2MESSAGEADD with the recorded message, its chat, the user and the bot, and answers 200', async () => {
    const portal = await portalWith([{ id: 7, code: 'echo', botToken: 'echo-token', eventMode: 'webhook', webhookUrl: good.url }]);
    seen.length = 0;
    const result = await portal.say('chat5', 'Hello bot!');
    expect(result).toMatchObject({ mode: 'webhook', botId: 7, url: good.url, status: 200 });
    expect(seen).toHaveLength(1);
    const e = seen[0]!;
    expect(e.event).toBe('ONIMBOTV2MESSAGEADD');
    expect(e.auth).toMatchObject({ application_token: APP_TOKEN, domain: portal.domain, member_id: portal.memberId, client_endpoint: portal.clientEndpoint });
    const data = e.data as Record<string, any>;
    expect(data.bot).toEqual({ id: 7, code: 'echo', auth: expect.objectContaining({ access_token: portal.accessToken, application_token: APP_TOKEN }) });
    expect(data.message).toMatchObject({ chatId: 5, authorId: 1, text: 'Hello bot!', isSystem: false, forward: null, params: {} });
    expect(data.chat).toMatchObject({ id: 5, dialogId: 'chat5', type: 'chat' });
    expect(data.chat.role).toBeUndefined();
    expect(data.user).toMatchObject({ id: 1, bot: false });
    expect(data.language).toBe('en');
    expect(schemas.check({ kind: 'event', event: 'ONIMBOTV2MESSAGEADD', form: 'webhook' }, { event: e.event, data: e.data, ts: e.ts, auth: e.auth })).toEqual([]);
    // The message is the portal's: the bot can react to it, and to no message that was never written.
    const bot = createClient({ webhookUrl: portal.webhookUrl, rateLimit: false }).bot({ botId: 7, botToken: 'echo-token' });
    await expect(bot.Chat.Message.Reaction.add({ messageId: data.message.id, reaction: 'like' })).resolves.toEqual({ result: true });
    await expect(bot.Chat.Message.Reaction.add({ messageId: data.message.id + 1000, reaction: 'like' })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    // The bot's tokens in the post are good for calls back through OAuth.
    const viaOauth = createClient({ portalUrl: portal.origin, accessToken: data.bot.auth.access_token, rateLimit: false });
    await expect(viaOauth.imbot.v2.Chat.Message.Reaction.delete({ botId: 7, messageId: data.message.id, reaction: 'like' })).resolves.toEqual({ result: true });
  });

  it('the package\'s token check passes with the portal\'s application_token and refuses another with 401', async () => {
    const portal = await portalWith([{ id: 7, code: 'echo', eventMode: 'webhook', webhookUrl: forged.url }]);
    seen.length = 0;
    expect(await portal.say('1', 'hi')).toMatchObject({ mode: 'webhook', status: 401 });
    expect(seen).toEqual([]);
    const right = await portalWith([{ id: 7, code: 'echo', eventMode: 'webhook', webhookUrl: good.url }]);
    expect(await right.say('1', 'hi', { auth: { application_token: 'not-the-portals' } })).toMatchObject({ status: 401 });
    expect(seen).toEqual([]);
    expect(await right.say('12', 'hi')).toMatchObject({ status: 200 });
    expect(seen).toHaveLength(1);
    // In a one-to-one dialog the user who writes is the dialog's user; in a group chat user 1.
    expect((seen[0]!.data as Record<string, any>).user).toMatchObject({ id: 12 });
    expect((seen[0]!.data as Record<string, any>).message).toMatchObject({ authorId: 12, text: 'hi' });
    expect((seen[0]!.data as Record<string, any>).chat).toMatchObject({ dialogId: '12', type: 'private' });
  });

  it('emit: posts any event to the bot data.bot names; im.v2 events go to the botId given', async () => {
    const portal = await portalWith([
      { id: 3, code: 'other', eventMode: 'fetch' },
      { id: 7, code: 'echo', eventMode: 'webhook', webhookUrl: good.url },
    ]);
    seen.length = 0;
    expect(await portal.emit('ONIMBOTV2DELETE', { bot: { id: 7, code: 'echo' } })).toMatchObject({ mode: 'webhook', botId: 7, status: 200 });
    const chat = { id: 5, dialogId: 'chat5', type: 'chat', name: 'Team' };
    const user = { id: 1, active: true, name: 'Test User', bot: false, type: 'employee' };
    await portal.emit('ONIMV2JOINCHAT', { dialogId: 'chat5', chat, user, language: 'de' }, { botId: 7 });
    expect(seen.map((e) => [e.event, e.known])).toEqual([['ONIMBOTV2DELETE', true], ['ONIMV2JOINCHAT', true]]);
    expect(seen[1]!.data).toEqual({ dialogId: 'chat5', chat, user, language: 'de' });
    await expect(portal.emit('ONIMV2JOINCHAT', { dialogId: 'chat5', chat, user, language: 'de' })).rejects.toThrow('the event has no data.bot, so pass { botId }');
    await expect(portal.emit('ONIMBOTV2DELETE', { bot: { id: 99, code: 'x' } })).rejects.toThrow('no bot 99 is registered on this portal (registered: 3, 7)');
    await expect(portal.say('chat5', 'hi')).rejects.toThrow('say: the portal has 2 bots (3, 7); pass { botId }');
  });

  it('a fetch-mode bot finds the event in its Event.get queue, spec-valid and without auth', async () => {
    const portal = await portalWith([{ id: 3, code: 'poller', botToken: 'poll-token', eventMode: 'fetch' }]);
    const r = await portal.say('chat5', '/help');
    expect(r).toMatchObject({ mode: 'fetch', botId: 3 });
    const bot = createClient({ webhookUrl: portal.webhookUrl, rateLimit: false }).bot({ botId: 3, botToken: 'poll-token' });
    const page = await bot.Event.get({});
    expect(page.events).toHaveLength(1);
    const item = page.events[0]!;
    expect(item).toMatchObject({ eventId: (r as { eventId: number }).eventId, type: 'ONIMBOTV2MESSAGEADD', data: { bot: { id: 3, code: 'poller' }, message: { text: '/help' } } });
    expect(JSON.stringify(item)).not.toContain('"auth"');
    // "FETCH — full bot object, as in the response from imbot.v2.Bot.get" (events.md).
    const { bot: asBotGet } = await createClient({ webhookUrl: portal.webhookUrl, rateLimit: false }).imbot.v2.Bot.get({ botId: 3, botToken: 'poll-token' });
    expect(item.data.bot).toEqual(asBotGet);
    expect(schemas.check({ kind: 'event', event: 'ONIMBOTV2MESSAGEADD', form: 'data' }, item.data)).toEqual([]);
  });

  it('a handler that does not answer in time is an error naming the URL without its credentials, query or fragment', async () => {
    const portal = await portalWith([{ id: 7, code: 'echo', eventMode: 'webhook', webhookUrl: silentUrl }]);
    const started = Date.now();
    const err = await portal.say('chat5', 'hi', { timeout: 300 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toBeInstanceOf(EventDeliveryError);
    const port = new URL(silentUrl).port;
    expect((err as Error).message).toBe(`the handler at http://127.0.0.1:${port}/hook/path did not answer within 300 ms; does it answer every POST (the portal expects HTTP 200)?`);
    const shown = `${String(err)} ${(err as Error).stack} ${JSON.stringify(err)}`;
    for (const secret of ['pw-secret', 'query-secret', 'frag', APP_TOKEN, portal.accessToken]) expect(shown).not.toContain(secret);
  });

  it('an unreachable handler and a bot without a usable webhookUrl are errors that say what to do', async () => {
    const closed = await botServer(async () => new Response('ok'));
    await closed.close();
    const down = await portalWith([{ id: 7, code: 'echo', eventMode: 'webhook', webhookUrl: closed.url }]);
    await expect(down.say('chat5', 'hi')).rejects.toThrow(`could not post the event to ${closed.url}: ECONNREFUSED`);
    const ftp = await portalWith([{ id: 7, code: 'echo', eventMode: 'webhook', webhookUrl: 'ftp://127.0.0.1/x?secret=1' }]);
    await expect(ftp.say('chat5', 'hi')).rejects.toThrow('cannot post an event to ftp://127.0.0.1/x: only http: and https: handler URLs are supported');
    await expect((await portalWith([])).say('chat5', 'hi')).rejects.toThrow('say: no bot is registered on this portal');
  });
});

describe('portal.emit is typed by the event\'s data', () => {
  it('compiles with each event\'s data type and refuses a wrong shape or an unknown event name', () => {
    // The kit as the package ships it (generated/src/testing), checked with the package's own
    // compiler options (strict, noUnusedLocals) plus Node's types.
    const dir = mkdtempSync(join(resolve('node_modules/.cache'), 'b24gen-kit-types-'));
    try {
      cpSync(resolve('generated/src'), join(dir, 'src'), { recursive: true });
      writeFileSync(
        join(dir, 'probe.ts'),
        `import { createTestPortal } from './src/testing/index.js';
import { emitEvent } from './src/testing/emit-event.js';
import type { EventTarget } from './src/testing/event-target.js';
declare const target: EventTarget;
const portal = await createTestPortal();
const chat = { id: 5, dialogId: 'chat5', type: 'chat', name: 'Team' };
const user = { id: 1, active: true, name: 'A', bot: false, type: 'employee' };
const message = { id: 9, chatId: 5, authorId: 1, date: null, text: 'hi', isSystem: false, uuid: '', forward: null, params: {}, viewedByOthers: false };
export async function probe(): Promise<void> {
  await portal.emit('ONIMBOTV2MESSAGEADD', { bot: { id: 7, code: 'echo' }, message, chat, user, language: 'en' });
  await emitEvent(target, 'ONIMV2JOINCHAT', { dialogId: 'chat5', chat, user, language: 'en' }, { botId: 7, timeout: 100 });
  const r = await portal.say('chat5', 'hi', { authorId: 1 });
  if (r.mode === 'webhook') { const status: number = r.status; void status; } else { const id: number = r.eventId; void id; }
  // @ts-expect-error ONIMBOTV2MESSAGEADD needs message, chat, user and language
  await portal.emit('ONIMBOTV2MESSAGEADD', { bot: { id: 7, code: 'echo' } });
  // @ts-expect-error messageId is a number
  await portal.emit('ONIMBOTV2MESSAGEDELETE', { bot: { id: 7, code: 'echo' }, messageId: '9', chat, user, language: 'en' });
  // @ts-expect-error the data of another event
  await portal.emit('ONIMBOTV2DELETE', { dialogId: 'chat5', chat, user, language: 'en' });
  // @ts-expect-error not an event of the spec
  await portal.emit('ONIMBOTV2SOMETHING', {});
  // @ts-expect-error emitEvent takes the same types
  await emitEvent(target, 'ONIMBOTV2DELETE', { bot: { id: '7', code: 'echo' } });
}
`,
      );
      const options = JSON.parse(readFileSync(resolve('generated/tsconfig.json'), 'utf8')).compilerOptions;
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { ...options, noEmit: true, declaration: false, declarationMap: false, sourceMap: false, rootDir: '.', types: ['node'], typeRoots: [resolve('node_modules/@types')] }, files: ['probe.ts'] }),
      );
      expect(tsc(dir, 'tsconfig.json')).toEqual({ status: 0, problems: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
