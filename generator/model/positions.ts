import type { Api, EnumType, NamedType, SourceLocation, TypeNode } from './ir.js';

/**
 * Where a type is used decides how an open enum in it is typed: in what callers send (`input`:
 * params) it stays closed, in what they read (`output`: results, event data) any other value may
 * come. Emitters (TypeScript and OpenAPI) ask this module, so both read a type the same way.
 */
export type Position = 'input' | 'output';

/** Where each named type is reached from: params, results/events, or both (first place of each). */
export interface NamedTypeUse {
  input?: SourceLocation;
  output?: SourceLocation;
}

/** For every named type reachable from a method's params or from a result or event data, where it is reached. */
export function namedTypeUses(api: Api): Map<string, NamedTypeUse> {
  const byName = new Map(api.types.map((t) => [t.name, t]));
  const uses = new Map<string, NamedTypeUse>();
  const visit = (node: TypeNode | EnumType, position: Position, at: SourceLocation): void => {
    switch (node.kind) {
      case 'ref': {
        const use = uses.get(node.name) ?? {};
        if (use[position]) return; // already walked from this side
        use[position] = node.at ?? at;
        uses.set(node.name, use);
        const target = byName.get(node.name);
        if (target) visit(target.type, position, at);
        return;
      }
      case 'array':
        return visit(node.items, position, at);
      case 'union':
        return node.variants.forEach((v) => visit(v, position, at));
      case 'object':
        node.properties.forEach((p) => visit(p.type, position, p.at));
        if (typeof node.additionalProperties === 'object') visit(node.additionalProperties, position, at);
        return;
      default:
        return;
    }
  };
  for (const m of api.methods) {
    visit(m.params, 'input', m.at);
    visit(m.result, 'output', m.at);
  }
  for (const e of api.events) visit(e.data, 'output', e.at);
  return uses;
}

/**
 * The position a named type's one declaration is written for: `input` when only params reach
 * it, `output` otherwise (results, events, or unused). A type that reaches an open enum and is
 * used on both sides is refused by the loader (see `openEnumConflicts`), so this never has to
 * pick one side's typing for the other.
 */
export function declarationPosition(name: string, uses: Map<string, NamedTypeUse>): Position {
  const use = uses.get(name);
  return use?.input && !use.output ? 'input' : 'output';
}

/** The open enum a type reaches (through refs, arrays, unions and object members), if any. */
export function reachedOpenEnum(node: TypeNode | EnumType, api: Api, seen = new Set<string>()): string | undefined {
  switch (node.kind) {
    case 'ref': {
      if (seen.has(node.name)) return undefined;
      seen.add(node.name);
      const target = api.types.find((t) => t.name === node.name);
      if (target?.type.kind === 'enum') return target.type.open ? node.name : undefined;
      return target ? reachedOpenEnum(target.type, api, seen) : undefined;
    }
    case 'array':
      return reachedOpenEnum(node.items, api, seen);
    case 'union':
      for (const v of node.variants) {
        const found = reachedOpenEnum(v, api, seen);
        if (found) return found;
      }
      return undefined;
    case 'object':
      for (const p of node.properties) {
        const found = reachedOpenEnum(p.type, api, seen);
        if (found) return found;
      }
      return typeof node.additionalProperties === 'object' ? reachedOpenEnum(node.additionalProperties, api, seen) : undefined;
    default:
      return undefined;
  }
}

/**
 * Named non-enum types that contain an open enum and are used both in params and in results
 * or events: one declaration cannot be closed for one side and open for the other.
 */
export function openEnumConflicts(api: Api): { type: NamedType; openEnum: string; input: SourceLocation; output: SourceLocation }[] {
  const uses = namedTypeUses(api);
  const out: { type: NamedType; openEnum: string; input: SourceLocation; output: SourceLocation }[] = [];
  for (const t of api.types) {
    if (t.type.kind === 'enum') continue;
    const use = uses.get(t.name);
    if (!use?.input || !use.output) continue;
    const openEnum = reachedOpenEnum(t.type, api);
    if (openEnum) out.push({ type: t, openEnum, input: use.input, output: use.output });
  }
  return out;
}
