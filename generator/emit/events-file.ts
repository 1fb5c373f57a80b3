import type { Api, EventSpec, NamedType, SourceLocation, TypeNode } from '../model/ir.js';
import { isEnumName } from './enums-file.js';
import { docText, stringLiteral } from './escape.js';
import { jsDoc } from './jsdoc.js';
import type { NameTable } from './names.js';
import { importStatement, type PlannedFile } from './source-file.js';
import { TypeWriter } from './type-text.js';

/** The names events.ts exports besides one `<EVENT>Data` interface per event. */
export const EVENT_EXPORTS = [
  'AnyEvent',
  'EventDataMap',
  'EventHandlers',
  'EventOf',
  'KnownEvent',
  'WebhookHandlerConfig',
  'createWebhookHandler',
  'decodeWebhook',
  'eventSchemas',
  'fromFetched',
] as const;

export function eventDataName(event: EventSpec): string {
  return `${event.name}Data`;
}

/**
 * `events.ts`: a type per event's data, the map from event name to data, the union of all events
 * and the decoders. Decoding is driven by a compact description of each event's data (built here
 * from the IR, emitted as one JSON string literal and parsed at load time, so spec names such as
 * `__proto__` stay plain keys) that the runtime's coerce.ts walks.
 */
export function planEventsFile(api: Api, names: NameTable): PlannedFile | undefined {
  if (api.events.length === 0) return undefined;
  const writer = new TypeWriter(api, names);
  const aliases: string[] = [];
  for (const e of api.events) {
    const name = eventDataName(e);
    names.claim(name, { at: e.at, what: `the data type of event ${e.name}` });
    const docs = jsDoc([`Data of ${e.name}: ${e.summary}`, e.description], [{ tagName: 'see', text: `{@link ${e.docs}}` }]);
    if (e.data.kind === 'object') writer.declare(name, e.data, e.at, 'output', docs);
    else aliases.push(`/** ${docText(`Data of ${e.name}: ${e.summary}`)} */\nexport type ${name} = ${writer.text(e.data, name, e.at, 'output')};`);
  }
  const refs = [...writer.refs];
  const map = api.events.map((e) => `/** ${docText(e.summary)} */\n${stringLiteral(e.name)}: ${eventDataName(e)};`).join('\n');
  // One member per event (not a mapped type, which shows no docs): completing a key of
  // `on: { ... }` shows what the event is, what its handler gets, and the event's page.
  const handlers = api.events
    .map((e) => {
      const doc = jsDoc([e.summary, `Gets the typed event: \`event.data\` is {@link ${eventDataName(e)}}.`], [{ tagName: 'see', text: `{@link ${e.docs}}` }])[0];
      const lines = [...String(doc?.description ?? '').split('\n'), ...(doc?.tags ?? []).map((t) => `@${t.tagName}${t.text ? ` ${String(t.text)}` : ''}`)];
      return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n${stringLiteral(e.name)}?: (event: EventOf<${stringLiteral(e.name)}>) => unknown;`;
    })
    .join('\n');
  const schemas = JSON.stringify(eventSchemas(api));
  return {
    path: 'events.ts',
    statements: [
      `import { createWebhookHandlerWith, decodeWebhookWith, fromFetchedWith, type EventEnvelope, type EventSchemas, type UnknownEvent, type WebhookHandlerOptions } from './runtime/index.js';`,
      ...importStatement('./enums.js', { types: refs.filter((n) => isEnumName(api, n)) }),
      ...importStatement('./types.js', { types: refs.filter((n) => !isEnumName(api, n)) }),
      ...writer.hoisted,
      ...aliases,
      `/** Every event the spec describes, by name: the type of its \`data\`. */\nexport interface EventDataMap {\n${map}\n}`,
      `/** One event, typed by name: \`EventOf<'ONIMBOTV2MESSAGEADD'>\`. */\nexport type EventOf<N extends keyof EventDataMap> = EventEnvelope<N, EventDataMap[N]>;`,
      `/** Any event the spec describes; narrow it with \`event.event === '...'\`. */\nexport type KnownEvent = { [N in keyof EventDataMap]: EventOf<N> }[keyof EventDataMap];`,
      `/** What a decoder may return: a described event (\`known: true\`), or one the spec does not know. */\nexport type AnyEvent = KnownEvent | UnknownEvent;`,
      `/** The handlers of {@link createWebhookHandler}'s \`on\`, by event name; each gets its typed event. */\nexport interface EventHandlers {\n${handlers}\n}`,
      `/** The options of {@link createWebhookHandler}: its \`on\` keys documented one by one. */\nexport interface WebhookHandlerConfig extends Omit<WebhookHandlerOptions<KnownEvent>, 'on'> {\n/** Handlers by event name; each gets its typed event. Events without one go to \`onOther\`. */\non?: EventHandlers;\n}`,
      `/** How each event's data is decoded from a webhook post (generated from the spec). */\nexport const eventSchemas: EventSchemas = JSON.parse(${stringLiteral(schemas)}) as EventSchemas;`,
      `/**
 * Decodes a webhook post (the raw \`application/x-www-form-urlencoded\` text, its parsed fields,
 * or JSON) into the object fetch mode would give: integers, booleans, \`false\`, nulls and
 * arrays restored from the spec's types. Unknown fields are kept; an unknown event comes back
 * with \`known: false\`. Throws WebhookBodyError for a body that is not an event post.
 * Verify \`auth.application_token\` yourself, or use {@link createWebhookHandler}, which does.
 */
export function decodeWebhook(body: string | URLSearchParams | Record<string, unknown>): AnyEvent {
  return decodeWebhookWith(eventSchemas, body) as AnyEvent;
}`,
      `/** An item of \`Event.get\`'s \`events\` in the same envelope as a decoded webhook post. */
export function fromFetched(item: { eventId: number; type: string; date: string; data: unknown }): AnyEvent {
  return fromFetchedWith(eventSchemas, item) as AnyEvent;
}`,
      `/**
 * A \`(request: Request) => Promise<Response>\` handler for the portal's event posts, for Hono,
 * Next.js route handlers, Bun, Deno and Cloudflare Workers (\`toNodeHandler\` adapts it to
 * Node's \`http\` and Express, with or without a body parser). Refuses what is not an event post
 * before parsing it (method 405, content type 415, \`maxBodyBytes\` 413 counted while reading,
 * \`bodyTimeout\` 408, \`auth[application_token]\` compared in constant time 401, each reported
 * to \`onRejected\`), answers 200 at once and calls \`on[event]\` with the typed event; handler
 * failures go to \`onError\`. Never throws and never crashes the process on a hostile client.
 */
export function createWebhookHandler(options: WebhookHandlerConfig): (request: Request) => Promise<Response> {
  return createWebhookHandlerWith<KnownEvent>(eventSchemas, options);
}`,
    ],
  };
}

/** The runtime's TypeDesc for every event's data, and for the named types they reach. */
function eventSchemas(api: Api): { events: Record<string, unknown>; defs: Record<string, unknown> } {
  const named = new Map<string, NamedType>(api.types.map((t) => [t.name, t]));
  const defs = new Map<string, unknown>();
  const pending: string[] = [];
  const desc = (t: TypeNode): Record<string, unknown> => {
    const n = t.nullable ? { n: 1 } : {};
    switch (t.kind) {
      case 'primitive':
        return { t: { string: 's', integer: 'i', number: 'n', boolean: 'b', any: 'a' }[t.name], ...n };
      case 'ref':
        if (!defs.has(t.name) && !pending.includes(t.name)) pending.push(t.name);
        return { t: 'r', r: t.name, ...n };
      case 'array':
        return { t: 'l', i: desc(t.items), ...n };
      case 'union':
        return { t: 'u', v: t.variants.map(desc), ...n };
      case 'object': {
        const out: Record<string, unknown> = { t: 'o', ...n };
        if (t.properties.length > 0) out.p = Object.fromEntries(t.properties.map((p) => [p.name, desc(p.type)]));
        const required = t.properties.filter((p) => p.required).map((p) => p.name);
        if (required.length > 0) out.q = required;
        if (typeof t.additionalProperties === 'object') out.x = desc(t.additionalProperties);
        return out;
      }
    }
  };
  const events = Object.fromEntries(api.events.map((e) => [e.name, desc(e.data)]));
  while (pending.length > 0) {
    const name = pending.shift()!;
    const t = named.get(name);
    if (!t) continue;
    const d = t.type.kind === 'enum' ? { t: t.type.base === 'integer' ? 'i' : 's', ...(t.type.nullable ? { n: 1 } : {}) } : desc(t.type);
    defs.set(name, d);
  }
  return { events, defs: Object.fromEntries([...defs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

export type { SourceLocation };
