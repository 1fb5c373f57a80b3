import type { DiffReport } from './report.js';

/**
 * The JSON output's schema version; bump it when a field changes meaning or goes away.
 * 2: `method` became `method`, `event` or `type` by what the change is about; `reaches`; `file`
 * is the path in the repository.
 */
export const JSON_FORMAT_VERSION = 2;

/** Stable JSON (schema in RULES.md, "JSON output"): fixed key order, changes in report order. */
export function formatJson(r: DiffReport): string {
  const doc = {
    version: JSON_FORMAT_VERSION,
    base: r.base,
    head: r.head,
    bump: r.bump,
    ...(r.version ? { packageVersion: r.version } : {}),
    summary: r.summary,
    changes: r.changes.map((c) => ({
      rule: c.rule,
      level: c.level,
      [c.kind]: c.subject,
      path: c.path,
      message: c.message,
      ...(c.base !== undefined ? { base: c.base } : {}),
      ...(c.head !== undefined ? { head: c.head } : {}),
      ...(c.at ? { file: c.at.file, line: c.at.line, col: c.at.col } : {}),
      ...(c.reaches ? { reaches: c.reaches.map((x) => ({ [x.kind]: x.name, rule: x.rule, level: x.level, paths: x.paths })) } : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
