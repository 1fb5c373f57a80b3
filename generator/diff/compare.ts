import { objectKey } from '../emit/escape.js';
import { errorClassName } from '../emit/names.js';
import { allErrorCodes, compareStrings, errorsOf, type Api, type EnumType, type EventSpec, type MethodSpec, type ObjectType, type Property, type SourceLocation } from '../model/ir.js';
import { change, type Change, type FoundChange, type Owner, type Subject } from './change.js';
import { compareNamedTypeDocs } from './docs.js';
import { groupByCause } from './group.js';
import { compareTypeNames } from './type-names.js';
import { matchMoves, matchRenames } from './moves.js';
import { RULES, type Rule } from './rules.js';
import { flatten, TypeSide, type FlatMember, type IsShared, type Resolved } from './types.js';

/**
 * IR diff: every change from `base` to `head`, judged by what it does to code written against the
 * generated client. Every method and event is walked to the bottom (array items, union
 * variants, named types, event data); a change made in a shared named type is then reported
 * once under the type (group.ts). Sorted breaking first, then by subject and path.
 */
export function compareApis(base: Api, head: Api): Change[] {
  const b = new TypeSide(base);
  const h = new TypeSide(head);
  const out: FoundChange[] = [];
  const headByName = new Map(head.methods.map((m) => [m.name, m]));
  const baseByName = new Map(base.methods.map((m) => [m.name, m]));
  for (const bm of base.methods) {
    const hm = headByName.get(bm.name);
    if (!hm) out.push(change(RULES.apiPathRemoved, subjectOf(bm), '', `${bm.name} was removed: calls to it stop compiling`, { at: bm.at }));
    else compareMethod(bm, hm, new Walk(subjectOf(hm), b, h, bm.at.file, out));
  }
  for (const hm of head.methods) {
    if (!baseByName.has(hm.name)) out.push(change(RULES.apiPathAdded, subjectOf(hm), '', `${hm.name} was added`, { at: hm.at }));
  }
  compareEvents(base, head, b, h, out);
  out.push(...compareNamedTypeDocs(b, h));
  const declared = (name: string) => (head.types.find((t) => t.name === name) ?? base.types.find((t) => t.name === name))?.at;
  return [...groupByCause(out, declared), ...compareTypeNames(b, h)].sort(byLevelThenPlace);
}

function subjectOf(x: MethodSpec | EventSpec): Subject {
  return 'data' in x ? { kind: 'event', name: x.name, file: x.at.file } : { kind: 'method', name: x.name, file: x.at.file };
}

/** One method or event being compared: where changes go, and which named types count as shared on each side. */
class Walk {
  readonly bShared: IsShared;
  readonly hShared: IsShared;
  readonly docs: string[] = [];

  constructor(
    readonly s: Subject,
    readonly b: TypeSide,
    readonly h: TypeSide,
    baseFile: string,
    readonly out: FoundChange[],
  ) {
    this.bShared = b.sharedFrom(baseFile);
    this.hShared = h.sharedFrom(s.file);
  }

  add(rule: Rule, path: string, message: string, extra: Partial<Change> & { owner?: Owner } = {}): void {
    this.out.push(change(rule, this.s, path, message, extra));
  }

  /** The owner of a member's type: the named type itself when both sides refer to the same shared one, else where the member is declared. */
  typeOwner(bt: Resolved, ht: Resolved, member?: Owner): Owner | undefined {
    if (bt.kind === 'ref' && ht.kind === 'ref' && bt.name === ht.name && this.hShared(ht.name)) return { type: ht.name, path: '' };
    return member;
  }
}

/** How a place reads in a message: `Bot.appId` inside a shared type, else the path in the subject. */
function place(path: string, owner: Owner | undefined): string {
  if (!owner) return path;
  return owner.path === '' ? owner.type : `${owner.type}.${owner.path}`;
}

/** A result or data field in a message: `result field bots[].appId`, or `field Bot.appId` inside a shared type (which results and event data may share). */
function field(prefix: string, path: string, owner: Owner | undefined): string {
  return owner ? `field ${place(path, owner)}` : `${prefix} field ${path}`;
}

/** Events: removed or added, and their `data` judged like a result (users read it). */
function compareEvents(base: Api, head: Api, b: TypeSide, h: TypeSide, out: FoundChange[]): void {
  const headEvents = new Map(head.events.map((e) => [e.name, e]));
  const baseEvents = new Set(base.events.map((e) => e.name));
  for (const be of base.events) {
    const he = headEvents.get(be.name);
    if (!he) {
      out.push(change(RULES.eventRemoved, subjectOf(be), '', `event ${be.name} was removed: handlers for it stop compiling`, { at: be.at }));
      continue;
    }
    const w = new Walk(subjectOf(he), b, h, be.at.file, out);
    for (const key of ['summary', 'description', 'docs'] as const) if (be[key] !== he[key]) w.docs.push(key);
    compareResponse(w, 'data', be.data, he.data, he.at);
    if (w.docs.length > 0) w.add(RULES.docsChanged, '', `docs text changed: ${w.docs.join(', ')}`, { at: he.at });
  }
  for (const he of head.events) {
    if (!baseEvents.has(he.name)) out.push(change(RULES.eventAdded, subjectOf(he), '', `event ${he.name} was added`, { at: he.at }));
  }
}

const LEVEL_ORDER = { breaking: 0, warning: 1, info: 2 };
const KIND_ORDER = { type: 0, method: 1, event: 2 };

export function byLevelThenPlace(a: Change, b: Change): number {
  return (
    LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    compareStrings(a.subject, b.subject) ||
    compareStrings(a.path, b.path) ||
    compareStrings(a.rule, b.rule)
  );
}

function compareMethod(bm: MethodSpec, hm: MethodSpec, w: Walk): void {
  for (const s of bm.statuses) if (!hm.statuses.includes(s)) w.add(RULES.successStatusRemoved, `statuses.${s}`, `success status ${s} was removed: the client now throws where it returned`, { at: hm.at });
  for (const s of hm.statuses) if (!bm.statuses.includes(s)) w.add(RULES.successStatusAdded, `statuses.${s}`, `success status ${s} was added`, { at: hm.at });
  if (bm.idempotent && !hm.idempotent) w.add(RULES.idempotentRemoved, 'idempotent', 'is no longer marked safe to repeat: the client stops retrying it after network errors and 5xx', { at: hm.at });
  if (!bm.idempotent && hm.idempotent) w.add(RULES.idempotentAdded, 'idempotent', 'is now marked safe to repeat: the client retries it after network errors and 5xx', { at: hm.at });
  if (bm.idempotent && hm.idempotent) compareRepeatHazards(bm, hm, w);
  if (bm.scope !== hm.scope) w.add(RULES.scopeChanged, 'scope', `needs scope ${hm.scope} instead of ${bm.scope}: apps and webhooks without it get insufficient_scope at run time`, { base: bm.scope, head: hm.scope, at: hm.at });
  compareExtraScopes(bm, hm, w);
  if (!bm.deprecated && hm.deprecated) w.add(RULES.methodDeprecated, '', 'is deprecated', { at: hm.at });

  for (const key of ['summary', 'description', 'docs', 'access'] as const) if (bm[key] !== hm[key]) w.docs.push(key);
  compareParams(bm, hm, w);
  compareResponse(w, 'result', bm.result, hm.result, hm.at);
  // The docs' example of a result: documentation (the OpenAPI export's example, the testing
  // kit's answer), never a type, so it changes nothing users' code compiles against. A result
  // that became another kind (`true` -> `{result: true}`) is reported as that; its example
  // going with it says nothing more.
  if (bm.result.kind === hm.result.kind && canonicalJson(bm.result.example) !== canonicalJson(hm.result.example)) w.docs.push('result.example');
  compareErrors(bm, hm, w);
  if (w.docs.length > 0) w.add(RULES.docsChanged, '', `docs text changed: ${w.docs.join(', ')}`, { at: hm.at });
}

/**
 * Params that make a call of an idempotent method unsafe to repeat: a new one changes what the
 * client does with existing code (calls giving it are no longer retried after a lost answer).
 */
function compareRepeatHazards(bm: MethodSpec, hm: MethodSpec, w: Walk): void {
  const before = new Set(bm.notIdempotentWhen.map((x) => x.path.join('.')));
  const after = new Set(hm.notIdempotentWhen.map((x) => x.path.join('.')));
  for (const x of hm.notIdempotentWhen) {
    const param = x.path.join('.');
    // A param that is new as well changes no existing call.
    if (!before.has(param) && hasParam(w.b, bm, x.path)) w.add(RULES.notIdempotentWhenAdded, `notIdempotentWhen.${param}`, `calls giving ${param} are no longer safe to repeat: the client stops retrying them after network errors, timeouts and 5xx`, { head: param, at: x.at });
  }
  for (const x of bm.notIdempotentWhen) {
    const param = x.path.join('.');
    if (!after.has(param)) w.add(RULES.notIdempotentWhenRemoved, `notIdempotentWhen.${param}`, `calls giving ${param} are safe to repeat again: the client retries them after network errors, timeouts and 5xx`, { base: param, at: hm.at });
  }
}

/** Scopes a call needs as well when it gives a param, keyed by scope and param. */
function compareExtraScopes(bm: MethodSpec, hm: MethodSpec, w: Walk): void {
  const key = (x: { scope: string; when: string[] }) => `${x.scope} with ${x.when.join('.')}`;
  const before = new Set(bm.extraScopes.map(key));
  const after = new Set(hm.extraScopes.map(key));
  for (const x of hm.extraScopes) {
    if (!before.has(key(x)) && hasParam(w.b, bm, x.when)) w.add(RULES.extraScopeAdded, `extraScopes.${x.when.join('.')}`, `calls giving ${x.when.join('.')} now need scope ${x.scope} as well: from apps and webhooks without it they fail with insufficient_scope`, { head: x.scope, at: x.at });
  }
  for (const x of bm.extraScopes) {
    if (!after.has(key(x))) w.add(RULES.extraScopeRemoved, `extraScopes.${x.when.join('.')}`, `calls giving ${x.when.join('.')} no longer need scope ${x.scope}`, { base: x.scope, at: hm.at });
  }
}

/** Whether `method` (on side `side`) has the param at `path`, through objects and refs. */
function hasParam(side: TypeSide, method: MethodSpec, path: string[]): boolean {
  let node: Resolved = method.params;
  for (const name of path) {
    const t: Resolved = side.resolve(node).type;
    const p: Property | undefined = t.kind === 'object' ? t.properties.find((x) => x.name === name) : undefined;
    if (!p) return false;
    node = p.type;
  }
  return true;
}

/**
 * A member's own description (the one written at the member, a `$ref` param's included). A
 * named type's own description is compared once, under the type (docs.ts), never per use.
 */
function compareOwnDocs(w: Walk, path: string, x: FlatMember, y: FlatMember): void {
  if (x.type.description === y.type.description) return;
  if (y.owner) w.add(RULES.docsChanged, path, `docs text changed: ${y.owner.path}`, { owner: y.owner, at: y.at });
  else w.docs.push(path);
}

/** A changed `default`: the portal applies it to calls (or answers) leaving the member out. */
function compareDefault(w: Walk, path: string, x: FlatMember, y: FlatMember, request: boolean): void {
  const before = defaultOf(w.b, x.type);
  const after = defaultOf(w.h, y.type);
  if (before === after) return;
  // A default written at a `$ref` member is the member's; one in the named type is the type's.
  const owner = x.type.default !== undefined || y.type.default !== undefined ? y.owner : w.typeOwner(x.type, y.type, y.owner);
  const show = (v: string | undefined) => v ?? 'none';
  const where = place(path, owner);
  // The client sends only what the caller gives, so a param's default is always the portal's.
  const message = request
    ? `the default of ${where} is ${show(after)} instead of ${show(before)}: calls leaving it out now get ${show(after)} from the portal`
    : `the default of ${where} is ${show(after)} instead of ${show(before)}`;
  w.add(request ? RULES.requestPropertyDefaultChanged : RULES.responsePropertyDefaultChanged, path, message, { base: before, head: after, owner, at: y.at });
}

function defaultOf(side: TypeSide, t: Resolved): string | undefined {
  const own = t.default !== undefined ? t.default : side.resolve(t).type.default;
  return own === undefined ? undefined : JSON.stringify(own);
}

// ---- params ---------------------------------------------------------------------------------

function compareParams(bm: MethodSpec, hm: MethodSpec, w: Walk): void {
  const { b, h } = w;
  const bf = flatten(b, bm.params, w.bShared);
  const hf = flatten(h, hm.params, w.hShared);
  const removed = [...bf.values()].filter((x) => !hf.has(x.path));
  const added = [...hf.values()].filter((x) => !bf.has(x.path));
  const sameType = (x: FlatMember, y: FlatMember) => b.shape(x.type) === h.shape(y.type);
  const moves = matchMoves(removed, added, sameType);
  const renames = matchRenames(
    removed.filter((x) => !moves.some((mv) => mv.from === x)),
    added.filter((y) => !moves.some((mv) => mv.to === y)),
    sameType,
  );
  const movedFrom = new Set([...moves, ...renames].map((mv) => mv.from.path));
  const movedTo = new Set([...moves, ...renames].map((mv) => mv.to.path));

  for (const mv of moves) {
    w.add(RULES.requestPropertyMoved, `params.${mv.to.path}`, `param ${mv.from.path} moved to ${mv.to.path}: calls passing it at the old place stop compiling`, { base: mv.from.path, head: mv.to.path, at: mv.to.at });
  }
  for (const rn of renames) {
    const owner = rn.to.owner;
    w.add(RULES.requestPropertyRenamed, `params.${rn.to.path}`, `param ${place(rn.from.path, rn.from.owner)} is now ${rn.to.name}: calls passing ${rn.from.name} stop compiling`, { base: rn.from.name, head: rn.to.name, owner, at: rn.to.at });
  }
  for (const x of removed) {
    if (movedFrom.has(x.path) || isUnder(x.path, movedFrom)) continue;
    if (x.parent !== '' && !hf.has(x.parent)) continue; // its parent's removal (or move) says it all
    w.add(RULES.requestPropertyRemoved, `params.${x.path}`, `param ${place(x.path, x.owner)} was removed: calls passing it stop compiling`, { owner: x.owner, at: x.at });
  }
  for (const x of added) {
    if (movedTo.has(x.path) || isUnder(x.path, movedTo)) continue;
    const parentIsNew = x.parent !== '' && !bf.has(x.parent);
    // A new container that only carries moved params is not news of its own; its other
    // members are reported one by one (as if the container had been there).
    if (isMoveAncestor(x.path, movedTo)) continue;
    if (parentIsNew && !isMoveAncestor(x.parent, movedTo)) continue;
    // A required member of an optional container still breaks every call that gives the
    // container (a button without the new field no longer compiles), so it is required here too.
    const required = x.required;
    const what = `${required ? 'required' : 'optional'} param ${place(x.path, x.owner)} was added`;
    const inOptional = x.parent !== '' && !requiredChain(hf, x.parent);
    const who = !inOptional ? 'calls without it' : x.owner ? `calls giving a ${x.owner.type} without it` : `calls giving ${x.parent} without it`;
    w.add(required ? RULES.newRequiredRequestProperty : RULES.newOptionalRequestProperty, `params.${x.path}`, required ? `${what}: ${who} stop compiling` : what, { head: h.label(x.type), owner: x.owner, at: x.at });
  }
  for (const [path, x] of bf) {
    const y = hf.get(path);
    if (!y) continue;
    const where = place(path, y.owner);
    if (!x.required && y.required) w.add(RULES.requestPropertyBecameRequired, `params.${path}`, `param ${where} became required: calls without it stop compiling`, { owner: y.owner, at: y.at });
    if (x.required && !y.required) w.add(RULES.requestPropertyBecameOptional, `params.${path}`, `param ${where} became optional`, { owner: y.owner, at: y.at });
    compareRequestType(w, `params.${path}`, x.type, y.type, w.typeOwner(x.type, y.type, y.owner), y.at, y.owner);
    compareDefault(w, `params.${path}`, x, y, true);
    compareOwnDocs(w, `params.${path}`, x, y);
  }
  // Renamed params' types are the same shape; their docs and defaults still count.
  for (const rn of renames) compareOwnDocs(w, `params.${rn.to.path}`, rn.from, rn.to);
}

function isUnder(path: string, roots: Set<string>): boolean {
  for (const r of roots) if (path.startsWith(`${r}.`) || path.startsWith(`${r}[]`) || path.startsWith(`${r}(`)) return true;
  return false;
}

function isMoveAncestor(path: string, targets: Set<string>): boolean {
  for (const t of targets) if (t.startsWith(`${path}.`) || t.startsWith(`${path}[]`)) return true;
  return false;
}

function requiredChain(flat: Map<string, FlatMember>, path: string): boolean {
  for (let p: string | undefined = path; p; p = flat.get(p)?.parent) {
    const member = flat.get(p);
    if (!member) return true;
    if (!member.required) return false;
  }
  return true;
}

/** How the client names an enum member: `ChatRole.guest`, `Mode['two words']`. */
function enumMember(name: string | undefined, value: string | number): string {
  if (!name) return JSON.stringify(value);
  const key = objectKey(String(value));
  return key.startsWith('[') ? `${name}${key}` : `${name}.${key}`;
}

/**
 * Two unions whose variants line up: the same variants by key, and the same skeleton below them
 * (objects are opaque, arrays and nested unions followed: `Keyboard` is an array of a union of
 * objects or an object). Their objects' members are then compared one by one through the
 * flattened paths, so a field added to a button is that field, not the keyboard changing type.
 */
function sameVariants(b: TypeSide, h: TypeSide, x: Resolved, y: Resolved): boolean {
  if (x.kind !== 'union' || y.kind !== 'union') return false;
  return skeleton(b, { ...x, nullable: false } as Resolved) === skeleton(h, { ...y, nullable: false } as Resolved);
}

/** A type's structure with every object opaque (its members are walked on their own). */
function skeleton(side: TypeSide, t: Resolved, depth = 0): string {
  const { type, nullable } = side.resolve(t);
  const n = nullable ? '|null' : '';
  if (depth > 6) return `…${n}`;
  switch (type.kind) {
    case 'object':
      return `object${n}`;
    case 'array':
      return `${skeleton(side, type.items, depth + 1)}[]${n}`;
    case 'union':
      return `(${side
        .variantKeys(type)
        .map((v) => `${v.key}:${skeleton(side, v.type, depth + 1)}`)
        .join('|')})${n}`;
    default:
      return side.shape(t);
  }
}

/** Param types: anything a caller's current value might no longer satisfy is breaking. */
function compareRequestType(w: Walk, path: string, bt: Resolved, ht: Resolved, owner: Owner | undefined, at: SourceLocation, member: Owner | undefined): void {
  const { b, h } = w;
  const rb = b.resolve(bt);
  const rh = h.resolve(ht);
  const x = rb.type;
  const y = rh.type;
  const where = place(path, owner);
  const loc = { owner, at };
  if (x.kind === 'enum' && y.kind === 'enum') {
    const hv = new Set(y.values.map((v) => v.value));
    const bv = new Set(x.values.map((v) => v.value));
    for (const v of x.values) {
      if (!hv.has(v.value)) w.add(RULES.requestPropertyEnumValueRemoved, `${path}=${v.value}`, `${enumMember(rh.name, v.value)} no longer exists: calls passing ${JSON.stringify(v.value)} as ${where} stop compiling`, withValuePath(loc, v.value));
    }
    for (const v of y.values) if (!bv.has(v.value)) w.add(RULES.requestPropertyEnumValueAdded, `${path}=${v.value}`, `${where} now accepts ${JSON.stringify(v.value)} (${enumMember(rh.name, v.value)})`, withValuePath(loc, v.value));
  } else if (x.kind === 'object' && y.kind === 'object') {
    // members are compared through the flattened paths
  } else if (x.kind === 'array' && y.kind === 'array') {
    const bi = b.resolve(x.items).type;
    if (bi.kind !== 'object') compareRequestType(w, `${path}[]`, x.items, y.items, w.typeOwner(x.items, y.items, owner && { type: owner.type, path: `${owner.path}[]` }), at, owner && { type: owner.type, path: `${owner.path}[]` });
    if (y.maxItems !== undefined && (x.maxItems === undefined || y.maxItems < x.maxItems)) w.add(RULES.requestPropertyRangeNarrowed, path, `${where} takes at most ${y.maxItems} items (was ${x.maxItems ?? 'unlimited'}): longer lists are refused`, loc);
    if (y.minItems !== undefined && (x.minItems === undefined || y.minItems > x.minItems)) w.add(RULES.requestPropertyRangeNarrowed, path, `${where} needs at least ${y.minItems} items (was ${x.minItems ?? 0}): shorter lists are refused`, loc);
    // Looser limits are news too (as for a string's length): lists the portal refused now pass.
    if (x.maxItems !== undefined && (y.maxItems === undefined || y.maxItems > x.maxItems)) w.add(RULES.requestPropertyRangeWidened, path, `${where} takes ${y.maxItems === undefined ? 'any number of' : `at most ${y.maxItems}`} items (was at most ${x.maxItems})`, { base: String(x.maxItems), head: String(y.maxItems ?? ''), ...loc });
    if (x.minItems !== undefined && (y.minItems === undefined || y.minItems < x.minItems)) w.add(RULES.requestPropertyRangeWidened, path, `${where} needs at least ${y.minItems ?? 0} items (was ${x.minItems})`, { base: String(x.minItems), head: String(y.minItems ?? ''), ...loc });
  } else if (x.kind === 'primitive' && y.kind === 'primitive' && x.name === y.name) {
    compareRange(w, path, where, x, y, loc);
  } else if (x.kind === 'enum' && y.kind === 'primitive' && y.name === x.base) {
    // Every listed value is still a valid string (or integer): existing calls compile.
    w.add(RULES.requestPropertyTypeWidened, path, `${where} is ${y.name} instead of ${b.label(bt)}: any ${y.name} is accepted`, { base: b.label(bt), head: h.label(ht), ...loc });
  } else if (sameVariants(b, h, x, y)) {
    // object variants' members are compared through the flattened paths
  } else if (b.shape(bt) !== h.shape(ht)) {
    const wider = variants(h, ht);
    // An integer is a number (TypeScript has one type for both): integer -> number accepts more.
    const widened = variants(b, bt).every((s) => wider.includes(s) || (s === 'integer' && wider.includes('number')));
    const what = `${where} is ${h.label(ht)} instead of ${b.label(bt)}`;
    w.add(widened ? RULES.requestPropertyTypeWidened : RULES.requestPropertyTypeChanged, path, widened ? what : `${what}: calls passing a ${b.label(bt)} stop compiling`, { base: b.label(bt), head: h.label(ht), ...loc });
    return;
  }
  const nul = nullableAt(bt, ht, owner, member, path, at);
  if (rb.nullable && !rh.nullable) w.add(RULES.requestPropertyTypeChanged, path, `${nul.where} no longer accepts null: calls passing null stop compiling`, { base: b.label(bt), head: h.label(ht), ...nul.loc });
  if (!rb.nullable && rh.nullable) w.add(RULES.requestPropertyTypeWidened, path, `${nul.where} now accepts null`, { base: b.label(bt), head: h.label(ht), ...nul.loc });
}

/** An enum value's change inside a shared type is reported at `Type=value`. */
function withValuePath(loc: { owner: Owner | undefined; at: SourceLocation }, value: string | number): { owner: Owner | undefined; at: SourceLocation } {
  return loc.owner ? { ...loc, owner: { type: loc.owner.type, path: `${loc.owner.path}=${value}` } } : loc;
}

function variants(side: TypeSide, t: Resolved): string[] {
  const r = side.resolve(t);
  const list = r.type.kind === 'union' ? side.variantsOf(r.type).map((v) => side.shape(v)) : [side.shape({ ...r.type, nullable: false } as Resolved)];
  return r.nullable ? [...list, 'null'] : list;
}

type Prim = Extract<Resolved, { kind: 'primitive' }>;

function compareRange(w: Walk, path: string, where: string, x: Prim, y: Prim, loc: { owner: Owner | undefined; at: SourceLocation }): void {
  const pairs: [keyof Prim & ('minimum' | 'maximum' | 'minLength' | 'maxLength'), 'up' | 'down'][] = [
    ['minimum', 'up'],
    ['maximum', 'down'],
    ['minLength', 'up'],
    ['maxLength', 'down'],
  ];
  for (const [key, narrowing] of pairs) {
    const before = x[key] as number | undefined;
    const after = y[key] as number | undefined;
    if (before === after) continue;
    const narrowed = after !== undefined && (before === undefined || (narrowing === 'up' ? after > before : after < before));
    const what = `${where} ${key} ${before ?? 'none'} -> ${after ?? 'none'}`;
    w.add(narrowed ? RULES.requestPropertyRangeNarrowed : RULES.requestPropertyRangeWidened, path, narrowed ? `${what}: values the portal accepted before are now refused` : what, {
      base: String(before ?? ''),
      head: String(after ?? ''),
      ...loc,
    });
  }
  if (x.pattern !== y.pattern) w.add(RULES.requestPropertyPatternChanged, path, `${where} pattern ${x.pattern ?? 'none'} -> ${y.pattern ?? 'none'}`, { base: x.pattern, head: y.pattern, ...loc });
}

// ---- result and event data ------------------------------------------------------------------

/** What users read (a method's result, an event's data): under `prefix`. */
function compareResponse(w: Walk, prefix: string, bt: Resolved, ht: Resolved, at: SourceLocation): void {
  const { b, h } = w;
  const rb = b.resolve(bt).type;
  const rh = h.resolve(ht).type;
  if (rb.kind !== rh.kind || (rb.kind === 'primitive' && rh.kind === 'primitive' && rb.name !== rh.name)) {
    w.add(RULES.responseBodyTypeChanged, prefix, `${prefix} is ${h.label(ht)} instead of ${b.label(bt)}: code reading it as ${b.label(bt)} stops compiling`, { base: b.label(bt), head: h.label(ht), at });
    return;
  }
  if (rb.kind !== 'object' && rb.kind !== 'array' && rb.kind !== 'union') {
    compareResponseType(w, prefix, bt, ht, w.typeOwner(bt, ht), at, undefined);
    return;
  }
  if (rb.kind === 'union') compareResponseType(w, prefix, bt, ht, w.typeOwner(bt, ht), at, undefined);
  if (rb.kind === 'object' && rh.kind === 'object') compareEventUnion(w, prefix, rb, rh, at);
  if (rb.kind === 'array' && rh.kind === 'array') {
    const bi = b.resolve(rb.items).type;
    const hi = h.resolve(rh.items).type;
    if (bi.kind === 'object' && hi.kind === 'object') compareEventUnion(w, `${prefix}[]`, bi, hi, at);
    else compareResponseType(w, prefix, bt, ht, w.typeOwner(bt, ht), at, undefined);
  }
  const bf = flatten(b, bt, w.bShared);
  const hf = flatten(h, ht, w.hShared);
  const full = (path: string) => (path.startsWith('[]') ? `${prefix}${path}` : `${prefix}.${path}`);
  // The only field that disappeared and the only one of its type (and presence: required or not)
  // that appeared in the same object is one rename (as for params), reported once; their members
  // go with them.
  const renames = matchRenames(
    [...bf.values()].filter((x) => !hf.has(x.path)),
    [...hf.values()].filter((y) => !bf.has(y.path)),
    (x, y) => x.required === y.required && b.shape(x.type) === h.shape(y.type),
  );
  const renamedFrom = new Set(renames.map((rn) => rn.from.path));
  const renamedTo = new Set(renames.map((rn) => rn.to.path));
  for (const rn of renames) {
    w.add(RULES.responsePropertyRenamed, full(rn.to.path), `${field(prefix, rn.from.path, rn.from.owner)} is now ${rn.to.name}: code reading ${rn.from.name} stops compiling`, { base: rn.from.name, head: rn.to.name, owner: rn.to.owner, at: rn.to.at });
  }
  for (const [path, x] of bf) {
    const y = hf.get(path);
    if (!y) {
      if (renamedFrom.has(path) || isUnder(path, renamedFrom)) continue;
      if (x.parent === '' || hf.has(x.parent)) w.add(RULES.responsePropertyRemoved, full(path), `${field(prefix, path, x.owner)} was removed: code reading it stops compiling`, { owner: x.owner, at: x.at });
      continue;
    }
    const where = place(path, y.owner);
    if (x.required && !y.required) w.add(RULES.responsePropertyBecameOptional, full(path), `${field(prefix, path, y.owner)} may now be missing: under strict, code using it needs an undefined check`, { owner: y.owner, at: y.at });
    if (!x.required && y.required) w.add(RULES.responsePropertyBecameRequired, full(path), `${field(prefix, path, y.owner)} is now always present`, { owner: y.owner, at: y.at });
    compareResponseType(w, full(path), x.type, y.type, w.typeOwner(x.type, y.type, y.owner), y.at, y.owner);
    compareDefault(w, full(path), x, y, false);
    compareOwnDocs(w, full(path), x, y);
  }
  for (const [path, y] of hf) {
    if (bf.has(path) || (y.parent !== '' && !bf.has(y.parent)) || renamedTo.has(path)) continue;
    w.add(RULES.responsePropertyAdded, full(path), `${field(prefix, path, y.owner)} was added`, { head: h.label(y.type), owner: y.owner, at: y.at });
  }
}

/** Result types: anything users' reading code may not expect is breaking; new enum values warn. */
function compareResponseType(w: Walk, path: string, bt: Resolved, ht: Resolved, owner: Owner | undefined, at: SourceLocation, member: Owner | undefined): void {
  const { b, h } = w;
  const rb = b.resolve(bt);
  const rh = h.resolve(ht);
  const x = rb.type;
  const y = rh.type;
  const where = place(path, owner);
  const loc = { owner, at };
  if (x.kind === 'enum' && y.kind === 'enum') {
    compareResultEnum(w, path, where, rb.name, rh.name, x, y, loc);
  } else if (x.kind === 'object' && y.kind === 'object') {
    // members are compared through the flattened paths
    compareEventUnion(w, path, x, y, at);
  } else if (x.kind === 'array' && y.kind === 'array') {
    const bi = b.resolve(x.items).type;
    const hi = h.resolve(y.items).type;
    if (bi.kind === 'object' && hi.kind === 'object') compareEventUnion(w, `${path}[]`, bi, hi, at);
    if (bi.kind !== 'object') compareResponseType(w, `${path}[]`, x.items, y.items, w.typeOwner(x.items, y.items, owner && { type: owner.type, path: `${owner.path}[]` }), at, owner && { type: owner.type, path: `${owner.path}[]` });
  } else if (x.kind === 'primitive' && y.kind === 'enum' && x.name === y.base) {
    // A plain string now typed as a list: reading code still compiles (a string literal union
    // is a string). A closed list refuses comparisons with other values, as an enum closed does.
    const base = { base: b.label(bt), head: h.label(ht), ...loc };
    if (y.open) w.add(RULES.responsePropertyOpenEnumValueAdded, path, `${where} is typed as ${rh.name ?? 'an enum'} instead of ${x.name}: an open list, its known values have names now and other values still come`, base);
    else w.add(RULES.responsePropertyEnumClosed, path, `${where} is typed as the listed values of ${rh.name ?? 'an enum'} instead of ${x.name}: comparisons with other values stop compiling`, base);
  } else if (x.kind === 'enum' && y.kind === 'primitive' && y.name === x.base) {
    const base = { base: b.label(bt), head: h.label(ht), ...loc };
    if (x.open) w.add(RULES.docsChanged, path, `${where} is typed as ${y.name} instead of the open list ${b.label(bt)}: the known values lose their names, code still compiles`, base);
    else w.add(RULES.responsePropertyEnumOpened, path, `${where} may now be any ${y.name}, not only the values of ${b.label(bt)}: code assigning it to ${b.label(bt)} or switching over it exhaustively stops compiling`, base);
  } else if (sameVariants(b, h, x, y)) {
    // object variants' members are compared through the flattened paths
  } else if (b.shape({ ...x, nullable: false } as Resolved) !== h.shape({ ...y, nullable: false } as Resolved)) {
    w.add(RULES.responsePropertyTypeChanged, path, `${where} is ${h.label(ht)} instead of ${b.label(bt)}: code using it as ${b.label(bt)} stops compiling`, { base: b.label(bt), head: h.label(ht), ...loc });
    return;
  }
  const nul = nullableAt(bt, ht, owner, member, path, at);
  if (!rb.nullable && rh.nullable) w.add(RULES.responsePropertyBecameNullable, path, `${nul.where} may now be null: under strict, code using it needs a null check`, { base: b.label(bt), head: h.label(ht), ...nul.loc });
}

/**
 * Where a change of nullability was made: `nullable` written at a `$ref` member (`backgroundId:
 * { $ref: Background, nullable: true }`) is the member's, not the named type's.
 */
function nullableAt(bt: Resolved, ht: Resolved, owner: Owner | undefined, member: Owner | undefined, path: string, at: SourceLocation): { where: string; loc: { owner: Owner | undefined; at: SourceLocation } } {
  const atMember = bt.kind === 'ref' && ht.kind === 'ref' && Boolean(bt.nullable) !== Boolean(ht.nullable);
  const o = atMember ? member : owner;
  return { where: place(path, o), loc: { owner: o, at } };
}

function compareResultEnum(w: Walk, path: string, where: string, baseName: string | undefined, headName: string | undefined, x: EnumType, y: EnumType, loc: { owner: Owner | undefined; at: SourceLocation }): void {
  const b = w.b;
  const hv = new Set(y.values.map((v) => v.value));
  const bv = new Set(x.values.map((v) => v.value));
  const label = headName ?? 'enum';
  if (!x.open && y.open) w.add(RULES.responsePropertyEnumOpened, path, `${where} may now be any ${y.base}, not only the listed values: code assigning it to ${label} or switching over it exhaustively stops compiling`, { base: baseName ?? b.label(x), head: `${label} (open)`, ...loc });
  if (x.open && !y.open) w.add(RULES.responsePropertyEnumClosed, path, `${where} is typed as the listed values only: comparisons with other values stop compiling`, { base: `${baseName ?? label} (open)`, head: label, ...loc });
  // A value added to an open list could already come (typed as a string); now it has a name.
  const added = y.open ? RULES.responsePropertyOpenEnumValueAdded : RULES.responsePropertyEnumValueAdded;
  for (const v of y.values) {
    if (!bv.has(v.value)) {
      const message = y.open ? `${where} may now be ${JSON.stringify(v.value)} (the list is open: it is a known value now, ${enumMember(headName, v.value)})` : `${where} may now be ${JSON.stringify(v.value)}: exhaustive switches over ${label} stop compiling`;
      w.add(added, `${path}=${v.value}`, message, withValuePath(loc, v.value));
    }
  }
  for (const v of x.values) {
    if (!hv.has(v.value)) w.add(RULES.responsePropertyEnumValueRemoved, `${path}=${v.value}`, `${enumMember(baseName, v.value)} no longer exists: code naming it, comparing ${where} with ${JSON.stringify(v.value)} or a case for it stops compiling`, withValuePath(loc, v.value));
  }
}

/**
 * `eventOf` objects (Event.get items): a namespace whose events the item may now be is an
 * addition (those events were the unknown-event variant before); one it may no longer be takes
 * their variants away, and code narrowing on them stops compiling. An object without `eventOf`
 * counts as one listing no namespace.
 */
function compareEventUnion(w: Walk, path: string, x: ObjectType, y: ObjectType, at: SourceLocation): void {
  const before = x.eventOf?.namespaces ?? [];
  const after = y.eventOf?.namespaces ?? [];
  for (const ns of after) {
    if (!before.includes(ns)) w.add(RULES.responseEventNamespaceAdded, `${path}:${ns}`, `${path} may now be any event of ${ns}, typed by its data`, { head: ns, at: y.eventOf?.at ?? at });
  }
  for (const ns of before) {
    if (!after.includes(ns)) w.add(RULES.responseEventNamespaceRemoved, `${path}:${ns}`, `${path} no longer lists the events of ${ns}: code narrowing on their names loses their data types`, { base: ns, at: y.eventOf?.at ?? at });
  }
}

// ---- errors ---------------------------------------------------------------------------------

function compareErrors(bm: MethodSpec, hm: MethodSpec, w: Walk): void {
  const base = w.b.api;
  const head = w.h.api;
  const be = new Map(errorsOf(bm, base).map((e) => [e.code, e]));
  const he = new Map(errorsOf(hm, head).map((e) => [e.code, e]));
  const removed = [...be.values()].filter((e) => !he.has(e.code));
  const added = [...he.values()].filter((e) => !be.has(e.code));
  // A class leaves the package only when no method (and no system error) answers with its code.
  const exported = new Set(allErrorCodes(head));
  const gone = (code: string) =>
    exported.has(code)
      ? `${errorClassName(code)} is still exported but ${hm.name} no longer throws it`
      : `${errorClassName(code)} is no longer exported: imports and instanceof checks of it stop compiling`;
  // A system code (spec/common/errors.yaml) that no method overrides changes every method's
  // errors at once: one entry under SystemErrors (the client's union of them), not one per method.
  const system = (code: string, m: MethodSpec) => (m.errors.some((e) => e.code === code) ? undefined : { type: 'SystemErrors', path: code });
  const whose = (code: string, m: MethodSpec) => (system(code, m) ? "every method's errors" : "this method's errors");
  const renamed = new Set<string>();
  for (const r of removed) {
    // A code that disappears while another appears with the same status and message is a rename.
    const twin = r.message === undefined ? undefined : added.find((a) => !renamed.has(a.code) && a.status === r.status && a.message === r.message);
    if (twin) {
      renamed.add(twin.code);
      renamed.add(r.code);
      w.add(exported.has(r.code) ? RULES.errorCodeRenamedClassKept : RULES.errorCodeRenamed, `errors.${twin.code}`, `error code ${r.code} is now ${twin.code}, thrown as ${errorClassName(twin.code)}; ${gone(r.code)}`, { base: r.code, head: twin.code, at: twin.at });
    }
  }
  for (const r of removed) {
    if (renamed.has(r.code)) continue;
    const owner = system(r.code, bm);
    const message = owner && !exported.has(r.code) ? `system error code ${r.code} was removed; ${gone(r.code)}` : `error code ${r.code} was removed; ${gone(r.code)}`;
    w.add(exported.has(r.code) ? RULES.errorCodeRemovedClassKept : RULES.errorCodeRemoved, `errors.${r.code}`, message, { base: r.code, owner: owner && !exported.has(r.code) ? owner : undefined, at: owner && !exported.has(r.code) ? r.at : hm.at });
  }
  for (const a of added) {
    if (!renamed.has(a.code)) w.add(RULES.errorCodeAdded, `errors.${a.code}`, `error code ${a.code} (${a.status}) was added as ${errorClassName(a.code)}; exhaustive handling of ${whose(a.code, hm)} must cover it`, { head: a.code, owner: system(a.code, hm), at: a.at });
  }
  for (const [code, x] of be) {
    const y = he.get(code);
    // An error's description is its class's and the method's `@throws` docs.
    if (y && x.description !== y.description) {
      const owner = system(code, bm) && system(code, hm);
      if (owner) w.add(RULES.docsChanged, `errors.${code}`, `docs text changed: ${code}`, { owner, at: y.at });
      else w.docs.push(`errors.${code}`);
    }
    if (!y || (x.status === y.status && x.message === y.message)) continue;
    const text = (message: string | undefined) => (message === undefined ? 'no documented message' : JSON.stringify(message));
    const what = x.status !== y.status ? `HTTP status ${x.status} -> ${y.status}` : `message ${text(x.message)} -> ${text(y.message)}`;
    const owner = system(code, bm) && system(code, hm);
    w.add(RULES.errorStatusChanged, `errors.${code}`, `error ${code}: ${what}`, { owner, at: y.at });
  }
}

export type { Rule };

/** JSON with object keys sorted (undefined as ''): two examples holding the same data compare equal. */
function canonicalJson(v: unknown): string {
  if (v === undefined) return '';
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => compareStrings(a, b))) : x));
}
