/// <reference types="node" />
// Node's types: the kit runs on Node (an HTTP server); the client itself needs none of them.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { coerce } from '../runtime/coerce.js';
import { parseForm } from '../runtime/form.js';
import { documentedError, errorFacts, PortalAnswer, rawAnswer, systemError } from './answer.js';
import type { EventDataMap } from '../events.js';
import { emitEvent, sayInDialog, type EmitOptions, type EmitResult, type SayOptions } from './emit-event.js';
import type { EventTarget, RegisteredBot } from './event-target.js';
import { paramsOf, readText, RequestBodyError, sendJson, timeBlock } from './http.js';
import { asTypeDesc, check, type Problem } from './schema.js';
import { methodFacts, schemaDefs } from './spec.js';
import { DEFAULT_USER_ID, PortalState, type QueuedEvent } from './state.js';
import type { CallLog, CallOutcome, CallVia, MethodName, PortalCall, TestPortalMethods } from './types.js';

/**
 * The portal in a box: a real HTTP server on 127.0.0.1 answering every method of the spec as the
 * portal does. Each request passes, in order: the route (`/rest/<method>` with an OAuth `auth`,
 * `/rest/<userId>/<secret>/<method>` for the webhook), the credentials, the leaky bucket, the
 * scripted answers (`fail`, `fault`), the execution budget, the params check against the spec,
 * then an `on` handler, the state (bots, chats, messages, the Event.get queue) or the spec's
 * example result. Every call is kept in `calls`.
 */

export interface TestPortalOptions {
  /** The inbound webhook: `/rest/<userId>/<secret>/`. Default user 1 and a random secret. */
  webhook?: { userId?: number; secret?: string };
  /** OAuth: the tokens and application credentials (random by default) and the access token's lifetime (default one hour, settings/oauth/auto-renewal.md). */
  oauth?: { accessToken?: string; refreshToken?: string; clientId?: string; clientSecret?: string; ttlMs?: number };
  /** The portal's leaky bucket; default the standard plan's (50 requests, 2 drained per second); `false`: none. */
  rateLimit?: RateLimit | false;
  /** A per-method execution budget (limits.md): past it, 429 OPERATION_TIME_LIMIT until the reset. Default none. */
  operatingLimit?: OperatingLimit | false;
  /** Bots already registered (as if by an earlier Bot.register). */
  bots?: SeedBot[];
  /** The application token events carry (`auth[application_token]`); random by default. */
  applicationToken?: string;
  /** The portal's `member_id`; random by default. */
  memberId?: string;
  /**
   * How long an idle keep-alive connection stays open, in ms (Node's default 5000). A client that
   * reuses a connection just as the server closes it gets a socket error, which a call that is not
   * safe to repeat cannot retry; tests that keep many connections open on a loaded machine set it
   * longer.
   */
  keepAliveTimeout?: number;
}

export interface RateLimit {
  limit: number;
  drainPerSecond: number;
}

export interface OperatingLimit {
  /** Seconds of execution each method may use in the window. */
  budget: number;
  /** Seconds each call costs. */
  costPerCall: number;
  /** How long after its first call a method's window resets. */
  resetAfterMs: number;
}

export interface SeedBot {
  id?: number;
  code: string;
  /** The bot's token: webhook calls for it must send it as `botToken`. */
  botToken?: string;
  type?: 'bot' | 'supervisor' | 'personal' | 'openline';
  eventMode?: 'fetch' | 'webhook';
  webhookUrl?: string;
  name?: string;
}

/** A transport fault for the next call of a method, or an answer outside the spec (`portal.raw`). */
export type Fault = 'reset-before' | 'reset-after' | 'truncate' | 'html' | { slowMs: number } | PortalAnswer;

/** What an `on` handler gets besides the params. */
export interface HandlerContext<M extends MethodName> {
  method: M;
  via: CallVia;
  /** A documented error of this method (status and message from the spec), to return or throw. */
  error(code: TestPortalMethods[M]['code'], description?: string): PortalAnswer;
  /** Any status and body, outside the spec: for fault tests. */
  raw(status: number, body: unknown): PortalAnswer;
  /** What the portal would have answered without the handler (the state, or the spec's example); throws its error answer. */
  next(): TestPortalMethods[M]['result'];
  portal: TestPortal;
}

export type MethodHandler<M extends MethodName> = (
  params: TestPortalMethods[M]['params'],
  context: HandlerContext<M>,
) => TestPortalMethods[M]['result'] | PortalAnswer | Promise<TestPortalMethods[M]['result'] | PortalAnswer>;

/** Counters of what reached the portal. */
export interface PortalStats {
  /** REST requests received (the token server's not counted). */
  requests: number;
  /** Requests the leaky bucket refused (503 QUERY_LIMIT_EXCEEDED). */
  rejectedByRateLimit: number;
  /** Token refreshes the token server granted. */
  refreshes: number;
  /** Requests that reached the token server: granted, refused, or held by `holdTokenRequests` and dropped. */
  tokenRequests: number;
}

/** A token request held by `holdTokenRequests`: its headers, to tell which client sent it. */
export interface HeldTokenRequest {
  headers: IncomingHttpHeaders;
}

/** One entry of a method's script queue (`fail` queues documented answers, `fault` faults). */
type Scripted = { kind: 'fault'; fault: Fault };

/**
 * Documented codes for the cases of the params check, used when the method documents the code;
 * any other problem gets the generic answer (`invalidParams`).
 */
const CASE_CODES: Readonly<Record<string, string>> = {
  'required:botId': 'BOT_ID_REQUIRED',
  'required:fields.code': 'BOT_CODE_REQUIRED',
  'required:fields.properties': 'BOT_PROPERTIES_REQUIRED',
  'required:fields.command': 'COMMAND_REQUIRED',
  'required:userIds': 'EMPTY_USER_IDS',
  'limit:userIds': 'EMPTY_USER_IDS',
  'required:fields.content': 'FILE_EMPTY',
  'enum:fields.type': 'BOT_INVALID_TYPE',
  'enum:fields.eventMode': 'BOT_INVALID_EVENT_MODE',
  'enum:reaction': 'REACTION_NOT_FOUND',
  // bot-register.md names it for a token over 40 characters; the spec lists it on no method yet,
  // so until it does this answers INVALID_REQUEST.
  'limit:fields.botToken': 'BOT_TOKEN_INVALID_LENGTH',
};

const random = (): string => randomBytes(12).toString('hex');

export class TestPortal implements EventTarget {
  readonly stats: PortalStats = { requests: 0, rejectedByRateLimit: 0, refreshes: 0, tokenRequests: 0 };
  /** Whatever an `on` handler threw that was not an answer (the call was answered 500 INTERNAL_SERVER_ERROR). */
  readonly handlerErrors: unknown[] = [];
  readonly applicationToken: string;
  readonly memberId: string;
  private readonly state = new PortalState();
  private readonly log: PortalCall[] = [];
  private readonly scripted = new Map<string, Scripted[]>();
  private readonly handlers = new Map<string, MethodHandler<MethodName>>();
  private readonly sockets = new Set<Socket>();
  private readonly webhookUser: number;
  private readonly webhookSecret: string;
  private readonly oauth: { clientId: string; clientSecret: string; ttlMs: number };
  private refreshTokenValue: string;
  private accessTokenValue: string;
  /** Every access token issued, with the time it expires: an old token stays known (and expires). */
  private readonly issued = new Map<string, number>();
  private bucket: RateLimit | false;
  private level = 0;
  private levelAt = Date.now();
  private operating: OperatingLimit | false;
  private readonly operatingState = new Map<string, { used: number; resetAtMs: number }>();
  private tokenRequestsToHold = 0;
  private readonly heldWaiters: ((held: HeldTokenRequest) => void)[] = [];
  private readonly heldUnclaimed: HeldTokenRequest[] = [];

  private constructor(
    private readonly server: Server,
    options: TestPortalOptions,
  ) {
    this.webhookUser = options.webhook?.userId ?? DEFAULT_USER_ID;
    this.webhookSecret = options.webhook?.secret ?? random();
    this.oauth = { clientId: options.oauth?.clientId ?? `local.${random()}`, clientSecret: options.oauth?.clientSecret ?? random(), ttlMs: options.oauth?.ttlMs ?? 3_600_000 };
    this.accessTokenValue = options.oauth?.accessToken ?? random();
    this.refreshTokenValue = options.oauth?.refreshToken ?? random();
    this.issued.set(this.accessTokenValue, Date.now() + this.oauth.ttlMs);
    this.bucket = options.rateLimit === undefined ? { limit: 50, drainPerSecond: 2 } : options.rateLimit;
    this.operating = options.operatingLimit ?? false;
    this.applicationToken = options.applicationToken ?? random();
    this.memberId = options.memberId ?? random();
    for (const bot of options.bots ?? []) this.addBot(bot);
  }

  /** Starts a portal on 127.0.0.1 (a free port). Close it with `close()`. */
  static async start(options: TestPortalOptions = {}): Promise<TestPortal> {
    const server = createServer();
    const portal = new TestPortal(server, options);
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    server.on('connection', (s) => {
      portal.sockets.add(s);
      s.on('close', () => portal.sockets.delete(s));
    });
    server.on('request', (req, res) => void portal.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return portal;
  }

  // -------------------------------------------------------------------------------------------
  // Addresses and credentials

  /** `http://127.0.0.1:<port>`: `createClient({ portalUrl: portal.origin, accessToken: portal.accessToken })`. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `host:port`, as events' `auth[domain]` gives it. */
  get domain(): string {
    return this.origin.slice('http://'.length);
  }

  /** The inbound webhook's URL (it holds the secret): `createClient({ webhookUrl: portal.webhookUrl })`. */
  get webhookUrl(): string {
    return `${this.origin}/rest/${this.webhookUser}/${this.webhookSecret}/`;
  }

  /** `${origin}/rest/`, the `client_endpoint` of OAuth answers and events. */
  get clientEndpoint(): string {
    return `${this.origin}/rest/`;
  }

  /** The token server's endpoint (`oauthUrl` of createClient): refreshes with `grant_type=refresh_token`. */
  get oauthUrl(): string {
    return `${this.origin}/oauth/token/`;
  }

  /** The access token now valid. */
  get accessToken(): string {
    return this.accessTokenValue;
  }

  /** The refresh token the token server takes now. */
  get refreshToken(): string {
    return this.refreshTokenValue;
  }

  get clientId(): string {
    return this.oauth.clientId;
  }

  get clientSecret(): string {
    return this.oauth.clientSecret;
  }

  /** Makes every access token issued so far expire now: the next OAuth call gets 401 expired_token. */
  expireToken(): void {
    for (const token of this.issued.keys()) this.issued.set(token, 0);
  }

  /**
   * The next `count` token requests are held: neither run nor answered until their client
   * disconnects (it gave up, or its process died), then dropped as if they never arrived, so the
   * refresh token they carried stays the valid one. For a refresh that hangs, or a process killed
   * in the middle of one.
   */
  holdTokenRequests(count = 1): this {
    this.tokenRequestsToHold += count;
    return this;
  }

  /** The next token request `holdTokenRequests` holds, once it has arrived. */
  heldTokenRequest(): Promise<HeldTokenRequest> {
    const arrived = this.heldUnclaimed.shift();
    return arrived ? Promise.resolve(arrived) : new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** The events still in a fetch-mode bot's `Event.get` queue (not yet confirmed by an offset), in order. */
  queued(botId: number): readonly QueuedEvent[] {
    return this.state.queued(botId);
  }

  // -------------------------------------------------------------------------------------------
  // Scripting

  /** Answers `method` with `handler` instead of the state or the example (params typed, result typed). */
  on<M extends MethodName>(method: M, handler: MethodHandler<M>): this {
    this.knownMethod(method, 'on');
    this.handlers.set(method, handler as unknown as MethodHandler<MethodName>);
    return this;
  }

  /** Removes the handler of `method`, or of every method. */
  off(method?: MethodName): this {
    if (method) this.handlers.delete(method);
    else this.handlers.clear();
    return this;
  }

  /**
   * The next `times` (default 1) calls of `method` fail with a documented error: the status and
   * message the spec gives it. Throws a TypeError for a code the method does not document.
   */
  fail<M extends MethodName>(method: M, code: TestPortalMethods[M]['code'], options: { times?: number; description?: string } = {}): this {
    this.knownMethod(method, 'fail');
    const answer = documentedError(method, code, options.description);
    for (let i = 0; i < (options.times ?? 1); i++) this.push(method, { kind: 'fault', fault: answer });
    return this;
  }

  /** The next calls of `method` meet these faults, one each, in order (after any queued before). */
  fault(method: MethodName | 'batch', ...faults: Fault[]): this {
    if (method !== 'batch') this.knownMethod(method, 'fault');
    for (const fault of faults) this.push(method, { kind: 'fault', fault });
    return this;
  }

  /** Any status and body, outside the spec: `portal.fault(method, portal.raw(502, '<html>'))`. */
  raw(status: number, body: unknown): PortalAnswer {
    return rawAnswer(status, body);
  }

  /** A documented error of `method`, for an `on` handler to return or throw. */
  error<M extends MethodName>(method: M, code: TestPortalMethods[M]['code'], description?: string): PortalAnswer {
    return documentedError(method, code, description);
  }

  /** Sets the leaky bucket (`false`: none); the level starts empty. */
  rateLimit(limit: RateLimit | false): this {
    this.bucket = limit;
    this.level = 0;
    this.levelAt = Date.now();
    return this;
  }

  /** Sets the per-method execution budget (`false`: none). */
  operatingLimit(limit: OperatingLimit | false): this {
    this.operating = limit;
    this.operatingState.clear();
    return this;
  }

  /** Every call received, in order; `calls.of(method)` with typed params, `calls.ran()` those the portal ran. */
  get calls(): CallLog {
    const list = [...this.log];
    return Object.assign(list, {
      of: <M extends MethodName>(method: M) => list.filter((c): c is PortalCall<M> => c.method === method),
      ran: () => list.filter((c) => c.method !== 'batch' && c.outcome.type === 'result'),
    }) as CallLog;
  }

  /** Adds a bot as if an earlier Bot.register had made it. */
  addBot(bot: SeedBot): RegisteredBot {
    const record = this.state.addBot({
      code: bot.code,
      ...(bot.id !== undefined && { id: bot.id }),
      ...(bot.botToken !== undefined && { token: bot.botToken }),
      ...(bot.type !== undefined && { type: bot.type }),
      ...(bot.eventMode !== undefined && { eventMode: bot.eventMode }),
      ...(bot.webhookUrl !== undefined && { webhookUrl: bot.webhookUrl }),
      ...(bot.name !== undefined && { name: bot.name }),
    });
    return this.state.registeredBots().find((b) => b.id === record.id)!;
  }

  // -------------------------------------------------------------------------------------------
  // EventTarget: what the event side (emit, say) reads and writes

  bots(): readonly RegisteredBot[] {
    return this.state.registeredBots();
  }

  enqueue(botId: number, type: string, data: unknown): number {
    return this.state.enqueue(botId, type, data);
  }

  recordUserMessage(input: { dialogId: string; authorId: number; text: string; botId: number }): { messageId: number; chatId: number; dialogId: string; date: string } {
    if (!this.state.users.has(input.authorId)) this.state.users.set(input.authorId, { id: input.authorId, name: `User ${input.authorId}`, bot: false });
    const chat = this.state.chatFor(input.dialogId, input.botId);
    chat.members.add(input.authorId);
    const m = this.state.addMessage({ chatId: chat.id, authorId: input.authorId, text: input.text });
    return { messageId: m.id, chatId: chat.id, dialogId: chat.dialogId, date: m.date };
  }

  user(id: number): unknown {
    return this.state.userObject(id);
  }

  /** The tokens a webhook post hands the bot (`data.bot.auth`): the portal's OAuth pair, valid for calls back. */
  botTokens(_botId: number): { access_token: string; refresh_token: string; expires_in: number } {
    return { access_token: this.accessTokenValue, refresh_token: this.refreshTokenValue, expires_in: Math.round(this.oauth.ttlMs / 1000) };
  }

  /** A registered bot as Bot.get answers it; undefined for an unknown id. */
  bot(botId: number): unknown {
    const b = this.state.bots.get(botId);
    return b ? this.state.botObject(b) : undefined;
  }

  /** A chat the portal knows, as it answers it to `botId`; undefined for an unknown id. */
  chat(chatId: number, botId: number): unknown {
    const c = this.state.chats.get(chatId);
    return c ? this.state.chatObject(c, botId) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Events, as the portal delivers them (emit-event.ts)

  /**
   * Sends `event` to the bot `data.bot.id` names (`{ botId }` for the ONIMV2* events): a POST to a
   * webhook-mode bot's `webhookUrl` as the portal encodes it (resolves with the handler's
   * status), or into a fetch-mode bot's `Event.get` queue. `data` is typed by the event.
   */
  emit<E extends keyof EventDataMap>(event: E, data: EventDataMap[E], options?: EmitOptions): Promise<EmitResult> {
    return emitEvent(this, event, data, options);
  }

  /**
   * A user (`authorId`; default the user of a one-to-one dialog, or user 1 in a group chat) writes `text` in `dialogId` to the bot
   * (`botId`, needed when the portal has several): the message is recorded, and the bot gets
   * ONIMBOTV2MESSAGEADD with the portal's message, chat, user and bot.
   */
  say(dialogId: string, text: string, options?: SayOptions): Promise<EmitResult> {
    return sayInDialog(this, dialogId, text, options);
  }

  /** Stops the server, dropping open connections. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------
  // Requests

  private knownMethod(method: string, what: string): void {
    if (!Object.hasOwn(methodFacts, method)) throw new TypeError(`test portal: ${what}(${JSON.stringify(method)}): no such method in the spec`);
  }

  private push(method: string, entry: Scripted): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), entry]);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    try {
      const url = new URL(req.url ?? '/', this.origin);
      const text = await readText(req);
      if (url.pathname === '/oauth/token/' || url.pathname === '/oauth/token') {
        this.stats.tokenRequests += 1;
        if (this.tokenRequestsToHold > 0) return this.hold(req);
        return this.tokenServer(url, req.headers['content-type'], text, res);
      }
      await this.rest(url, req, text, res, started);
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof RequestBodyError) return sendJson(res, 400, { error: 'INVALID_REQUEST', error_description: `test portal: ${e.message}` });
      this.handlerErrors.push(e);
      sendJson(res, 500, systemError('INTERNAL_SERVER_ERROR').body);
    }
  }

  private async rest(url: URL, req: IncomingMessage, text: string, res: ServerResponse, started: number): Promise<void> {
    const route = /^\/rest\/(?:(\d+)\/([^/]+)\/)?([^/]+?)(?:\.json)?\/?$/.exec(url.pathname);
    if (!route) return sendJson(res, 404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found' });
    this.stats.requests += 1;
    const method = route[3]!;
    const webhook = route[1] !== undefined;
    const { params: received, typed } = paramsOf(url, req.headers['content-type'], text);
    const { auth, ...raw } = received;
    const record = (params: unknown, outcome: CallOutcome, via: CallVia = 'call'): PortalCall => {
      const call = { method, params, raw, via, auth: webhook ? 'webhook' : 'oauth', outcome } as PortalCall;
      this.log.push(call);
      return call;
    };
    const answerError = (answer: PortalAnswer, by: Extract<CallOutcome, { type: 'error' }>['by'], params: unknown = raw): void => {
      record(params, { type: 'error', code: answer.code ?? '', status: answer.status, by });
      sendAnswer(res, answer);
    };

    // Credentials: the webhook's user and secret, or the OAuth access token sent as `auth`.
    if (webhook) {
      if (Number(route[1]) !== this.webhookUser || !sameSecret(route[2]!, this.webhookSecret)) return answerError(systemError('NO_AUTH_FOUND'), 'auth');
    } else {
      const expiresAt = typeof auth === 'string' ? this.issued.get(auth) : undefined;
      if (expiresAt === undefined) return answerError(systemError('NO_AUTH_FOUND'), 'auth');
      if (Date.now() >= expiresAt) return answerError(systemError('expired_token'), 'auth');
    }

    // The leaky bucket counts every request, and refuses (without running it) when full. It
    // drains up to the request's arrival, not to when its body was read: a busy event loop
    // would otherwise see requests sent apart as one burst.
    if (this.bucket) {
      const now = Math.max(this.levelAt, started);
      this.level = Math.max(0, this.level - ((now - this.levelAt) / 1000) * this.bucket.drainPerSecond);
      this.levelAt = now;
      if (this.level + 1 > this.bucket.limit + 1e-9) {
        this.stats.rejectedByRateLimit += 1;
        return answerError(systemError('QUERY_LIMIT_EXCEEDED'), 'rate-limit');
      }
      this.level += 1;
    }

    if (method !== 'batch' && !Object.hasOwn(methodFacts, method)) {
      record(raw, { type: 'error', code: 'ERROR_METHOD_NOT_FOUND', status: 404, by: 'validation' });
      return sendJson(res, 404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found' });
    }

    const fault = this.scripted.get(method)?.shift()?.fault;
    if (fault === 'reset-before') {
      record(raw, { type: 'dropped', fault: 'reset-before' });
      return void res.socket?.destroy();
    }
    if (fault === 'html') {
      record(raw, { type: 'dropped', fault: 'html' });
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    if (fault instanceof PortalAnswer) {
      if (typeof fault.body === 'string') {
        record(raw, { type: 'dropped', fault: 'raw' });
        res.writeHead(fault.status, { 'content-type': 'text/html' });
        return void res.end(fault.body);
      }
      return answerError(fault, 'scripted');
    }
    if (fault && typeof fault === 'object' && 'slowMs' in fault) await new Promise((r) => setTimeout(r, fault.slowMs));

    const blocked = this.operatingCheck(method);
    if (blocked) return answerError(blocked, 'operating-limit');

    if (method === 'batch') {
      record(raw, { type: 'result', result: null });
      const result = await this.batch(raw, webhook);
      return sendJson(res, 200, { result, time: timeBlock(started) });
    }

    const outcome = await this.execute(method as MethodName, raw, typed, webhook, 'call');
    const call = record(outcome.params, outcome.answer instanceof PortalAnswer ? { type: 'error', code: outcome.answer.code ?? '', status: outcome.answer.status, by: outcome.by } : { type: 'result', result: outcome.answer.result });
    if (outcome.answer instanceof PortalAnswer) return sendAnswer(res, outcome.answer);
    const used = this.operatingState.get(method);
    const payload = JSON.stringify({ result: outcome.answer.result, time: timeBlock(started, used) });
    if (fault === 'reset-after') {
      call.fault = 'reset-after';
      return void res.socket?.destroy();
    }
    if (fault === 'truncate') {
      call.fault = 'truncate';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
      res.write(payload.slice(0, Math.floor(payload.length / 2)));
      return void res.socket?.destroy();
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) });
    res.end(payload);
  }

  /** One method call after the transport's checks: the params check, then a handler, the state or the example. */
  private async execute(
    method: MethodName,
    raw: Record<string, unknown>,
    typed: boolean,
    webhook: boolean,
    via: CallVia,
  ): Promise<{ params: Record<string, unknown>; answer: PortalAnswer | { result: unknown }; by: Extract<CallOutcome, { type: 'error' }>['by'] }> {
    const facts = methodFacts[method];
    const params = (typed ? raw : coerce(raw, asTypeDesc(facts.params), schemaDefs as never)) as Record<string, unknown>;
    const paramsSchema = facts.params;
    // A webhook call must name the bot's token (BOT_TOKEN_NOT_SPECIFIED, before anything else is read).
    if (webhook && paramsSchema.t === 'o' && paramsSchema.p?.botToken && params.botToken === undefined && Object.hasOwn(facts.errors, 'BOT_TOKEN_NOT_SPECIFIED') && method !== 'imbot.v2.Bot.list') {
      return { params, answer: documentedError(method, 'BOT_TOKEN_NOT_SPECIFIED'), by: 'validation' };
    }
    cutLongText(method, params);
    const problem = check(params, facts.params, schemaDefs);
    if (problem) return { params, answer: invalidParams(method, problem), by: 'validation' };
    const fallback = (): unknown => {
      const stateful = this.state.run({ method, webhook }, params);
      return stateful === undefined ? structuredClone(facts.example) : stateful;
    };
    const handler = this.handlers.get(method);
    try {
      if (!handler) return { params, answer: { result: fallback() }, by: 'state' };
      const context: HandlerContext<MethodName> = {
        method,
        via,
        error: (code, description) => documentedError(method, code, description),
        raw: (status, body) => rawAnswer(status, body),
        next: () => fallback() as never,
        portal: this,
      };
      const out = await handler(params as never, context);
      if (out instanceof PortalAnswer) return { params, answer: out, by: 'handler' };
      return { params, answer: { result: out }, by: 'handler' };
    } catch (e) {
      if (e instanceof PortalAnswer) return { params, answer: e, by: handler ? 'handler' : 'state' };
      // A client error class thrown by a handler (new BotNotFoundError(...)): answered as documented.
      const code = e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
      if (code !== undefined && errorFacts(method, code)) return { params, answer: documentedError(method, code), by: 'handler' };
      this.handlerErrors.push(e);
      return { params, answer: documentedError(method, 'INTERNAL_SERVER_ERROR'), by: 'handler' };
    }
  }

  /** settings/how-to-call-rest-api/batch.md: at most 50 commands, no batch inside, halt, per-command errors. */
  private async batch(raw: Record<string, unknown>, webhook: boolean): Promise<unknown> {
    const cmd = raw.cmd && typeof raw.cmd === 'object' ? (raw.cmd as Record<string, unknown>) : {};
    const halt = raw.halt === true || raw.halt === 1 || raw.halt === '1' || raw.halt === 'true';
    const result: Record<string, unknown> = {};
    const errors: Record<string, unknown> = {};
    const times: Record<string, unknown> = {};
    let index = 0;
    for (const [key, line] of Object.entries(cmd)) {
      index += 1;
      const text = typeof line === 'string' ? line : '';
      const q = text.indexOf('?');
      const method = q === -1 ? text : text.slice(0, q);
      const params = q === -1 ? {} : parseForm(text.slice(q + 1));
      const log = (p: unknown, outcome: CallOutcome): void => void this.log.push({ method, params: p, raw: params, via: 'batch', auth: webhook ? 'webhook' : 'oauth', outcome } as PortalCall);
      const fail = (answer: PortalAnswer, by: Extract<CallOutcome, { type: 'error' }>['by'], p: unknown = params): void => {
        log(p, { type: 'error', code: answer.code ?? '', status: answer.status, by });
        errors[key] = answer.body;
      };
      if (index > 50) fail(systemError('ERROR_BATCH_LENGTH_EXCEEDED'), 'validation');
      else if (method === 'batch') fail(systemError('ERROR_BATCH_METHOD_NOT_ALLOWED'), 'validation');
      else if (!Object.hasOwn(methodFacts, method)) fail(rawAnswer(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found' }), 'validation');
      else {
        // Of the scripted faults only an error answer means something inside a batch.
        const queued = this.scripted.get(method);
        const first = queued?.[0]?.fault;
        if (first instanceof PortalAnswer && typeof first.body !== 'string') {
          queued!.shift();
          fail(first, 'scripted');
        } else {
          const commandStarted = Date.now();
          const outcome = await this.execute(method as MethodName, params, false, webhook, 'batch');
          if (outcome.answer instanceof PortalAnswer) fail(outcome.answer, outcome.by, outcome.params);
          else {
            log(outcome.params, { type: 'result', result: outcome.answer.result });
            result[key] = outcome.answer.result;
            times[key] = timeBlock(commandStarted);
          }
        }
      }
      if (halt && Object.hasOwn(errors, key)) break;
    }
    // PHP encodes an empty associative array as [].
    const phpObject = (o: Record<string, unknown>): unknown => (Object.keys(o).length === 0 ? [] : o);
    return { result: phpObject(result), result_error: phpObject(errors), result_total: [], result_next: [], result_time: phpObject(times) };
  }

  /** limits.md: past the budget a method answers 429 OPERATION_TIME_LIMIT until its window resets. */
  private operatingCheck(method: string): PortalAnswer | undefined {
    const o = this.operating;
    if (!o) return undefined;
    const now = Date.now();
    let state = this.operatingState.get(method);
    if (!state || now >= state.resetAtMs) state = { used: 0, resetAtMs: now + o.resetAfterMs };
    this.operatingState.set(method, state);
    if (state.used >= o.budget) return documentedError(method, 'OPERATION_TIME_LIMIT');
    state.used += o.costPerCall;
    return undefined;
  }

  /** Keeps a token request unanswered (holdTokenRequests); the client's disconnect or close() ends it. */
  private hold(req: IncomingMessage): void {
    this.tokenRequestsToHold -= 1;
    const held = { headers: req.headers };
    const waiter = this.heldWaiters.shift();
    if (waiter) waiter(held);
    else this.heldUnclaimed.push(held);
  }

  /** settings/oauth/auto-renewal.md: `grant_type=refresh_token` with the application's id and secret gives a new pair. */
  private tokenServer(url: URL, contentType: string | undefined, text: string, res: ServerResponse): void {
    const { params } = paramsOf(url, contentType, text);
    const get = (k: string): string | undefined => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
    if (get('grant_type') !== 'refresh_token') return sendJson(res, 400, { error: 'invalid_request', error_description: 'An incorrectly formatted authorization request was provided' });
    if (get('client_id') !== this.oauth.clientId || !sameSecret(get('client_secret') ?? '', this.oauth.clientSecret)) {
      return sendJson(res, 400, { error: 'invalid_client', error_description: 'Invalid client data was provided' });
    }
    if (!sameSecret(get('refresh_token') ?? '', this.refreshTokenValue)) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid authorization data was provided' });
    this.stats.refreshes += 1;
    this.accessTokenValue = `access-${this.stats.refreshes}-${random()}`;
    this.refreshTokenValue = `refresh-${this.stats.refreshes}-${random()}`;
    const expiresAt = Date.now() + this.oauth.ttlMs;
    this.issued.set(this.accessTokenValue, expiresAt);
    sendJson(res, 200, {
      access_token: this.accessTokenValue,
      client_endpoint: this.clientEndpoint,
      domain: this.domain,
      expires: Math.floor(expiresAt / 1000),
      expires_in: Math.round(this.oauth.ttlMs / 1000),
      member_id: this.memberId,
      refresh_token: this.refreshTokenValue,
      scope: 'imbot,im',
      server_endpoint: `${this.origin}/rest/`,
      status: 'L',
      user_id: this.webhookUser,
    });
  }
}

/** Starts a test portal on 127.0.0.1; `await portal.close()` when done. */
export function createTestPortal(options: TestPortalOptions = {}): Promise<TestPortal> {
  return TestPortal.start(options);
}

/**
 * The answer to params that do not fit the spec: the method's documented code for that case
 * (CASE_CODES) when it has one, else 400 INVALID_REQUEST (no page documents a code for a wrong
 * param, generator/testing/README.md) with a description naming the param, the problem and the
 * method. Never a value of a secret param (schema.ts).
 */
function invalidParams(method: string, problem: Problem): PortalAnswer {
  const code = CASE_CODES[`${problem.kind}:${problem.path}`];
  if (code && errorFacts(method, code)) return documentedError(method, code);
  const where = problem.path === '' ? 'the params' : `\`${problem.path}\``;
  return new PortalAnswer(400, { error: 'INVALID_REQUEST', error_description: `Invalid params of ${method}: ${where} ${problem.message}` }, 'INVALID_REQUEST');
}

/**
 * The methods whose `fields.message` the portal cuts instead of refusing: longer than 20,000
 * characters, it keeps the first ones and ends with ` (...)` (chat-message-send.md, spec/NOTES.md
 * "Message length"); the spec's `maxLength` says the limit, the check must not refuse it.
 */
const CUT_TEXT = new Set(['imbot.v2.Chat.Message.send', 'imbot.v2.Chat.Message.update', 'imbot.v2.Command.answer']);
const TEXT_LIMIT = 20_000;

function cutLongText(method: string, params: Record<string, unknown>): void {
  const fields = params.fields;
  if (!CUT_TEXT.has(method) || !fields || typeof fields !== 'object') return;
  const text = (fields as { message?: unknown }).message;
  if (typeof text !== 'string') return;
  const chars = [...text];
  if (chars.length <= TEXT_LIMIT) return;
  params.fields = { ...fields, message: chars.slice(0, TEXT_LIMIT - ' (...)'.length).join('') + ' (...)' };
}

function sendAnswer(res: ServerResponse, answer: PortalAnswer): void {
  sendJson(res, answer.status, answer.body);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
