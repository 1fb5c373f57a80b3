import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The events pages' example data (imbot.v2/events/events.md, im.v2/events/events.md), per event.
 * Events whose section has no "Example Data" get one assembled from the same page, field by
 * field of the section's table: an object field (`bot`, `message`, `chat`, `user`) from the
 * page's first example, `messageId` and `dialogId` from that example's message and chat,
 * `reaction`/`action` from the values the table names (`like`, `add`), `language` `en`. Each
 * result says which it is, so a test can tell the docs' own example from an assembled one.
 */
export const EVENTS_DOCS = resolve('../shared/upstream-docs/api-reference/chat-bots/chat-bots-v2');

export interface DocsEventExample {
  data: Record<string, unknown>;
  /** `example`: the section's own JSON; `assembled`: built from the page as above. */
  source: 'example' | 'assembled';
  page: string;
}

/** Undefined when the docs folder is absent (the caller skips, saying so). */
export function docsEventExamples(): Map<string, DocsEventExample> | undefined {
  if (!existsSync(EVENTS_DOCS)) return undefined;
  const out = new Map<string, DocsEventExample>();
  for (const page of ['imbot.v2/events/events.md', 'im.v2/events/events.md']) {
    const sections = readFileSync(resolve(EVENTS_DOCS, page), 'utf8').split(/^## /m).slice(1);
    const named = sections.map((text) => ({ name: /^(ON[A-Z0-9]+) \{#/.exec(text)?.[1], text })).filter((s): s is { name: string; text: string } => !!s.name);
    const own = new Map(named.flatMap(({ name, text }) => {
      const json = /### Example Data\s+```json\n([\s\S]*?)```/.exec(text)?.[1];
      return json ? [[name, JSON.parse(json) as Record<string, unknown>] as const] : [];
    }));
    const first = [...own.values()][0];
    if (!first) throw new Error(`${page} has no example data; the docs changed shape, update test/support/docs-event-examples.ts`);
    for (const { name, text } of named) {
      const example = own.get(name);
      if (example) {
        out.set(name, { data: example, source: 'example', page });
        continue;
      }
      const fields = [...text.matchAll(/^\|\| \*\*([A-Za-z]+)\*\* \|/gm)].map((m) => m[1]!).filter((f) => f !== 'Field');
      const data: Record<string, unknown> = {};
      for (const field of fields) data[field] = assembled(field, first, `${page} ${name}`);
      out.set(name, { data, source: 'assembled', page });
    }
  }
  return out;
}

function assembled(field: string, example: Record<string, unknown>, where: string): unknown {
  if (field in example) return example[field];
  if (field === 'messageId') return (example.message as { id: number }).id;
  if (field === 'dialogId') return (example.chat as { dialogId: string }).dialogId;
  if (field === 'reaction') return 'like';
  if (field === 'action') return 'add';
  throw new Error(`${where}: no value for the field ${field}; extend test/support/docs-event-examples.ts`);
}
