import type { EventTarget, RegisteredBot } from './event-target.js';
import { phpBuildQuery } from './php-query.js';

/**
 * An event exactly as the portal delivers it, both ways (imbot.v2/events/events.md):
 *
 * - **webhook**: a POST of `application/x-www-form-urlencoded` built by PHP's `http_build_query`
 *   with the fields `event`, `data`, `ts` and the top-level `auth` (the portal's facts and the
 *   `application_token` a handler checks); `data.bot` is the short object `{id, code, auth}`,
 *   `auth` holding the bot's tokens for calls back ("Bot Object Format");
 * - **fetch**: the same `data` for the bot's `Event.get` queue, `bot` without `auth` ("In FETCH
 *   mode ... the `auth` field in the `bot` object is not returned").
 */

/** Overrides of what the portal puts in a post; anything not given comes from the portal. */
export interface EventPostOptions {
  /** Unix time of the post (`ts`); the current time by default. */
  ts?: number;
  /** Fields of the top-level `auth` to replace or add (e.g. another `application_token`). */
  auth?: Readonly<Record<string, unknown>>;
  /** Fields of `data.bot.auth` to replace or add (e.g. `access_token`, `refresh_token`). */
  botAuth?: Readonly<Record<string, unknown>>;
}

/** A webhook post: its fields as an object, and the body as the portal sends it. */
export interface EventPost {
  fields: { event: string; data: Record<string, unknown>; ts: number; auth: Record<string, unknown> };
  body: string;
  contentType: 'application/x-www-form-urlencoded';
}

/** How long the tokens in a post last, in seconds, when the portal does not say (the docs' example: `expires_in` 3600). */
const TOKEN_LIFETIME = 3600;

/**
 * The top-level `auth` of a post: the keys the docs mark required in "Auth Parameter"
 * (_includes/auth-params-in-events.md), in the order of the docs' webhook examples.
 */
export function portalAuth(target: EventTarget, event: string, overrides?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    scope: scopeOf(event),
    domain: target.domain,
    // The test portal is its own authorization server (its token endpoint is under this origin),
    // so nothing a bot does with a test event reaches the real oauth.bitrix.info.
    server_endpoint: target.clientEndpoint,
    status: 'L',
    client_endpoint: target.clientEndpoint,
    member_id: target.memberId,
    application_token: target.applicationToken,
    ...overrides,
  };
}

/** `data.bot` of a webhook post: `{id, code, auth}` with the bot's tokens for calls back. */
export function webhookBot(target: EventTarget, bot: RegisteredBot, ts: number, overrides?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const tokens = target.botTokens?.(bot.id);
  const lifetime = tokens?.expires_in ?? TOKEN_LIFETIME;
  return {
    id: bot.id,
    code: bot.code,
    // The keys in the order of the docs' webhook example of the bot object (events.md, Bot Object Format).
    auth: {
      ...(tokens ? { access_token: tokens.access_token } : {}),
      expires: ts + lifetime,
      expires_in: lifetime,
      scope: 'imbot',
      domain: target.domain,
      server_endpoint: target.clientEndpoint,
      status: 'L',
      client_endpoint: target.clientEndpoint,
      member_id: target.memberId,
      ...(tokens?.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
      application_token: target.applicationToken,
      ...overrides,
    },
  };
}

/**
 * The post the portal sends `bot`'s handler for `event`. `data.bot`, when the event has one,
 * becomes the webhook form of the bot; everything else in `data` goes as given.
 */
export function eventPost(target: EventTarget, bot: RegisteredBot, event: string, data: Readonly<Record<string, unknown>>, options: EventPostOptions = {}): EventPost {
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  const posted: Record<string, unknown> = { ...data };
  if (Object.hasOwn(data, 'bot')) posted.bot = webhookBot(target, bot, ts, options.botAuth);
  const fields = { event, data: posted, ts, auth: portalAuth(target, event, options.auth) };
  return { fields, body: phpBuildQuery(fields), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * `data` as the bot's `Event.get` queue holds it: `bot` is the full bot object, as Bot.get answers
 * it ("FETCH — full bot object", events.md; the portal's own when it offers one), without `auth`
 * ("In FETCH mode ... the `auth` field in the `bot` object is not returned"); fields the caller
 * gave in `data.bot` stay, `id` and `code` are the registered bot's.
 */
export function fetchModeData(target: EventTarget, bot: RegisteredBot, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (!Object.hasOwn(data, 'bot')) return { ...data };
  const given = (typeof data.bot === 'object' && data.bot !== null ? data.bot : {}) as Record<string, unknown>;
  const full = (target.bot?.(bot.id) ?? {}) as Record<string, unknown>;
  const { auth: _auth, ...rest } = { ...full, ...given };
  return { ...data, bot: { ...rest, id: bot.id, code: bot.code } };
}

/** The REST scope an event belongs to: `imbot` for ONIMBOTV2*, `im` for ONIMV2*. */
function scopeOf(event: string): string {
  return event.startsWith('ONIMBOT') ? 'imbot' : 'im';
}
