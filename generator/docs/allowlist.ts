import { existsSync, readFileSync } from 'node:fs';
import type { SourceLocation } from '../model/ir.js';
import { ProblemList } from '../load/spec-error.js';
import { editDistance } from '../load/validate.js';
import { YamlSource } from '../load/yaml-source.js';
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

export interface CheckedDifference extends Difference {
  /** Set when an allowlist entry explains the difference. */
  explainedBy?: AllowEntry;
}

const ENTRY_KEYS = ['method', 'kind', 'path', 'reason'];
const KINDS = Object.keys(DIFFERENCE_KINDS);

/**
 * Reads and checks the allowlist; a missing file is an empty list. Throws a SpecError listing
 * every bad entry as `file:line:col: message`.
 */
export function loadAllowlist(path: string, displayName: string): AllowEntry[] {
  if (!existsSync(path)) return [];
  const problems = new ProblemList();
  const source = YamlSource.parse(displayName, readFileSync(path, 'utf8'), problems);
  if (!source) {
    problems.throwIfAny();
    return [];
  }
  const entries = readEntries(source, problems);
  problems.throwIfAny();
  return entries;
}

function readEntries(source: YamlSource, problems: ProblemList): AllowEntry[] {
  const data = source.data;
  // A file holding only comments is an empty list.
  if (data === null || data === undefined) return [];
  if (!isRecord(data) || !('allow' in data)) {
    problems.add(source.at([]), 'expected a map with the key `allow:` holding a list of entries (method, kind, path, reason)');
    return [];
  }
  for (const key of Object.keys(data)) {
    if (key !== 'allow') problems.add(source.keyAt([key]), `unknown key "${key}"; the file has only \`allow:\``);
  }
  const list = data.allow ?? [];
  if (!Array.isArray(list)) {
    problems.add(source.at(['allow']), '`allow` must be a list of entries (write `allow: []` for none)');
    return [];
  }
  const entries: AllowEntry[] = [];
  const seen = new Map<string, AllowEntry>();
  list.forEach((raw: unknown, i: number) => {
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
  return entries;
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
