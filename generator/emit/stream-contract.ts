import type { Api, EnumType, MethodSpec, TypeNode } from '../model/ir.js';
import type { ProblemList } from '../load/spec-error.js';
import { boundMethods } from './client-file.js';

/**
 * The bound bot's `events()` stream (runtime/event-stream.ts) calls `imbot.v2.Event.get` and reads
 * its answer as an `EventPage`: `events[]` items with `eventId`, `type`, `date`, `data`, and a
 * required integer `nextOffset` and boolean `hasMore`; it sends `offset`, `limit` and
 * `withUserEvents`. A spec whose Event.get no longer fits would print a client that does not
 * compile, so each misfit is refused here, located at the spec, before anything prints.
 */
export function checkEventStreamContract(api: Api, problems: ProblemList): void {
  if (api.events.length === 0) return;
  const method = boundMethods(api).find((m) => m.name === 'imbot.v2.Event.get');
  if (!method) return;
  const named = new Map(api.types.map((t) => [t.name, t.type]));
  const resolve = (t: TypeNode | EnumType): TypeNode | EnumType => {
    let cur = t;
    for (let i = 0; cur.kind === 'ref' && i < 32; i++) {
      const next = named.get(cur.name);
      if (!next) break;
      cur = next.kind === 'enum' ? next : { ...next, nullable: next.nullable || cur.nullable };
    }
    return cur;
  };
  const refuse = (where: string, what: string) =>
    problems.add(method.at, `${method.name}: ${where} must be ${what}: the bound bot's events() stream reads Event.get's answer that way (runtime/event-stream.ts); change the spec back, or the stream with it`);
  const member = (t: TypeNode | EnumType, name: string) => {
    const o = resolve(t);
    return o.kind === 'object' ? o.properties.find((p) => p.name === name) : undefined;
  };
  const isPrimitive = (t: TypeNode | EnumType | undefined, names: string[]) => {
    if (!t) return false;
    const r = resolve(t);
    return !r.nullable && ((r.kind === 'primitive' && names.includes(r.name)) || (r.kind === 'enum' && names.includes(r.base)));
  };
  checkResult(method, resolve, member, isPrimitive, refuse);
  // offset and limit are always sent; withUserEvents only when a caller asks, so it may be absent.
  for (const [name, types, mayLack] of [['offset', ['integer'], false], ['limit', ['integer'], false], ['withUserEvents', ['boolean'], true]] as const) {
    const p = member(method.params, name);
    if (!p && mayLack) continue;
    if (!p || p.required || !isPrimitive(p.type, [...types])) refuse(`params.${name}`, `an optional ${types.join(' or ')}`);
  }
}

function checkResult(
  method: MethodSpec,
  resolve: (t: TypeNode | EnumType) => TypeNode | EnumType,
  member: (t: TypeNode | EnumType, name: string) => { required: boolean; type: TypeNode } | undefined,
  isPrimitive: (t: TypeNode | EnumType | undefined, names: string[]) => boolean,
  refuse: (where: string, what: string) => void,
): void {
  const events = member(method.result, 'events');
  const list = events && resolve(events.type);
  if (!events?.required || !list || list.kind !== 'array' || list.nullable) {
    refuse('result.events', 'a required, non-null array');
  } else {
    const item = list.items;
    for (const [name, types] of [['eventId', ['integer']], ['type', ['string']], ['date', ['string']]] as const) {
      const p = member(item, name);
      if (!p?.required || !isPrimitive(p.type, [...types])) refuse(`result.events[].${name}`, `a required ${types[0]}`);
    }
    const data = member(item, 'data');
    if (!data?.required) refuse('result.events[].data', 'required');
  }
  const next = member(method.result, 'nextOffset');
  if (!next?.required || !isPrimitive(next.type, ['integer'])) refuse('result.nextOffset', 'a required, non-null integer');
  const more = member(method.result, 'hasMore');
  if (!more?.required || !isPrimitive(more.type, ['boolean'])) refuse('result.hasMore', 'a required, non-null boolean');
}
