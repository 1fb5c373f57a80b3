import type { Api } from '../model/ir.js';
import type { Change } from './change.js';
import { RULES } from './rules.js';
import type { TypeSide } from './types.js';

/**
 * Named types the client stops exporting. Every named type of the spec is exported by the
 * package (`import type { BotToken }`, `ChatRole.guest`), so one that is gone breaks code naming
 * it even when every method still has the same shape (a renamed type changes no path the walk
 * compares). A type gone with the method or event file that declared it is left to that removal.
 * A type gone while exactly one new type of the same shape appears is reported as renamed.
 */
export function compareTypeNames(b: TypeSide, h: TypeSide): Change[] {
  const base = b.api;
  const head = h.api;
  const headNames = new Set(head.types.map((t) => t.name));
  const baseNames = new Set(base.types.map((t) => t.name));
  const goneFiles = removedFiles(base, head);
  const added = head.types.filter((t) => !baseNames.has(t.name));
  const out: Change[] = [];
  for (const t of base.types) {
    if (headNames.has(t.name) || goneFiles.has(t.at.file)) continue;
    const shape = b.shape(t.type);
    const twins = added.filter((a) => h.shape(a.type) === shape);
    const uses = t.type.kind === 'enum' ? ` or its values (${t.name}.${String(t.type.values[0]?.value ?? 'x')})` : '';
    const message =
      twins.length === 1
        ? `${t.name} is now ${twins[0]!.name}: code naming ${t.name}${uses} stops compiling`
        : `${t.name} is no longer exported: code naming ${t.name}${uses} stops compiling`;
    out.push({ rule: RULES.typeRemoved.id, level: RULES.typeRemoved.level, kind: 'type', subject: t.name, path: '', message, base: t.name, ...(twins.length === 1 ? { head: twins[0]!.name, at: twins[0]!.at } : { at: t.at }) });
  }
  return out;
}

/** Files of methods and events that the head no longer has. */
function removedFiles(base: Api, head: Api): Set<string> {
  const methods = new Set(head.methods.map((m) => m.name));
  const events = new Set(head.events.map((e) => e.name));
  return new Set([...base.methods.filter((m) => !methods.has(m.name)).map((m) => m.at.file), ...base.events.filter((e) => !events.has(e.name)).map((e) => e.at.file)]);
}
