import type { SourceLocation } from '../model/ir.js';
import type { Change, FoundChange, Reach } from './change.js';
import type { Level } from './rules.js';

const WORST: Record<Level, number> = { breaking: 0, warning: 1, info: 2 };

/**
 * Group by cause: a change made inside a shared named type (found once per method or event that
 * reaches it) becomes one change under the type, at the type's place, with the level of its worst
 * effect and the list of methods and events it reaches (each with its own rule and level: a type
 * used in params and in results may break one side and not the other). Changes made in a
 * subject's own file stay as they are. `typeAt` gives a named type's declaration, for changes
 * found at a use of the type (a `$ref` param) rather than inside it.
 */
export function groupByCause(found: FoundChange[], typeAt: (name: string) => SourceLocation | undefined): Change[] {
  const out: Change[] = [];
  const groups = new Map<string, FoundChange[]>();
  for (const c of found) {
    if (!c.owner) {
      out.push(plain(c));
      continue;
    }
    // Docs changes of one type read best as one line listing what changed.
    const key = c.rule === 'docs-changed' ? `${c.owner.type}\0docs` : [c.owner.type, c.owner.path, neutral(c.rule), c.base ?? '', c.head ?? ''].join('\0');
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const list of groups.values()) {
    const sorted = [...list].sort((a, b) => WORST[a.level] - WORST[b.level]);
    const worst = sorted[0]!;
    const owner = worst.owner!;
    const reaches = new Map<string, Reach>();
    for (const c of sorted) {
      const key = `${c.found.kind} ${c.found.name}`;
      const reach = reaches.get(key);
      if (!reach) reaches.set(key, { kind: c.found.kind, name: c.found.name, rule: c.rule, level: c.level, paths: [c.subjectPath] });
      else if (!reach.paths.includes(c.subjectPath)) reach.paths.push(c.subjectPath);
    }
    const declared = typeAt(owner.type);
    const at = worst.at && declared && worst.at.file !== declared.file ? declared : (worst.at ?? declared);
    const isDocs = worst.rule === 'docs-changed';
    const message = isDocs ? `docs text changed: ${[...new Set(list.flatMap((c) => c.message.replace(/^docs text changed: /, '').split(', ')))].sort().join(', ')}` : worst.message;
    out.push({
      rule: worst.rule,
      level: worst.level,
      kind: 'type',
      subject: owner.type,
      path: isDocs ? '' : owner.path,
      message,
      ...(worst.base !== undefined ? { base: worst.base } : {}),
      ...(worst.head !== undefined ? { head: worst.head } : {}),
      ...(at ? { at } : {}),
      reaches: [...reaches.values()].map((r) => ({ ...r, paths: r.paths.sort() })).sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === 'method' ? -1 : 1)),
    });
  }
  return out;
}

/** The same change seen from params or results: `property-removed`, `property-added`. */
function neutral(rule: string): string {
  return rule.replace(/^new-(required|optional)-request-property$/, 'property-added').replace(/^(request|response)-/, '');
}

function plain(c: FoundChange): Change {
  const { owner: _owner, subjectPath: _subjectPath, found: _found, ...rest } = c;
  return rest;
}
