/**
 * The IR: plain, typed, fully resolved objects built from the YAML spec.
 *
 * Every consumer (emit, diff, docs-diff, OpenAPI) reads this and never the YAML. Nothing in
 * here knows about YAML or ts-morph. Every node remembers where it came from (`at`) so later
 * stages can still point at `file:line:col` (name collisions, diff reports).
 */

/** A place in a spec file; `file` is relative to the working directory when it can be. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** Facts every type node may carry, whatever its kind. */
interface TypeBase {
  description?: string;
  nullable?: boolean;
  deprecated?: boolean;
  default?: unknown;
  example?: unknown;
  at: SourceLocation;
}

export type PrimitiveName = 'string' | 'integer' | 'number' | 'boolean' | 'any';

export interface PrimitiveType extends TypeBase {
  kind: 'primitive';
  name: PrimitiveName;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

export interface Property {
  /** The wire name, exactly as the API spells it. */
  name: string;
  required: boolean;
  type: TypeNode;
  at: SourceLocation;
}

export interface ObjectType extends TypeBase {
  kind: 'object';
  properties: Property[];
  /** `false`: no other keys; `true`: any other keys; a type: other keys of that type. */
  additionalProperties: boolean | TypeNode;
  /** Set when the object is one event of some namespaces (spec `eventOf`, e.g. an `Event.get` item). */
  eventOf?: EventUnion;
}

/**
 * "This object is one event of these namespaces": `nameProperty` holds the event's name and
 * `dataProperty` its data, whose type is that event's `data`. Emitted as a union with one variant
 * per event (and one for events the spec does not know), discriminated by `nameProperty`.
 */
export interface EventUnion {
  /** Sorted, each a namespace with at least one event (`imbot.v2`, `im.v2`). */
  namespaces: string[];
  nameProperty: string;
  dataProperty: string;
  at: SourceLocation;
}

export interface ArrayType extends TypeBase {
  kind: 'array';
  items: TypeNode;
  minItems?: number;
  maxItems?: number;
}

export interface UnionType extends TypeBase {
  kind: 'union';
  variants: TypeNode[];
}

/** A reference to a named type; `target` is the resolved declaration. */
export interface RefType extends TypeBase {
  kind: 'ref';
  name: string;
}

export type TypeNode = PrimitiveType | ObjectType | ArrayType | UnionType | RefType;

export interface EnumValue {
  value: string | number;
  /** What users see for this value, exactly as the docs show it. */
  text?: string;
  description?: string;
  deprecated?: boolean;
  at: SourceLocation;
}

export interface EnumType extends TypeBase {
  kind: 'enum';
  base: 'string' | 'integer';
  values: EnumValue[];
  /**
   * The docs call the list open ("and others", "may change") or show values outside it: in what
   * users read (results, events) any other value may come and is typed so; in params the enum
   * stays closed (callers send documented values).
   */
  open?: boolean;
}

/** A declaration under `types:`; an enum is only ever a named type. */
export interface NamedType {
  name: string;
  type: TypeNode | EnumType;
  description?: string;
  at: SourceLocation;
}

export interface ErrorSpec {
  code: string;
  status: number;
  /**
   * The portal's `error_description`, exactly; undefined when the docs give the code but not
   * its message (`OPERATION_TIME_LIMIT` in limits.md).
   */
  message?: string;
  description?: string;
  at: SourceLocation;
}

export interface MethodSpec {
  /** Full REST name: `imbot.v2.Chat.InputAction.notify`. */
  name: string;
  /** `imbot.v2` — the first two segments; the facade's top levels. */
  namespace: string;
  /** The rest of the name, split: `['Chat', 'InputAction', 'notify']`. */
  path: string[];
  summary: string;
  description?: string;
  docs: string;
  scope: string;
  /** Scopes a call needs besides `scope` when it gives a certain param. Empty for most methods. */
  extraScopes: ExtraScope[];
  access: string;
  idempotent: boolean;
  /**
   * Params whose presence makes a call of an idempotent method unsafe to repeat (`Bot.update`
   * with `fields.botToken` rotates the token: a repeat is refused). Empty for most methods.
   */
  notIdempotentWhen: RepeatHazard[];
  deprecated: boolean;
  params: ObjectType;
  /** The result's type; its `example` is the docs' example of a result (checked against it at load). */
  result: TypeNode;
  /** Where `result.example` is, when the method has one. */
  resultExampleAt?: SourceLocation;
  statuses: number[];
  /** The method's own documented errors, in spec order (overrides of system codes included). */
  errors: ErrorSpec[];
  at: SourceLocation;
}

/** A param that, when a call gives it, makes that call unsafe to repeat. */
export interface RepeatHazard {
  /** The param's path from the top of the params: `['fields', 'botToken']`. */
  path: string[];
  /** Why a repeat is unsafe, in our words. */
  description?: string;
  at: SourceLocation;
}

/** A scope a call needs as well when it gives a param (`im` for `Event.get` with `withUserEvents`). */
export interface ExtraScope {
  scope: string;
  /** The param's path from the top of the params: `['withUserEvents']`. */
  when: string[];
  /** What else the call then needs, in our words. */
  description?: string;
  at: SourceLocation;
}

/** An event the portal delivers (to a bot's webhook, or through Event.get). */
export interface EventSpec {
  /** The event name exactly as sent: `ONIMBOTV2MESSAGEADD`. */
  name: string;
  /** `imbot.v2` or `im.v2`: which API's events it belongs to. */
  namespace: string;
  summary: string;
  description?: string;
  docs: string;
  /** The type of the event's `data`. */
  data: TypeNode;
  at: SourceLocation;
}

/**
 * What a group is about: a group of methods (`imbot.v2.Bot`: every method whose name starts
 * with it) or a namespace's events (`imbot.v2.events`). Spec data (spec/common/groups.yaml);
 * the OpenAPI export's tags and the generated README's method headings.
 */
export interface GroupSpec {
  /** `<namespace>.<Group>` or `<namespace>.events`, as `groupOf` / `eventsGroupOf` name it. */
  name: string;
  /** Our words, from the group's index page. */
  description: string;
  /** The group's index page in the official docs. */
  docs?: string;
  at: SourceLocation;
}

/** The whole API, sorted so that emitting it is deterministic. */
export interface Api {
  /** Sorted by name. */
  methods: MethodSpec[];
  /** Sorted by name. */
  events: EventSpec[];
  /** Sorted by name. */
  types: NamedType[];
  /** In spec order (the docs' order). */
  systemErrors: ErrorSpec[];
  /** Sorted by name; empty when the spec describes no group (then nothing requires it). */
  groups: GroupSpec[];
}

/** The group a method belongs to: its namespace and the first part of the rest, `imbot.v2.Chat`. */
export function groupOf(method: MethodSpec): string {
  return `${method.namespace}.${method.path[0]}`;
}

/** The group of a namespace's events: `imbot.v2.events` (method groups are capitalised by convention: `imbot.v2.Event`). */
export function eventsGroupOf(namespace: string): string {
  return `${namespace}.events`;
}

/** The events of a namespace set, sorted by name (an `eventOf` object's variants). */
export function eventsOf(union: EventUnion, api: Api): EventSpec[] {
  return api.events.filter((e) => union.namespaces.includes(e.namespace));
}

/** Every error code a method can answer with: its own, then the system ones it does not override. */
export function errorsOf(method: MethodSpec, api: Api): ErrorSpec[] {
  const own = new Set(method.errors.map((e) => e.code));
  return [...method.errors, ...api.systemErrors.filter((e) => !own.has(e.code))];
}

/** Every distinct error code in the API, sorted by code (system ones included). */
export function allErrorCodes(api: Api): string[] {
  const codes = new Set<string>(api.systemErrors.map((e) => e.code));
  for (const m of api.methods) for (const e of m.errors) codes.add(e.code);
  return [...codes].sort(compareStrings);
}

/** Byte-wise string order, independent of locale (determinism across machines). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
