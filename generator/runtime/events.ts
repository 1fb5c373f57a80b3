import { coerce, type TypeDefs, type TypeDesc } from './coerce.js';
import { parseForm, WebhookBodyError } from './form.js';

/**
 * Receiving events, both ways the portal delivers them: decoding webhook posts (typed by the
 * spec, see coerce.ts; the handler that receives them is webhook.ts), and an async iterator over
 * `Event.get` pages.
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
 * Decodes a webhook body (the raw form text, parsed form fields, or an object a body parser or
 * JSON.parse built, nested or with flat `data[bot][id]` keys) into the same object fetch mode
 * gives. Throws WebhookBodyError for a body without an `event`, or past the form limits.
 */
export function decodeWebhookWith(
  schemas: EventSchemas,
  body: string | URLSearchParams | Record<string, unknown>,
  limits?: { maxParams?: number; maxDepth?: number },
): EventEnvelope<string, unknown> | UnknownEvent {
  const form = parseForm(body, limits);
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
