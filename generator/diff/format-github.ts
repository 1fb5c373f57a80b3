import type { Level } from './rules.js';
import { summaryLine, type DiffReport } from './report.js';

const COMMAND: Record<Level, string> = { breaking: 'error', warning: 'warning', info: 'notice' };

/** GitHub Actions workflow commands: one annotation per change, at the spec file and line. */
export function formatGithub(r: DiffReport): string {
  const lines = r.changes.map((c) => {
    const props = [`title=${property(`${c.rule} (${c.level})`)}`];
    if (c.at && !c.at.file.includes(':')) props.unshift(`file=${property(c.at.file)}`, `line=${c.at.line}`, `col=${c.at.col}`);
    return `::${COMMAND[c.level]} ${props.join(',')}::${data(`${c.method}: ${c.message}`)}`;
  });
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
