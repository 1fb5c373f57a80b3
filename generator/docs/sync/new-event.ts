import { stringify } from 'yaml';
import { DOCS_SITE } from '../docs-root.js';
import { EVENT_PAGES, readEventPages } from '../events.js';
import type { DocsRoot } from '../docs-root.js';
import { newProperty, pendingDescription } from './new-items.js';
import type { SpecFiles } from './spec-files.js';

/**
 * A new `## ONNAME` section of an event page -> `<namespace>/events/<NAME>.yaml`, laid out like
 * its siblings: the section's fields (one-line flow entries, required, the page's types), an
 * open `data` object as every event has, the page's anchor as `docs`, the summary and each
 * description marked for a person.
 */
export function newEventFile(root: DocsRoot, name: string, files: SpecFiles): { path: string; text: string } | undefined {
  const event = readEventPages(root, []).find((e) => e.name === name);
  if (!event) return undefined;
  const namespace = event.file === EVENT_PAGES[1] ? 'im.v2' : 'imbot.v2';
  const lines: string[] = [];
  for (const f of event.fields) {
    const node = newProperty('event', { typeText: f.typeText, required: true, at: { file: event.file, line: f.line } }, files, true);
    if (!node) continue;
    lines.push(`    ${stringify({ [f.name]: node }, { collectionStyle: 'flow', lineWidth: 0 }).trim().replace(/^\{ ?| ?\}$/g, '')}`);
  }
  const head = stringify(
    { event: name, summary: pendingDescription({ file: event.file, line: event.line }), docs: `${DOCS_SITE}${event.file.replace(/\.md$/, '.html')}#${name.toLowerCase()}` },
    { lineWidth: 100 },
  );
  const data = `data:\n  type: object\n  additionalProperties: true\n${lines.length > 0 ? `  properties:\n${lines.join('\n')}\n` : ''}`;
  return { path: `${namespace}/events/${name}.yaml`, text: `${head}\n${data}` };
}
