import { decodeWebhookWith, type EventSchemas, type UnknownEvent } from './events.js';
import { countParams, DEFAULT_MAX_DEPTH, DEFAULT_MAX_PARAMS, formField, WebhookBodyError } from './form.js';
import { jsonShape } from './json-shape.js';
import { mediaType, readNodeBody, readStreamBody, type BodyRead, type NodeBodyStream } from './webhook-body.js';

/**
 * The server side of webhook mode: a handler for the portal's event posts, as a fetch-style
 * `(Request) => Promise<Response>` and, through {@link toNodeHandler}, for Node's `http`,
 * Express, Fastify and Koa (with the body read here, or already parsed by a body parser).
 *
 * Anyone who can reach the bot can post to it, so each post goes through the cheap checks first
 * and costs no more than they allow: method, content type, declared size; then the body, read with
 * its byte limit and deadline enforced while reading; then the parameter count (and, for JSON,
 * the nesting depth, json-shape.ts) and the token
 * (found by one scan of the text, compared in constant time) before the body is parsed at all.
 * Every path answers (when the client is still there) and nothing throws out of the handler: not
 * a disconnect mid-body, not a throwing `onError`.
 */

/** Why a post was refused. */
export type WebhookRejectReason = 'method' | 'type' | 'size' | 'timeout' | 'aborted' | 'parse' | 'token';

/** A refused post, as `onRejected` gets it. Never holds a token or the body. */
export interface WebhookRejection {
  reason: WebhookRejectReason;
  /** The HTTP status answered (`aborted`: none could be, the client had gone). */
  status: number;
  /** What was wrong, in words. */
  message: string;
}

export interface WebhookHandlerOptions<E extends { event: string; known: true }> {
  /**
   * The `application_token` the portal sends in the top-level `auth` of each event post; posts
   * without it get 401. Where it comes from: the generated README, "Receiving events".
   */
  applicationToken: string;
  /** Handlers by event name; each gets its typed event. */
  on?: { [N in E['event']]?: (event: Extract<E, { event: N }>) => unknown };
  /** For events without a handler in `on` (including events the spec does not know). */
  onOther?: (event: E | UnknownEvent) => unknown;
  /** Handler failures, and authenticated bodies that cannot be decoded; the portal still gets its answer. */
  onError?: (error: unknown, event?: E | UnknownEvent) => void;
  /** Every refused post (wrong method, content type, size, slow or broken body, bad token). */
  onRejected?: (rejection: WebhookRejection) => void;
  /** Answer only after the handler finished (for platforms that stop work after the response). */
  waitForHandlers?: boolean;
  /** Largest accepted body in bytes (default 1 MB); the read stops there and the post gets 413. */
  maxBodyBytes?: number;
  /** Most parameters in a body (default 10,000; a real event has a few dozen); a JSON body's values count too. */
  maxParams?: number;
  /** Deepest key nesting in a body (default 32), or object and array nesting in a JSON body. */
  maxDepth?: number;
  /** Milliseconds the whole body may take to arrive (default 10,000); slower posts get 408. */
  bodyTimeout?: number;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** Where toNodeHandler finds the handler's own entry (a registered symbol: the ESM and CJS builds share it). */
const CORE = Symbol.for('b24gen.webhook.core');

/** A post as the transports hand it over: read from the network, or already parsed by a framework. */
interface PostInput {
  method: string;
  header(name: string): string | undefined;
  body: { kind: 'raw'; read(limit: number, timeoutMs: number): Promise<BodyRead> } | { kind: 'parsed'; value: unknown };
}
interface PostAnswer {
  status: number;
  text: string;
  /** The connection should be closed after the answer (the body was not read to its end). */
  close: boolean;
}
type Core = (input: PostInput) => Promise<PostAnswer | undefined>;
/** What a handler carries for toNodeHandler under the CORE symbol. */
interface CoreEntry {
  core: Core;
  onError?: (error: unknown) => void;
}

/**
 * A handler for the portal's event posts: `(request: Request) => Promise<Response>`, for any
 * runtime that speaks fetch (Hono, Next.js route handlers, Bun, Deno, Cloudflare Workers), and
 * Node's `http` or Express through {@link toNodeHandler}. Checks the top-level
 * `auth[application_token]` in constant time (401 and no handler on mismatch), answers 200 at
 * once, and runs the handler for the event.
 */
export function createWebhookHandlerWith<E extends { event: string; known: true }>(schemas: EventSchemas, options: WebhookHandlerOptions<E>): (request: Request) => Promise<Response> {
  if (typeof options.applicationToken !== 'string' || options.applicationToken === '') {
    throw new TypeError('createWebhookHandler: applicationToken is required (the application_token the portal sends in the auth of each event post)');
  }
  const core = createCore(schemas, options);
  const handler = async (request: Request): Promise<Response> => {
    let answer: PostAnswer | undefined;
    if (request.bodyUsed) {
      report(options.onError, new WebhookBodyError('the request body was already read before the webhook handler got it (request.bodyUsed); pass the Request untouched (Hono: c.req.raw) or a request.clone() made before reading it'));
      answer = { status: 500, text: 'body already read', close: false };
    } else {
      const body = request.body;
      answer = await core({
        method: request.method,
        header: (name) => request.headers.get(name) ?? undefined,
        body: { kind: 'raw', read: (limit, timeoutMs) => (body ? readStreamBody(body, limit, timeoutMs) : Promise.resolve({ ok: true, bytes: new Uint8Array() })) },
      });
    }
    // A client gone mid-body gets no answer; a fetch runtime still wants a Response.
    const { status, text } = answer ?? { status: 400, text: 'aborted' };
    return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
  const entry: CoreEntry = { core, onError: options.onError };
  Object.defineProperty(handler, CORE, { value: entry });
  return handler;
}

function createCore<E extends { event: string; known: true }>(schemas: EventSchemas, options: WebhookHandlerOptions<E>): Core {
  const limit = options.maxBodyBytes ?? 1_000_000;
  const timeoutMs = options.bodyTimeout ?? 10_000;
  const limits = { maxParams: options.maxParams ?? DEFAULT_MAX_PARAMS, maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH };
  const token = options.applicationToken;
  const reject = (reason: WebhookRejectReason, status: number, message: string, close = false): PostAnswer => {
    report(options.onRejected, { reason, status, message });
    return { status, text: message, close };
  };
  const tokenMatches = (value: unknown) => typeof value === 'string' && timingSafeEqualStrings(value, token);
  const unauthorized = () => reject('token', 401, 'unauthorized: auth[application_token] is missing or is not the applicationToken');

  return async (input) => {
    // A refusal before the body is read closes the connection: its unread rest is never read.
    const unread = input.body.kind === 'raw';
    try {
      if (input.method !== 'POST') return reject('method', 405, 'method not allowed: the portal posts events with POST', unread);
      const type = mediaType(input.header('content-type'));
      if (type !== FORM && type !== JSON_TYPE) {
        return reject('type', 415, `unsupported content type "${type.slice(0, 100) || 'none'}": the portal posts ${FORM} (${JSON_TYPE} is accepted too)`, unread);
      }
      const declared = input.header('content-length');
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) return reject('size', 413, `body too large: over ${limit} bytes (maxBodyBytes)`, unread);

      // The body as text (form or JSON), or as an object a framework built.
      let text: string | undefined;
      let parsed: Record<string, unknown> | undefined;
      if (input.body.kind === 'raw') {
        const read = await input.body.read(limit, timeoutMs);
        if (!read.ok) {
          if (read.reason === 'size') return reject('size', 413, `body too large: over ${limit} bytes (maxBodyBytes)`, true);
          if (read.reason === 'timeout') return reject('timeout', 408, `the body took longer than ${timeoutMs} ms to arrive (bodyTimeout)`, true);
          report(options.onRejected, { reason: 'aborted', status: 0, message: 'the client closed the connection before the body ended' });
          return undefined;
        }
        text = new TextDecoder().decode(read.bytes);
      } else {
        const value = input.body.value;
        if (typeof value === 'string') text = value;
        else if (value instanceof Uint8Array) text = new TextDecoder().decode(value);
        else if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
        else return reject('parse', 400, 'malformed body: req.body is neither an object, a string nor bytes');
      }

      let fields: string | Record<string, unknown>;
      if (text !== undefined && type === FORM) {
        // Cheap checks on the text before any parsing: how many parameters, and the token.
        const count = countParams(text);
        if (count > limits.maxParams) return reject('parse', 400, `malformed body: ${count} parameters, more than ${limits.maxParams} (maxParams)`);
        if (!tokenMatches(formField(text, 'auth[application_token]'))) return unauthorized();
        fields = text;
      } else {
        if (text !== undefined) {
          // The same bounds as a form's, measured before JSON.parse builds anything.
          const shape = jsonShape();
          shape.add(new TextEncoder().encode(text));
          if (shape.params > limits.maxParams) return reject('parse', 400, `malformed body: ${shape.params} parameters, more than ${limits.maxParams} (maxParams)`);
          if (shape.depth > limits.maxDepth) return reject('parse', 400, `malformed body: nested deeper than ${limits.maxDepth} levels (maxDepth)`);
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            return reject('parse', 400, 'malformed body: not valid JSON');
          }
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return reject('parse', 400, 'malformed body: the JSON is not an object');
        }
        const auth = parsed!.auth;
        const given = auth !== null && typeof auth === 'object' ? (auth as Record<string, unknown>).application_token : parsed!['auth[application_token]'];
        if (!tokenMatches(given)) return unauthorized();
        fields = parsed!;
      }

      let decoded: ReturnType<typeof decodeWebhookWith>;
      try {
        decoded = decodeWebhookWith(schemas, fields, limits);
      } catch (err) {
        report(options.onError, err);
        return reject('parse', 400, `malformed body: ${err instanceof WebhookBodyError ? err.message : 'cannot be decoded'}`);
      }
      // The decoded body must carry the same token (a key spelt another way cannot slip past).
      if (!tokenMatches(decoded.auth?.application_token)) return unauthorized();
      const event = decoded as E | UnknownEvent;
      const handlers = (options.on ?? {}) as Record<string, ((e: unknown) => unknown) | undefined>;
      const handler = event.known && Object.hasOwn(handlers, event.event) ? handlers[event.event] : undefined;
      const work = Promise.resolve()
        .then(() => (handler ? handler(event) : options.onOther?.(event)))
        .catch((err: unknown) => report(options.onError, err, event));
      if (options.waitForHandlers) await work;
      return { status: 200, text: 'ok', close: false };
    } catch (err) {
      if (err instanceof WebhookBodyError) return reject('parse', 400, `malformed body: ${err.message}`);
      report(options.onError, err);
      return { status: 500, text: 'internal error', close: input.body.kind === 'raw' };
    }
  };
}

/** Calls a user callback; whatever it throws or rejects with is dropped (it must not break the answer). */
function report<A extends unknown[]>(callback: ((...args: A) => unknown) | undefined, ...args: A): void {
  if (!callback) return;
  try {
    const result = callback(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, () => {});
  } catch {
    // A throwing onError / onRejected has nowhere left to report to.
  }
}

/** The parts of Node's `IncomingMessage` the adapter uses (Express, Fastify and Koa pass it on). */
export interface NodeRequestLike extends NodeBodyStream {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** A body a framework's parser already read (object, string or bytes); read from the stream otherwise. */
  body?: unknown;
  socket?: { destroy(): unknown; destroyed?: boolean } | null;
}
/** The parts of Node's `ServerResponse` the adapter uses. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string, callback?: () => void): unknown;
  headersSent?: boolean;
  writableEnded?: boolean;
}

/**
 * Adapts a handler from createWebhookHandler to Node's `http.createServer((req, res) => ...)` and
 * to Express (`app.post('/hook', toNodeHandler(handler))`, with or without a body parser before
 * it). The body is streamed with the handler's limits, or taken from `req.body` when a parser
 * already consumed it. The returned promise never rejects.
 */
export function toNodeHandler(handler: (request: Request) => Promise<Response>): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  const entry = (handler as unknown as Record<symbol, CoreEntry | undefined>)[CORE];
  const core = entry?.core ?? fetchCore(handler);
  return async (req, res) => {
    let answer: PostAnswer | undefined;
    try {
      const parsedBody = req.body !== undefined && req.body !== null && (req.readableEnded === true || !isEmptyObject(req.body));
      if (!parsedBody && req.readableEnded === true) {
        answer = { status: 500, text: 'body already read', close: false };
        throw new WebhookBodyError('the request body was already read by a middleware that did not keep it in req.body; put a body parser (express.urlencoded, express.text, express.raw) before the handler, or none');
      }
      answer = await core({
        method: req.method ?? 'GET',
        header: (name) => {
          const v = req.headers[name];
          return Array.isArray(v) ? v.join(', ') : v;
        },
        body: parsedBody ? { kind: 'parsed', value: req.body } : { kind: 'raw', read: (limit, timeoutMs) => readNodeBody(req, limit, timeoutMs) },
      });
    } catch (err) {
      // The setup error above, or a foreign fetch handler that threw (the handler's own core never throws).
      answer ??= { status: 500, text: 'internal error', close: false };
      report(entry?.onError, err);
    }
    if (!answer || res.headersSent || res.writableEnded || req.socket?.destroyed) {
      if (!answer) req.socket?.destroy();
      return;
    }
    const close = answer.close;
    // Kept now: Node detaches the socket from the request once the answer is out.
    const socket = req.socket;
    try {
      res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...(close ? { connection: 'close' } : {}) });
      // The rest of a refused body is never read: the connection goes once the answer is out.
      res.end(answer.text, close ? () => socket?.destroy() : undefined);
    } catch {
      req.socket?.destroy();
    }
  };
}

/** A foreign fetch-style handler behind toNodeHandler: the body read here with default bounds, then handed over. */
function fetchCore(handler: (request: Request) => Promise<Response>): Core {
  return async (input) => {
    let body: string;
    if (input.body.kind === 'raw') {
      const read = await input.body.read(1_000_000, 10_000);
      if (!read.ok) return read.reason === 'aborted' ? undefined : { status: read.reason === 'size' ? 413 : 408, text: read.reason === 'size' ? 'body too large' : 'body timeout', close: true };
      body = new TextDecoder().decode(read.bytes);
    } else {
      const v = input.body.value;
      body = typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : JSON.stringify(v);
    }
    const headers = new Headers();
    // An object a body parser built is handed on as JSON, which the handler accepts too.
    const type = input.body.kind === 'parsed' && typeof input.body.value === 'object' && !(input.body.value instanceof Uint8Array) ? 'application/json' : input.header('content-type');
    if (type !== undefined) headers.set('content-type', type);
    const hasBody = input.method !== 'GET' && input.method !== 'HEAD';
    const response = await handler(new Request('http://localhost/', { method: input.method, headers, ...(hasBody ? { body } : {}) }));
    return { status: response.status, text: await response.text(), close: false };
  };
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && Object.keys(v).length === 0;
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i % Math.max(1, x.length)] ?? 0) ^ (y[i % Math.max(1, y.length)] ?? 0);
  return diff === 0 && x.length === y.length;
}
