import {
  compareStrings,
  type Api,
  type EnumType,
  type EnumValue,
  type ErrorSpec,
  type EventSpec,
  type ExtraScope,
  type MethodSpec,
  type NamedType,
  type ObjectType,
  type PrimitiveName,
  type PrimitiveType,
  type Property,
  type RepeatHazard,
  type SourceLocation,
  type TypeNode,
} from '../model/ir.js';
import { checkGroups, collectGroups } from './groups.js';
import { checkResultExamples } from './result-example.js';
import { openEnumConflicts } from '../model/positions.js';
import { describePlace, type ProblemList } from './spec-error.js';
import { editDistance } from './validate.js';
import { formatPath, type DataPath, type YamlSource } from './yaml-source.js';

/** A spec file that passed the JSON Schema, with the folder it sits in (`common`, `imbot.v2`). */
export interface ValidFile {
  source: YamlSource;
  /** Folder relative to the spec root, `/`-separated. */
  folder: string;
  /** File name without `.yaml`. */
  stem: string;
}

/** The raw (schema-valid) shape of a type node; see spec/spec.schema.json. A primitive's constraints carry over as the IR names them. */
interface RawType extends Pick<PrimitiveType, 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern' | 'format'> {
  type?: PrimitiveName | 'object' | 'array';
  $ref?: string;
  description?: string;
  required?: boolean;
  nullable?: boolean;
  deprecated?: boolean;
  default?: unknown;
  example?: unknown;
  enum?: { value: string | number; text?: string; description?: string; deprecated?: boolean }[];
  open?: boolean;
  eventOf?: { namespaces: string[]; nameProperty: string; dataProperty: string };
  items?: RawType;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, RawType>;
  additionalProperties?: boolean | RawType;
  oneOf?: RawType[];
}

interface RawError {
  code: string;
  status: number;
  message?: string;
  description?: string;
}

interface RawFile {
  method?: string;
  event?: string;
  data?: RawType;
  summary?: string;
  description?: string;
  docs?: string;
  scope?: string;
  access?: string;
  idempotent?: boolean;
  notIdempotentWhen?: { param: string; description?: string }[];
  extraScopes?: { scope: string; when: string; description?: string }[];
  deprecated?: boolean;
  params?: Record<string, RawType>;
  result?: RawType;
  statuses?: number[];
  errors?: RawError[];
  types?: Record<string, RawType>;
  systemErrors?: RawError[];
}

const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Facade path segments that would change objects' prototypes instead of naming a method. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Keys that make sense on a `$ref` besides the reference itself. */
const REF_COMPANIONS = new Set(['$ref', 'description', 'required', 'nullable', 'deprecated', 'default', 'example']);

const KEYS_FOR: Record<string, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  integer: ['minimum', 'maximum'],
  number: ['minimum', 'maximum'],
  array: ['items', 'minItems', 'maxItems'],
  object: ['properties', 'additionalProperties', 'eventOf'],
};
const CONSTRAINED_KEYS = [...new Set(Object.values(KEYS_FOR).flat())];

/**
 * Turns schema-valid files into the IR, checking what a JSON Schema cannot: references resolve,
 * names are unique across files, keys fit the node's type, enums only where they can be named,
 * file names match method names, every group in use is described (once any is: load/groups.ts).
 * Every problem is located; nothing is thrown from here.
 */
export function buildApi(files: ValidFile[], problems: ProblemList, options: { checkResultExamples: boolean } = { checkResultExamples: true }): Api {
  const named = collectNamedTypes(files, problems);
  const systemErrors = collectSystemErrors(files, problems);
  const methods: MethodSpec[] = [];
  const methodPlaces = new Map<string, SourceLocation>();
  const types: NamedType[] = [];

  const ctxFor = (source: YamlSource): Ctx => ({ source, problems, known: named });

  for (const [name, decl] of named) {
    const ctx = ctxFor(decl.source);
    const raw = decl.raw;
    const at = decl.source.keyAt(['types', name]);
    if (raw.required !== undefined) {
      problems.add(decl.source.keyAt(['types', name, 'required']), `types.${name}.required: a named type cannot be required; say \`required: true\` where it is used`);
    }
    const type = raw.enum ? toEnum(raw, ['types', name], ctx) : toType(raw, ['types', name], ctx);
    if (type) types.push({ name, type, description: raw.description, at });
  }
  checkAliasCycles(types, problems);

  const events: EventSpec[] = [];
  const eventPlaces = new Map<string, SourceLocation>();
  for (const file of files) {
    const raw = file.source.data as RawFile;
    if (raw.event === undefined) continue;
    if (raw.method !== undefined) {
      problems.add(file.source.keyAt(['event']), 'a file is either a method (`method:`) or an event (`event:`), not both; split it in two');
      continue;
    }
    const event = toEvent(raw, file, ctxFor(file.source));
    if (!event) continue;
    const earlier = eventPlaces.get(event.name);
    if (earlier) {
      problems.add(event.at, `event ${event.name} is already specified at ${describePlace(earlier)}`);
      continue;
    }
    eventPlaces.set(event.name, event.at);
    events.push(event);
  }

  for (const file of files) {
    const raw = file.source.data as RawFile;
    if (raw.method === undefined || raw.event !== undefined) continue;
    const method = toMethod(raw, file, ctxFor(file.source));
    if (!method) continue;
    const earlier = methodPlaces.get(method.name);
    if (earlier) {
      problems.add(method.at, `method ${method.name} is already specified at ${describePlace(earlier)}`);
      continue;
    }
    methodPlaces.set(method.name, method.at);
    methods.push(method);
  }

  methods.sort((a, b) => compareStrings(a.name, b.name));
  events.sort((a, b) => compareStrings(a.name, b.name));
  types.sort((a, b) => compareStrings(a.name, b.name));
  const groups = collectGroups(files, problems);
  checkGroups(groups, methods, events, problems);
  const api = { methods, events, types, systemErrors, groups };
  checkEventUnions(api, problems);
  if (options.checkResultExamples) checkResultExamples(api, problems);
  for (const c of openEnumConflicts(api)) {
    problems.add(
      c.type.at,
      `type ${c.type.name} reaches the open enum ${c.openEnum} and is used both in params (${describePlace(c.input)}) and in a result or event (${describePlace(c.output)}); ` +
        'an open enum is closed in params and open in what users read, so one declaration cannot serve both: declare a separate type for each side',
    );
  }
  return api;
}

/**
 * `eventOf` objects: only in a method's result (users read events; they never send them), each
 * namespace has events, the name property is a plain string and the data property an object.
 */
function checkEventUnions(api: Api, problems: ProblemList): void {
  const misplaced = (node: TypeNode | EnumType, where: string): void => {
    walkObjects(node, (o) => {
      if (o.eventOf) problems.add(o.eventOf.at, `eventOf describes events users read, so it may only appear in a method's result, not in ${where}`);
    });
  };
  for (const t of api.types) misplaced(t.type, `the named type ${t.name} (inline it in the result)`);
  for (const e of api.events) misplaced(e.data, 'event data');
  for (const m of api.methods) {
    misplaced(m.params, 'params');
    walkObjects(m.result, (o) => {
      const union = o.eventOf;
      if (!union) return;
      const known = new Set(api.events.map((e) => e.namespace));
      for (const ns of union.namespaces) {
        if (!known.has(ns)) {
          const have = [...known].sort(compareStrings);
          problems.add(union.at, `eventOf.namespaces: "${ns}" has no events (spec/${ns}/events/*.yaml)${have.length ? `; namespaces with events: ${have.join(', ')}` : ''}`);
        }
      }
      const member = (name: string) => o.properties.find((p) => p.name === name);
      const nameProp = member(union.nameProperty);
      if (!nameProp || nameProp.type.kind !== 'primitive' || nameProp.type.name !== 'string' || nameProp.type.nullable) {
        problems.add(nameProp?.at ?? union.at, `eventOf.nameProperty: the object needs a property "${union.nameProperty}" of \`type: string\` (each event narrows it to its own name)`);
      }
      const dataProp = member(union.dataProperty);
      if (!dataProp || dataProp.type.kind !== 'object' || dataProp.type.properties.length > 0) {
        problems.add(dataProp?.at ?? union.at, `eventOf.dataProperty: the object needs a property "${union.dataProperty}" of \`type: object\` without properties (each event's data type comes from its event file)`);
      }
      if (union.nameProperty === union.dataProperty) problems.add(union.at, 'eventOf: nameProperty and dataProperty must be different properties');
    });
  }
}

/** Calls `visit` on every inline object type in `node` (named types are checked where declared). */
function walkObjects(node: TypeNode | EnumType, visit: (o: ObjectType) => void): void {
  switch (node.kind) {
    case 'object':
      visit(node);
      node.properties.forEach((p) => walkObjects(p.type, visit));
      if (typeof node.additionalProperties === 'object') walkObjects(node.additionalProperties, visit);
      return;
    case 'array':
      return walkObjects(node.items, visit);
    case 'union':
      return node.variants.forEach((v) => walkObjects(v, visit));
    default:
      return;
  }
}

interface NamedDecl {
  source: YamlSource;
  raw: RawType;
}

interface Ctx {
  source: YamlSource;
  problems: ProblemList;
  known: Map<string, NamedDecl>;
}

function collectNamedTypes(files: ValidFile[], problems: ProblemList): Map<string, NamedDecl> {
  const named = new Map<string, NamedDecl>();
  for (const { source } of files) {
    const raw = source.data as RawFile;
    for (const [name, type] of Object.entries(raw.types ?? {})) {
      const at = source.keyAt(['types', name]);
      if (!TYPE_NAME.test(name)) {
        problems.add(at, `types: "${name}" is not a usable type name; use PascalCase letters and digits, starting with a capital (e.g. BotId)`);
        continue;
      }
      const earlier = named.get(name);
      if (earlier) {
        problems.add(at, `type ${name} is declared twice: here and at ${describePlace(earlier.source.keyAt(['types', name]))}`);
        continue;
      }
      named.set(name, { source, raw: type });
    }
  }
  return named;
}

function collectSystemErrors(files: ValidFile[], problems: ProblemList): ErrorSpec[] {
  const out: ErrorSpec[] = [];
  const places = new Map<string, SourceLocation>();
  for (const file of [...files].sort((a, b) => compareStrings(a.source.file, b.source.file))) {
    const raw = file.source.data as RawFile;
    if (!raw.systemErrors) continue;
    if (file.folder !== 'common') {
      problems.add(file.source.keyAt(['systemErrors']), 'systemErrors may only be declared in spec/common/');
      continue;
    }
    raw.systemErrors.forEach((e, i) => {
      const spec = toError(e, ['systemErrors', i], file.source, problems);
      const earlier = places.get(spec.code);
      if (earlier) {
        problems.add(spec.at, `system error ${spec.code} is already declared at ${describePlace(earlier)}`);
        return;
      }
      places.set(spec.code, spec.at);
      out.push(spec);
    });
  }
  return out;
}

function toError(raw: RawError, path: DataPath, source: YamlSource, problems: ProblemList): ErrorSpec {
  if (raw.status < 400) {
    problems.add(source.at([...path, 'status']), `${formatPath([...path, 'status'])} must be an error status (400-599), got ${raw.status}`);
  }
  return {
    code: raw.code,
    status: raw.status,
    ...(raw.message !== undefined && { message: raw.message }),
    ...(raw.description !== undefined && { description: raw.description }),
    at: source.at(path),
  };
}

/** An event file: spec/<namespace>/events/<EVENT>.yaml with `event`, `summary`, `docs`, `data`. */
function toEvent(raw: RawFile, file: ValidFile, ctx: Ctx): EventSpec | undefined {
  const { source, problems } = ctx;
  const name = raw.event as string;
  const at = source.at(['event']);
  const match = /^(.+)\/events$/.exec(file.folder);
  if (!match || file.stem !== name) {
    problems.add(at, `event ${name} must be specified in spec/<namespace>/events/${name}.yaml (such as spec/imbot.v2/events/${name}.yaml), not in spec/${file.folder ? `${file.folder}/` : ''}${file.stem}.yaml`);
    return undefined;
  }
  const data = toType(raw.data as RawType, ['data'], ctx);
  if (raw.data?.required !== undefined) problems.add(source.keyAt(['data', 'required']), 'data.required: the data itself cannot be optional; remove `required`');
  if (!data) return undefined;
  return { name, namespace: match[1], summary: raw.summary as string, description: raw.description, docs: raw.docs as string, data, at };
}

function toMethod(raw: RawFile, file: ValidFile, ctx: Ctx): MethodSpec | undefined {
  const { source, problems } = ctx;
  const name = raw.method as string;
  const at = source.at(['method']);
  const segments = name.split('.');
  const namespace = segments.slice(0, 2).join('.');
  const path = segments.slice(2);
  let ok = true;
  if (path.length === 0) {
    problems.add(at, `method: "${name}" needs a namespace and a name, such as imbot.v2.Bot.list`);
    return undefined;
  }
  for (const seg of path) {
    if (!SEGMENT.test(seg) || FORBIDDEN_SEGMENTS.has(seg)) {
      problems.add(at, `method: "${seg}" in "${name}" cannot be a client property; each part after the namespace must be a plain identifier other than __proto__, constructor or prototype`);
      ok = false;
    }
  }
  const expected = { folder: namespace, stem: path.join('.') };
  if (file.folder !== expected.folder || file.stem !== expected.stem) {
    problems.add(at, `method ${name} must be specified in spec/${expected.folder}/${expected.stem}.yaml, not in spec/${file.folder}/${file.stem}.yaml`);
    ok = false;
  }

  const params = toObject({ type: 'object', properties: raw.params ?? {} }, ['params'], ctx, true);
  const result = toType(raw.result as RawType, ['result'], ctx);
  if (raw.result?.required !== undefined) problems.add(source.keyAt(['result', 'required']), 'result.required: the result itself cannot be optional; remove `required`');

  const statuses = raw.statuses ?? [];
  statuses.forEach((s, i) => {
    if (s < 200 || s > 299) problems.add(source.at(['statuses', i]), `statuses[${i}] must be a success status (200-299), got ${s}; errors go under \`errors\``);
  });

  const errors: ErrorSpec[] = [];
  const places = new Map<string, SourceLocation>();
  (raw.errors ?? []).forEach((e, i) => {
    const spec = toError(e, ['errors', i], source, problems);
    const earlier = places.get(spec.code);
    if (earlier) {
      problems.add(spec.at, `errors[${i}]: code ${spec.code} is already listed at ${describePlace(earlier)}`);
      return;
    }
    places.set(spec.code, spec.at);
    errors.push(spec);
  });

  const notIdempotentWhen: RepeatHazard[] = [];
  if (raw.notIdempotentWhen && raw.idempotent !== true) {
    problems.add(source.keyAt(['notIdempotentWhen']), 'notIdempotentWhen only applies to a method marked `idempotent: true` (the client never repeats the others); remove it or mark the method idempotent');
  }
  (raw.notIdempotentWhen ?? []).forEach((h, i) => {
    const place: DataPath = ['notIdempotentWhen', i, 'param'];
    const path = paramPath(h.param, raw.params ?? {}, place, name, ctx);
    if (path) notIdempotentWhen.push({ path, ...(h.description !== undefined && { description: h.description }), at: source.at(['notIdempotentWhen', i]) });
  });
  const extraScopes: ExtraScope[] = [];
  (raw.extraScopes ?? []).forEach((x, i) => {
    if (x.scope === raw.scope) problems.add(source.at(['extraScopes', i, 'scope']), `extraScopes[${i}].scope: ${x.scope} is already the method's \`scope\`; list only further scopes`);
    const when = paramPath(x.when, raw.params ?? {}, ['extraScopes', i, 'when'], name, ctx);
    if (when) extraScopes.push({ scope: x.scope, when, ...(x.description !== undefined && { description: x.description }), at: source.at(['extraScopes', i]) });
  });

  if (!ok || !result) return undefined;
  return {
    name,
    namespace,
    path,
    summary: raw.summary as string,
    description: raw.description,
    docs: raw.docs as string,
    scope: raw.scope as string,
    extraScopes,
    access: raw.access as string,
    idempotent: raw.idempotent as boolean,
    notIdempotentWhen,
    deprecated: raw.deprecated ?? false,
    params,
    result,
    ...(raw.result?.example !== undefined && { resultExampleAt: source.at(['result', 'example']) }),
    statuses: [...statuses],
    errors,
    at,
  };
}

/**
 * A param named by a path of names joined by `.` (`fields.botToken`), checked against the
 * method's params (through `$ref`s to named object types); the names, or undefined after
 * reporting where the path stops.
 */
function paramPath(text: string, params: Record<string, RawType>, place: DataPath, method: string, ctx: Ctx): string[] | undefined {
  const names = text.split('.');
  let members: Record<string, RawType> | undefined = params;
  for (let i = 0; i < names.length; i++) {
    // Only a name after the first can meet a missing object: the params always are one.
    const within = `\`${names.slice(0, i).join('.')}\``;
    if (!members) {
      ctx.problems.add(ctx.source.at(place), `${formatPath(place)}: ${within} of ${method} is not an object with properties, so \`${text}\` names no param`);
      return undefined;
    }
    const node: RawType | undefined = Object.hasOwn(members, names[i]) ? members[names[i]] : undefined;
    if (!node) {
      const known = Object.keys(members);
      const owner = i === 0 ? `${method} has no param` : `${within} of ${method} has no`;
      const listed = known.length ? ` (${i === 0 ? 'its params' : 'it has'}: ${known.map((k) => `\`${k}\``).join(', ')})` : '';
      ctx.problems.add(ctx.source.at(place), `${formatPath(place)}: ${owner} \`${names[i]}\`${listed}; name a param as a path of names joined by \`.\`, such as fields.botToken`);
      return undefined;
    }
    let target: RawType | undefined = node;
    for (let hops = 0; target?.$ref !== undefined && hops < 32; hops++) target = ctx.known.get(target.$ref)?.raw;
    members = target?.properties;
  }
  return names;
}

function base(raw: RawType, path: DataPath, ctx: Ctx) {
  return {
    ...(raw.description !== undefined && { description: raw.description }),
    ...(raw.nullable !== undefined && { nullable: raw.nullable }),
    ...(raw.deprecated !== undefined && { deprecated: raw.deprecated }),
    ...(raw.default !== undefined && { default: raw.default }),
    ...(raw.example !== undefined && { example: raw.example }),
    at: ctx.source.at(path),
  };
}

/** Converts one type node; reports misplaced keys. `undefined` when the node is unusable. */
function toType(raw: RawType, path: DataPath, ctx: Ctx): TypeNode | undefined {
  const { source, problems } = ctx;
  const where = formatPath(path);
  const kinds = (['type', '$ref', 'oneOf'] as const).filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) {
    problems.add(source.at(path), kinds.length === 0
      ? `${where} needs one of \`type\`, \`$ref\` or \`oneOf\``
      : `${where} has both ${kinds.map((k) => `\`${k}\``).join(' and ')}; use only one`);
    return undefined;
  }
  if (raw.enum !== undefined) {
    problems.add(source.keyAt([...path, 'enum']), `${where}.enum: enums must be named so users can import them; declare it under \`types:\` and use \`$ref\``);
    return undefined;
  }
  if (raw.open !== undefined && raw.$ref === undefined) {
    problems.add(source.keyAt([...path, 'open']), `${where}.open applies only to a named enum (a type under \`types:\` with \`enum:\`); remove it here`);
  }

  if (raw.$ref !== undefined) {
    for (const key of Object.keys(raw)) {
      if (!REF_COMPANIONS.has(key)) problems.add(source.keyAt([...path, key]), `${where}.${key} cannot go with $ref; put it on the named type ${raw.$ref}`);
    }
    if (!ctx.known.has(raw.$ref)) {
      const guess = [...ctx.known.keys()].find((k) => editDistance(k.toLowerCase(), raw.$ref!.toLowerCase()) <= 2);
      problems.add(source.at([...path, '$ref']), `${where}.$ref: unknown type "${raw.$ref}"${guess ? `; did you mean "${guess}"?` : '; declare it under `types:` (in spec/common/types.yaml when shared)'}`);
      return undefined;
    }
    return { kind: 'ref', name: raw.$ref, ...base(raw, path, ctx) };
  }

  const allowed = new Set(raw.type ? KEYS_FOR[raw.type] ?? [] : []);
  for (const key of CONSTRAINED_KEYS) {
    if (raw[key as keyof RawType] !== undefined && !allowed.has(key)) {
      problems.add(source.keyAt([...path, key]), `${where}.${key} does not apply to ${raw.type ? `type ${raw.type}` : 'oneOf'}`);
    }
  }

  if (raw.oneOf !== undefined) {
    const variants = raw.oneOf.map((v, i) => toType(v, [...path, 'oneOf', i], ctx));
    if (variants.some((v) => !v)) return undefined;
    return { kind: 'union', variants: variants as TypeNode[], ...base(raw, path, ctx) };
  }

  switch (raw.type) {
    case 'object':
      return toObject(raw, path, ctx, false);
    case 'array': {
      if (!raw.items) {
        problems.add(source.at(path), `${where} is an array and needs \`items\` (the type of its elements)`);
        return undefined;
      }
      checkRange(raw, 'minItems', 'maxItems', path, ctx);
      if (raw.items.required !== undefined) problems.add(source.keyAt([...path, 'items', 'required']), `${where}.items.required: array elements cannot be optional; remove \`required\``);
      const items = toType(raw.items, [...path, 'items'], ctx);
      if (!items) return undefined;
      return { kind: 'array', items, minItems: raw.minItems, maxItems: raw.maxItems, ...base(raw, path, ctx) };
    }
    default: {
      const name = raw.type as PrimitiveName;
      checkRange(raw, 'minimum', 'maximum', path, ctx);
      checkRange(raw, 'minLength', 'maxLength', path, ctx);
      if (raw.pattern !== undefined) {
        try {
          new RegExp(raw.pattern, 'u');
        } catch (err) {
          problems.add(source.at([...path, 'pattern']), `${where}.pattern is not a valid regular expression: ${(err as Error).message}`);
        }
      }
      const constraints = Object.fromEntries(
        (['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format'] as const)
          .filter((k) => raw[k] !== undefined)
          .map((k) => [k, raw[k]]),
      );
      return { kind: 'primitive', name, ...constraints, ...base(raw, path, ctx) };
    }
  }
}

function toObject(raw: RawType, path: DataPath, ctx: Ctx, isParams: boolean): ObjectType {
  const properties: Property[] = [];
  const propsPath = isParams ? path : [...path, 'properties'];
  for (const [name, prop] of Object.entries(raw.properties ?? {})) {
    const type = toType(prop, [...propsPath, name], ctx);
    if (!type) continue;
    properties.push({ name, required: prop.required ?? false, type, at: ctx.source.keyAt([...propsPath, name]) });
  }
  let additionalProperties: boolean | TypeNode = false;
  if (typeof raw.additionalProperties === 'object') {
    additionalProperties = toType(raw.additionalProperties, [...path, 'additionalProperties'], ctx) ?? false;
  } else if (raw.additionalProperties === true) {
    additionalProperties = true;
  }
  const object: ObjectType = { kind: 'object', properties, additionalProperties, ...base(raw, path, ctx) };
  if (raw.eventOf) {
    const { namespaces, nameProperty, dataProperty } = raw.eventOf;
    object.eventOf = { namespaces: [...new Set(namespaces)].sort(compareStrings), nameProperty, dataProperty, at: ctx.source.keyAt([...path, 'eventOf']) };
  }
  return object;
}

function toEnum(raw: RawType, path: DataPath, ctx: Ctx): EnumType | undefined {
  const { source, problems } = ctx;
  const where = formatPath(path);
  if (raw.type !== 'string' && raw.type !== 'integer') {
    problems.add(source.at(path), `${where}: an enum needs \`type: string\` or \`type: integer\``);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!['type', 'enum', 'open', 'description', 'deprecated', 'default', 'example', 'nullable'].includes(key)) {
      problems.add(source.keyAt([...path, key]), `${where}.${key} does not apply to an enum`);
    }
  }
  const seen = new Map<string | number, SourceLocation>();
  const values: EnumValue[] = [];
  raw.enum!.forEach((v, i) => {
    const at = source.at([...path, 'enum', i]);
    if (typeof v.value !== (raw.type === 'string' ? 'string' : 'number')) {
      problems.add(source.at([...path, 'enum', i, 'value']), `${where}.enum[${i}].value must be ${raw.type === 'string' ? 'a string' : 'an integer'} like the enum's type`);
      return;
    }
    const earlier = seen.get(v.value);
    if (earlier) {
      problems.add(at, `${where}.enum[${i}]: value ${JSON.stringify(v.value)} is already listed at ${describePlace(earlier)}`);
      return;
    }
    seen.set(v.value, at);
    values.push({ value: v.value, text: v.text, description: v.description, deprecated: v.deprecated, at });
  });
  return { kind: 'enum', base: raw.type, values, ...(raw.open ? { open: true } : {}), ...base(raw, path, ctx) };
}

function checkRange(raw: RawType, low: keyof RawType, high: keyof RawType, path: DataPath, ctx: Ctx): void {
  const lo = raw[low] as number | undefined;
  const hi = raw[high] as number | undefined;
  if (lo !== undefined && hi !== undefined && lo > hi) {
    ctx.problems.add(ctx.source.at([...path, low]), `${formatPath([...path, low])} (${lo}) is greater than ${String(high)} (${hi})`);
  }
}

/** `A: {$ref: B}`, `B: {$ref: A}` has no meaning (TypeScript refuses such aliases too). */
function checkAliasCycles(types: NamedType[], problems: ProblemList): void {
  const byName = new Map(types.map((t) => [t.name, t]));
  for (const start of types) {
    let current: NamedType | undefined = start;
    const chain: string[] = [];
    while (current && current.type.kind === 'ref') {
      chain.push(current.name);
      const next = current.type.name;
      if (next === start.name) {
        problems.add(start.at, `type ${start.name} refers to itself through ${[...chain, next].join(' -> ')}; give it a real type`);
        break;
      }
      if (chain.includes(next)) break;
      current = byName.get(next);
    }
  }
}
