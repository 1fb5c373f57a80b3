import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse, stringify } from 'yaml';
import { DOCS_SYNC_RECORD } from '../../load/index.js';
import type { Comparison } from '../compare.js';

/**
 * What was synced: `spec/docs-sync.yaml` records the docs revision the spec follows and, per
 * method and event (and the system errors), the page it was checked against with a hash of the
 * page's text and of every file it includes (`{% include ... %}`, followed recursively), so a
 * later run names exactly the pages that changed since.
 */
export interface SyncRecord {
  revision: string;
  /** Subject (method, event, `systemErrors`) -> its page and that page's hash. */
  subjects: Record<string, { page: string; hash: string }>;
}

const HEADER = `# Written by \`b24gen docs-sync\`; do not edit. The docs revision the spec follows and, per
# method and event, the page it was last checked against: sha256 of the page and its includes.
`;

/** The docs folder's revision: the first line of its REVISION file (a commit), or `unknown`. */
export function docsRevision(docsDir: string): string {
  const file = join(docsDir, 'REVISION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n')[0]!.trim() || 'unknown' : 'unknown';
}

/** sha256 of a page and, in order, every file it includes (a missing include hashes as its name). */
export function pageHash(docsDir: string, page: string): string {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(join(docsDir, file), 'utf8');
    } catch {
      hash.update(`\0missing ${file}\0`);
      return;
    }
    hash.update(`\0${file}\0`).update(text);
    for (const m of text.matchAll(/\{%\s*include\b[^%]*?\(([^)\s]+\.md)\)\s*%\}/g)) {
      const target = posix.normalize(posix.join(posix.dirname(file), m[1]!));
      if (!target.startsWith('../')) visit(target);
    }
  };
  visit(page);
  return `sha256-${hash.digest('hex').slice(0, 32)}`;
}

/** sha256 of one `## NAME` section of a page (up to the next `## ` heading); the page's hash when there is none. */
function sectionHash(docsDir: string, page: string, name: string): string {
  let text: string;
  try {
    text = readFileSync(join(docsDir, page), 'utf8');
  } catch {
    return pageHash(docsDir, page);
  }
  const start = text.search(new RegExp(`^## ${name}\\b`, 'm'));
  if (start < 0) return pageHash(docsDir, page);
  const rest = text.slice(start + 3);
  const next = rest.search(/^## /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  return `sha256-${createHash('sha256').update(`\0${page}#${name}\0`).update(section).digest('hex').slice(0, 32)}`;
}

/** The record for the docs as they are now, from docs-diff's comparison (which page is whose). */
export function currentRecord(docsDir: string, comparison: Pick<Comparison, 'files'> | { files: Record<string, { docs?: string }> }): SyncRecord {
  const hashes = new Map<string, string>();
  const subjects: SyncRecord['subjects'] = {};
  const entries = comparison.files instanceof Map ? [...comparison.files] : Object.entries(comparison.files);
  for (const [subject, { docs }] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (docs === undefined) continue;
    // An event is one `## NAME` section of a page shared by all events: its own section is
    // hashed, so a change to one event does not name them all.
    if (/^ON[A-Z0-9]+$/.test(subject)) {
      subjects[subject] = { page: docs, hash: sectionHash(docsDir, docs, subject) };
      continue;
    }
    if (!hashes.has(docs)) hashes.set(docs, pageHash(docsDir, docs));
    subjects[subject] = { page: docs, hash: hashes.get(docs)! };
  }
  return { revision: docsRevision(docsDir), subjects };
}

export function readRecord(specDir: string): SyncRecord | undefined {
  const file = join(specDir, DOCS_SYNC_RECORD);
  if (!existsSync(file)) return undefined;
  const data = parse(readFileSync(file, 'utf8')) as Partial<SyncRecord> | null;
  if (!data || typeof data.revision !== 'string' || typeof data.subjects !== 'object' || data.subjects === null) {
    throw new Error(`${file}: not a docs-sync record (needs \`revision\` and \`subjects\`); delete it and run docs-sync again`);
  }
  return data as SyncRecord;
}

export function recordText(record: SyncRecord): string {
  return HEADER + stringify({ revision: record.revision, subjects: record.subjects }, { lineWidth: 0 });
}

/** Subjects whose page (or an include) changed since the record, appeared, or went away. */
export function changedSince(before: SyncRecord | undefined, now: SyncRecord): { subject: string; page: string; change: 'changed' | 'new' | 'gone' }[] {
  if (!before) return [];
  const out: { subject: string; page: string; change: 'changed' | 'new' | 'gone' }[] = [];
  for (const [subject, s] of Object.entries(now.subjects)) {
    const b = before.subjects[subject];
    if (!b) out.push({ subject, page: s.page, change: 'new' });
    else if (b.hash !== s.hash || b.page !== s.page) out.push({ subject, page: s.page, change: 'changed' });
  }
  for (const [subject, b] of Object.entries(before.subjects)) if (!now.subjects[subject]) out.push({ subject, page: b.page, change: 'gone' });
  return out.sort((a, b) => (a.subject < b.subject ? -1 : 1));
}

/** Distinct pages among the changes. */
export function changedPages(changes: { page: string }[]): string[] {
  return [...new Set(changes.map((c) => c.page))].sort();
}

/**
 * docs-diff's line about the record: "spec follows docs at X; N pages changed since" (pages,
 * counting includes through the pages that pull them in); undefined without a record.
 */
export function followsLine(docsDir: string, specDir: string, files: Record<string, { docs?: string }>): string | undefined {
  const before = readRecord(specDir);
  if (!before) return undefined;
  const pages = changedPages(changedSince(before, currentRecord(docsDir, { files })));
  return `spec follows docs at ${before.revision}; ${pages.length} pages changed since${pages.length > 0 ? ` (run b24gen docs-sync): ${pages.join(', ')}` : ''}`;
}
