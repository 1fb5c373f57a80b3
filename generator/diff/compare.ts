import { errorClassName } from '../emit/names.js';
import { isIdentifier, stringLiteral } from '../emit/escape.js';
import { allErrorCodes, compareStrings, errorsOf, type Api, type MethodSpec, type ObjectType, type Property, type SourceLocation } from '../model/ir.js';
import { change, type Change } from './change.js';
import { matchMoves } from './moves.js';
import { RULES, type Rule } from './rules.js';
import { flatten, TypeSide, type FlatMember, type Resolved } from './types.js';

/**
 * IR diff: every change from `base` to `head`, judged by what it does to code written against the
 * generated client. Sorted breaking first, then by method and path, so output is stable.
 */
export function compareApis(base: Api, head: Api): Change[] {
  const b = new TypeSide(base);
  const h = new TypeSide(head);
  const out: Change[] = [];
  const headByName = new Map(head.methods.map((m) => [m.name, m]));
  const baseByName = new Map(base.methods.map((m) => [m.name, m]));
  for (const bm of base.methods) {
    const hm = headByName.get(bm.name);
    if (!hm) out.push(change(RULES.apiPathRemoved, bm.name, '', `${bm.name} was removed`, { at: bm.at }));
    else compareMethod(bm, hm, b, h, out);
  }
  for (const hm of head.methods) {
    if (!baseByName.has(hm.name)) out.push(change(RULES.apiPathAdded, hm.name, '', `${hm.name} was added`, { at: hm.at }));
  }
  compareEvents(base, head, b, h, out);
  return out.sort(byLevelThenPlace);
}

/** Events: removed or added, and their `data` judged like a result (users read it). */
function compareEvents(base: Api, head: Api, b: TypeSide, h: TypeSide, out: Change[]): void {
  const headEvents = new Map(head.events.map((e) => [e.name, e]));
  const baseEvents = new Set(base.events.map((e) => e.name));
  for (const be of base.events) {
    const he = headEvents.get(be.name);
    if (!he) {
      out.push(change(RULES.eventRemoved, be.name, '', `event ${be.name} was removed; handlers for it stop compiling`, { at: be.at }));
      continue;
    }
    const docs: string[] = [];
    for (const key of ['summary', 'description', 'docs'] as const) if (be[key] !== he[key]) docs.push(key);
    compareResponse(be.name, 'data', be.data, he.data, he.at, b, h, out, docs);
    if (docs.length > 0) out.push(change(RULES.docsChanged, be.name, '', `docs text changed: ${docs.join(', ')}`, { at: he.at }));
  }
  for (const he of head.events) {
    if (!baseEvents.has(he.name)) out.push(change(RULES.eventAdded, he.name, '', `event ${he.name} was added`, { at: he.at }));
  }
}

const LEVEL_ORDER = { breaking: 0, warning: 1, info: 2 };

export function byLevelThenPlace(a: Change, b: Change): number {
  return LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || compareStrings(a.method, b.method) || compareStrings(a.path, b.path) || compareStrings(a.rule, b.rule);
}

function compareMethod(bm: MethodSpec, hm: MethodSpec, b: TypeSide, h: TypeSide, out: Change[]): void {
  const m = hm.name;
  for (const s of bm.statuses) if (!hm.statuses.includes(s)) out.push(change(RULES.successStatusRemoved, m, `statuses.${s}`, `success status ${s} was removed`, { at: hm.at }));
  for (const s of hm.statuses) if (!bm.statuses.includes(s)) out.push(change(RULES.successStatusAdded, m, `statuses.${s}`, `success status ${s} was added`, { at: hm.at }));
  if (bm.idempotent && !hm.idempotent) out.push(change(RULES.idempotentRemoved, m, 'idempotent', 'is no longer marked safe to repeat: the client stops retrying it after network errors and 5xx', { at: hm.at }));
  if (!bm.idempotent && hm.idempotent) out.push(change(RULES.idempotentAdded, m, 'idempotent', 'is now marked safe to repeat: the client retries it after network errors and 5xx', { at: hm.at }));
  if (bm.idempotent && hm.idempotent) compareRepeatHazards(bm, hm, b, out);
  if (bm.scope !== hm.scope) out.push(change(RULES.scopeChanged, m, 'scope', `needs scope ${hm.scope} instead of ${bm.scope}: calls from apps and webhooks without ${hm.scope} fail with insufficient_scope`, { base: bm.scope, head: hm.scope, at: hm.at }));
  compareExtraScopes(bm, hm, b, out);
  if (!bm.deprecated && hm.deprecated) out.push(change(RULES.methodDeprecated, m, '', 'is deprecated', { at: hm.at }));

  const docs: string[] = [];
  for (const key of ['summary', 'description', 'docs', 'access'] as const) if (bm[key] !== hm[key]) docs.push(key);
  compareParams(m, bm, hm, b, h, out, docs);
  compareResult(m, bm, hm, b, h, out, docs);
  compareErrors(m, bm, hm, b.api, h.api, out);
  if (docs.length > 0) out.push(change(RULES.docsChanged, m, '', `docs text changed: ${docs.join(', ')}`, { at: hm.at }));
}

/**
 * Params that make a call of an idempotent method unsafe to repeat: a new one changes what the
 * client does with existing code (calls giving it are no longer retried after a lost answer).
 */
function compareRepeatHazards(bm: MethodSpec, hm: MethodSpec, b: TypeSide, out: Change[]): void {
  const before = new Set(bm.notIdempotentWhen.map((x) => x.path.join('.')));
  const after = new Set(hm.notIdempotentWhen.map((x) => x.path.join('.')));
  for (const x of hm.notIdempotentWhen) {
    const param = x.path.join('.');
    // A param that is new as well changes no existing call.
    if (!before.has(param) && hasParam(b, bm, x.path)) out.push(change(RULES.notIdempotentWhenAdded, hm.name, `notIdempotentWhen.${param}`, `calls giving ${param} are no longer safe to repeat: the client stops retrying them after network errors, timeouts and 5xx`, { head: param, at: x.at }));
  }
  for (const x of bm.notIdempotentWhen) {
    const param = x.path.join('.');
    if (!after.has(param)) out.push(change(RULES.notIdempotentWhenRemoved, hm.name, `notIdempotentWhen.${param}`, `calls giving ${param} are safe to repeat again: the client retries them after network errors, timeouts and 5xx`, { base: param, at: hm.at }));
  }
}

/** Scopes a call needs as well when it gives a param, keyed by scope and param. */
function compareExtraScopes(bm: MethodSpec, hm: MethodSpec, b: TypeSide, out: Change[]): void {
  const key = (x: { scope: string; when: string[] }) => `${x.scope} with ${x.when.join('.')}`;
  const before = new Set(bm.extraScopes.map(key));
  const after = new Set(hm.extraScopes.map(key));
  for (const x of hm.extraScopes) {
    if (!before.has(key(x)) && hasParam(b, bm, x.when)) out.push(change(RULES.extraScopeAdded, hm.name, `extraScopes.${x.when.join('.')}`, `calls giving ${x.when.join('.')} now need scope ${x.scope} as well: from apps and webhooks without it they fail with insufficient_scope`, { head: x.scope, at: x.at }));
  }
  for (const x of bm.extraScopes) {
    if (!after.has(key(x))) out.push(change(RULES.extraScopeRemoved, hm.name, `extraScopes.${x.when.join('.')}`, `calls giving ${x.when.join('.')} no longer need scope ${x.scope}`, { base: x.scope, at: hm.at }));
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

function describeChanged(b: TypeSide, h: TypeSide, bt: Resolved, ht: Resolved): boolean {
  return (b.resolve(bt).type.description ?? bt.description) !== (h.resolve(ht).type.description ?? ht.description);
}

// ---- params ---------------------------------------------------------------------------------

function compareParams(m: string, bm: MethodSpec, hm: MethodSpec, b: TypeSide, h: TypeSide, out: Change[], docs: string[]): void {
  const bf = flatten(b, bm.params);
  const hf = flatten(h, hm.params);
  const removed = [...bf.values()].filter((x) => !hf.has(x.path));
  const added = [...hf.values()].filter((x) => !bf.has(x.path));
  const moves = matchMoves(removed, added, (x, y) => b.shape(x.type) === h.shape(y.type));
  const movedFrom = new Set(moves.map((mv) => mv.from.path));
  const movedTo = new Set(moves.map((mv) => mv.to.path));

  for (const mv of moves) {
    out.push(change(RULES.requestPropertyMoved, m, `params.${mv.to.path}`, `param ${mv.from.path} moved to ${mv.to.path}`, { base: mv.from.path, head: mv.to.path, at: mv.to.at }));
  }
  for (const x of removed) {
    if (movedFrom.has(x.path)) continue;
    if (x.parent !== '' && !hf.has(x.parent)) continue; // its parent's removal (or move) says it all
    out.push(change(RULES.requestPropertyRemoved, m, `params.${x.path}`, `param ${x.path} was removed`, { at: x.at }));
  }
  for (const x of added) {
    if (movedTo.has(x.path)) continue;
    const parentIsNew = x.parent !== '' && !bf.has(x.parent);
    // A new container that only carries moved params is not news of its own; its other
    // members are reported one by one (as if the container had been there).
    if (isMoveAncestor(x.path, movedTo)) continue;
    if (parentIsNew && !isMoveAncestor(x.parent, movedTo)) continue;
    const required = x.required && (x.parent === '' || requiredChain(hf, x.parent));
    const rule = required ? RULES.newRequiredRequestProperty : RULES.newOptionalRequestProperty;
    out.push(change(rule, m, `params.${x.path}`, `${required ? 'required' : 'optional'} param ${x.path} was added`, { head: h.label(x.type), at: x.at }));
  }
  for (const [path, x] of bf) {
    const y = hf.get(path);
    if (!y) continue;
    if (!x.required && y.required) out.push(change(RULES.requestPropertyBecameRequired, m, `params.${path}`, `param ${path} became required`, { at: y.at }));
    if (x.required && !y.required) out.push(change(RULES.requestPropertyBecameOptional, m, `params.${path}`, `param ${path} became optional`, { at: y.at }));
    compareRequestType(m, `params.${path}`, x.type, y.type, b, h, out, y);
    if (describeChanged(b, h, x.type, y.type)) docs.push(`params.${path}`);
  }
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

/** Param types: anything a caller's current value might no longer satisfy is breaking. */
function compareRequestType(m: string, path: string, bt: Resolved, ht: Resolved, b: TypeSide, h: TypeSide, out: Change[], at: FlatMember): void {
  const rb = b.resolve(bt);
  const rh = h.resolve(ht);
  const x = rb.type;
  const y = rh.type;
  const loc = { at: at.at };
  if (x.kind === 'enum' && y.kind === 'enum') {
    const hv = new Set(y.values.map((v) => v.value));
    const bv = new Set(x.values.map((v) => v.value));
    for (const v of x.values) if (!hv.has(v.value)) out.push(change(RULES.requestPropertyEnumValueRemoved, m, `${path}=${v.value}`, `${path} no longer accepts ${JSON.stringify(v.value)}`, loc));
    for (const v of y.values) if (!bv.has(v.value)) out.push(change(RULES.requestPropertyEnumValueAdded, m, `${path}=${v.value}`, `${path} now accepts ${JSON.stringify(v.value)}`, loc));
  } else if (x.kind === 'object' && y.kind === 'object') {
    // members are compared through the flattened paths
  } else if (x.kind === 'array' && y.kind === 'array') {
    if (!(x.items.kind === 'ref' || x.items.kind === 'object') || b.shape(x.items) !== h.shape(y.items)) {
      const bi = b.resolve(x.items).type;
      if (bi.kind !== 'object') compareRequestType(m, `${path}[]`, x.items, y.items, b, h, out, at);
    }
    if (y.maxItems !== undefined && (x.maxItems === undefined || y.maxItems < x.maxItems)) out.push(change(RULES.requestPropertyRangeNarrowed, m, path, `${path} takes at most ${y.maxItems} items (was ${x.maxItems ?? 'unlimited'})`, loc));
    if (y.minItems !== undefined && (x.minItems === undefined || y.minItems > x.minItems)) out.push(change(RULES.requestPropertyRangeNarrowed, m, path, `${path} needs at least ${y.minItems} items (was ${x.minItems ?? 0})`, loc));
  } else if (x.kind === 'primitive' && y.kind === 'primitive' && x.name === y.name) {
    compareRange(m, path, x, y, out, loc);
  } else if (b.shape(bt) !== h.shape(ht)) {
    const wider = variants(h, ht);
    const widened = variants(b, bt).every((s) => wider.includes(s));
    out.push(change(widened ? RULES.requestPropertyTypeWidened : RULES.requestPropertyTypeChanged, m, path, `${path} is ${h.label(ht)} instead of ${b.label(bt)}`, { base: b.label(bt), head: h.label(ht), ...loc }));
    return;
  }
  if (rb.nullable && !rh.nullable) out.push(change(RULES.requestPropertyTypeChanged, m, path, `${path} no longer accepts null`, { base: b.label(bt), head: h.label(ht), ...loc }));
  if (!rb.nullable && rh.nullable) out.push(change(RULES.requestPropertyTypeWidened, m, path, `${path} now accepts null`, { base: b.label(bt), head: h.label(ht), ...loc }));
}

function variants(side: TypeSide, t: Resolved): string[] {
  const r = side.resolve(t);
  const list = r.type.kind === 'union' ? r.type.variants.map((v) => side.shape(v)) : [side.shape({ ...r.type, nullable: false } as Resolved)];
  return r.nullable ? [...list, 'null'] : list;
}

type Prim = Extract<Resolved, { kind: 'primitive' }>;

function compareRange(m: string, path: string, x: Prim, y: Prim, out: Change[], loc: { at: FlatMember['at'] }): void {
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
    const what = `${path} ${key} ${before ?? 'none'} -> ${after ?? 'none'}`;
    out.push(change(narrowed ? RULES.requestPropertyRangeNarrowed : RULES.requestPropertyRangeWidened, m, path, what, { base: String(before ?? ''), head: String(after ?? ''), ...loc }));
  }
  if (x.pattern !== y.pattern) out.push(change(RULES.requestPropertyPatternChanged, m, path, `${path} pattern ${x.pattern ?? 'none'} -> ${y.pattern ?? 'none'}`, { base: x.pattern, head: y.pattern, ...loc }));
}

// ---- result ---------------------------------------------------------------------------------

function compareResult(m: string, bm: MethodSpec, hm: MethodSpec, b: TypeSide, h: TypeSide, out: Change[], docs: string[]): void {
  compareResponse(m, 'result', bm.result, hm.result, hm.at, b, h, out, docs);
}

/** What users read (a method's result, an event's data): under `prefix`. */
function compareResponse(m: string, prefix: string, bt: Resolved, ht: Resolved, at: SourceLocation, b: TypeSide, h: TypeSide, out: Change[], docs: string[]): void {
  const rb = b.resolve(bt).type;
  const rh = h.resolve(ht).type;
  if (rb.kind !== rh.kind || (rb.kind === 'primitive' && rh.kind === 'primitive' && rb.name !== rh.name)) {
    out.push(change(RULES.responseBodyTypeChanged, m, prefix, `${prefix} is ${h.label(ht)} instead of ${b.label(bt)}`, { base: b.label(bt), head: h.label(ht), at }));
    return;
  }
  if (rb.kind !== 'object' && rb.kind !== 'array') {
    compareResponseType(m, prefix, bt, ht, b, h, out, at);
    return;
  }
  if (rb.kind === 'object' && rh.kind === 'object') compareEventUnion(m, prefix, rb, rh, out, at);
  if (rb.kind === 'array' && rh.kind === 'array') {
    const bi = b.resolve(rb.items).type;
    const hi = h.resolve(rh.items).type;
    if (bi.kind === 'object' && hi.kind === 'object') compareEventUnion(m, `${prefix}[]`, bi, hi, out, at);
  }
  const bf = flatten(b, bt);
  const hf = flatten(h, ht);
  for (const [path, x] of bf) {
    const y = hf.get(path);
    if (!y) {
      if (x.parent === '' || hf.has(x.parent)) out.push(change(RULES.responsePropertyRemoved, m, `${prefix}.${path}`, `${prefix} field ${path} was removed`, { at: x.at }));
      continue;
    }
    if (x.required && !y.required) out.push(change(RULES.responsePropertyBecameOptional, m, `${prefix}.${path}`, `${prefix} field ${path} may now be missing: it reads as \`${h.label(y.type)} | undefined\`, and code using it as \`${b.label(x.type)}\` stops compiling under strict`, { at: y.at }));
    if (!x.required && y.required) out.push(change(RULES.responsePropertyBecameRequired, m, `${prefix}.${path}`, `${prefix} field ${path} is now always present`, { at: y.at }));
    compareResponseType(m, `${prefix}.${path}`, x.type, y.type, b, h, out, y.at);
    if (describeChanged(b, h, x.type, y.type)) docs.push(`${prefix}.${path}`);
  }
  for (const [path, y] of hf) {
    if (bf.has(path) || (y.parent !== '' && !bf.has(y.parent))) continue;
    out.push(change(RULES.responsePropertyAdded, m, `${prefix}.${path}`, `${prefix} field ${path} was added`, { head: h.label(y.type), at: y.at }));
  }
}

/** Result types: anything users' reading code may not expect is breaking; new enum values warn. */
function compareResponseType(m: string, path: string, bt: Resolved, ht: Resolved, b: TypeSide, h: TypeSide, out: Change[], at: FlatMember['at']): void {
  const rb = b.resolve(bt);
  const rh = h.resolve(ht);
  const x = rb.type;
  const y = rh.type;
  if (x.kind === 'enum' && y.kind === 'enum') {
    const hv = new Set(y.values.map((v) => v.value));
    const bv = new Set(x.values.map((v) => v.value));
    if (!x.open && y.open) out.push(change(RULES.responsePropertyEnumOpened, m, path, `${path} may now be any ${y.base}, not only the listed values: code assigning it to ${h.label(ht)} or switching over it exhaustively stops compiling`, { base: b.label(bt), head: `${h.label(ht)} (open)`, at }));
    if (x.open && !y.open) out.push(change(RULES.responsePropertyEnumClosed, m, path, `${path} is typed as the listed values only: comparisons with other values stop compiling`, { base: `${b.label(bt)} (open)`, head: h.label(ht), at }));
    // A value added to an open list could already come (typed as a string); now it has a name.
    const added = y.open ? RULES.responsePropertyOpenEnumValueAdded : RULES.responsePropertyEnumValueAdded;
    for (const v of y.values) if (!bv.has(v.value)) out.push(change(added, m, `${path}=${v.value}`, `${path} may now be ${JSON.stringify(v.value)}${y.open ? ' (the list is open: it is a known value now)' : ''}`, { at }));
    for (const v of x.values) {
      if (hv.has(v.value)) continue;
      // The value leaves the head's enum: its const member and comparisons with it stop compiling.
      const key = String(v.value);
      const gone = rb.name ? `${rb.name}${isIdentifier(key) ? `.${key}` : `[${stringLiteral(key)}]`} no longer exists, and ` : '';
      out.push(change(RULES.responsePropertyEnumValueRemoved, m, `${path}=${v.value}`, `${path} is no longer ${JSON.stringify(v.value)}: ${gone}comparisons with ${JSON.stringify(v.value)} stop compiling`, { at }));
    }
  } else if (x.kind === 'object' && y.kind === 'object') {
    // members are compared through the flattened paths
    compareEventUnion(m, path, x, y, out, at);
  } else if (x.kind === 'array' && y.kind === 'array') {
    const bi = b.resolve(x.items).type;
    const hi = h.resolve(y.items).type;
    if (bi.kind === 'object' && hi.kind === 'object') compareEventUnion(m, `${path}[]`, bi, hi, out, at);
    if (bi.kind !== 'object') compareResponseType(m, `${path}[]`, x.items, y.items, b, h, out, at);
  } else if (b.shape({ ...x, nullable: false } as Resolved) !== h.shape({ ...y, nullable: false } as Resolved)) {
    out.push(change(RULES.responsePropertyTypeChanged, m, path, `${path} is ${h.label(ht)} instead of ${b.label(bt)}`, { base: b.label(bt), head: h.label(ht), at }));
    return;
  }
  if (!rb.nullable && rh.nullable) out.push(change(RULES.responsePropertyBecameNullable, m, path, `${path} may now be null`, { base: b.label(bt), head: h.label(ht), at }));
}

/**
 * `eventOf` objects (Event.get items): a namespace whose events the item may now be is an
 * addition (those events were the unknown-event variant before); one it may no longer be takes
 * their variants away, and code narrowing on them stops compiling. An object without `eventOf`
 * counts as one listing no namespace.
 */
function compareEventUnion(m: string, path: string, x: ObjectType, y: ObjectType, out: Change[], at: SourceLocation): void {
  const before = x.eventOf?.namespaces ?? [];
  const after = y.eventOf?.namespaces ?? [];
  for (const ns of after) {
    if (!before.includes(ns)) out.push(change(RULES.responseEventNamespaceAdded, m, `${path}:${ns}`, `${path} may now be any event of ${ns}, typed by its data`, { head: ns, at: y.eventOf?.at ?? at }));
  }
  for (const ns of before) {
    if (!after.includes(ns)) out.push(change(RULES.responseEventNamespaceRemoved, m, `${path}:${ns}`, `${path} no longer lists the events of ${ns}: code narrowing on their names loses their data types`, { base: ns, at: y.eventOf?.at ?? at }));
  }
}

// ---- errors ---------------------------------------------------------------------------------

function compareErrors(m: string, bm: MethodSpec, hm: MethodSpec, base: Api, head: Api, out: Change[]): void {
  const be = new Map(errorsOf(bm, base).map((e) => [e.code, e]));
  const he = new Map(errorsOf(hm, head).map((e) => [e.code, e]));
  const removed = [...be.values()].filter((e) => !he.has(e.code));
  const added = [...he.values()].filter((e) => !be.has(e.code));
  const renamed = new Set<string>();
  // A class stays exported while any method (or the system errors) still documents its code.
  const kept = new Set(allErrorCodes(head));
  for (const r of removed) {
    // A code that disappears while another appears with the same status and message is a rename.
    const twin = r.message === undefined ? undefined : added.find((a) => !renamed.has(a.code) && a.status === r.status && a.message === r.message);
    if (twin) {
      renamed.add(twin.code);
      renamed.add(r.code);
      const [before, after] = [errorClassName(r.code), errorClassName(twin.code)];
      out.push(
        kept.has(r.code)
          ? change(RULES.errorCodeRenamedClassKept, m, `errors.${twin.code}`, `error code ${r.code} is now ${twin.code}: this method throws ${after} instead of ${before} (other methods still throw ${before}); catch ${after} here`, { base: r.code, head: twin.code, at: twin.at })
          : change(RULES.errorCodeRenamed, m, `errors.${twin.code}`, `error code ${r.code} is now ${twin.code}: ${before} is no longer exported (imports and instanceof checks of it stop compiling); catch ${after} instead`, { base: r.code, head: twin.code, at: twin.at }),
      );
    }
  }
  for (const r of removed) {
    if (renamed.has(r.code)) continue;
    const cls = errorClassName(r.code);
    out.push(
      kept.has(r.code)
        ? change(RULES.errorCodeRemovedClassKept, m, `errors.${r.code}`, `error code ${r.code} was removed: this method no longer throws ${cls} (other methods still do), and a case for it in a switch over this method's errors stops compiling`, { at: hm.at })
        : change(RULES.errorCodeRemoved, m, `errors.${r.code}`, `error code ${r.code} was removed: ${cls} is no longer exported (imports and instanceof checks of it stop compiling)`, { at: hm.at }),
    );
  }
  for (const a of added) if (!renamed.has(a.code)) out.push(change(RULES.errorCodeAdded, m, `errors.${a.code}`, `error code ${a.code} (${a.status}) was added; exhaustive handling of this method's errors must cover it`, { at: a.at }));
  for (const [code, x] of be) {
    const y = he.get(code);
    if (!y || (x.status === y.status && x.message === y.message)) continue;
    const text = (message: string | undefined) => (message === undefined ? 'no documented message' : JSON.stringify(message));
    const what = x.status !== y.status ? `HTTP status ${x.status} -> ${y.status}` : `message ${text(x.message)} -> ${text(y.message)}`;
    out.push(change(RULES.errorStatusChanged, m, `errors.${code}`, `error ${code}: ${what}`, { at: y.at }));
  }
}

export type { Rule };
