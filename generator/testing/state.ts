import { documentedError, errorFacts, PortalAnswer } from './answer.js';
import type { RegisteredBot } from './event-target.js';
import { sample } from './schema.js';
import { methodFacts, schemaDefs, typeExamples } from './spec.js';

/**
 * What the test portal remembers between calls, where a bot relies on it: bots and their
 * commands, chats with members and managers, messages (ids increasing; updates, deletions and
 * reactions act on them), and each fetch-mode bot's `Event.get` queue. Every entity it answers is
 * the type's object from the docs' examples (testing/spec.ts `typeExamples`), else the spec
 * type's sample, with the remembered fields laid over it, so an answer always conforms to the
 * spec and shows the docs' values where the state has none.
 */

export interface BotRecord {
  id: number;
  code: string;
  token?: string;
  type: string;
  eventMode: 'fetch' | 'webhook';
  webhookUrl?: string;
  isHidden: boolean;
  isReactionsEnabled: boolean;
  isSupportOpenline: boolean;
  backgroundId: string | null;
  properties: Record<string, unknown>;
  commands: Map<number, CommandRecord>;
}

export interface CommandRecord {
  id: number;
  command: string;
  common: boolean;
  hidden: boolean;
  extranetSupport: boolean;
  title?: unknown;
  params?: unknown;
}

export interface ChatRecord {
  id: number;
  dialogId: string;
  type: string;
  title: string;
  description: string;
  color: string | null;
  ownerId: number;
  members: Set<number>;
  managers: Set<number>;
  textFieldEnabled: boolean;
}

export interface MessageRecord {
  id: number;
  chatId: number;
  authorId: number;
  text: string;
  date: string;
  isSystem: boolean;
  deleted: boolean;
  /** reaction code -> the users who set it */
  reactions: Map<string, Set<number>>;
  read: boolean;
}

export interface QueuedEvent {
  eventId: number;
  type: string;
  date: string;
  data: unknown;
}

/** The queue key of the user's own events (im.v2.Event.get); bots' queues are keyed by bot id. */
export const USER_QUEUE = 0;

/** The user the portal's webhook and access token act for, and who "writes" in tests. */
export const DEFAULT_USER_ID = 1;

/** What a state handler knows of the call besides its params. */
export interface StateCall {
  method: string;
  /** The call came through a webhook URL (bot methods then need `botToken`). */
  webhook: boolean;
}

const isoNow = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** The type's object from the docs' examples where they show one (testing/spec.ts `typeExamples`), else its sample. */
function overlay<T extends Record<string, unknown>>(typeName: string, fields: T): Record<string, unknown> {
  const shown = Object.hasOwn(typeExamples, typeName) ? typeExamples[typeName] : undefined;
  const base = shown ? structuredClone(shown) : schemaDefs[typeName] ? (sample({ t: 'r', r: typeName }, schemaDefs) as Record<string, unknown>) : {};
  return { ...base, ...fields };
}

export class PortalState {
  readonly bots = new Map<number, BotRecord>();
  readonly chats = new Map<number, ChatRecord>();
  readonly messages = new Map<number, MessageRecord>();
  readonly queues = new Map<number, QueuedEvent[]>();
  readonly users = new Map<number, { id: number; name: string; bot: boolean }>([[DEFAULT_USER_ID, { id: DEFAULT_USER_ID, name: 'Test User', bot: false }]]);
  private readonly confirmed = new Map<number, number>();
  private nextBotId = 1001;
  private nextChatId = 1;
  private nextMessageId = 1;
  private nextCommandId = 1;
  private nextEventId = 1;
  private readonly privateChats = new Map<string, number>();

  // -------------------------------------------------------------------------------------------
  // Entities as the spec shapes them

  userObject(id: number): Record<string, unknown> {
    const u = this.users.get(id) ?? { id, name: `User ${id}`, bot: false };
    return overlay('User', { id: u.id, name: u.name, firstName: u.name, bot: u.bot, active: true, type: u.bot ? 'bot' : 'employee' });
  }

  botObject(b: BotRecord): Record<string, unknown> {
    return overlay('Bot', {
      id: b.id,
      code: b.code,
      type: b.type,
      isHidden: b.isHidden,
      isSupportOpenline: b.isSupportOpenline,
      isReactionsEnabled: b.isReactionsEnabled,
      backgroundId: b.backgroundId,
      eventMode: b.eventMode,
      countCommand: b.commands.size,
    });
  }

  chatObject(c: ChatRecord, botId?: number): Record<string, unknown> {
    const role = botId === undefined ? 'member' : c.ownerId === botId ? 'owner' : c.managers.has(botId) ? 'manager' : c.members.has(botId) ? 'member' : 'none';
    return overlay('Chat', {
      id: c.id,
      dialogId: c.dialogId,
      name: c.title,
      type: c.type,
      owner: c.ownerId,
      color: c.color,
      description: c.description,
      role,
      textFieldEnabled: c.textFieldEnabled ? 'Y' : 'N',
      managerList: [...c.managers],
      userCounter: c.members.size,
    });
  }

  messageObject(m: MessageRecord): Record<string, unknown> {
    return overlay('Message', { id: m.id, chatId: m.chatId, authorId: m.authorId, date: m.date, text: m.text, isSystem: m.isSystem, params: {}, forward: null, viewedByOthers: m.read });
  }

  commandObject(botId: number, c: CommandRecord): Record<string, unknown> {
    const title = typeof c.title === 'string' ? c.title : c.title && typeof c.title === 'object' ? String(Object.values(c.title)[0] ?? '') : '';
    const params = typeof c.params === 'string' ? c.params : c.params && typeof c.params === 'object' ? String(Object.values(c.params)[0] ?? '') : '';
    return overlay('Command', { id: c.id, botId, command: c.command, common: c.common, hidden: c.hidden, extranetSupport: c.extranetSupport, title, params });
  }

  // -------------------------------------------------------------------------------------------
  // Seeding and the event side's needs

  addBot(input: { id?: number; code: string; token?: string; type?: string; eventMode?: 'fetch' | 'webhook'; webhookUrl?: string; name?: string }): BotRecord {
    const id = input.id ?? this.nextBotId++;
    if (id >= this.nextBotId) this.nextBotId = id + 1;
    const bot: BotRecord = {
      id,
      code: input.code,
      ...(input.token !== undefined && { token: input.token }),
      type: input.type ?? 'bot',
      eventMode: input.eventMode ?? 'fetch',
      ...(input.webhookUrl !== undefined && { webhookUrl: input.webhookUrl }),
      isHidden: false,
      isReactionsEnabled: true,
      isSupportOpenline: false,
      backgroundId: null,
      properties: { name: input.name ?? input.code },
      commands: new Map(),
    };
    this.bots.set(id, bot);
    this.users.set(id, { id, name: String(bot.properties.name), bot: true });
    return bot;
  }

  registeredBots(): RegisteredBot[] {
    return [...this.bots.values()]
      .sort((a, b) => a.id - b.id)
      .map((b) => ({ id: b.id, code: b.code, eventMode: b.eventMode, ...(b.webhookUrl !== undefined && { webhookUrl: b.webhookUrl }) }));
  }

  /** A copy of a queue, for `portal.queued`. */
  queued(botId: number): QueuedEvent[] {
    return (this.queues.get(botId) ?? []).map((e) => ({ ...e }));
  }

  enqueue(botId: number, type: string, data: unknown): number {
    const eventId = this.nextEventId++;
    const queue = this.queues.get(botId) ?? [];
    queue.push({ eventId, type, date: isoNow(), data });
    this.queues.set(botId, queue);
    return eventId;
  }

  /** The chat behind a dialog id (`chat5`, or a user's id for a one-to-one dialog), created when missing. */
  chatFor(dialogId: string, botId: number): ChatRecord {
    const group = /^chat(\d+)$/.exec(dialogId);
    if (group) {
      const id = Number(group[1]);
      let chat = this.chats.get(id);
      if (!chat) {
        chat = { id, dialogId, type: 'chat', title: `Chat ${id}`, description: '', color: null, ownerId: DEFAULT_USER_ID, members: new Set([DEFAULT_USER_ID, botId]), managers: new Set(), textFieldEnabled: true };
        this.chats.set(id, chat);
        if (id >= this.nextChatId) this.nextChatId = id + 1;
      }
      return chat;
    }
    const key = `${dialogId}:${botId}`;
    const known = this.privateChats.get(key);
    if (known !== undefined) return this.chats.get(known)!;
    const id = this.nextChatId++;
    const chat: ChatRecord = { id, dialogId, type: 'private', title: '', description: '', color: null, ownerId: 0, members: new Set([Number(dialogId), botId]), managers: new Set(), textFieldEnabled: true };
    this.chats.set(id, chat);
    this.privateChats.set(key, id);
    return chat;
  }

  addMessage(input: { chatId: number; authorId: number; text: string; isSystem?: boolean }): MessageRecord {
    const m: MessageRecord = { id: this.nextMessageId++, chatId: input.chatId, authorId: input.authorId, text: input.text, date: isoNow(), isSystem: input.isSystem ?? false, deleted: false, reactions: new Map(), read: false };
    this.messages.set(m.id, m);
    return m;
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  /**
   * The answer of a method the state models, or undefined for the others (they answer the spec's
   * example). Throws a PortalAnswer for a documented error (unknown bot, deleted message, ...).
   */
  run(call: StateCall, params: Record<string, unknown>): unknown {
    const { method } = call;
    const err = (code: string): PortalAnswer => errorOf(method, code);
    const fields = (params.fields ?? {}) as Record<string, unknown>;
    if (method === 'imbot.v2.Bot.register') return this.register(call, fields);
    if (method === 'imbot.v2.Bot.list') {
      const type = (params.filter as { type?: string } | undefined)?.type;
      const all = [...this.bots.values()].filter((b) => type === undefined || b.type === type).sort((a, b) => a.id - b.id);
      const offset = typeof params.offset === 'number' ? params.offset : 0;
      const limit = typeof params.limit === 'number' ? params.limit : 50;
      const page = all.slice(offset, offset + limit);
      return { bots: page.map((b) => this.botObject(b)), users: page.map((b) => this.userObject(b.id)), hasNextPage: offset + limit < all.length };
    }
    if (method === 'imbot.v2.Bot.get') {
      const bot = typeof params.botId === 'number' ? this.bots.get(params.botId) : [...this.bots.values()].find((b) => b.code === params.code);
      if (params.botId === undefined && params.code === undefined) throw err('PARAMS_REQUIRED');
      if (!bot) throw err('BOT_NOT_FOUND');
      this.checkToken(call, params, bot);
      return { bot: this.botObject(bot), users: [this.userObject(bot.id)] };
    }
    // im.v2.Event.get: the user's own events (ONIMV2*), which the event side queues under user 0.
    if (method === 'im.v2.Event.get') return this.events(USER_QUEUE, params);
    if (method === 'imbot.v2.Revision.get' || method.startsWith('im.v2.')) return undefined;

    // Every other imbot.v2 method acts for one bot.
    const bot = this.botOf(call, params);
    if (method === 'imbot.v2.Bot.update') {
      if (fields.properties && typeof fields.properties === 'object') Object.assign(bot.properties, fields.properties);
      if (typeof fields.isHidden === 'boolean') bot.isHidden = fields.isHidden;
      if (typeof fields.isReactionsEnabled === 'boolean') bot.isReactionsEnabled = fields.isReactionsEnabled;
      if (typeof fields.isSupportOpenline === 'boolean') bot.isSupportOpenline = fields.isSupportOpenline;
      if (fields.backgroundId !== undefined) bot.backgroundId = fields.backgroundId as string | null;
      if (fields.eventMode === 'fetch' || fields.eventMode === 'webhook') bot.eventMode = fields.eventMode;
      if (typeof fields.webhookUrl === 'string') bot.webhookUrl = fields.webhookUrl;
      if (bot.eventMode === 'webhook' && !bot.webhookUrl) throw err('BOT_INVALID_EVENT_MODE');
      if (typeof fields.botToken === 'string') bot.token = fields.botToken;
      if (typeof fields.properties === 'object' && fields.properties && typeof (fields.properties as { name?: unknown }).name === 'string') {
        this.users.get(bot.id)!.name = (fields.properties as { name: string }).name;
      }
      return { bot: this.botObject(bot), users: [this.userObject(bot.id)] };
    }
    if (method === 'imbot.v2.Bot.unregister') {
      this.bots.delete(bot.id);
      this.queues.delete(bot.id);
      return { result: true };
    }
    if (method === 'imbot.v2.Command.register') {
      const command: CommandRecord = {
        id: this.nextCommandId++,
        command: String(fields.command),
        common: fields.common === true,
        hidden: fields.hidden === true,
        extranetSupport: fields.extranetSupport === true,
        title: fields.title,
        params: fields.params,
      };
      bot.commands.set(command.id, command);
      return { command: this.commandObject(bot.id, command) };
    }
    if (method === 'imbot.v2.Command.list') return { commands: [...bot.commands.values()].map((c) => this.commandObject(bot.id, c)) };
    if (method === 'imbot.v2.Command.update' || method === 'imbot.v2.Command.unregister' || method === 'imbot.v2.Command.answer') {
      const command = bot.commands.get(Number(params.commandId));
      if (method === 'imbot.v2.Command.answer') {
        const chat = this.chatFor(String(params.dialogId), bot.id);
        this.addMessage({ chatId: chat.id, authorId: bot.id, text: String(fields.message ?? ''), isSystem: fields.system === true });
        return { result: true };
      }
      if (!command) throw err('COMMAND_NOT_FOUND');
      if (method === 'imbot.v2.Command.unregister') {
        bot.commands.delete(command.id);
        return { result: true };
      }
      if (typeof fields.command === 'string') {
        if (fields.command === '') throw err('COMMAND_NAME_EMPTY');
        if ([...bot.commands.values()].some((c) => c.id !== command.id && c.command === fields.command)) throw err('COMMAND_ALREADY_EXISTS');
        command.command = fields.command;
      }
      for (const key of ['common', 'hidden', 'extranetSupport'] as const) if (typeof fields[key] === 'boolean') command[key] = fields[key] as boolean;
      if (fields.title !== undefined) command.title = fields.title;
      if (fields.params !== undefined) command.params = fields.params;
      return { command: this.commandObject(bot.id, command) };
    }
    if (method === 'imbot.v2.Event.get') return this.events(bot.id, params);
    if (method.startsWith('imbot.v2.Chat.Message.')) return this.messageCall(method, bot, params, fields);
    if (method === 'imbot.v2.Chat.add') {
      const id = this.nextChatId++;
      const members = new Set<number>([bot.id, ...((fields.userIds as number[] | undefined) ?? [])]);
      const chat: ChatRecord = {
        id,
        dialogId: `chat${id}`,
        type: 'chat',
        title: typeof fields.title === 'string' ? fields.title : `Chat ${id}`,
        description: typeof fields.description === 'string' ? fields.description : '',
        color: typeof fields.color === 'string' ? fields.color : null,
        ownerId: typeof fields.ownerId === 'number' ? fields.ownerId : bot.id,
        members,
        managers: new Set(),
        textFieldEnabled: true,
      };
      members.add(chat.ownerId);
      this.chats.set(id, chat);
      if (typeof fields.message === 'string' && fields.message !== '') this.addMessage({ chatId: id, authorId: bot.id, text: fields.message });
      return { chat: this.chatObject(chat, bot.id), users: [...members].sort((a, b) => a - b).map((u) => this.userObject(u)) };
    }
    if (method.startsWith('imbot.v2.Chat.')) return this.chatCall(method, bot, params, fields);
    return undefined;
  }

  private register(call: StateCall, fields: Record<string, unknown>): unknown {
    const err = (code: string): PortalAnswer => errorOf(call.method, code);
    // Through a webhook the token is the caller's credential: checked before anything else.
    if (call.webhook && fields.botToken === undefined) throw err('BOT_TOKEN_NOT_SPECIFIED');
    const existing = [...this.bots.values()].find((b) => b.code === fields.code);
    // bot-register.md: a repeated call with the same code returns the bot already registered.
    if (existing) return { bot: this.botObject(existing), users: [this.userObject(existing.id)] };
    const eventMode = (fields.eventMode as 'fetch' | 'webhook' | undefined) ?? 'fetch';
    if (eventMode === 'webhook' && (typeof fields.webhookUrl !== 'string' || fields.webhookUrl === '')) throw err('BOT_WEBHOOK_URL_REQUIRED');
    const properties = (fields.properties ?? {}) as Record<string, unknown>;
    const bot = this.addBot({
      code: String(fields.code),
      ...(typeof fields.botToken === 'string' && { token: fields.botToken }),
      ...(typeof fields.type === 'string' && { type: fields.type }),
      eventMode,
      ...(typeof fields.webhookUrl === 'string' && { webhookUrl: fields.webhookUrl }),
      name: String(properties.name ?? fields.code),
    });
    Object.assign(bot.properties, properties);
    if (typeof fields.isHidden === 'boolean') bot.isHidden = fields.isHidden;
    if (typeof fields.isReactionsEnabled === 'boolean') bot.isReactionsEnabled = fields.isReactionsEnabled;
    if (typeof fields.isSupportOpenline === 'boolean') bot.isSupportOpenline = fields.isSupportOpenline;
    if (typeof fields.backgroundId === 'string') bot.backgroundId = fields.backgroundId;
    return { bot: this.botObject(bot), users: [this.userObject(bot.id)] };
  }

  /** The bot a call acts for: its `botId` known, and (through a webhook) its `botToken` given and right. */
  private botOf(call: StateCall, params: Record<string, unknown>): BotRecord {
    const bot = typeof params.botId === 'number' ? this.bots.get(params.botId) : undefined;
    if (!bot) throw errorOf(call.method, 'BOT_NOT_FOUND');
    this.checkToken(call, params, bot);
    return bot;
  }

  private checkToken(call: StateCall, params: Record<string, unknown>, bot: BotRecord): void {
    // Through a webhook the bot token says which application the bot belongs to; a token other
    // than the bot's is a call from another application (no page names a code for it: NOTES in
    // generator/testing/README.md).
    if (call.webhook && bot.token !== undefined && params.botToken !== undefined && params.botToken !== bot.token) throw errorOf(call.method, 'BOT_OWNERSHIP_ERROR');
  }

  private events(botId: number, params: Record<string, unknown>): unknown {
    const queue = this.queues.get(botId) ?? [];
    const offset = typeof params.offset === 'number' ? params.offset : undefined;
    if (offset !== undefined) {
      // Everything below the offset is confirmed: gone for good.
      const kept = queue.filter((e) => e.eventId >= offset);
      this.queues.set(botId, kept);
      this.confirmed.set(botId, Math.max(this.confirmed.get(botId) ?? 0, offset));
    }
    const pending = this.queues.get(botId) ?? [];
    const limit = typeof params.limit === 'number' ? params.limit : 100;
    const page = pending.slice(0, limit);
    const nextOffset = page.length > 0 ? page[page.length - 1]!.eventId + 1 : (this.confirmed.get(botId) ?? offset ?? 0);
    return { events: page.map((e) => ({ ...e })), nextOffset, hasMore: pending.length > page.length };
  }

  private messageCall(method: string, bot: BotRecord, params: Record<string, unknown>, fields: Record<string, unknown>): unknown {
    const err = (code: string): PortalAnswer => errorOf(method, code);
    const needsType = method === 'imbot.v2.Chat.Message.get' || method === 'imbot.v2.Chat.Message.getContext';
    if (needsType && bot.type !== 'supervisor' && bot.type !== 'personal') throw err('BOT_TYPE_NOT_ALLOWED');
    if (method === 'imbot.v2.Chat.Message.send') {
      if ((typeof fields.message !== 'string' || fields.message.trim() === '') && fields.attach === undefined && fields.forwardIds === undefined) throw err('EMPTY_MESSAGE');
      const chat = this.chatFor(String(params.dialogId), bot.id);
      // Text over 20,000 characters arrives here already cut (portal.ts `cutLongText`).
      const text = typeof fields.message === 'string' ? fields.message : '';
      const m = this.addMessage({ chatId: chat.id, authorId: bot.id, text, isSystem: fields.system === true });
      return { id: m.id, uuidMap: {} };
    }
    if (method === 'imbot.v2.Chat.Message.read') {
      const chat = this.chatFor(String(params.dialogId), bot.id);
      const inChat = [...this.messages.values()].filter((m) => m.chatId === chat.id && !m.deleted);
      if (typeof params.messageId === 'number' && !inChat.some((m) => m.id === params.messageId)) throw err('MESSAGE_NOT_FOUND');
      const upTo = typeof params.messageId === 'number' ? params.messageId : Math.max(0, ...inChat.map((m) => m.id));
      const viewed = inChat.filter((m) => m.id <= upTo && !m.read && m.authorId !== bot.id);
      for (const m of viewed) m.read = true;
      return { chatId: chat.id, lastId: upTo, counter: inChat.filter((m) => !m.read && m.authorId !== bot.id).length, viewedMessages: viewed.map((m) => m.id) };
    }
    const message = this.messages.get(Number(params.messageId));
    const live = message && !message.deleted ? message : undefined;
    if (method === 'imbot.v2.Chat.Message.get') {
      if (!live) throw missingMessage(method);
      return { message: this.messageObject(live), user: this.userObject(live.authorId) };
    }
    if (method === 'imbot.v2.Chat.Message.getContext') {
      if (!live) throw err('MESSAGE_NOT_FOUND');
      const range = typeof params.range === 'number' ? params.range : 25;
      const inChat = [...this.messages.values()].filter((m) => m.chatId === live.chatId && !m.deleted).sort((a, b) => a.id - b.id);
      const at = inChat.findIndex((m) => m.id === live.id);
      const from = Math.max(0, at - range);
      const to = Math.min(inChat.length, at + range + 1);
      const page = inChat.slice(from, to);
      const authors = [...new Set(page.map((m) => m.authorId))].sort((a, b) => a - b);
      return { messages: page.map((m) => this.messageObject(m)), users: authors.map((u) => this.userObject(u)), hasPrevPage: from > 0, hasNextPage: to < inChat.length };
    }
    // update, delete, reactions: chat-message-update.md and -delete.md answer ACCESS_DENIED for a
    // message that does not exist (or is not the bot's, for update).
    if (!live) throw err('ACCESS_DENIED');
    if (method === 'imbot.v2.Chat.Message.update') {
      if (live.authorId !== bot.id) throw err('ACCESS_DENIED');
      if (typeof fields.message === 'string') live.text = fields.message;
      return { result: true };
    }
    if (method === 'imbot.v2.Chat.Message.delete') {
      const chat = this.chats.get(live.chatId);
      if (live.authorId !== bot.id && !(chat && (chat.ownerId === bot.id || chat.managers.has(bot.id)))) throw err('ACCESS_DENIED');
      live.deleted = true;
      return { result: true };
    }
    const reaction = String(params.reaction);
    const setBy = live.reactions.get(reaction) ?? new Set<number>();
    if (method === 'imbot.v2.Chat.Message.Reaction.add') {
      if (setBy.has(bot.id)) throw err('REACTION_ALREADY_SET');
      setBy.add(bot.id);
      live.reactions.set(reaction, setBy);
      return { result: true };
    }
    if (method === 'imbot.v2.Chat.Message.Reaction.delete') {
      setBy.delete(bot.id);
      return { result: true };
    }
    return undefined;
  }

  private chatCall(method: string, bot: BotRecord, params: Record<string, unknown>, fields: Record<string, unknown>): unknown {
    const chat = this.chatFor(String(params.dialogId), bot.id);
    const ids = (params.userIds as number[] | undefined) ?? [];
    switch (method) {
      case 'imbot.v2.Chat.get':
        return { chat: this.chatObject(chat, bot.id) };
      case 'imbot.v2.Chat.update':
        if (typeof fields.title === 'string') chat.title = fields.title;
        if (typeof fields.description === 'string') chat.description = fields.description;
        if (typeof fields.color === 'string') chat.color = fields.color;
        return { result: true };
      case 'imbot.v2.Chat.leave':
        chat.members.delete(bot.id);
        chat.managers.delete(bot.id);
        return { result: true };
      case 'imbot.v2.Chat.setOwner':
        chat.ownerId = Number(params.userId);
        chat.members.add(chat.ownerId);
        return { result: true };
      case 'imbot.v2.Chat.User.add':
        for (const id of ids) chat.members.add(id);
        return { result: true };
      case 'imbot.v2.Chat.User.delete':
        chat.members.delete(Number(params.userId));
        chat.managers.delete(Number(params.userId));
        return { result: true };
      case 'imbot.v2.Chat.User.list': {
        const limit = typeof params.limit === 'number' ? params.limit : 50;
        return [...chat.members].sort((a, b) => a - b).slice(0, limit).map((u) => this.userObject(u));
      }
      case 'imbot.v2.Chat.Manager.add':
        if (ids.length === 0) throw errorOf(method, 'EMPTY_USER_IDS');
        for (const id of ids) {
          chat.members.add(id);
          chat.managers.add(id);
        }
        return { result: true };
      case 'imbot.v2.Chat.Manager.delete':
        if (ids.length === 0) throw errorOf(method, 'EMPTY_USER_IDS');
        for (const id of ids) chat.managers.delete(id);
        return { result: true };
      case 'imbot.v2.Chat.TextField.enabled':
        chat.textFieldEnabled = params.enabled !== false;
        return { result: true };
      default:
        return undefined;
    }
  }
}

/** A documented error of the method; a code the method's page does not list is a bug in the kit. */
function errorOf(method: string, code: string): PortalAnswer {
  return documentedError(method, code);
}

/**
 * `Chat.Message.get` for a message that does not exist (or was deleted): the method's page lists
 * no code for it; the kit answers `MESSAGE_NOT_FOUND` with the status and message the spec gives
 * it on `Chat.Message.getContext`, the sibling that documents it (generator/testing/README.md).
 */
function missingMessage(method: string): PortalAnswer {
  const facts = errorFacts(method, 'MESSAGE_NOT_FOUND') ?? methodFacts['imbot.v2.Chat.Message.getContext'].errors.MESSAGE_NOT_FOUND;
  return new PortalAnswer(facts?.status ?? 400, { error: 'MESSAGE_NOT_FOUND', error_description: facts?.message ?? 'Message not found' }, 'MESSAGE_NOT_FOUND');
}
