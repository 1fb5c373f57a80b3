import type { Api } from '../model/ir.js';
import { codeSpans } from './inline.js';
import { CHAT_BOTS_DIR, type DocsRoot } from './docs-root.js';
import type { Difference } from './difference.js';
import { docsShape, formatShape, irShape, sameShape, type TypeTable } from './shape.js';

/** The pages that document events: a `## EVENTNAME` section each, with a Field | Type | Description table. */
export const EVENT_PAGES = [`${CHAT_BOTS_DIR}/imbot.v2/events/events.md`, `${CHAT_BOTS_DIR}/im.v2/events/events.md`];

interface DocsEventField {
  name: string;
  typeText: string;
  line: number;
}

interface DocsEvent {
  name: string;
  file: string;
  line: number;
  fields: DocsEventField[];
}

/** Every `## ON...` section of the event pages with the rows of its first table. */
export function readEventPages(root: DocsRoot, out: Difference[]): DocsEvent[] {
  const events: DocsEvent[] = [];
  for (const file of EVENT_PAGES) {
    const page = root.page(file);
    if (!page) continue;
    for (const section of page.sections) {
      const h = section.heading;
      if (h.level !== 2 || !/^ON[A-Z0-9]+$/.test(h.text)) continue;
      const table = section.tables[0];
      const fields: DocsEventField[] = [];
      for (const row of table?.rows.slice(1) ?? []) {
        const name = /^\*\*([^*]+)\*\*\*?$/.exec(row.cells[0]?.text.trim() ?? '')?.[1];
        const typeText = codeSpans(row.cells[1]?.text ?? '')[0]?.code;
        if (!name || !typeText) {
          out.push({ method: h.text, kind: 'docs-unreadable', path: `${file}:${row.line}`, message: 'an event field row without a **name** and a `type`', docsAt: { file, line: row.line } });
          continue;
        }
        fields.push({ name, typeText, line: row.line });
      }
      events.push({ name: h.text, file, line: h.line, fields });
    }
  }
  return events;
}

/**
 * Events: every `## ON...` section of the event pages against `Api.events`. The top-level
 * fields of each event's data are compared by name and type (shapes, as for methods); the
 * objects inside are the shared entities, compared through the methods that return them.
 */
export function compareEvents(root: DocsRoot, api: Api, types: TypeTable, out: Difference[]): string[] {
  const docs = readEventPages(root, out);
  const spec = new Map(api.events.map((e) => [e.name, e]));
  const compared: string[] = [];
  for (const d of docs) {
    const e = spec.get(d.name);
    const docsAt = { file: d.file, line: d.line };
    if (!e) {
      out.push({ method: d.name, kind: 'event-missing', path: '', message: `the spec has no events/${d.name}.yaml for it`, docsAt });
      continue;
    }
    compared.push(d.name);
    const props = e.data.kind === 'object' ? e.data.properties : [];
    for (const f of d.fields) {
      const p = props.find((x) => x.name === f.name);
      const at = { file: d.file, line: f.line };
      if (!p) {
        out.push({ method: d.name, kind: 'event-field-missing', path: `data.${f.name}`, message: `in the docs (${f.typeText}), not in the spec`, docs: f.typeText, docsAt: at, specAt: e.at });
        continue;
      }
      const shape = docsShape(f.typeText);
      const ir = irShape(p.type, types);
      if (shape && !sameShape(shape, ir)) {
        out.push({ method: d.name, kind: 'event-field-type', path: `data.${f.name}`, message: `docs say ${formatShape(shape)}, spec says ${formatShape(ir)}`, docs: formatShape(shape), spec: formatShape(ir), docsAt: at, specAt: p.at });
      }
    }
    for (const p of props) {
      if (!d.fields.some((f) => f.name === p.name)) out.push({ method: d.name, kind: 'event-field-extra', path: `data.${p.name}`, message: 'in the spec, not in the docs', specAt: p.at });
    }
  }
  const documented = new Set(docs.map((d) => d.name));
  for (const e of api.events) {
    if (!documented.has(e.name)) out.push({ method: e.name, kind: 'event-extra', path: '', message: 'no section of the event pages documents this event', specAt: e.at });
  }
  return compared;
}
