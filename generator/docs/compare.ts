import { eventsOf, type Api, type EnumType, type ErrorSpec, type EventUnion, type MethodSpec, type ObjectType, type Property, type SourceLocation, type TypeNode } from '../model/ir.js';
import { compareDifferences, SYSTEM_ERRORS, type Difference, type DifferenceKind } from './difference.js';
import { DocsRoot } from './docs-root.js';
import { compareEvents, EVENT_PAGES } from './events.js';
import { readMethodPage, type DocsErrorRow, type DocsField, type DocsMethodPage, type DocsPlace } from './page.js';
import { formatShape, irShape, resolve, sameShape, typeTable, type TypeTable } from './shape.js';
import { readSystemErrors, SYSTEM_ERRORS_PAGE } from './system-errors.js';

/** What comparing the docs with the IR found, before the allowlist is applied. */
export interface Comparison {
  differences: Difference[];
  /** Methods documented by pages under the chat-bot folder. */
  docsMethods: string[];
  specMethods: string[];
  /** Methods found on both sides and compared field by field. */
  compared: string[];
  /** Per method (and `systemErrors`): its docs page (relative to the docs root) and spec file. */
  files: Map<string, { docs?: string; spec?: string }>;
}

export function compareDocsWithSpec(root: DocsRoot, api: Api): Comparison {
  const out: Difference[] = [];
  const types = typeTable(api);
  const pages = new Map<string, ReturnType<DocsRoot['methodPages']>[number]>();
  for (const ref of root.methodPages()) {
    const first = pages.get(ref.method);
    if (first) {
      out.push({ method: ref.method, kind: 'docs-unreadable', path: `${ref.file}:${ref.titleLine}`, message: `a second page documents this method (the first is ${first.file}); only the first is compared`, docsAt: { file: ref.file, line: ref.titleLine } });
      continue;
    }
    pages.set(ref.method, ref);
  }

  const compared: string[] = [];
  const files: Comparison['files'] = new Map();
  for (const ref of pages.values()) files.set(ref.method, { docs: ref.file });
  for (const method of api.methods) {
    const ref = pages.get(method.name);
    files.set(method.name, { ...files.get(method.name), spec: method.at.file });
    const linked = DocsRoot.fileForUrl(method.docs);
    if (!ref) {
      out.push({ method: method.name, kind: 'method-extra', path: '', message: `no page under the docs' chat-bot folder has this method in its title${linked ? ` (the spec links ${linked})` : ''}`, specAt: method.at });
    } else if (linked !== ref.file) {
      const why =
        linked === undefined
          ? 'is not an https://apidocs.bitrix24.com/<path>.html address'
          : `leads to ${linked}${root.page(linked) ? '' : ', which does not exist'}`;
      out.push({ method: method.name, kind: 'docs-link', path: '', message: `the spec's docs URL ${why}, but the method is documented on ${ref.file}`, docs: ref.file, spec: method.docs, docsAt: { file: ref.file, line: ref.titleLine }, specAt: method.at });
    }
    if (ref) {
      compared.push(method.name);
      new MethodComparer(method, api, types, out).compare(readMethodPage(root, ref));
    }
  }
  const inSpec = new Set(api.methods.map((m) => m.name));
  for (const ref of pages.values()) {
    if (!inSpec.has(ref.method)) {
      out.push({ method: ref.method, kind: 'method-missing', path: '', message: `the spec has no ${specFileFor(ref.method)} for it`, docsAt: { file: ref.file, line: ref.titleLine } });
    }
  }

  compareSystemErrors(root, api, out);
  compared.push(...compareEvents(root, api, types, out));
  for (const e of api.events) files.set(e.name, { docs: EVENT_PAGES[e.namespace === 'im.v2' ? 1 : 0], spec: e.at.file });
  files.set(SYSTEM_ERRORS, { docs: SYSTEM_ERRORS_PAGE, ...(api.systemErrors[0] ? { spec: api.systemErrors[0].at.file } : {}) });
  return {
    differences: out.sort(compareDifferences),
    docsMethods: [...pages.keys()].sort(),
    specMethods: api.methods.map((m) => m.name),
    compared,
    files,
  };
}

/** `imbot.v2.Chat.InputAction.notify` -> `imbot.v2/Chat.InputAction.notify.yaml` (see spec/README.md). */
function specFileFor(method: string): string {
  const parts = method.split('.');
  return `${parts.slice(0, 2).join('.')}/${parts.slice(2).join('.')}.yaml`;
}

class MethodComparer {
  constructor(
    private readonly method: MethodSpec,
    private readonly api: Api,
    private readonly types: TypeTable,
    private readonly out: Difference[],
  ) {}

  compare(page: DocsMethodPage): void {
    for (const p of page.problems) this.add('docs-unreadable', `${p.at.file}:${p.at.line}`, p.message, { docsAt: p.at });
    if (page.params === undefined) {
      this.add('docs-unreadable', `${page.file}:${page.titleAt.line}`, 'the page has no "Method Parameters" section; parameters were not compared', { docsAt: page.titleAt });
    } else {
      this.fields('param', page.params, this.method.params.properties, 'complete', '', this.method.params.at);
    }
    if (page.result) this.result(page.result);
    for (const row of page.outside) {
      this.add('result-field-missing', row.path, 'returned beside `result`; the spec only models `result`', { docs: row.typeText, docsAt: row.at });
    }
    this.errors(page.errors ?? [], this.method.errors);
  }

  private result(docs: DocsField): void {
    const type = this.method.result;
    if (docs.shape) {
      const ir = irShape(type, this.types);
      if (!sameShape(docs.shape, ir)) this.add('result-field-type', 'result', `docs say ${docs.typeText}, spec says ${formatShape(ir)}`, { docs: formatShape(docs.shape), spec: formatShape(ir), docsAt: docs.at, specAt: type.at });
    }
    this.values(docs, type, type.at);
    if (docs.listing !== 'none') this.fields('result', docs.children, membersOf(type, this.types), docs.listing, prefixBelow(docs), type.at, objectOf(type, this.types));
  }

  /** Compares one level of fields; `listing` says whether spec members absent from the docs count. */
  private fields(side: 'param' | 'result', docs: DocsField[], spec: Property[] | undefined, listing: DocsField['listing'], prefix: string, parentAt: SourceLocation, parent?: ObjectType): void {
    const members = spec ?? [];
    for (const d of docs) {
      const p = members.find((m) => m.name === d.name);
      if (!p) {
        const what = [d.required ? 'required' : '', d.typeText ?? ''].filter(Boolean).join(' ');
        this.add(side === 'param' ? 'param-missing' : 'result-field-missing', d.path, `in the docs${what ? ` (${what})` : ''}, not in the spec`, { docs: d.typeText, docsAt: d.at, specAt: parentAt });
        continue;
      }
      this.field(side, d, p, parent);
    }
    if (listing !== 'complete') return;
    for (const p of members) {
      if (docs.some((d) => d.name === p.name)) continue;
      this.add(side === 'param' ? 'param-extra' : 'result-field-extra', `${prefix}${p.name}`, 'in the spec, not in the docs', { spec: formatShape(irShape(p.type, this.types)), specAt: p.at });
    }
  }

  private field(side: 'param' | 'result', d: DocsField, p: Property, parent?: ObjectType): void {
    const ir = irShape(p.type, this.types);
    if (d.shape && !sameShape(d.shape, ir)) {
      this.add(side === 'param' ? 'param-type' : 'result-field-type', d.path, `docs say ${d.typeText}, spec says ${formatShape(ir)}`, { docs: formatShape(d.shape), spec: formatShape(ir), docsAt: d.at, specAt: p.at });
    }
    // Only parameter tables mark required fields; returned-data tables never do.
    if (side === 'param' && d.typeText !== undefined && d.required !== p.required) {
      const say = (r: boolean) => (r ? 'required' : 'optional');
      this.add('param-required', d.path, `${say(d.required)} in the docs, ${say(p.required)} in the spec`, { docs: say(d.required), spec: say(p.required), docsAt: d.at, specAt: p.at });
    }
    // The name property of an `eventOf` object takes the names of its namespaces' events.
    if (parent?.eventOf && p.name === parent.eventOf.nameProperty) this.eventNames(d, parent.eventOf);
    else this.values(d, p.type, p.at);
    if (d.listing !== 'none') this.fields(side, d.children, membersOf(p.type, this.types), d.listing, prefixBelow(d), p.at, objectOf(p.type, this.types));
  }

  /** Event names the docs list for an `eventOf` object's name property vs the events of its namespaces. */
  private eventNames(d: DocsField, union: EventUnion): void {
    if (!d.values) return;
    const events = eventsOf(union, this.api);
    const names = events.map((e) => e.name);
    for (const v of d.values) {
      if (!names.includes(v)) this.add('enum-value-missing', `${d.path}=${v}`, `named by the docs, but no event of ${union.namespaces.join(', ')} (spec/<namespace>/events/${v}.yaml) has this name`, { docs: v, docsAt: d.at, specAt: union.at });
    }
    for (const e of events) {
      if (!d.values.includes(e.name)) this.add('enum-value-extra', `${d.path}=${e.name}`, `an event of ${e.namespace}, which eventOf lists, not named by the docs`, { spec: e.name, docsAt: d.at, specAt: union.at });
    }
  }

  /** Allowed values in the docs vs the enum the spec type refers to. */
  private values(d: DocsField, type: TypeNode, at: SourceLocation): void {
    if (!d.values) return;
    const found = enumOf(type, this.types);
    if (!found) {
      this.add('enum-missing', d.path, `docs allow ${d.values.join(', ')}; the spec type (${formatShape(irShape(type, this.types))}) is not an enum`, { docs: d.values.join(', '), docsAt: d.at, specAt: at });
      return;
    }
    const spec = found.enum.values.map((v) => String(v.value));
    for (const v of d.values) {
      if (!spec.includes(v)) this.add('enum-value-missing', `${d.path}=${v}`, `allowed by the docs, not in the spec enum ${found.name}`, { docs: v, docsAt: d.at, specAt: found.enum.at });
    }
    for (const v of found.enum.values) {
      const value = String(v.value);
      if (!d.values.includes(value)) this.add('enum-value-extra', `${d.path}=${value}`, `in the spec enum ${found.name}, not allowed by the docs`, { spec: value, docsAt: d.at, specAt: v.at });
    }
  }

  private errors(docs: DocsErrorRow[], spec: ErrorSpec[]): void {
    compareErrorLists(this.method.name, docs, spec, this.method.at, this.out);
  }

  private add(kind: DifferenceKind, path: string, message: string, extra: { docs?: string; spec?: string; docsAt?: DocsPlace; specAt?: SourceLocation } = {}): void {
    this.out.push({ method: this.method.name, kind, path, message, ...stripUndefined(extra) });
  }
}

/** Error codes and messages of one method (or of the system errors) against the spec's list. */
export function compareErrorLists(method: string, docs: (DocsErrorRow & { status?: number })[], spec: ErrorSpec[], specAt: SourceLocation, out: Difference[]): void {
  for (const d of docs) {
    const s = spec.find((e) => e.code === d.code);
    if (!s) {
      out.push({ method, kind: 'error-code-missing', path: d.code, message: `in the docs ("${d.message}"), not in the spec`, docs: d.message, docsAt: d.at, specAt });
      continue;
    }
    if (d.message !== '' && d.message !== s.message) {
      out.push({ method, kind: 'error-message', path: d.code, message: `docs say "${d.message}", spec says ${quoted(s.message)}`, docs: d.message, ...(s.message !== undefined && { spec: s.message }), docsAt: d.at, specAt: s.at });
    }
    if (d.status !== undefined && d.status !== s.status) {
      out.push({ method, kind: 'error-status', path: d.code, message: `docs say HTTP ${d.status}, spec says ${s.status}`, docs: String(d.status), spec: String(s.status), docsAt: d.at, specAt: s.at });
    }
  }
  for (const s of spec) {
    if (!docs.some((d) => d.code === s.code)) out.push({ method, kind: 'error-code-extra', path: s.code, message: `in the spec (${quoted(s.message)}), not in the docs`, ...(s.message !== undefined && { spec: s.message }), specAt: s.at });
  }
}

/** A spec error's message as docs-diff prints it; a code whose message the docs never give has none. */
function quoted(message: string | undefined): string {
  return message === undefined ? 'no documented message' : `"${message}"`;
}

function compareSystemErrors(root: DocsRoot, api: Api, out: Difference[]): void {
  const docs = readSystemErrors(root);
  if (!docs) {
    if (api.systemErrors.length > 0) {
      out.push({ method: SYSTEM_ERRORS, kind: 'docs-unreadable', path: SYSTEM_ERRORS_PAGE, message: `the docs have no readable ${SYSTEM_ERRORS_PAGE}; system errors were not compared`, specAt: api.systemErrors[0].at });
    }
    return;
  }
  for (const p of docs.problems) out.push({ method: SYSTEM_ERRORS, kind: 'docs-unreadable', path: `${p.at.file}:${p.at.line}`, message: p.message, docsAt: p.at });
  const specAt = api.systemErrors[0]?.at ?? { file: 'spec/common/errors.yaml', line: 1, col: 1 };
  compareErrorLists(SYSTEM_ERRORS, docs.rows, api.systemErrors, specAt, out);
}

/** The members of an object type (through refs, arrays and unions); undefined when it has none. */
function membersOf(type: TypeNode | EnumType, types: TypeTable): Property[] | undefined {
  const t = resolve(type, types);
  if (!t) return undefined;
  if (t.kind === 'object') return t.properties;
  if (t.kind === 'array') return membersOf(t.items, types);
  if (t.kind === 'union') {
    for (const v of t.variants) {
      const m = membersOf(v, types);
      if (m) return m;
    }
  }
  return undefined;
}

/** The object type a type stands for (through refs and arrays), for its `eventOf`. */
function objectOf(type: TypeNode | EnumType, types: TypeTable): ObjectType | undefined {
  const t = resolve(type, types);
  if (t?.kind === 'object') return t;
  if (t?.kind === 'array') return objectOf(t.items, types);
  return undefined;
}

/** The named enum a type stands for (directly, as array items, or as a union member). */
function enumOf(type: TypeNode | EnumType, types: TypeTable, name = ''): { name: string; enum: EnumType } | undefined {
  if (type.kind === 'ref') {
    const target = types.get(type.name);
    return target ? enumOf(target.type, types, type.name) : undefined;
  }
  if (type.kind === 'enum') return { name, enum: type };
  if (type.kind === 'array') return enumOf(type.items, types);
  if (type.kind === 'union') {
    for (const v of type.variants) {
      const e = enumOf(v, types);
      if (e) return e;
    }
  }
  return undefined;
}

/** The path prefix of a field's members: `fields.` or, below an array, `result.users[].`. */
function prefixBelow(d: DocsField): string {
  const first = d.children[0];
  if (first) return first.path.slice(0, first.path.length - first.name.length);
  const isArray = d.shape?.some((s) => s.kind === 'array') ?? false;
  return d.path === '' ? '' : `${d.path}${isArray ? '[]' : ''}.`;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
