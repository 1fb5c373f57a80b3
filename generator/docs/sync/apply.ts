import type { Api } from '../../model/ir.js';
import type { Difference } from '../difference.js';
import { DOCS_SITE, type DocsRoot } from '../docs-root.js';
import type { DocsField, DocsMethodPage } from '../page.js';
import { containerOf, leaf, memberPlace, type Side } from './locate.js';
import { newEventFile } from './new-event.js';
import { methodFile, newMethodFile } from './new-method.js';
import { newProperty, pendingDescription, specTypeOf } from './new-items.js';
import type { SpecFiles, SpecPlace } from './spec-files.js';

/** One change docs-sync made to a spec file. */
export interface Edit {
  subject: string;
  /** The difference kind it answers, or `param-moved` / `error-code-renamed`. */
  kind: string;
  path: string;
  file: string;
  /** One line for people. */
  what: string;
  /** It added something whose description is left for a person. */
  pending: boolean;
  /** For an enum value: `<file>|<enum path>|<value>` (a later round may find the pages disagree). */
  key?: string;
}

/** A difference docs-sync cannot apply, with the reason (a person decides). */
export interface Left {
  difference: Difference;
  why: string;
}

/** What the engine needs from the pages beyond a difference's own fields. */
export interface PageFacts {
  root: DocsRoot;
  page(method: string): DocsMethodPage | undefined;
  /** HTTP statuses the page's "Error Handling" names. */
  errorStatuses(method: string): number[];
}

const SIDE: Partial<Record<string, { side: Side; op: 'add' | 'remove' | 'type' }>> = {
  'param-missing': { side: 'param', op: 'add' },
  'param-extra': { side: 'param', op: 'remove' },
  'param-type': { side: 'param', op: 'type' },
  'result-field-missing': { side: 'result', op: 'add' },
  'result-field-extra': { side: 'result', op: 'remove' },
  'result-field-type': { side: 'result', op: 'type' },
  'event-field-missing': { side: 'event', op: 'add' },
  'event-field-extra': { side: 'event', op: 'remove' },
  'event-field-type': { side: 'event', op: 'type' },
};

/**
 * Applies one round of differences to the files. Moves and renames are found first (a param
 * gone from one place and the same name added elsewhere; the only error code removed and the
 * only one added), then every other difference is applied on its own. A change to a shared
 * named type is made once however many methods report it. Differences whose edit makes another
 * one moot (a member of a replaced result) are left for the next round, which compares again.
 */
/**
 * What earlier rounds did to enum values, so pages that disagree are noticed even when the
 * disagreement only shows after an edit (a value added because chat-add.md lists it is then
 * "extra" for chat-update.md, which does not).
 */
export interface RoundMemory {
  /** `<file>|<enum path>|<value>` -> the kind applied. */
  enumEdits: Map<string, string>;
  /** Values the pages disagree on: never edited again, left for a person. */
  disputed: Set<string>;
}

const DISPUTED = 'the pages disagree on this value of a shared enum (one lists it, another does not)';

export function applyRound(files: SpecFiles, differences: Difference[], facts: PageFacts, api: Api, memory: RoundMemory = { enumEdits: new Map(), disputed: new Set() }): { edits: Edit[]; left: Left[]; reverted: string[] } {
  const reverted: string[] = [];
  const edits: Edit[] = [];
  const left: Left[] = [];
  const done = new Set<string>();
  const once = (key: string): boolean => (done.has(key) ? false : (done.add(key), true));
  const used = new Set<Difference>();

  // Moves: same leaf name, same side, one gone and one new within a subject.
  for (const gone of differences) {
    const g = SIDE[gone.kind];
    if (g?.op !== 'remove') continue;
    const added = differences.filter((d) => !used.has(d) && d.method === gone.method && SIDE[d.kind]?.op === 'add' && SIDE[d.kind]?.side === g.side && leaf(d.path) === leaf(gone.path));
    if (added.length !== 1) continue;
    const to = added[0]!;
    const file = files.fileOf(gone.method);
    if (!file) continue;
    try {
      const from = memberPlace(files, file, g.side, gone.path);
      const node = files.get(from) as Record<string, unknown>;
      const target = containerOf(files, file, g.side, to.path);
      const field = g.side === 'param' ? findField(facts.page(to.method)?.params, to.path) : undefined;
      const moved = { ...node };
      if (field) {
        if (field.required) moved.required = true;
        else delete moved.required;
      }
      files.file(from.file).removePair(from.path);
      addMember(files, target, leaf(to.path), moved);
      used.add(gone).add(to);
      edits.push({ subject: gone.method, kind: `${g.side === 'param' ? 'param' : g.side === 'result' ? 'result-field' : 'event-field'}-moved`, path: to.path, file: target.map.file, what: `moved ${gone.path} to ${to.path}`, pending: false });
    } catch (err) {
      // Left to the separate add and remove below.
      void err;
    }
  }

  // Renamed error codes: within a method, the only code gone and the only one added, or a pair with the same message.
  const byMethod = new Map<string, Difference[]>();
  for (const d of differences) if (!used.has(d)) byMethod.set(d.method, [...(byMethod.get(d.method) ?? []), d]);
  for (const [method, list] of byMethod) {
    const gone = list.filter((d) => d.kind === 'error-code-extra');
    const added = list.filter((d) => d.kind === 'error-code-missing');
    for (const a of added) {
      const sameMessage = gone.filter((g) => !used.has(g) && g.spec !== undefined && g.spec === a.docs);
      const g = sameMessage.length === 1 ? sameMessage[0] : gone.length === 1 && added.length === 1 && !used.has(gone[0]!) ? gone[0] : undefined;
      if (!g) continue;
      const place = errorPlace(files, method, g.path);
      if (!place) continue;
      const text = files.file(place.file);
      text.setScalar([...place.path, 'code'], a.path);
      if (a.docs !== undefined && a.docs !== '') {
        if (text.has([...place.path, 'message'])) text.setScalar([...place.path, 'message'], a.docs);
        else text.addPair(place.path, 'message', a.docs);
      }
      used.add(g).add(a);
      edits.push({ subject: method, kind: 'error-code-renamed', path: a.path, file: place.file, what: `renamed error code ${g.path} to ${a.path}`, pending: false });
    }
  }

  // Pages that disagree on a shared enum (one lists a value, another does not): a person decides.
  const enumKinds = new Map<string, Set<string>>();
  const enumKey = (d: Difference): string | undefined => {
    if (d.kind !== 'enum-value-missing' && d.kind !== 'enum-value-extra') return undefined;
    const holder = enumHolder(files, d);
    return holder ? `${holder.file}|${holder.path.join('.')}|${d.path.slice(d.path.lastIndexOf('=') + 1)}` : undefined;
  };
  for (const d of differences) {
    const key = enumKey(d);
    if (key) enumKinds.set(key, (enumKinds.get(key) ?? new Set()).add(d.kind));
  }

  // A removal waits a round when the same round adds to the same side of the subject: docs-diff
  // reports a new container (`fields`) without its members, so a param that moved into it only
  // shows as moved once the container exists. The next round pairs them (moved whole, its
  // description kept) or removes it.
  const adding = new Set(differences.filter((d) => !used.has(d) && SIDE[d.kind]?.op === 'add').map((d) => `${d.method}|${SIDE[d.kind]!.side}`));
  // Type changes first: a member added below a field whose type changes (`result: true` ->
  // `{result: true}`) goes into the new object.
  const ordered = [...differences].sort((a, b) => Number(SIDE[b.kind]?.op === 'type') - Number(SIDE[a.kind]?.op === 'type'));
  for (const d of ordered) {
    if (used.has(d)) continue;
    if (SIDE[d.kind]?.op === 'remove' && adding.has(`${d.method}|${SIDE[d.kind]!.side}`)) continue;
    const key = enumKey(d);
    if (key && (memory.disputed.has(key) || enumKinds.get(key)!.size > 1)) {
      left.push({ difference: d, why: DISPUTED });
      continue;
    }
    const undoes = key !== undefined && memory.enumEdits.has(key) && memory.enumEdits.get(key) !== d.kind;
    try {
      const edit = d.kind === 'method-missing' || d.kind === 'method-extra' ? methodLevel(files, d, facts, api) : d.kind === 'event-missing' || d.kind === 'event-extra' ? eventLevel(files, d, facts) : applyOne(files, d, facts, once);
      if (typeof edit === 'string') left.push({ difference: d, why: edit });
      else if (edit && key !== undefined && undoes) {
        // This round's edit takes the value back out (or in): the spec is as it was, and both
        // edits are dropped from the list; the value is left for a person from now on.
        memory.disputed.add(key);
        reverted.push(key);
        left.push({ difference: d, why: DISPUTED });
      } else if (edit) {
        if (key !== undefined) {
          memory.enumEdits.set(key, d.kind);
          edit.key = key;
        }
        edits.push(edit);
      }
    } catch (err) {
      left.push({ difference: d, why: `could not edit the spec: ${(err as Error).message}` });
    }
  }
  return { edits, left, reverted };
}

/** Applies one difference; a string says why it was not; undefined: already done this round. */
function applyOne(files: SpecFiles, d: Difference, facts: PageFacts, once: (key: string) => boolean): Edit | string | undefined {
  const isSystem = d.method === 'systemErrors';
  const file = isSystem ? 'common/errors.yaml' : files.fileOf(d.method);
  if (!file) return `no spec file declares ${d.method}`;
  // One edit per place in the spec (and per added name, value or code there): a shared type's
  // member reported by several methods, under different paths, is changed once.
  const edit = (kind: string, at: SpecPlace, what: string, pending = false, id = ''): Edit | undefined =>
    once(`${kind}|${at.file}|${at.path.join('.')}|${id}`) ? { subject: d.method, kind, path: d.path, file: at.file, what, pending } : undefined;
  const side = SIDE[d.kind];

  if (side?.op === 'add') {
    const field = side.side === 'event' ? { typeText: d.docs, required: false, at: d.docsAt } : findField(side.side === 'param' ? facts.page(d.method)?.params : resultTree(facts.page(d.method)), d.path);
    if (!field) return 'the page row could not be found again';
    const node = newProperty(side.side, field, files, side.side !== 'param');
    if (!node) return `the docs type ${field.typeText ?? '(none)'} has no spec equivalent; add it by hand`;
    const target = containerOf(files, file, side.side, d.path);
    const e = edit(d.kind, target.map, `added ${d.path} (${field.typeText})`, true, leaf(d.path));
    if (e) addMember(files, target, leaf(d.path), node);
    return e;
  }
  if (side?.op === 'remove') {
    const at = memberPlace(files, file, side.side, d.path);
    const e = edit(d.kind, at, `removed ${d.path}`);
    if (e) files.file(at.file).removePair(at.path);
    return e;
  }
  if (side?.op === 'type') {
    const row = side.side === 'event' ? undefined : findField(side.side === 'param' ? facts.page(d.method)?.params : resultTree(facts.page(d.method)), d.path);
    const type = specTypeOf(row?.typeText ?? d.docs, files);
    if (!type) return `the docs type ${d.docs ?? '(none)'} has no spec equivalent`;
    const at = memberPlace(files, file, side.side, d.path);
    const old = (files.get(at) ?? {}) as Record<string, unknown>;
    const node: Record<string, unknown> = { ...type };
    if (old.required !== undefined && at.path[at.path.length - 1] !== 'result') node.required = old.required;
    // An object stays an object with its members (a nullable or array change around it).
    if (node.type === 'object' && old.properties !== undefined) node.properties = old.properties;
    // The member keeps its description: a new type rarely changes what it is for (a reviewer
    // sees the change in the PR); one without a description gets the marker.
    const pending = typeof old.description !== 'string';
    node.description = pending ? pendingDescription(d.docsAt) : old.description;
    const e = edit(d.kind, at, `${d.path}: ${d.spec ?? '?'} -> ${row?.typeText ?? d.docs}`, pending);
    if (e) files.file(at.file).replaceValue(at.path, node);
    return e;
  }
  switch (d.kind) {
    case 'param-required': {
      const at = memberPlace(files, file, 'param', d.path);
      const text = files.file(at.file);
      const e = edit(d.kind, at, `${d.path} made ${d.docs}`);
      if (!e) return undefined;
      if (d.docs === 'required') {
        if (text.has([...at.path, 'required'])) text.setScalar([...at.path, 'required'], true);
        else text.addPair(at.path, 'required', true);
      } else if (text.has([...at.path, 'required'])) {
        text.removePair([...at.path, 'required']);
      }
      return e;
    }
    case 'enum-value-missing':
    case 'enum-value-extra': {
      const value = d.path.slice(d.path.lastIndexOf('=') + 1);
      const holder = enumHolder(files, d)!;
      const values = (files.get({ file: holder.file, path: [...holder.path, 'enum'] }) ?? undefined) as { value: unknown }[] | undefined;
      if (!values) return 'the spec type there is not an enum (an eventOf list or a type the engine cannot follow)';
      const e = edit(d.kind, { file: holder.file, path: [...holder.path, 'enum'] }, `${d.kind === 'enum-value-missing' ? 'added' : 'removed'} enum value ${value}`, d.kind === 'enum-value-missing', value);
      if (!e) return undefined;
      const text = files.file(holder.file);
      if (d.kind === 'enum-value-missing') {
        const integer = (files.get(holder) as Record<string, unknown>).type === 'integer';
        text.addItem([...holder.path, 'enum'], { value: integer && /^-?\d+$/.test(value) ? Number(value) : value, description: pendingDescription(d.docsAt) });
      } else {
        const i = values.findIndex((v) => String(v.value) === value);
        if (i < 0) return `enum value ${value} not found`;
        text.removeItem([...holder.path, 'enum', i]);
      }
      return e;
    }
    case 'error-code-missing': {
      const list: SpecPlace = isSystem ? { file, path: ['systemErrors'] } : { file, path: ['errors'] };
      const status = statusFor(files, d.path, isSystem ? [] : facts.errorStatuses(d.method));
      const item: Record<string, unknown> = { code: d.path, status };
      if (d.docs) item.message = d.docs;
      item.description = pendingDescription(d.docsAt);
      const e = edit(d.kind, list, `added error code ${d.path} (HTTP ${status})`, true, d.path);
      if (!e) return undefined;
      const text = files.file(file);
      if (text.has(list.path)) text.addItem(list.path, item);
      else text.addPair([], list.path[0] as string, [item]);
      return e;
    }
    case 'error-code-extra': {
      const at = errorPlace(files, d.method, d.path);
      if (!at) return `error code ${d.path} not found in ${file}`;
      const e = edit(d.kind, at, `removed error code ${d.path}`);
      if (e) files.file(at.file).removeItem(at.path);
      return e;
    }
    case 'error-message':
    case 'error-status': {
      const at = errorPlace(files, d.method, d.path);
      if (!at || d.docs === undefined) return `error code ${d.path} not found in ${file}`;
      const key = d.kind === 'error-message' ? 'message' : 'status';
      const value = key === 'status' ? Number(d.docs) : d.docs;
      const e = edit(d.kind, at, `${d.path} ${key}: ${d.spec ?? '(none)'} -> ${d.docs}`);
      if (!e) return undefined;
      const text = files.file(at.file);
      if (text.has([...at.path, key])) text.setScalar([...at.path, key], value);
      else text.addPair(at.path, key, value);
      return e;
    }
    case 'docs-link': {
      if (d.docs === undefined) return 'no page to link';
      const url = `${DOCS_SITE}${d.docs.replace(/\.md$/, '.html')}`;
      const e = edit(d.kind, { file, path: ['docs'] }, `docs URL -> ${url}`);
      if (e) files.file(file).setScalar(['docs'], url);
      return e;
    }
    default:
      return KIND_LEFT[d.kind] ?? 'docs-sync does not apply this kind';
  }
}

const KIND_LEFT: Record<string, string> = {
  'enum-missing': 'the docs list allowed values for a field the spec does not type as an enum: declare a named enum type',
  'docs-unreadable': 'part of a page could not be read; nothing to apply',
};

/**
 * A method page added: a new spec file from the page (new-method.ts), and its group's entry in
 * common/groups.yaml when the group is new. A method gone from the docs: its file is deleted.
 */
function methodLevel(files: SpecFiles, d: Difference, facts: PageFacts, api: Api): Edit | string {
  if (d.kind === 'method-extra') {
    const file = files.fileOf(d.method);
    if (!file) return `no spec file declares ${d.method}`;
    files.remove(file);
    // A group left with no method would be refused by the loader (groups.ts): its entry goes too.
    const group = d.method.split('.').slice(0, 3).join('.');
    const groups = files.has('common/groups.yaml') ? files.file('common/groups.yaml') : undefined;
    if (groups?.has(['groups', group]) && !api.methods.some((m) => m.name !== d.method && m.name.startsWith(`${group}.`))) groups.removePair(['groups', group]);
    return { subject: d.method, kind: d.kind, path: '', file, what: `removed ${file} (no page documents the method any more)`, pending: false };
  }
  const page = facts.page(d.method);
  if (!page) return 'the page could not be read again';
  const file = methodFile(d.method);
  if (files.has(file)) return `${file} exists but declares another method`;
  files.create(file, newMethodFile(page, files, api, facts.errorStatuses(d.method)));
  const group = d.method.split('.').slice(0, 3).join('.');
  const groups = files.has('common/groups.yaml') ? files.file('common/groups.yaml') : undefined;
  if (groups?.has(['groups']) && !groups.has(['groups', group])) groups.addPair(['groups'], group, { description: pendingDescription(page.titleAt) });
  return { subject: d.method, kind: d.kind, path: '', file, what: `new file ${file} from ${page.file}`, pending: true };
}

/** A new event section: a new events/<NAME>.yaml (new-event.ts). An event gone: its file is deleted. */
function eventLevel(files: SpecFiles, d: Difference, facts: PageFacts): Edit | string {
  if (d.kind === 'event-extra') {
    const file = files.fileOf(d.method);
    if (!file) return `no spec file declares ${d.method}`;
    files.remove(file);
    return { subject: d.method, kind: d.kind, path: '', file, what: `removed ${file} (no event page documents it any more)`, pending: false };
  }
  const made = newEventFile(facts.root, d.method, files);
  if (!made) return 'the event section could not be read again';
  if (files.has(made.path)) return `${made.path} exists but declares another event`;
  files.create(made.path, made.text);
  return { subject: d.method, kind: d.kind, path: '', file: made.path, what: `new file ${made.path}`, pending: true };
}

/** The type node holding the `enum` an enum-value difference is about. */
function enumHolder(files: SpecFiles, d: Difference): SpecPlace | undefined {
  const file = files.fileOf(d.method);
  if (!file) return undefined;
  const fieldPath = d.path.slice(0, d.path.lastIndexOf('='));
  const side: Side = fieldPath === 'result' || fieldPath.startsWith('result.') ? 'result' : 'param';
  try {
    return files.deref(fieldPath === 'result' ? { file, path: ['result'] } : memberPlace(files, file, side, fieldPath), 'enum');
  } catch {
    return undefined;
  }
}

function addMember(files: SpecFiles, target: { type?: SpecPlace; map: SpecPlace }, name: string, node: Record<string, unknown>): void {
  const text = files.file(target.map.file);
  if (text.has(target.map.path) && text.get(target.map.path) !== null) text.addPair(target.map.path, name, node);
  else if (target.type) {
    if (text.has(target.map.path)) text.removePair(target.map.path);
    text.addPair(target.type.path, 'properties', { [name]: node });
  } else text.addPair([], 'params', { [name]: node });
}

/** The place of a method's error code entry (or a system error's). */
function errorPlace(files: SpecFiles, method: string, code: string): SpecPlace | undefined {
  const file = method === 'systemErrors' ? 'common/errors.yaml' : files.fileOf(method);
  if (!file) return undefined;
  const key = method === 'systemErrors' ? 'systemErrors' : 'errors';
  const list = files.get({ file, path: [key] }) as { code: string }[] | undefined;
  const i = list?.findIndex((e) => e.code === code) ?? -1;
  return i < 0 ? undefined : { file, path: [key, i] };
}

/**
 * The HTTP status of a new error code. The pages give statuses per page, not per code, so: the
 * status the spec already gives the same code elsewhere, else the page's only status, else 400
 * (the usual one), which the summary's description marker asks a person to check.
 */
function statusFor(files: SpecFiles, code: string, pageStatuses: number[]): number {
  for (const { path } of files.texts()) {
    const f = files.file(path);
    for (const key of ['errors', 'systemErrors']) {
      const list = f.get([key]) as { code?: string; status?: number }[] | undefined;
      const hit = Array.isArray(list) ? list.find((e) => e.code === code) : undefined;
      if (hit?.status !== undefined) return hit.status;
    }
  }
  const errors = pageStatuses.filter((s) => s >= 400);
  return errors.length === 1 ? errors[0]! : 400;
}

/** The page row at a path in a docs field tree. */
function findField(tree: DocsField[] | undefined, path: string): DocsField | undefined {
  const walk = (fields: DocsField[]): DocsField | undefined => {
    for (const f of fields) {
      if (f.path === path) return f;
      const below = walk(f.children);
      if (below) return below;
    }
    return undefined;
  };
  return tree ? walk(tree) : undefined;
}

function resultTree(page: DocsMethodPage | undefined): DocsField[] | undefined {
  return page?.result ? [page.result] : undefined;
}
