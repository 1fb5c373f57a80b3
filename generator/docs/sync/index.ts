import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { DOCS_DIFF_ALLOWLIST, DOCS_SYNC_RECORD, displayPath, loadSpecTexts } from '../../load/index.js';
import { applyAllowlist, loadAllowFile, type AllowEntry } from '../allowlist.js';
import { compareDocsWithSpec } from '../compare.js';
import type { Difference } from '../difference.js';
import { DocsRoot } from '../docs-root.js';
import { readMethodPage } from '../page.js';
import { applyRound, type Edit, type Left, type PageFacts, type RoundMemory } from './apply.js';
import { findPending, type PendingDescription } from '../../load/pending.js';
import { changedSince, currentRecord, readRecord, recordText, type SyncRecord } from './record.js';
import { RESULT_EXAMPLE_KINDS, syncResultExamples } from './result-examples.js';
import { SpecFiles } from './spec-files.js';
import { YamlText } from './yaml-text.js';

export interface SyncResult {
  edits: Edit[];
  /** Unexplained differences still there after the last round, each with why. */
  left: Left[];
  /** Allowlist entries that explained nothing after the sync, removed from docs-diff-allow.yaml. */
  staleAllowed: AllowEntry[];
  /** Descriptions awaiting a person, in the whole spec after the run. */
  pending: PendingDescription[];
  /** The docs revision synced to, and the one the spec followed before. */
  revision: string;
  previousRevision?: string;
  /** Subjects whose page changed since the last recorded sync (empty without a record). */
  changed: { subject: string; page: string; change: 'changed' | 'new' | 'gone' }[];
  /** Changed pages whose facts gave no edit: their prose changed in ways the spec does not model. */
  proseOnly: string[];
  /** Spec files written (or, with dryRun, that would be); `after` undefined for a deleted file. */
  files: { path: string; before: string; after?: string }[];
  /** With dryRun: the unified diff of every file. */
  patch: string;
  rounds: number;
}

const MAX_ROUNDS = 6;

/**
 * docs-sync: compare the docs with the spec as docs-diff does, apply every unexplained
 * difference to the spec files' text, and compare again until nothing more applies (a replaced
 * result gets its members in the next round). Every round loads the edited spec through the
 * normal loader, so an edit that made the spec invalid stops the run with the loader's located
 * error and nothing written. Finally records the docs revision and page hashes
 * (spec/docs-sync.yaml) and writes the changed files, or with `dryRun` only returns the patch.
 */
export function runDocsSync(options: { docsDir: string; specDir: string; dryRun?: boolean }): SyncResult {
  const docsDir = resolve(options.docsDir);
  const specDir = resolve(options.specDir);
  const root = DocsRoot.open(docsDir);
  const files = new SpecFiles(specDir);
  const allow = loadAllowFile(join(specDir, DOCS_DIFF_ALLOWLIST), `${displayPath(specDir)}/${DOCS_DIFF_ALLOWLIST}`);
  const refs = new Map(root.methodPages().map((r) => [r.method, r]));
  const pages = new Map<string, ReturnType<typeof readMethodPage> | undefined>();
  const facts: PageFacts = {
    root,
    page(method) {
      if (!pages.has(method)) {
        const ref = refs.get(method);
        pages.set(method, ref ? readMethodPage(root, ref) : undefined);
      }
      return pages.get(method);
    },
    errorStatuses(method) {
      const ref = refs.get(method);
      if (!ref) return [];
      const text = readFileSync(join(docsDir, ref.file), 'utf8');
      const section = text.slice(Math.max(0, text.search(/^## Error Handling/m)));
      const line = /HTTP Status:([^\n]*)/.exec(section)?.[1] ?? '';
      return [...line.matchAll(/\b([1-5]\d\d)\b/g)].map((m) => Number(m[1]));
    },
  };

  const edits: Edit[] = [];
  let left: Left[] = [];
  let comparison: ReturnType<typeof compareDocsWithSpec> | undefined;
  /** Subjects with a structural difference in some round: their page change was not prose alone. */
  const touched = new Set<string>();
  let rounds = 0;
  let stale: AllowEntry[] = [];
  const memory: RoundMemory = { enumEdits: new Map(), disputed: new Set() };
  for (; rounds < MAX_ROUNDS; rounds++) {
    // Result examples unchecked: a round may change a result's type; the last step fixes its example.
    const api = loadSpecTexts(files.texts(), displayPath(specDir), { checkResultExamples: false });
    comparison = compareDocsWithSpec(root, api);
    const allowed = applyAllowlist(comparison.differences, allow.differences);
    stale = allowed.stale;
    const unexplained: Difference[] = allowed.checked.filter((d) => !d.explainedBy);
    for (const d of unexplained) touched.add(d.method);
    const round = applyRound(files, unexplained, facts, api, memory);
    left = round.left;
    edits.push(...round.edits);
    // An edit undone by a later round (disputed enum value) is no edit at all.
    for (const key of round.reverted) edits.splice(0, edits.length, ...edits.filter((e) => e.key !== key));
    if (round.edits.length === 0 && round.reverted.length === 0) break;
  }

  // Result examples last, on the spec as the rounds left it; then the full load checks every one
  // against its result type (a stale example the page no longer shows was removed above).
  const exampleEdits = syncResultExamples(files, root, loadSpecTexts(files.texts(), displayPath(specDir), { checkResultExamples: false }), allow.differences);
  for (const e of exampleEdits) touched.add(e.subject);
  edits.push(...exampleEdits);
  loadSpecTexts(files.texts(), displayPath(specDir));
  stale = stale.filter((e) => !RESULT_EXAMPLE_KINDS.has(e.kind));

  const before = readRecord(specDir);
  const now: SyncRecord = currentRecord(docsDir, comparison!);
  const changed = changedSince(before, now);
  // A page that made an allowlist entry stale changed a fact too (it came round to the spec).
  for (const e of stale) touched.add(e.method);
  const unsettled = new Set(left.map((l) => l.difference.method));
  const proseOnly = [...new Set(changed.filter((c) => c.change === 'changed' && !touched.has(c.subject) && !unsettled.has(c.subject)).map((c) => c.page))].sort();
  // A subject with differences left is not synced: it keeps its earlier hash (or none), so the
  // next run names its page again.
  for (const subject of unsettled) {
    const earlier = before?.subjects[subject];
    if (earlier) now.subjects[subject] = earlier;
    else delete now.subjects[subject];
  }
  const recordPath = join(specDir, DOCS_SYNC_RECORD);
  const oldRecord = existsSync(recordPath) ? readFileSync(recordPath, 'utf8') : '';
  const newRecord = recordText(now);

  // Allowlist entries that explain nothing now (the docs came round to the spec, or the
  // method is gone): docs-diff would fail on them, so they go, and the summary names them.
  const allowPath = join(specDir, DOCS_DIFF_ALLOWLIST);
  const allowBefore = existsSync(allowPath) ? readFileSync(allowPath, 'utf8') : '';
  const allowText = new YamlText(allowBefore);
  const entries = (allowText.get(['allow']) ?? []) as { method?: string; kind?: string; path?: string }[];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (stale.some((x) => x.method === e.method && x.kind === e.kind && x.path === (e.path ?? ''))) allowText.removeItem(['allow', i]);
  }

  const changedFiles = files.changed();
  const all = [
    ...changedFiles,
    ...(allowText.text !== allowBefore ? [{ path: DOCS_DIFF_ALLOWLIST, before: allowBefore, after: allowText.text }] : []),
    ...(oldRecord !== newRecord ? [{ path: DOCS_SYNC_RECORD, before: oldRecord, after: newRecord }] : []),
  ];
  const shown = displayPath(specDir);
  const label = shown.replace(/^\/+/, '');
  const patch = all
    .map((f) => createTwoFilesPatch(f.before === '' ? '/dev/null' : `a/${label}/${f.path}`, f.after === undefined ? '/dev/null' : `b/${label}/${f.path}`, f.before, f.after ?? '', undefined, undefined, { context: 3 }).replace(/^=+\n/, ''))
    .join('');
  if (!options.dryRun) {
    for (const f of all) {
      const target = join(specDir, f.path);
      if (f.after === undefined) rmSync(target);
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, f.after);
      }
    }
  }
  const pending = findPending(files.texts(), shown);
  return {
    edits,
    left,
    staleAllowed: stale,
    pending,
    revision: now.revision,
    ...(before ? { previousRevision: before.revision } : {}),
    changed,
    proseOnly,
    files: all,
    patch,
    rounds: rounds + 1,
  };
}

/** The run's closing summary (text). */
export function syncSummary(r: SyncResult, dryRun: boolean): string {
  const lines: string[] = [];
  const since = r.previousRevision === undefined ? 'no earlier sync recorded' : r.previousRevision === r.revision ? `already at ${r.revision}` : `since ${r.previousRevision}`;
  lines.push(`docs revision ${r.revision} (${since}); ${r.changed.length} subject(s) on ${new Set(r.changed.map((c) => c.page)).size} page(s) changed since the last sync`);
  for (const c of r.changed) lines.push(`  ${c.change.padEnd(8)} ${c.subject}  (${c.page})`);
  lines.push('');
  lines.push(`${dryRun ? 'edits that would be applied' : 'edits applied'}: ${r.edits.length} in ${r.files.length} file(s)`);
  for (const e of r.edits) lines.push(`  ${e.subject.padEnd(36)} ${e.kind.padEnd(22)} ${e.what}  (${e.file})`);
  lines.push(`items awaiting a description: ${r.pending.length}`);
  for (const p of r.pending) lines.push(`  ${p.file}:${p.line}  ${p.text}`);
  lines.push(`allowlist entries that explain nothing any more (${dryRun ? 'would be ' : ''}removed from ${DOCS_DIFF_ALLOWLIST}): ${r.staleAllowed.length}`);
  for (const e of r.staleAllowed) lines.push(`  ${e.method} ${e.kind} ${e.path}`.trimEnd());
  lines.push(`left for a person (not applied): ${r.left.length}`);
  for (const l of r.left) lines.push(`  ${l.difference.method} ${l.difference.kind} ${l.difference.path}: ${l.why}`);
  if (r.previousRevision === undefined) {
    lines.push('pages whose prose changed: unknown (no earlier record to compare with; from now on spec/docs-sync.yaml keeps one)');
  } else {
    lines.push(`pages changed with no structural difference (prose the spec does not model; read them): ${r.proseOnly.length}`);
    for (const p of r.proseOnly) lines.push(`  ${p}`);
  }
  return `${lines.join('\n')}\n`;
}
