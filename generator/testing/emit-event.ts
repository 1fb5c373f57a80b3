import type { EventDataMap } from '../events.js';
import type { EventTarget, RegisteredBot } from './event-target.js';
import { eventPost, fetchModeData, type EventPostOptions } from './event-post.js';
import { postWebhook } from './post-webhook.js';
import { sayData } from './say-data.js';

/**
 * `portal.emit` and `portal.say`: an event delivered to the bot it is for, the way the portal
 * delivers it to that bot (imbot.v2/events/index.md, "Event Delivery Modes"): a webhook-mode bot
 * gets a POST to its `webhookUrl`, a fetch-mode bot finds the event in its `Event.get` queue.
 */

export interface EmitOptions extends EventPostOptions {
  /**
   * The bot that receives the event. Needed for events without `data.bot` (the `ONIMV2*` user
   * events, which a bot reads with `withUserEvents`); for the others `data.bot.id` names it.
   */
  botId?: number;
  /** How long a webhook handler may take to answer, in ms (default 5000); longer is an error. */
  timeout?: number;
}

export interface SayOptions extends Omit<EmitOptions, 'botId'> {
  /** The bot the user writes to; may be left out when the portal has one bot. */
  botId?: number;
  /**
   * The user who writes. Default: in a one-to-one dialog (`dialogId` a user's id, as the bot sees
   * it) that user; in a group chat (`chat5`) the portal's default user, 1.
   */
  authorId?: number;
  /** `language` of the event (default `en`). */
  language?: string;
}

/** How the event reached the bot. */
export type EmitResult =
  | {
      mode: 'webhook';
      botId: number;
      /** The handler URL without query, fragment or credentials. */
      url: string;
      /** The HTTP status the handler answered (the portal expects 200). */
      status: number;
      /** The handler's answer, when it has at most 4096 bytes. */
      body?: string;
      /** The form body that was posted, as the portal encodes it; it holds the portal's tokens (`application_token`, the bot's `access_token`), so keep it out of snapshots. */
      sent: string;
    }
  | {
      mode: 'fetch';
      botId: number;
      /** The `eventId` the event has in the bot's `Event.get` queue. */
      eventId: number;
    };

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Delivers `event` with `data` to the bot it is for (`data.bot.id`, or `options.botId`). A handler
 * that answers with any status is a result (the test asserts on `status`); a handler that cannot
 * be reached or does not answer within `timeout` rejects with an `EventDeliveryError` naming the
 * URL without secrets.
 */
export async function emitEvent<E extends keyof EventDataMap>(target: EventTarget, event: E, data: EventDataMap[E], options: EmitOptions = {}): Promise<EmitResult> {
  const fields = data as unknown as Record<string, unknown>;
  const bot = receiver(target, event, fields, options.botId);
  return deliver(target, bot, event, fields, options);
}

/**
 * A user writes `text` in `dialogId` to the bot: the message is recorded in the portal, and the
 * bot gets ONIMBOTV2MESSAGEADD with the portal's message, chat, user and bot.
 */
export async function sayInDialog(target: EventTarget, dialogId: string, text: string, options: SayOptions = {}): Promise<EmitResult> {
  const bot = options.botId === undefined ? onlyBot(target) : registered(target, 'say', options.botId);
  const data = sayData(target, { bot, dialogId, text, authorId: options.authorId ?? (/^[1-9]\d*$/.test(dialogId) ? Number(dialogId) : 1), language: options.language ?? 'en' });
  return deliver(target, bot, 'ONIMBOTV2MESSAGEADD', data as unknown as Record<string, unknown>, options);
}

async function deliver(target: EventTarget, bot: RegisteredBot, event: string, data: Record<string, unknown>, options: EmitOptions): Promise<EmitResult> {
  if (bot.eventMode === 'fetch') {
    return { mode: 'fetch', botId: bot.id, eventId: target.enqueue(bot.id, event, fetchModeData(target, bot, data)) };
  }
  if (!bot.webhookUrl) {
    throw new Error(`${event}: bot ${bot.id} (${bot.code}) is in webhook mode but has no webhookUrl; register it with fields.webhookUrl`);
  }
  const post = eventPost(target, bot, event, data, options);
  const answer = await postWebhook(bot.webhookUrl, post.body, post.contentType, options.timeout ?? DEFAULT_TIMEOUT_MS);
  const url = new URL(bot.webhookUrl);
  return { mode: 'webhook', botId: bot.id, url: `${url.origin}${url.pathname}`, ...answer, sent: post.body };
}

/** The bot an event is for: `data.bot.id` or the `botId` option, which must agree. */
function receiver(target: EventTarget, event: string, data: Record<string, unknown>, botId: number | undefined): RegisteredBot {
  const inData = typeof data.bot === 'object' && data.bot !== null ? Number((data.bot as { id?: unknown }).id) : undefined;
  if (inData !== undefined && !Number.isInteger(inData)) throw new Error(`emit ${event}: data.bot.id must be the id of a registered bot`);
  if (inData !== undefined && botId !== undefined && inData !== botId) {
    throw new Error(`emit ${event}: data.bot.id is ${inData} but options.botId is ${botId}; give one bot`);
  }
  const id = botId ?? inData;
  if (id === undefined) throw new Error(`emit ${event}: the event has no data.bot, so pass { botId } to say which bot receives it`);
  return registered(target, `emit ${event}`, id);
}

function registered(target: EventTarget, what: string, id: number): RegisteredBot {
  const bot = target.bots().find((b) => b.id === id);
  if (bot) return bot;
  throw new Error(`${what}: no bot ${id} is registered on this portal (registered: ${ids(target)}); register it with imbot.v2.Bot.register first`);
}

function onlyBot(target: EventTarget): RegisteredBot {
  const bots = target.bots();
  if (bots.length === 1) return bots[0]!;
  if (bots.length === 0) throw new Error('say: no bot is registered on this portal; register one with imbot.v2.Bot.register first');
  throw new Error(`say: the portal has ${bots.length} bots (${ids(target)}); pass { botId } to say which one the user writes to`);
}

function ids(target: EventTarget): string {
  const list = target.bots().map((b) => b.id);
  return list.length ? list.join(', ') : 'none';
}
