import { styleText } from 'node:util';
import type { Level } from './rules.js';
import { byMethod, summaryLine, type DiffReport } from './report.js';

const STYLE: Record<Level, Parameters<typeof styleText>[0]> = { breaking: 'red', warning: 'yellow', info: 'cyan' };

/** Terminal text; colour only when `color` (the caller checks for a TTY and NO_COLOR). */
export function formatText(r: DiffReport, color: boolean): string {
  const paint = (level: Level, text: string) => (color ? styleText(STYLE[level], text, { validateStream: false }) : text);
  const lines = [`spec diff ${r.base} -> ${r.head}`, ''];
  if (r.changes.length === 0) lines.push('no changes');
  for (const [method, changes] of byMethod(r.changes)) {
    lines.push(method);
    for (const c of changes) lines.push(`  ${paint(c.level, c.level.padEnd(8))} ${c.rule.padEnd(36)} ${c.message}`);
    lines.push('');
  }
  lines.push(summaryLine(r));
  return `${lines.join('\n')}\n`;
}
