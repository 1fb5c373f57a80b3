import type { Level } from './rules.js';
import { reachCount, subjectLabel, summaryLine, type DiffReport } from './report.js';

const COMMAND: Record<Level, string> = { breaking: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands: one annotation per change at its spec file and line (the
 * repository path diffSides gives; a file outside the repository gets no place), labelled
 * `method X`, `event X` or `type X`. An annotation identical to one already written (same place,
 * same text) is written once.
 */
export function formatGithub(r: DiffReport): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const c of r.changes) {
    const props = [`title=${property(`${c.rule} (${c.level})`)}`];
    if (c.at && !c.at.file.includes(':') && !c.at.file.startsWith('/')) props.unshift(`file=${property(c.at.file)}`, `line=${c.at.line}`, `col=${c.at.col}`);
    const reach = c.reaches ? ` (reaches ${reachCount(c)})` : '';
    const line = `::${COMMAND[c.level]} ${props.join(',')}::${data(`${subjectLabel(c.kind, c.subject)}: ${c.message}${reach}`)}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  lines.push(`::notice title=spec diff::${data(summaryLine(r))}`);
  return `${lines.join('\n')}\n`;
}

// Escaping as the runner parses workflow commands (actions/toolkit, command.ts).
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
