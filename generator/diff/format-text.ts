import { styleText } from 'node:util';
import type { Level } from './rules.js';
import { bySubject, reachCount, subjectLabel, summaryLine, type DiffReport } from './report.js';

const STYLE: Record<Level, Parameters<typeof styleText>[0]> = { breaking: 'red', warning: 'yellow', info: 'cyan' };

/**
 * Terminal text: a heading per type, method or event (`type BotToken`, `method imbot.v2.Bot.list`,
 * `event ONIMBOTV2MESSAGEADD`), one line per change; a type's change lists what it reaches.
 * Colour only when `color` (the caller checks for a TTY and NO_COLOR).
 */
export function formatText(r: DiffReport, color: boolean): string {
  const paint = (level: Level, text: string) => (color ? styleText(STYLE[level], text, { validateStream: false }) : text);
  const lines = [`spec diff ${r.base} -> ${r.head}`, ''];
  if (r.changes.length === 0) lines.push('no changes');
  for (const group of bySubject(r.changes)) {
    lines.push(subjectLabel(group.kind, group.subject));
    for (const c of group.changes) {
      lines.push(`  ${paint(c.level, c.level.padEnd(8))} ${c.rule.padEnd(36)} ${c.message}`);
      if (c.reaches) lines.push(`           reaches ${reachCount(c)}: ${c.reaches.map((x) => (x.level === c.level ? x.name : `${x.name} (${x.level})`)).join(', ')}`);
    }
    lines.push('');
  }
  lines.push(summaryLine(r));
  return `${lines.join('\n')}\n`;
}
