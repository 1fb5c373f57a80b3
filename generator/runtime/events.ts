import { coerce, type TypeDefs, type TypeDesc } from './coerce.js';
import { parseForm, WebhookBodyError } from './form.js';

/**
 * Receiving events, both ways the portal delivers them: decoding webhook posts (typed by the
 * spec, see coerce.ts), a `Request -> Response` handler that checks the application token in
 * constant time, an adapter for Node's `http`, and an async iterator over `Event.get` pages.
 */

/** An event with its `data`; fetch mode adds `eventId` and `date`, webhook mode `ts` and `auth`. */
export interface EventEnvelope<N extends string, D> {
  event: N;
  data: D;
  /** True for events the spec describes (their `data` is typed and coerced). */
  known: true;
  eventId?: number;
  date?: string;
  ts?: number;
  /** The top-level `auth` of a webhook post (`domain`, `application_token`, ...). */
  auth?: Record<string, unknown>;
}

/** An event the spec does not describe: its data as it came. */
export interface UnknownEvent {
  event: string;
  data: Record<string, unknown>;
  known: false;
  eventId?: number;
  date?: string;
  ts?: number;
  auth?: Record<string, unknown>;
}

/** Per event name, the description of its `data`, and the named types they refer to. */
export interface EventSchemas {
  events: Readonly<Record<string, TypeDesc>>;
  defs: TypeDefs;
}

/**
 * Decodes a webhook body (the raw form text, parsed form fields, or JSON already parsed) into the
 * same object fetch mode gives. Throws WebhookBodyError for a body without an `event`.
 */
export function decodeWebhookWith(schemas: EventSchemas, body: string | URLSearchParams | Record<string, unknown>): EventEnvelope<string, unknown> | UnknownEvent {
  const form = typeof body === 'string' || body instanceof URLSearchParams ? parseForm(body) : body;
  const name = form.event;
  if (typeof name !== 'string' || name === '') throw new WebhookBodyError('the body has no `event` field; is this a Bitrix24 event post?');
  const data = form.data === undefined || form.data === '' ? {} : form.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new WebhookBodyError('`data` is not an object');
  const ts = typeof form.ts === 'string' && /^\d+$/.test(form.ts) ? Number(form.ts) : typeof form.ts === 'number' ? form.ts : undefined;
  const auth = typeof form.auth === 'object' && form.auth !== null ? (form.auth as Record<string, unknown>) : undefined;
  const extra = { ...(ts !== undefined ? { ts } : {}), ...(auth ? { auth } : {}) };
  if (!Object.hasOwn(schemas.events, name)) return { event: name, data: data as Record<string, unknown>, known: false, ...extra };
  return { event: name, data: coerce(data, schemas.events[name], schemas.defs), known: true, ...extra };
}

/** A fetch-mode event (an item of `Event.get`'s `events`) in the same envelope. */
export function fromFetchedWith(schemas: EventSchemas, item: { eventId: number; type: string; date: string; data: unknown }): EventEnvelope<string, unknown> | UnknownEvent {
  const base = { eventId: item.eventId, date: item.date };
  const data = (item.data ?? {}) as Record<string, unknown>;
  if (!Object.hasOwn(schemas.events, item.type)) return { event: item.type, data, known: false, ...base };
  return { event: item.type, data, known: true, ...base };
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i % Math.max(1, x.length)] ?? 0) ^ (y[i % Math.max(1, y.length)] ?? 0);
  return diff === 0 && x.length === y.length;
}

export interface WebhookHandlerOptions<E extends { event: string; known: true }> {
  /** The `application_token` the portal gave the application; posts without it get 401. */
  applicationToken: string;
  /** Handlers by event name; each gets its typed event. */
  on?: { [N in E['event']]?: (event: Extract<E, { event: N }>) => unknown };
  /** For events without a handler in `on` (including events the spec does not know). */
  onOther?: (event: E | UnknownEvent) => unknown;
  /** Handler failures (and bodies that cannot be decoded); the portal still gets its 200. */
  onError?: (error: unknown, event?: E | UnknownEvent) => void;
  /** Answer only after the handler finished (for platforms that stop work after the response). */
  waitForHandlers?: boolean;
  /** Largest accepted body in bytes (default 1 MB); larger posts get 413. */
  maxBodyBytes?: number;
}

/**
 * A handler for the portal's event posts: `(request: Request) => Promise<Response>`, for any
 * framework that speaks fetch (and Node's `http` through {@link toNodeHandler}). Checks the
 * top-level `auth[application_token]` in constant time (401 and no handler on mismatch),
 * answers 200 at once, and runs the handler for the event.
 */
export function createWebhookHandlerWith<E extends { event: string; known: true }>(schemas: EventSchemas, options: WebhookHandlerOptions<E>): (request: Request) => Promise<Response> {
  if (typeof options.applicationToken !== 'string' || options.applicationToken === '') {
    throw new TypeError('createWebhookHandler: applicationToken is required (the application_token the portal gave your application)');
  }
  const limit = options.maxBodyBytes ?? 1_000_000;
  const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'POST') return text(405, 'method not allowed');
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > limit) return text(413, 'body too large');
    const raw = await request.text();
    if (raw.length > limit) return text(413, 'body too large');
    let form: Record<string, unknown>;
    try {
      const type = request.headers.get('content-type') ?? '';
      form = type.includes('application/json') ? (JSON.parse(raw) as Record<string, unknown>) : parseForm(raw);
      if (typeof form !== 'object' || form === null) throw new WebhookBodyError('the body is not an object');
    } catch (err) {
      options.onError?.(err);
      return text(400, 'malformed body');
    }
    const auth = form.auth as Record<string, unknown> | undefined;
    const token = auth && typeof auth === 'object' ? auth.application_token : undefined;
    if (typeof token !== 'string' || !timingSafeEqualStrings(token, options.applicationToken)) return text(401, 'unauthorized');
    let event: E | UnknownEvent;
    try {
      event = decodeWebhookWith(schemas, form) as E | UnknownEvent;
    } catch (err) {
      options.onError?.(err);
      return text(400, 'malformed body');
    }
    const handlers = (options.on ?? {}) as Record<string, ((e: unknown) => unknown) | undefined>;
    const handler = event.known && Object.hasOwn(handlers, event.event) ? handlers[event.event] : undefined;
    const work = Promise.resolve()
      .then(() => (handler ? handler(event) : options.onOther?.(event)))
      .catch((err: unknown) => options.onError?.(err, event));
    if (options.waitForHandlers) await work;
    return text(200, 'ok');
  };
}

/** The parts of Node's `IncomingMessage` and `ServerResponse` the adapter uses. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** Adapts a `Request -> Response` handler to Node's `http.createServer((req, res) => ...)`. */
export function toNodeHandler(handler: (request: Request) => Promise<Response>): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  return async (req, res) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      body.set(c, offset);
      offset += c.length;
    }
    const request = new Request(`http://localhost${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }) });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  };
}

// The fetch-mode loop lives in event-stream.ts; re-exported so imports from here keep working.
export {
  eventStreamWith,
  type EventPage,
  type EventPageItem,
  type EventStream,
  type EventStreamOptions,
  type PollFailure,
} from './event-stream.js';

export { WebhookBodyError };
