import type { Api } from '../../model/ir.js';
import type { DocsExample } from './extract.js';
import { toValue } from './literal.js';

/**
 * Where an example belongs, decided from its page and its own shape, never guessed:
 *
 * - a call (curl, JS, PHP) -> the params of the method it calls;
 * - `{error, error_description}` -> an error body of the method the page documents (its H1);
 * - `{result, ...}` -> the `{result, time}` answer of the page's method, or on a page that
 *   documents no method, of the one method the code examples under the same heading call;
 * - `{event, data, ...}` -> an event as the portal posts it to a webhook;
 * - `{type: "ON...", data}` -> an event as `Event.get` lists it;
 * - a ```json block under an `ON...` heading of an events page -> that event's `data`;
 * - a ```json block under an `## <Entity>` heading of entities.md -> that named type;
 * - a JS/PHP block that is one literal on a page of the attachment blocks -> an attachment block.
 *
 * Anything else is unattributed, with the reason.
 */

export type Place =
  | { kind: 'params'; method: string }
  | { kind: 'result'; method: string }
  | { kind: 'error'; method: string; code: string }
  | { kind: 'event'; event: string; form: 'data' | 'webhook' | 'item' }
  | { kind: 'type'; name: string };

/** How reports name a place: `params of imbot.v2.Bot.get`, `ONIMBOTV2MESSAGEADD data (webhook form)`. */
export function describePlace(place: Place): string {
  switch (place.kind) {
    case 'params':
      return `params of ${place.method}`;
    case 'result':
      return `result of ${place.method}`;
    case 'error':
      return `error ${place.code} of ${place.method}`;
    case 'event':
      return place.form === 'data' ? `${place.event} data` : place.form === 'webhook' ? `${place.event} as posted to a webhook` : `${place.event} as an Event.get item`;
    case 'type':
      return `type ${place.name}`;
  }
}

/**
 * entities.md headings whose object the spec names otherwise. `File` is `ChatFile` in the spec
 * (a type named `File` would hide the DOM's `File` in users' code); the spec's ChatFile
 * description says it is the docs' File object.
 */
const ENTITY_NAMES: Readonly<Record<string, string>> = { File: 'ChatFile' };

/** Pages (relative to the chat-bot docs folder) whose bare JS/PHP literals are one named type. */
const BARE_LITERAL_PAGES: readonly { prefix: string; type: string }[] = [{ prefix: 'imbot.v2/messages/attachments/block-collections/', type: 'AttachmentBlock' }];

const EVENT_NAME = /^ON[A-Z0-9]+$/;

export interface PageContext {
  /** The page relative to the chat-bot docs folder. */
  pageId: string;
  /** The method the page's H1 names, if any. */
  method?: string;
  /** Every example of the same page (for the methods a section's code calls). */
  siblings: DocsExample[];
}

export type Attribution = { place: Place } | { unattributed: string };

export function attribute(example: DocsExample, context: PageContext, api: Api): Attribution {
  const methods = new Set(api.methods.map((m) => m.name));
  const events = new Set(api.events.map((e) => e.name));
  const types = new Set(api.types.map((t) => t.name));

  if (example.calls !== undefined) {
    if (!methods.has(example.calls)) return { unattributed: `the code calls ${example.calls}, which is not a method of the spec` };
    return { place: { kind: 'params', method: example.calls } };
  }
  if (example.bare) {
    const rule = BARE_LITERAL_PAGES.find((r) => context.pageId.startsWith(r.prefix));
    if (rule && types.has(rule.type)) return { place: { kind: 'type', name: rule.type } };
    return { unattributed: 'a literal shown on its own, on a page that does not say which type it is' };
  }
  if (!example.value) return { unattributed: 'the example could not be read' };

  const value = toValue(example.value);
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const event = (name: unknown, form: 'webhook' | 'item'): Attribution => {
    if (typeof name !== 'string' || !EVENT_NAME.test(name)) return { unattributed: `the ${form === 'webhook' ? '`event`' : '`type`'} field does not name an event` };
    if (!events.has(name)) return { unattributed: `the event ${name} is not in the spec` };
    return { place: { kind: 'event', event: name, form } };
  };

  if (record && 'event' in record && 'data' in record) return event(record.event, 'webhook');
  if (record && 'type' in record && 'data' in record && typeof record.type === 'string' && EVENT_NAME.test(record.type)) return event(record.type, 'item');
  if (record && 'error' in record) {
    if (!context.method) return { unattributed: 'an error body on a page that documents no method' };
    if (typeof record.error !== 'string') return { unattributed: 'the `error` field is not a string code' };
    return { place: { kind: 'error', method: context.method, code: record.error } };
  }
  if (record && 'result' in record) {
    if (context.method) return { place: { kind: 'result', method: context.method } };
    // Only the example's own section (same nearest heading): a parent section's calls may be about something else.
    const section = example.headings.at(-1)?.line;
    const called = new Set(context.siblings.filter((s) => s.calls !== undefined && s.headings.at(-1)?.line === section).map((s) => s.calls!));
    if (called.size === 1) {
      const [method] = called;
      if (methods.has(method!)) return { place: { kind: 'result', method: method! } };
    }
    return { unattributed: called.size > 1 ? `an answer in a section whose code calls ${called.size} methods (${[...called].join(', ')})` : 'an answer on a page that documents no method, in a section that calls none' };
  }
  if (/(^|\/)events\/events\.md$/.test(context.pageId)) {
    const heading = [...example.headings].reverse().find((h) => EVENT_NAME.test(h.text));
    if (heading) {
      if (!events.has(heading.text)) return { unattributed: `the event ${heading.text} is not in the spec` };
      return { place: { kind: 'event', event: heading.text, form: 'data' } };
    }
    return { unattributed: 'on an events page, but under no event heading' };
  }
  if (context.pageId === 'entities.md') {
    const heading = example.headings.find((h) => h.level === 2);
    const name = heading ? (ENTITY_NAMES[heading.text] ?? heading.text) : undefined;
    if (name && types.has(name)) return { place: { kind: 'type', name } };
    return { unattributed: heading ? `the object "${heading.text}" is not a named type of the spec` : 'under no object heading' };
  }
  return { unattributed: 'neither the page nor the section says which method, event or object this is' };
}
