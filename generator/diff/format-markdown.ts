import { markdownCode, markdownText } from '../emit/escape.js';
import type { Change } from './change.js';
import { LEVELS, type Level } from './rules.js';
import { byMethod, summaryLine, type DiffReport } from './report.js';

const HEADINGS: Record<Level, string> = { breaking: 'Breaking changes', warning: 'Warnings', info: 'Info' };
const ICONS: Record<Level, string> = { breaking: '🔴', warning: '🟡', info: '🔵' };

/** A PR comment: summary line, then breaking changes, warnings and info, each grouped by method. */
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

function section(changes: Change[]): string[] {
  const out: string[] = [];
  for (const [method, list] of byMethod(changes)) {
    out.push(`**${markdownCode(method)}**`, '');
    for (const c of list) out.push(`- ${markdownCode(c.rule)}${c.path ? ` ${markdownCode(c.path)}` : ''}: ${markdownText(c.message)}`);
    out.push('');
  }
  return out;
}
