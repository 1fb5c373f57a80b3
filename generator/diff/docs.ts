import type { Api, EnumType, NamedType, TypeNode } from '../model/ir.js';
import { change, type FoundChange, type Subject } from './change.js';
import { RULES } from './rules.js';
import type { TypeSide } from './types.js';

/**
 * The docs of a named type itself: its description and its enum values' display names (`text`)
 * and descriptions. Compared once per type (its members' descriptions are compared where the
 * walk meets them), and reported at every method and event using it, so that group.ts lists
 * them under the type; a type declared in its only user's file stays that user's.
 */
export function compareNamedTypeDocs(b: TypeSide, h: TypeSide): FoundChange[] {
  const out: FoundChange[] = [];
  const before = new Map(b.api.types.map((t) => [t.name, t]));
  const users = typeUsers(h.api);
  for (const y of h.api.types) {
    const x = before.get(y.name);
    if (!x) continue;
    const changed = docsChanges(x, y);
    if (changed.length === 0) continue;
    for (const { subject, paths } of users.get(y.name) ?? []) {
      const shared = y.at.file !== subject.file;
      const owner = shared ? { type: y.name, path: '' } : undefined;
      const where = shared ? changed : changed.map((c) => `${y.name}${c === 'description' ? ' description' : c}`);
      out.push(change(RULES.docsChanged, subject, paths[0] ?? '', `docs text changed: ${where.join(', ')}`, { owner, at: y.at }));
    }
  }
  return out;
}

/** `description`, `=value text`, `=value description`: what changed in a type's own docs. */
function docsChanges(x: NamedType, y: NamedType): string[] {
  const out: string[] = [];
  if ((x.description ?? x.type.description) !== (y.description ?? y.type.description)) out.push('description');
  if (x.type.kind === 'enum' && y.type.kind === 'enum') {
    const old = new Map((x.type as EnumType).values.map((v) => [v.value, v]));
    for (const v of (y.type as EnumType).values) {
      const u = old.get(v.value);
      if (!u) continue;
      if (u.text !== v.text) out.push(`=${v.value} text`);
      if (u.description !== v.description) out.push(`=${v.value} description`);
    }
  }
  return out;
}

/** For each named type, the methods and events that reach it (through other named types too) and where. */
export function typeUsers(api: Api): Map<string, { subject: Subject; paths: string[] }[]> {
  const byName = new Map(api.types.map((t) => [t.name, t]));
  const users = new Map<string, { subject: Subject; paths: string[] }[]>();
  const walkSubject = (subject: Subject, roots: [string, TypeNode][]) => {
    const seen = new Map<string, string[]>();
    const visit = (node: TypeNode | EnumType, path: string, depth: number): void => {
      if (depth > 12) return;
      switch (node.kind) {
        case 'ref': {
          const paths = seen.get(node.name);
          if (paths) {
            paths.push(path);
            return;
          }
          seen.set(node.name, [path]);
          const target = byName.get(node.name);
          if (target) visit(target.type, path, depth + 1);
          return;
        }
        case 'array':
          return visit(node.items, `${path}[]`, depth + 1);
        case 'union':
          return node.variants.forEach((v) => visit(v, path, depth + 1));
        case 'object':
          node.properties.forEach((p) => visit(p.type, `${path}.${p.name}`, depth + 1));
          if (typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${path}.*`, depth + 1);
          return;
        default:
          return;
      }
    };
    for (const [prefix, node] of roots) visit(node, prefix, 0);
    for (const [name, paths] of seen) users.set(name, [...(users.get(name) ?? []), { subject, paths }]);
  };
  for (const m of api.methods) walkSubject({ kind: 'method', name: m.name, file: m.at.file }, [['params', m.params], ['result', m.result]]);
  for (const e of api.events) walkSubject({ kind: 'event', name: e.name, file: e.at.file }, [['data', e.data]]);
  return users;
}
