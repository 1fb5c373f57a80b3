import { existsSync, readFileSync } from 'node:fs';
import type { SourceLocation } from '../model/ir.js';
import { ProblemList } from '../load/spec-error.js';
import { editDistance } from '../load/validate.js';
import { YamlSource } from '../load/yaml-source.js';
import type { CheckedExample } from './examples/index.js';
import { DIFFERENCE_KINDS, METHOD_LEVEL_KINDS, type Difference, type DifferenceKind } from './difference.js';

/**
 * The checked-in list of deliberate differences (spec/docs-diff-allow.yaml): places where the
 * spec knowingly departs from the docs, each with the reason. A listed difference is reported as
 * explained; an entry that matches nothing is stale and reported too, so the list stays true.
 *
 *     allow:
 *       - method: imbot.v2.Chat.Message.update
 *         kind: enum-missing
 *         path: fields.urlPreview
 *         reason: The portal takes a JSON boolean as well; we model it as boolean (NOTES.md).
 */

export interface AllowEntry {
  method: string;
  kind: DifferenceKind;
  /** Empty for method-level kinds. */
  path: string;
  reason: string;
  at: SourceLocation;
}

/**
 * An explained docs example (see docs/examples/): the example's id as docs-diff prints it
 * (`imbot.v2/events/events.md#webhook-payload/json/1`) and why it does not conform.
 */
export interface ExampleAllowEntry {
  example: string;
  reason: string;
  at: SourceLocation;
}

export interface CheckedDifference extends Difference {
  /** Set when an allowlist entry explains the difference. */
  explainedBy?: AllowEntry;
}

const ENTRY_KEYS = ['method', 'kind', 'path', 'reason'];
const EXAMPLE_KEYS = ['example', 'reason'];
/** `<page>#<section>/<tab or form>/<n>`, as extract.ts makes them. */
const EXAMPLE_ID = /^[^#\s]+\.md#[^/\s]+\/[^/\s]+\/[1-9][0-9]*$/;
const KINDS = Object.keys(DIFFERENCE_KINDS);

/**
 * Reads and checks the allowlist; a missing file is an empty list. Throws a SpecError listing
 * every bad entry as `file:line:col: message`.
 */
export function loadAllowlist(path: string, displayName: string): AllowEntry[] {
  return loadAllowFile(path, displayName).differences;
}

/** Both kinds of entry: explained differences and explained examples (entries with `example:`). */
export function loadAllowFile(path: string, displayName: string): { differences: AllowEntry[]; examples: ExampleAllowEntry[] } {
  if (!existsSync(path)) return { differences: [], examples: [] };
  const problems = new ProblemList();
  const source = YamlSource.parse(displayName, readFileSync(path, 'utf8'), problems);
  if (!source) {
    problems.throwIfAny();
    return { differences: [], examples: [] };
  }
  const entries = readEntries(source, problems);
  problems.throwIfAny();
  return entries;
}

function readEntries(source: YamlSource, problems: ProblemList): { differences: AllowEntry[]; examples: ExampleAllowEntry[] } {
  const data = source.data;
  const none = { differences: [], examples: [] };
  // A file holding only comments is an empty list.
  if (data === null || data === undefined) return none;
  if (!isRecord(data) || !('allow' in data)) {
    problems.add(source.at([]), 'expected a map with the key `allow:` holding a list of entries (method, kind, path, reason)');
    return none;
  }
  for (const key of Object.keys(data)) {
    if (key !== 'allow') problems.add(source.keyAt([key]), `unknown key "${key}"; the file has only \`allow:\``);
  }
  const list = data.allow ?? [];
  if (!Array.isArray(list)) {
    problems.add(source.at(['allow']), '`allow` must be a list of entries (write `allow: []` for none)');
    return none;
  }
  const entries: AllowEntry[] = [];
  const examples: ExampleAllowEntry[] = [];
  const seen = new Map<string, AllowEntry>();
  const seenExamples = new Map<string, ExampleAllowEntry>();
  list.forEach((raw: unknown, i: number) => {
    if (isRecord(raw) && 'example' in raw) {
      const entry = readExampleEntry(source, raw, i, problems);
      if (!entry) return;
      const first = seenExamples.get(entry.example);
      if (first) {
        problems.add(entry.at, `duplicate entry: ${first.at.file}:${first.at.line}:${first.at.col} already explains the example ${entry.example}`);
        return;
      }
      seenExamples.set(entry.example, entry);
      examples.push(entry);
      return;
    }
    const entry = readEntry(source, raw, i, problems);
    if (!entry) return;
    const key = `${entry.method}\u0000${entry.kind}\u0000${entry.path}`;
    const first = seen.get(key);
    if (first) {
      problems.add(entry.at, `duplicate entry: ${first.at.file}:${first.at.line}:${first.at.col} already allows ${entry.kind}${entry.path ? ` ${entry.path}` : ''} in ${entry.method}`);
      return;
    }
    seen.set(key, entry);
    entries.push(entry);
  });
  return { differences: entries, examples };
}

function readExampleEntry(source: YamlSource, raw: Record<string, unknown>, i: number, problems: ProblemList): ExampleAllowEntry | undefined {
  const here = ['allow', i];
  let ok = true;
  const bad = (key: string, message: string, atKey = false): void => {
    problems.add(atKey ? source.keyAt([...here, key]) : source.at(key in raw ? [...here, key] : here), `allow[${i}].${key}: ${message}`);
    ok = false;
  };
  for (const key of Object.keys(raw)) {
    if (!EXAMPLE_KEYS.includes(key)) bad(key, `unknown key${suggest(key, EXAMPLE_KEYS)}; an example entry has only example and reason`, true);
  }
  const { example, reason } = raw;
  if (typeof example !== 'string' || !EXAMPLE_ID.test(example)) {
    bad('example', 'must be an example id as docs-diff prints it: <page>#<section>/<tab or form>/<n>, such as imbot.v2/events/events.md#webhook-payload/json/1');
  }
  if (typeof reason !== 'string' || reason.trim() === '') bad('reason', 'required: say why the example does not conform (and where the evidence is), so the next reader can judge it');
  if (!ok) return undefined;
  return { example: example as string, reason: (reason as string).trim(), at: source.at(here) };
}

function readEntry(source: YamlSource, raw: unknown, i: number, problems: ProblemList): AllowEntry | undefined {
  const here = ['allow', i];
  if (!isRecord(raw)) {
    problems.add(source.at(here), `allow[${i}]: an entry is a map with method, kind, path and reason`);
    return undefined;
  }
  let ok = true;
  const bad = (key: string, message: string, atKey = false): void => {
    problems.add(atKey ? source.keyAt([...here, key]) : source.at(key in raw ? [...here, key] : here), `allow[${i}].${key}: ${message}`);
    ok = false;
  };
  for (const key of Object.keys(raw)) {
    if (!ENTRY_KEYS.includes(key)) bad(key, `unknown key${suggest(key, ENTRY_KEYS)}; an entry has ${ENTRY_KEYS.join(', ')}`, true);
  }
  const { method, kind, path, reason } = raw;
  if (typeof method !== 'string' || method.trim() === '') bad('method', 'required: the REST method (e.g. imbot.v2.Chat.Message.send), or systemErrors');
  if (typeof kind !== 'string' || !KINDS.includes(kind)) {
    const shown = typeof kind === 'string' ? `"${kind}" is not a difference kind${suggest(kind, KINDS)}` : 'required';
    bad('kind', `${shown}; kinds: ${KINDS.join(', ')}`);
  }
  const methodLevel = typeof kind === 'string' && METHOD_LEVEL_KINDS.has(kind as DifferenceKind);
  if (path !== undefined && typeof path !== 'string') bad('path', 'must be a string, such as fields.properties.name');
  else if (methodLevel && path !== undefined && path !== '') bad('path', `${kind} is about the whole method; leave path out`);
  else if (!methodLevel && (path === undefined || path === '')) bad('path', 'required: the parameter or result path, `<path>=<value>` for enum values, or the error code (as docs-diff prints it)');
  if (typeof reason !== 'string' || reason.trim() === '') bad('reason', 'required: say why the spec departs from the docs, so the next reader can judge it');
  if (!ok) return undefined;
  return { method: method as string, kind: kind as DifferenceKind, path: (path as string | undefined) ?? '', reason: (reason as string).trim(), at: source.at(here) };
}

/** Marks the differences the allowlist explains; returns them and the entries that matched nothing. */
export function applyAllowlist(differences: Difference[], entries: AllowEntry[]): { checked: CheckedDifference[]; stale: AllowEntry[] } {
  const used = new Set<AllowEntry>();
  const checked = differences.map((d): CheckedDifference => {
    const entry = entries.find((e) => e.method === d.method && e.kind === d.kind && e.path === d.path);
    if (!entry) return d;
    used.add(entry);
    return { ...d, explainedBy: entry };
  });
  return { checked, stale: entries.filter((e) => !used.has(e)) };
}

/**
 * Marks the examples an entry explains (an entry covers whatever is wrong with its example:
 * unreadable, unattributed or not conforming); returns the entries that explain nothing: no
 * example has that id, or it now conforms.
 */
export function explainExamples(examples: CheckedExample[], entries: ExampleAllowEntry[]): { stale: ExampleAllowEntry[] } {
  const byId = new Map(entries.map((e) => [e.example, e]));
  const used = new Set<ExampleAllowEntry>();
  for (const c of examples) {
    if (c.status === 'conforming') continue;
    const entry = byId.get(c.example.id);
    if (!entry) continue;
    c.explainedBy = entry;
    used.add(entry);
  }
  return { stale: entries.filter((e) => !used.has(e)) };
}

function suggest(word: string, options: string[]): string {
  let best = '';
  let bestDistance = Math.max(3, Math.floor(word.length / 3)) + 1;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestDistance) {
      best = o;
      bestDistance = d;
    }
  }
  return best ? `; did you mean "${best}"?` : '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
