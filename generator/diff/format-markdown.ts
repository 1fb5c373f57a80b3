import { markdownCode, markdownText } from '../emit/escape.js';
import type { Change } from './change.js';
import { LEVELS, type Level } from './rules.js';
import { bySubject, reachCount, subjectLabel, summaryLine, type DiffReport } from './report.js';

const HEADINGS: Record<Level, string> = { breaking: 'Breaking changes', warning: 'Warnings', info: 'Info' };
const ICONS: Record<Level, string> = { breaking: '🔴', warning: '🟡', info: '🔵' };
/** Up to this many places a type's change reaches are listed inline; more go into a collapsed list. */
const INLINE_REACHES = 4;

/**
 * A PR comment: summary line, then breaking changes, warnings and info (collapsed), each grouped
 * by type, method or event. A shared type's change is one item naming how far it reaches.
 */
export function formatMarkdown(r: DiffReport): string {
  const out = ['<!-- b24gen-spec-diff -->', `### Spec diff: ${markdownText(summaryLine(r))}`, ''];
  if (r.changes.length === 0) out.push('No changes to the API.', '');
  for (const level of LEVELS) {
    const changes = r.changes.filter((c) => c.level === level);
    if (changes.length === 0) continue;
    const body = section(changes);
    if (level === 'info') out.push(`<details><summary>${ICONS[level]} ${HEADINGS[level]} (${changes.length})</summary>`, '', ...body, '</details>', '');
    else out.push(`#### ${ICONS[level]} ${HEADINGS[level]} (${changes.length})`, '', ...body);
  }
  out.push(`<sub>${markdownText(`${r.base} -> ${r.head}`)} · rules: generator/diff/RULES.md</sub>`);
  return `${out.join('\n')}\n`;
}

/** The same change (rule, path, message) on at least this many methods or events is one item listing them. */
const SAME_CHANGE = 3;

function section(changes: Change[]): string[] {
  // Shared types first: one cause each, however many methods they reach.
  const out = bySubject(changes.filter((c) => c.kind === 'type')).flatMap(subjectItems);
  // The same change made in many methods' own files (16 results turned into objects) reads as one item.
  const same = new Map<string, Change[]>();
  for (const c of changes) {
    if (c.kind === 'type') continue;
    const key = [c.kind, c.rule, c.path, c.message].join('\0');
    same.set(key, [...(same.get(key) ?? []), c]);
  }
  const listed = new Set<Change>();
  for (const list of same.values()) {
    if (list.length < SAME_CHANGE) continue;
    const c = list[0]!;
    out.push(`**${list.length} ${c.kind}s**`, '', `- ${markdownCode(c.rule)}${c.path ? ` ${markdownCode(c.path)}` : ''}: ${markdownText(c.message)}`);
    out.push(...collapsed(`${list.length} ${c.kind}s`, list.map((x) => markdownCode(x.subject))), '');
    for (const x of list) listed.add(x);
  }
  out.push(...bySubject(changes.filter((c) => c.kind !== 'type' && !listed.has(c))).flatMap(subjectItems));
  return out;
}

/** A heading for the type, method or event, then one item per change. */
function subjectItems(group: ReturnType<typeof bySubject>[number]): string[] {
  const out = [`**${group.kind}** ${markdownCode(group.subject)}`, ''];
  for (const c of group.changes) {
    out.push(`- ${markdownCode(c.rule)}${c.path ? ` ${markdownCode(c.path)}` : ''}: ${markdownText(c.message)}`);
    if (c.reaches) out.push(...reaches(c));
  }
  out.push('');
  return out;
}

function reaches(c: Change): string[] {
  const names = c.reaches!.map((x) => `${markdownCode(x.name)}${x.level === c.level ? '' : ` (${x.level})`}`);
  return collapsed(`reaches ${reachCount(c)}`, names, 'reaches ');
}

/** A list of names under an item: inline when short, else in a collapsed block. */
function collapsed(summary: string, names: string[], inlinePrefix = ''): string[] {
  if (names.length <= INLINE_REACHES) return [`  ${inlinePrefix}${names.join(', ')}`];
  return [`  <details><summary>${markdownText(summary)}</summary>`, '', `  ${names.join(', ')}`, '', '  </details>'];
}
