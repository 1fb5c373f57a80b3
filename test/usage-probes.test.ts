import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { typecheckConsumers, type Problem } from './support/typecheck.js';

/**
 * Type-level probes of real usage: a small bot written the way the docs' own examples use the
 * API (index.md's webhook handler, the fetch loop of event-get.md, the fields each events.md
 * table documents, bot-context.md's `chat.type === "private"`), compiled under `strict` against
 * the generated client. It must compile as it stands; each line the docs do not support (an
 * undocumented value sent, an undocumented field used, another event's field) must fail with the
 * TypeScript error a user would see.
 */
const dir = resolve('test/.tmp/usage-probes');
const IMPORT = `import {
  createClient, createWebhookHandler, ChatType, ImbotEventType, ImEventType, Reaction, UserType,
  type ChatRole, type EventChat, type EventDataMap, type EventOf, type ImbotV2EventGetResultEventsItem,
  type ImbotV2EventGetResultEventsItemOf, type ImV2EventGetResultEventsItem, type ImV2EventGetResultEventsItemOf,
} from '../../../generated/src/index.js';
const client = createClient({ webhookUrl: 'https://portal.bitrix24.com/rest/1/code/' });
const bot = client.bot({ botId: 456, botToken: 'my_bot_token' });
`;

const consumers: Record<string, string> = {
  // index.md#webhook: the handler answers messages and commands (data.message.text, data.chat.dialogId, data.command.id).
  'webhook-bot.ts': `${IMPORT}
export const handler = createWebhookHandler({
  applicationToken: 'app-token',
  on: {
    ONIMBOTV2MESSAGEADD: async (e) => {
      const text: string = e.data.message.text;
      const dialogId: string = e.data.chat.dialogId;
      const botId: number = e.data.bot.id;
      await client.imbot.v2.Chat.Message.send({ botId, dialogId, fields: { message: 'Received: ' + text } });
    },
    ONIMBOTV2COMMANDADD: async (e) => {
      const commandId: number = e.data.command.id;
      const messageId: number = e.data.message.id;
      const command: string = e.data.command.command;
      const params: string = e.data.command.params;
      const how: 'textarea' | 'keyboard' | 'menu' = e.data.command.context;
      await bot.Command.answer({ commandId, messageId, dialogId: e.data.chat.dialogId, fields: { message: 'Command executed: ' + command + params + how } });
    },
    ONIMBOTV2JOINCHAT: async (e) => {
      await bot.Chat.Message.send({ dialogId: e.data.dialogId, fields: { message: 'Hello, ' + e.data.user.name + ' in ' + greeting(e.data.chat) } });
    },
    ONIMBOTV2DELETE: (e) => {
      const gone: number = e.data.bot.id;
      const code: string = e.data.bot.code;
      void [gone, code];
    },
  },
});

/** Switching on chat.type: the listed kinds, private (bot-context.md's example) and kinds added later. */
export function greeting(chat: EventChat): string {
  switch (chat.type) {
    case 'private':
      return 'you';
    case ChatType.chat:
    case ChatType.open:
      return 'the chat ' + chat.name;
    case 'channel':
      return 'the channel';
    case 'someKindAddedLater':
      return 'a new kind of chat';
    default: {
      const kind: string = chat.type;
      return kind;
    }
  }
}
`,

  // Every field each events.md table documents, read as the table types it.
  'event-fields.ts': `${IMPORT}
export function fields(e: { [N in keyof EventDataMap]: EventOf<N> }): void {
  const add = e.ONIMBOTV2MESSAGEADD.data;
  const a: [number, string, number, string, string, number, boolean] = [add.bot.id, add.message.text, add.message.authorId, add.chat.dialogId, add.language, add.user.id, add.user.bot];
  const upd = e.ONIMBOTV2MESSAGEUPDATE.data;
  const b: [string, number, string] = [upd.message.text, upd.chat.id, upd.language];
  const del = e.ONIMBOTV2MESSAGEDELETE.data;
  const c: [number, number, string] = [del.messageId, del.user.id, del.chat.dialogId];
  const join = e.ONIMBOTV2JOINCHAT.data;
  const d: [string, string, string] = [join.dialogId, join.chat.name, join.user.name];
  const gone: number = e.ONIMBOTV2DELETE.data.bot.id;
  const ctx = e.ONIMBOTV2CONTEXTGET.data;
  const isPrivate: boolean = ctx.chat.type === 'private';
  const who: number = ctx.user.id;
  const passed: Record<string, unknown> = ctx.context;
  const cmd = e.ONIMBOTV2COMMANDADD.data;
  const f: [number, string, string, string] = [cmd.command.id, cmd.command.command, cmd.command.params, cmd.message.text];
  const r = e.ONIMBOTV2REACTIONCHANGE.data;
  const known: boolean = r.reaction === Reaction.like || r.reaction === 'fire';
  const later: boolean = r.reaction === 'someReactionAddedLater';
  const removed: boolean = r.action === 'delete';
  const g: [number, number] = [r.message.id, r.user.id];
  const im = e.ONIMV2MESSAGEADD.data;
  const h: [string, string, string] = [im.message.text, im.chat.dialogId, im.language];
  const imUpd: string = e.ONIMV2MESSAGEUPDATE.data.message.text;
  const imDel: number = e.ONIMV2MESSAGEDELETE.data.messageId;
  const imReaction: boolean = e.ONIMV2REACTIONCHANGE.data.reaction === 'like' && e.ONIMV2REACTIONCHANGE.data.action === 'add';
  const imJoin: string = e.ONIMV2JOINCHAT.data.dialogId;
  const userKind: boolean = add.user.type === UserType.employee || add.user.type === 'someAccountTypeAddedLater';
  void [a, b, c, d, gone, isPrivate, who, passed, f, known, later, removed, g, h, imUpd, imDel, imReaction, imJoin, userKind];
}
`,

  // event-get.md and index.md's polling loop: Event.get with withUserEvents, narrowing on e.type.
  'polling-bot.ts': `${IMPORT}
export async function poll(signal: AbortSignal): Promise<void> {
  let offset: number | undefined;
  while (!signal.aborted) {
    const page = await bot.Event.get({ offset, limit: 50, withUserEvents: true });
    for (const e of page.events) {
      const id: number = e.eventId;
      const when: string = e.date;
      if (e.type === 'ONIMBOTV2MESSAGEADD') {
        await bot.Chat.Message.send({ dialogId: e.data.chat.dialogId, fields: { message: 'Received: ' + e.data.message.text } });
      } else if (e.type === 'ONIMV2MESSAGEADD') {
        const text: string = e.data.message.text;
        void text;
      } else if (e.type === ImbotEventType.ONIMBOTV2REACTIONCHANGE) {
        const reaction: string = e.data.reaction;
        void reaction;
      } else if (e.type === 'ONIMBOTV2SOMETHINGADDEDLATER') {
        const data: Record<string, unknown> = e.data;
        void data;
      }
      switch (e.type) {
        case 'ONIMBOTV2COMMANDADD':
          await bot.Command.answer({ commandId: e.data.command.id, messageId: e.data.message.id, dialogId: e.data.chat.dialogId, fields: { message: 'ok' } });
          break;
        case 'ONIMBOTV2CONTEXTGET':
          if (e.data.chat.type === 'private') void e.data.context;
          break;
        case 'ONIMV2JOINCHAT':
          void e.data.chat.id;
          break;
        default: {
          const name: string = e.type;
          const data: Record<string, unknown> = e.data;
          void [name, data];
        }
      }
      void [id, when];
    }
    offset = page.nextOffset;
    if (!page.hasMore) await new Promise((r) => setTimeout(r, 5000));
  }
}

export async function pollUser(): Promise<void> {
  const page = await client.im.v2.Event.get({ limit: 100 });
  for (const e of page.events) {
    if (e.type === ImEventType.ONIMV2MESSAGEDELETE) void e.data.messageId;
    if (e.type === 'ONIMV2REACTIONCHANGE') void e.data.message.id;
  }
  const next: number = page.nextOffset;
  void next;
}

// The runtime's stream over the same pages gives the same events, marked known.
export async function stream(signal: AbortSignal): Promise<void> {
  for await (const ev of bot.events({ signal, withUserEvents: true })) {
    if (ev.known && ev.event === 'ONIMV2MESSAGEADD') void ev.data.message.text;
    if (ev.known && ev.event === 'ONIMBOTV2JOINCHAT') void ev.data.dialogId;
  }
}

// The result items and the runtime's events agree: the same names, each with the same data type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type KnownItem = Exclude<ImbotV2EventGetResultEventsItem, ImbotV2EventGetResultEventsItemOf<string, Record<string, never>>>;
type KnownImItem = Exclude<ImV2EventGetResultEventsItem, ImV2EventGetResultEventsItemOf<string, Record<string, never>>>;
export const sameNames: Same<KnownItem['type'], keyof EventDataMap> = true;
export const sameImNames: Same<KnownImItem['type'], ImEventType> = true;
export const sameData: Same<{ [N in KnownItem['type']]: Extract<KnownItem, { type: N }>['data'] }, { [N in keyof EventDataMap]: EventOf<N>['data'] }> = true;
`,

  // The results of the common methods, as their pages describe them.
  'results.ts': `${IMPORT}
export async function results(): Promise<void> {
  const { chat } = await bot.Chat.get({ dialogId: 'chat5' });
  const kind: string = chat.type;
  const oneToOne: boolean = chat.type === 'private' || chat.type === ChatType.private;
  const role: ChatRole = chat.role;
  const { bot: info, users } = await client.imbot.v2.Bot.get({ botId: 456 });
  const code: string = info.code;
  const humans = users.filter((u) => u.type === 'employee' || u.type === 'someAccountTypeAddedLater');
  const { message } = await bot.Chat.Message.get({ messageId: 789 });
  const text: string = message.text;
  const sent = await bot.Chat.Message.send({ dialogId: 'chat5', fields: { message: 'Hi' } });
  const sentId: number = sent.id;
  const members = await bot.Chat.User.list({ dialogId: 'chat5' });
  const memberTypes: string[] = members.map((m) => m.type);
  const bots = await client.imbot.v2.Bot.list({});
  const file = await client.im.v2.File.upload({ dialogId: 'chat5', fields: { name: 'a.txt', content: 'aGk=' } });
  const fileName: string = file.file.name;
  void [kind, oneToOne, role, code, humans, text, sentId, memberTypes, bots, fileName];
}
`,

  // Lines the docs do not support: each must fail.
  'send-unknown-reaction.ts': `${IMPORT}
void bot.Chat.Message.Reaction.add({ messageId: 1, reaction: 'someReactionAddedLater' });
`,
  'echo-read-reaction.ts': `${IMPORT}
export function echo(e: EventOf<'ONIMBOTV2REACTIONCHANGE'>): void {
  void bot.Chat.Message.Reaction.add({ messageId: e.data.message.id, reaction: e.data.reaction });
}
`,
  'closed-chat-type.ts': `${IMPORT}
export function kind(chat: EventChat): ChatType {
  return chat.type;
}
`,
  'undocumented-field.ts': `${IMPORT}
export function f(e: EventOf<'ONIMBOTV2MESSAGEADD'>): string {
  return e.data.message.txt.toUpperCase();
}
`,
  'other-events-field.ts': `${IMPORT}
export async function f(): Promise<void> {
  const page = await bot.Event.get({});
  for (const e of page.events) if (e.type === 'ONIMBOTV2DELETE') void e.data.message.text;
}
`,
  'event-chat-role.ts': `${IMPORT}
export function f(e: EventOf<'ONIMBOTV2JOINCHAT'>): ChatRole {
  return e.data.chat.role;
}
`,
  'closed-bot-type.ts': `${IMPORT}
export async function f(): Promise<boolean> {
  const { bot: info } = await client.imbot.v2.Bot.get({ botId: 1 });
  return info.type === 'superbot';
}
`,
  'bot-event-from-user-queue.ts': `${IMPORT}
export async function f(): Promise<void> {
  const page = await client.im.v2.Event.get({});
  for (const e of page.events) if (e.type === 'ONIMBOTV2MESSAGEADD') void e.data.message.text;
}
`,
};

let checked: ReturnType<typeof typecheckConsumers>;

beforeAll(() => {
  checked = typecheckConsumers(dir, consumers);
});

const problemsIn = (name: string): Problem[] => checked.inFile(name);

describe('a bot written the way the docs use the API compiles under strict', () => {
  it.each(['webhook-bot.ts', 'event-fields.ts', 'polling-bot.ts', 'results.ts'])('%s', (name) => {
    expect(problemsIn(name)).toEqual([]);
  });

  it('and nothing else in the program fails', () => {
    expect(checked.elsewhere()).toEqual([]);
  });
});

describe('what the docs do not support does not compile', () => {
  it.each([
    ['send-unknown-reaction.ts', 2322, `Type '"someReactionAddedLater"' is not assignable to type 'Reaction'`],
    ['echo-read-reaction.ts', 2322, `is not assignable to type 'Reaction'`],
    ['closed-chat-type.ts', 2322, `is not assignable to type 'ChatType'`],
    ['undocumented-field.ts', 18046, `'e.data.message.txt' is of type 'unknown'`],
    ['other-events-field.ts', 18046, `'e.data.message' is of type 'unknown'`],
    ['event-chat-role.ts', 2322, `Type 'unknown' is not assignable to type 'ChatRole'`],
    ['closed-bot-type.ts', 2367, `This comparison appears to be unintentional because the types 'BotType' and '"superbot"' have no overlap`],
    ['bot-event-from-user-queue.ts', 2339, `Property 'text' does not exist on type 'never'`],
  ])('%s fails with TS%i', (name, code, text) => {
    const found = problemsIn(name);
    expect(found, JSON.stringify(found)).toHaveLength(1);
    expect(found[0].code).toBe(code);
    expect(found[0].message).toContain(text);
    // The error is on the probe's own line, not in the import block.
    expect(found[0].line).toBeGreaterThan(IMPORT.split('\n').length);
  });
});
