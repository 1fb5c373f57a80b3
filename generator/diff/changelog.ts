import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Change } from './change.js';

/** Rules that only add to what users can do. */
const ADDITIONS = new Set([
  'api-path-added',
  'new-optional-request-property',
  'request-property-became-optional',
  'request-property-type-widened',
  'request-property-enum-value-added',
  'request-property-range-widened',
  'event-added',
  'response-property-added',
  'x-idempotent-added',
]);

/**
 * The body of a CHANGELOG entry: list items under Breaking / Added / Changed headings, written
 * for the package's users (docs-only changes are left out unless nothing else changed).
 */
export function changelogBody(changes: Change[]): string {
  const groups: [string, Change[]][] = [
    ['Breaking', changes.filter((c) => c.level === 'breaking')],
    ['Added', changes.filter((c) => ADDITIONS.has(c.rule))],
  ];
  const listed = new Set(groups.flatMap(([, list]) => list));
  const rest = changes.filter((c) => !listed.has(c) && c.rule !== 'docs-changed');
  groups.push(['Changed', rest]);
  const parts = groups.filter(([, list]) => list.length > 0).map(([title, list]) => `### ${title}\n\n${list.map(item).join('\n')}\n`);
  if (parts.length === 0) return changes.length > 0 ? '- Documentation of the methods updated.\n' : '- No API changes.\n';
  return parts.join('\n');
}

function item(c: Change): string {
  const who = c.kind === 'method' ? `\`${c.subject}\`` : `${c.kind} \`${c.subject}\``;
  const reach = c.reaches ? ` (${c.reaches.map((r) => r.name).join(', ')})` : '';
  return `- ${who}: ${c.message.replace(/\n/g, ' ')}${reach}`;
}

/**
 * Puts a dated entry for `version` at the top of a CHANGELOG (below its title), replacing an
 * entry for the same version already at the top, so running twice does not duplicate it.
 * Written through a temp file and a rename.
 */
export function writeChangelogEntry(path: string, version: string, date: string, body: string): void {
  let existing = '';
  try {
    existing = readFileSync(path, 'utf8');
  } catch {
    // a new file
  }
  let rest = existing.replace(/^# Changelog\n+/, '');
  const heading = `## ${version} (`;
  if (rest.startsWith(heading)) {
    const next = rest.indexOf('\n## ', 1);
    rest = next === -1 ? '' : rest.slice(next + 1);
  }
  const entry = `## ${version} (${date})\n\n${body.trimEnd()}\n`;
  const text = `# Changelog\n\n${entry}${rest ? `\n${rest.trimEnd()}\n` : ''}`;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, 'utf8');
  renameSync(temp, path);
}
