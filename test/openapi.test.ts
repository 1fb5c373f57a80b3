import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli.js';
import { loadSpec, loadSpecTexts } from '../generator/load/index.js';
import { errorsOf, type Api, type MethodSpec, type NamedType, type ObjectType, type TypeNode } from '../generator/model/ir.js';
import { declarationPosition, namedTypeUses, type Position } from '../generator/model/positions.js';
import { buildDocument, renderDocument, toYaml } from '../generator/openapi/index.js';
import { DocsRoot } from '../generator/docs/docs-root.js';
import { readMethodPage, type DocsField } from '../generator/docs/page.js';
import { TIME } from './support/http-server.js';
import { schemaChecker } from './support/openapi-ajv.js';
import { specWith } from './support/spec-texts.js';

const UPSTREAM = resolve('../shared/upstream-docs');

/**
 * `b24gen openapi`: the document is valid OpenAPI 3.1 (checked by a maintained validator) for
 * the real spec and every fixture spec; it says everything the spec says about each method
 * (checked IR node by IR node, so it keeps holding as methods are added); its schemas are sound
 * JSON Schema 2020-12 that accept the wire data and refuse what the spec forbids; it is
 * byte-identical across runs, its YAML form reads the same under YAML 1.2 and 1.1; and the
 * command writes it atomically or not at all.
 */
type Doc = {
  openapi: string;
  info: Record<string, unknown>;
  servers: { url: string; variables: Record<string, { default: string }> }[];
  tags: { name: string; description?: string; externalDocs?: { url: string } }[];
  paths: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Schema>; responses?: Record<string, Response> };
  webhooks?: Record<string, { post: Operation }>;
};
type Response = { description: string; content: { 'application/json': { schema: Schema } } };
type Operation = {
  operationId: string;
  requestBody: { required: boolean; content: { 'application/json': { schema: Schema } } };
  /** Each status: the response, or a `$ref` to one in components/responses. */
  responses: Record<string, Response | { $ref: string }>;
  [key: string]: unknown;
};
type Schema = Record<string, any>;

const REF = '#/components/schemas/';
const temp = mkdtempSync(join(tmpdir(), 'b24gen-openapi-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function valid(doc: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  return new Validator().validate(doc as Parameters<Validator['validate']>[0]);
}

const run = (...args: string[]) => runCommand('openapi', ...args);

const docOf = (api: Api): Doc => buildDocument(api, { version: '1.0.0' }) as unknown as Doc;
const RESPONSE_REF = '#/components/responses/';

/** An operation's response for `status`, following a `$ref` into components/responses. */
function response(doc: Doc, op: Operation, status: string): Response {
  const r = op.responses[status];
  if (!('$ref' in r)) return r;
  expect(r.$ref.startsWith(RESPONSE_REF), r.$ref).toBe(true);
  const shared = doc.components.responses?.[r.$ref.slice(RESPONSE_REF.length)];
  expect(shared, r.$ref).toBeDefined();
  return shared!;
}
const body = (doc: Doc, op: Operation, status: string): Schema => response(doc, op, status).content['application/json'].schema;

/** Follows `$ref`s into components/schemas. */
function deref(doc: Doc, s: Schema): Schema {
  let cur = s;
  while (typeof cur.$ref === 'string') cur = doc.components.schemas[cur.$ref.slice(REF.length)];
  return cur;
}

// ---------------------------------------------------------------------------------------------
// The IR -> document check: every node of every method and named type, whatever the spec holds.

/** What a schema says beside its shape; the rest must be exactly the shape's keywords. */
const ANNOTATIONS = ['description', 'deprecated', 'default', 'examples'];
const CONSTRAINTS = ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format'] as const;

/** Where a type is read: an open enum is widened in `output` (results, events) only. */
interface Side {
  api: Api;
  position: Position;
}

/** A ref to an open enum read by users: `anyOf: [the enum, any value of its base type]`. */
function openEnumRef(type: TypeNode, side: Side): { base: string } | undefined {
  if (type.kind !== 'ref' || side.position !== 'output') return undefined;
  const target = side.api.types.find((t) => t.name === type.name)?.type;
  return target?.kind === 'enum' && target.open ? { base: target.base } : undefined;
}

/** Checks one IR type against its schema, recursively; `where` names the place in failures. */
function checkType(doc: Doc, type: TypeNode, schema: Schema, where: string, side: Side): void {
  expect(schema, where).toBeTypeOf('object');
  expect(schema.description, `${where} description`).toBe(type.description);
  expect(schema.deprecated, `${where} deprecated`).toBe(type.deprecated ? true : undefined);
  expect(schema.default, `${where} default`).toEqual(type.default);
  expect(schema.examples, `${where} example`).toEqual(type.example === undefined ? undefined : [type.example]);
  let s = schema;
  const isAny = type.kind === 'primitive' && type.name === 'any';
  if (type.nullable && !isAny && !Array.isArray(s.type)) {
    // A ref or a union: `anyOf: [the type, {type: null}]`, the annotations outside.
    expect(s.anyOf, `${where} nullable`).toHaveLength(2);
    expect(s.anyOf[1], `${where} nullable`).toEqual({ type: 'null' });
    s = s.anyOf[0];
  } else if (!openEnumRef(type, side) && !(type.kind === 'object' && type.eventOf)) {
    expect(s.anyOf, `${where} not nullable`).toBeUndefined();
  }
  const shape = Object.fromEntries(Object.entries(s).filter(([k]) => !ANNOTATIONS.includes(k)));
  const typeKeyword = (name: string) => (type.nullable ? [name, 'null'] : name);
  switch (type.kind) {
    case 'ref': {
      const open = openEnumRef(type, side);
      expect(shape, where).toEqual(open ? { anyOf: [{ $ref: REF + type.name }, { type: open.base }] } : { $ref: REF + type.name });
      expect(doc.components.schemas[type.name], `${where} -> ${type.name}`).toBeDefined();
      return;
    }
    case 'primitive': {
      if (isAny) return expect(shape, where).toEqual({});
      const expected: Schema = { type: typeKeyword(type.name) };
      for (const k of CONSTRAINTS) if (type[k] !== undefined) expected[k] = type[k];
      return expect(shape, where).toEqual(expected);
    }
    case 'array':
      expect(shape.type, where).toEqual(typeKeyword('array'));
      expect(shape.minItems, `${where} minItems`).toBe(type.minItems);
      expect(shape.maxItems, `${where} maxItems`).toBe(type.maxItems);
      return checkType(doc, type.items, shape.items, `${where}[]`, side);
    case 'union':
      expect(shape.oneOf, where).toHaveLength(type.variants.length);
      type.variants.forEach((v, i) => checkType(doc, v, shape.oneOf[i], `${where}|${i}`, side));
      return;
    case 'object': {
      if (type.eventOf) return checkEventUnion(doc, type, shape, where, side);
      expect(shape.type, where).toEqual(typeKeyword('object'));
      const names = type.properties.map((p) => p.name);
      expect(Object.keys(shape.properties ?? {}).sort(), `${where} properties`).toEqual([...names].sort());
      expect(shape.required ?? [], `${where} required`).toEqual(type.properties.filter((p) => p.required).map((p) => p.name));
      for (const p of type.properties) checkType(doc, p.type, shape.properties[p.name], `${where}.${p.name}`, side);
      if (typeof type.additionalProperties === 'boolean') expect(shape.additionalProperties, `${where} additionalProperties`).toBe(type.additionalProperties);
      else checkType(doc, type.additionalProperties, shape.additionalProperties, `${where}.*`, side);
      return;
    }
  }
}

/** An `eventOf` object: one variant per event of its namespaces, in order, then the fallback. */
function checkEventUnion(doc: Doc, type: ObjectType, shape: Schema, where: string, side: Side): void {
  const union = type.eventOf!;
  const events = side.api.events.filter((e) => union.namespaces.includes(e.namespace));
  expect(shape['x-event-of'], `${where} x-event-of`).toEqual({ namespaces: union.namespaces, nameProperty: union.nameProperty, dataProperty: union.dataProperty });
  expect(shape.anyOf, `${where} variants`).toHaveLength(events.length + 1);
  const members = (variant: Schema, at: string) => {
    expect(variant.type, at).toBe('object');
    expect(Object.keys(variant.properties).sort(), `${at} properties`).toEqual(type.properties.map((p) => p.name).sort());
    expect(variant.required ?? [], `${at} required`).toEqual(type.properties.filter((p) => p.required).map((p) => p.name));
    for (const p of type.properties) {
      if (p.name !== union.nameProperty && p.name !== union.dataProperty) checkType(doc, p.type, variant.properties[p.name], `${at}.${p.name}`, side);
    }
  };
  events.forEach((e, i) => {
    const variant = shape.anyOf[i];
    members(variant, `${where}|${e.name}`);
    expect(variant.properties[union.nameProperty], `${where}|${e.name} name`).toMatchObject({ type: 'string', const: e.name });
    checkType(doc, e.data, { ...variant.properties[union.dataProperty], description: e.data.description }, `${where}|${e.name} data`, { api: side.api, position: 'output' });
  });
  const fallback = shape.anyOf[events.length];
  members(fallback, `${where}|unknown`);
  expect(fallback.properties[union.nameProperty], `${where}|unknown name`).toMatchObject({ type: 'string', not: { enum: events.map((e) => e.name) } });
  expect(fallback.properties[union.dataProperty].type, `${where}|unknown data`).toBe('object');
}

function checkNamed(doc: Doc, named: NamedType, api: Api): void {
  const s = doc.components.schemas[named.name];
  const where = `components/schemas/${named.name}`;
  expect(s, where).toBeDefined();
  const t = named.type;
  if (t.kind !== 'enum') {
    // The declaration's own description stands in when the type node has none.
    return checkType(doc, { ...t, description: t.description ?? named.description }, s, where, { api, position: declarationPosition(named.name, namedTypeUses(api)) });
  }
  const nul = t.nullable ? [null] : [];
  expect(s.type, where).toEqual(t.nullable ? [t.base, 'null'] : t.base);
  expect(s.enum, `${where} values`).toEqual([...t.values.map((v) => v.value), ...nul]);
  expect(s.description, `${where} description`).toBe(t.description ?? named.description);
  expect(s.deprecated, `${where} deprecated`).toBe(t.deprecated ? true : undefined);
  expect(s['x-open-enum'], `${where} open`).toBe(t.open ? true : undefined);
  if (t.values.some((v) => v.text !== undefined)) expect(s['x-enum-texts'], `${where} texts`).toEqual([...t.values.map((v) => v.text ?? null), ...nul]);
  else expect(s['x-enum-texts'], `${where} texts`).toBeUndefined();
  for (const [i, v] of t.values.entries()) {
    if (v.description !== undefined) expect(s['x-enum-descriptions'][i], `${where} ${v.value} description`).toBe(v.description);
    expect((s['x-enum-deprecated'] ?? []).includes(v.value), `${where} ${v.value} deprecated`).toBe(Boolean(v.deprecated));
  }
}

function checkMethod(doc: Doc, m: MethodSpec, api: Api): void {
  const op = doc.paths[`/${m.name}`]?.post;
  expect(op, m.name).toBeDefined();
  expect(Object.keys(doc.paths[`/${m.name}`])).toEqual(['post']);
  expect(op.operationId).toBe(m.name);
  expect(op.summary).toBe(m.summary);
  expect(op.description).toBe(m.description);
  expect(op.deprecated).toBe(m.deprecated ? true : undefined);
  expect(op.tags).toEqual([`${m.namespace}.${m.path[0]}`]);
  expect(op.externalDocs).toEqual({ url: m.docs });
  expect(op['x-scope']).toBe(m.scope);
  expect(op['x-access']).toBe(m.access);
  expect(op['x-idempotent']).toBe(m.idempotent);
  // OAuth (the access token, with the method's scope as its role) or the webhook URL alone (`{}`).
  expect(op.security, `${m.name} security`).toEqual([{ accessToken: [m.scope] }, {}]);
  const hazards = m.notIdempotentWhen.map((h) => ({ param: h.path.join('.'), ...(h.description !== undefined ? { description: h.description } : {}) }));
  expect(op['x-not-idempotent-when'], `${m.name} x-not-idempotent-when`).toEqual(hazards.length ? hazards : undefined);
  const extra = m.extraScopes.map((x) => ({ scope: x.scope, when: x.when.join('.'), ...(x.description !== undefined ? { description: x.description } : {}) }));
  expect(op['x-extra-scopes'], `${m.name} x-extra-scopes`).toEqual(extra.length ? extra : undefined);

  expect(op.requestBody.required).toBe(m.params.properties.some((p) => p.required));
  expect(Object.keys(op.requestBody.content)).toEqual(['application/json']);
  checkType(doc, m.params, op.requestBody.content['application/json'].schema, `${m.name} params`, { api, position: 'input' });

  for (const status of m.statuses) {
    const ok = body(doc, op, String(status));
    expect(ok.required).toEqual(['result', 'time']);
    checkType(doc, m.result, ok.properties.result, `${m.name} result`, { api, position: 'output' });
    expect(ok.properties.time).toEqual(api.types.some((t) => t.name === 'Time') ? { $ref: `${REF}Time` } : { type: 'object' });
  }

  // Each error status: exactly the codes (own, then the system ones not overridden) with that status.
  const errors = errorsOf(m, api);
  const statuses = [...new Set(errors.map((e) => e.status))].sort((a, b) => a - b).map(String);
  expect(Object.keys(op.responses)).toEqual([...m.statuses.map(String), ...statuses].sort());
  for (const status of statuses) {
    const mine = errors.filter((e) => String(e.status) === status);
    const s = body(doc, op, status);
    expect(s.required, `${m.name} ${status}`).toEqual(['error', 'error_description']);
    expect(s.properties.error.enum, `${m.name} ${status}`).toEqual(mine.map((e) => e.code));
    expect(s.properties.error['x-enum-descriptions'], `${m.name} ${status}`).toEqual(mine.map((e) => e.description ?? e.message ?? e.code));
    expect(s.properties.error_description.type).toBe('string');
    for (const e of mine) expect(response(doc, op, status).description).toContain(e.message === undefined ? e.code : `${e.code}: ${e.message}`);
  }
}

/** The whole check: nothing in the IR is missing from the document, nothing extra in it. */
function checkApi(api: Api, doc: Doc): void {
  expect(Object.keys(doc.paths)).toEqual(api.methods.map((m) => `/${m.name}`));
  for (const m of api.methods) checkMethod(doc, m, api);
  // Components are the named types the wire uses: every one is referred to from the document,
  // and a type left out is one no method and no event reaches (nor the `time` block, for Time).
  const components = Object.keys(doc.components.schemas);
  const text = JSON.stringify({ ...doc, components: { ...doc.components, schemas: undefined } }) + JSON.stringify(doc.components.schemas);
  for (const name of components) expect(text, `${name} is referred to`).toContain(`"$ref":"${REF}${name}"`);
  const uses = namedTypeUses(api);
  expect(components).toEqual(api.types.map((t) => t.name).filter((name) => uses.has(name) || name === 'Time'));
  for (const t of api.types) if (components.includes(t.name)) checkNamed(doc, t, api);
  expect(doc.tags.map((t) => t.name)).toEqual([...new Set([...api.methods.map((m) => `${m.namespace}.${m.path[0]}`), ...api.events.map((e) => `${e.namespace}.events`)])].sort());
  // Each tag carries the spec's description of its group and the group's page, when it has one.
  const groups = new Map(api.groups.map((g) => [g.name, g]));
  for (const tag of doc.tags) {
    const g = groups.get(tag.name);
    expect(tag, tag.name).toEqual({ name: tag.name, ...(g && { description: g.description }), ...(g?.docs && { externalDocs: { url: g.docs } }) });
  }
}

// ---------------------------------------------------------------------------------------------
// Schemas as JSON Schema 2020-12 (Ajv, strict): they compile, and say yes/no to wire data.

/** Compiles every component, request body and response body; throws on the first unsound one. */
function compileAll(doc: Doc): number {
  const { compile, named } = schemaChecker(doc);
  let n = 0;
  for (const name of Object.keys(doc.components.schemas)) {
    expect(named(name), name).toBeTypeOf('function');
    n += 1;
  }
  for (const item of Object.values(doc.paths)) {
    compile(item.post.requestBody.content['application/json'].schema);
    for (const status of Object.keys(item.post.responses)) compile(body(doc, item.post, status));
    n += 1 + Object.keys(item.post.responses).length;
  }
  return n;
}

describe('the real spec', () => {
  const api = loadSpec(resolve('spec'));
  const doc = buildDocument(api, { version: '9.9.9' }) as unknown as Doc;
  const notify = doc.paths['/imbot.v2.Chat.InputAction.notify'].post;

  it('is valid OpenAPI 3.1', async () => {
    expect(await valid(doc)).toEqual({ valid: true });
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
  });

  it('has every method, param, result field, error code (with its status) and named type, node by node', () => {
    expect(api.methods.length).toBeGreaterThan(0); // all 39 documented ones: see the docs comparison below
    checkApi(api, doc);
    console.log(`openapi: ${api.methods.length} operations, ${api.types.length} component schemas, ${doc.tags.length} tags`);
  });

  it('describes imbot.v2.Chat.InputAction.notify exactly', () => {
    expect(notify).toMatchObject({
      operationId: 'imbot.v2.Chat.InputAction.notify',
      tags: ['imbot.v2.Chat'],
      'x-scope': 'imbot',
      'x-idempotent': true,
      externalDocs: { url: expect.stringMatching(/^https:\/\/apidocs\.bitrix24\.com\/.*chat-input-action-notify\.html$/) },
    });
    const params = notify.requestBody.content['application/json'].schema;
    expect(notify.requestBody.required).toBe(true);
    expect(params.required).toEqual(['botId', 'dialogId']);
    expect(params.additionalProperties).toBe(false);
    expect(params.properties.duration).toMatchObject({ type: 'integer', minimum: 1, maximum: 600 });
    expect(params.properties.dialogId).toEqual({ $ref: '#/components/schemas/DialogId' });
    expect(params.properties.statusMessageCode.$ref).toBe('#/components/schemas/StatusMessageCode');
    expect(doc.components.schemas.DialogId).toMatchObject({ type: 'string', pattern: '^(chat[0-9]+|[0-9]+)$' });
    expect(doc.components.schemas.BotToken).toMatchObject({ type: 'string', maxLength: 40 });
    expect(doc.components.schemas.StatusMessageCode.enum).toHaveLength(11);
    expect(doc.components.schemas.StatusMessageCode['x-enum-texts'][0]).toBe('Agent is thinking...');
    expect(body(doc, notify, '200')).toEqual({
      type: 'object',
      required: ['result', 'time'],
      properties: {
        result: {
          type: 'object',
          properties: { result: { type: 'boolean', description: 'true when the indicator was sent.' } },
          required: ['result'],
          additionalProperties: false,
          // The spec's result.example (the page's example), as JSON Schema's `examples`.
          examples: [{ result: true }],
        },
        time: { $ref: '#/components/schemas/Time' },
      },
    });
    expect(Object.keys(notify.responses)).toEqual(['200', '400', '401', '403', '404', '405', '429', '500', '503']);
    const codes = (status: string): string[] => body(doc, notify, status).properties.error.enum;
    // Own codes first, then the system ones with the same status.
    expect(codes('400')).toEqual(['BOT_TOKEN_NOT_SPECIFIED', 'BOT_ID_REQUIRED', 'BOT_NOT_FOUND', 'BOT_OWNERSHIP_ERROR', 'ERROR_BATCH_LENGTH_EXCEEDED', 'INVALID_REQUEST']);
    // The method's own ACCESS_DENIED (403) replaces the system one; the system 403 codes stay.
    expect(codes('403')).toEqual(['ACCESS_DENIED', 'INVALID_CREDENTIALS', 'insufficient_scope', 'user_access_error']);
    expect(codes('401')).toEqual(['NO_AUTH_FOUND', 'expired_token']);
    expect(codes('503')).toEqual(expect.arrayContaining(['QUERY_LIMIT_EXCEEDED', 'OVERLOAD_LIMIT']));
    // limits.md: a method blocked by its execution-time limit answers 429 (a system error).
    expect(codes('429')).toEqual(['OPERATION_TIME_LIMIT']);
    for (const status of ['401', '403', '500', '503']) expect(codes(status), status).not.toContain('BOT_NOT_FOUND');
  });

  it('writes an error status whose codes are exactly the system ones once, under components/responses, and refers to it', () => {
    const shared = doc.components.responses ?? {};
    expect(Object.keys(shared).length).toBeGreaterThan(0);
    const system = (status: string) => api.systemErrors.filter((e) => String(e.status) === status).map((e) => e.code);
    for (const [name, r] of Object.entries(shared)) {
      const status = /^SystemErrors(\d+)$/.exec(name)?.[1];
      expect(status, name).toBeDefined();
      expect(r.content['application/json'].schema.properties.error.enum).toEqual(system(status!));
    }
    let refs = 0;
    for (const m of api.methods) {
      const op = doc.paths[`/${m.name}`].post;
      for (const [status, r] of Object.entries(op.responses)) {
        const own = m.errors.some((e) => String(e.status) === status || system(status).includes(e.code));
        // A method with a code of its own at that status (or overriding a system one) has it inline.
        if (own || status === '200') expect('$ref' in r, `${m.name} ${status}`).toBe(false);
        else {
          expect(r, `${m.name} ${status}`).toEqual({ $ref: `#/components/responses/SystemErrors${status}` });
          refs++;
        }
      }
    }
    expect(refs).toBeGreaterThan(api.methods.length * 3);
    // Written once: no operation writes out a response that is one of the shared ones.
    const sharedTexts = new Set(Object.values(shared).map((r) => JSON.stringify(r)));
    for (const m of api.methods) {
      for (const r of Object.values(doc.paths[`/${m.name}`].post.responses)) expect(sharedTexts.has(JSON.stringify(r)), m.name).toBe(false);
    }
  });

  it('declares both ways to authenticate: the webhook URL (no real secret) and the OAuth token as `auth`, on every operation', () => {
    expect(doc.servers[0].url).toBe('https://{portal}/rest/{userId}/{webhookSecret}');
    expect(Object.keys(doc.servers[0].variables)).toEqual(['portal', 'userId', 'webhookSecret']);
    expect(doc.servers[0].variables.webhookSecret.default).toBe('webhook-secret');
    expect(doc.servers[1].url).toBe('https://{portal}/rest');
    const schemes = (doc.components as { securitySchemes?: Record<string, Schema> }).securitySchemes;
    expect(Object.keys(schemes ?? {})).toEqual(['accessToken']);
    expect(schemes?.accessToken).toMatchObject({ type: 'apiKey', in: 'query', name: 'auth' });
    expect(schemes?.accessToken.description).toContain('https://oauth.bitrix.info/oauth/token/');
    // The scope each page names: im for im.v2, imbot for imbot.v2.
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(item.post.security, path).toEqual([{ accessToken: [path.startsWith('/im.v2.') ? 'im' : 'imbot'] }, {}]);
    }
    // The portal posts events with no HTTP credential; the handler checks application_token in the body.
    const webhooks = (doc as unknown as { webhooks: Record<string, { post: Operation }> }).webhooks;
    for (const [name, item] of Object.entries(webhooks)) expect(item.post.security, name).toEqual([]);
    expect(doc).not.toHaveProperty('security');
  });

  it('describes every tag from spec/common/groups.yaml, with its index page', () => {
    expect(doc.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['imbot.v2.Bot', 'imbot.v2.Chat', 'im.v2.File', 'imbot.v2.events']));
    for (const tag of doc.tags) {
      expect(tag.description, tag.name).toBe(api.groups.find((g) => g.name === tag.name)?.description);
      expect(tag.externalDocs?.url, tag.name).toMatch(/^https:\/\/apidocs\.bitrix24\.com\//);
    }
  });

  it('types nullable fields as 3.1 type arrays, nullable refs as anyOf with null, keyboards as unions', () => {
    expect(deref(doc, doc.components.schemas.Chat).properties.color).toMatchObject({ type: ['string', 'null'] });
    expect(doc.components.schemas.Keyboard.oneOf).toHaveLength(3);
    const send = doc.paths['/imbot.v2.Chat.Message.send'].post.requestBody.content['application/json'].schema;
    expect(send.properties.fields.properties.keyboard).toEqual({ $ref: '#/components/schemas/Keyboard' });
    expect(JSON.stringify(doc)).not.toMatch(/"oneOf":\[[^\]]*\{"type":"null"\}/);
  });

  it('has schemas that compile as strict JSON Schema 2020-12', () => {
    const n = compileAll(doc);
    console.log(`openapi: ${n} schemas compiled by Ajv 2020 (strict)`);
  });

  it('the node-by-node check notices anything missing, moved or loosened', () => {
    const mutations: [string, (d: Doc) => void][] = [
      ['a nested property of a named type', (d) => delete deref(d, d.components.schemas.Chat).properties.color],
      ['a range bound', (d) => delete d.paths['/imbot.v2.Chat.InputAction.notify'].post.requestBody.content['application/json'].schema.properties.duration.maximum],
      ['a required flag', (d) => d.paths['/imbot.v2.Chat.InputAction.notify'].post.requestBody.content['application/json'].schema.required.pop()],
      ['an enum value', (d) => d.components.schemas.StatusMessageCode.enum.pop()],
      ['a nullable flag', (d) => (deref(d, d.components.schemas.Chat).properties.color.type = 'string')],
      ['a named type', (d) => delete d.components.schemas.DialogId],
      ['a result field', (d) => delete body(d, d.paths['/imbot.v2.Chat.InputAction.notify'].post, '200').properties.result.properties.result],
      [
        'an error code under the wrong status',
        (d) => {
          const op = d.paths['/imbot.v2.Chat.InputAction.notify'].post;
          body(d, op, '400').properties.error.enum = body(d, op, '400').properties.error.enum.filter((c: string) => c !== 'BOT_NOT_FOUND');
          body(d, op, '403').properties.error.enum.push('BOT_NOT_FOUND');
        },
      ],
      ['a union variant', (d) => d.components.schemas.Keyboard.oneOf.pop()],
      ['a shared system error', (d) => d.components.responses!.SystemErrors401.content['application/json'].schema.properties.error.enum.pop()],
      ['an operation', (d) => delete d.paths['/imbot.v2.Chat.InputAction.notify']],
      ['the scope of an operation', (d) => (d.paths['/im.v2.Event.get'].post.security = [{ accessToken: ['imbot'] }, {}])],
      ['the webhook alternative of an operation', (d) => (d.paths['/im.v2.Event.get'].post.security as unknown[]).pop()],
      ['a tag description', (d) => delete d.tags[0].description],
      ['a param that makes a call unsafe to repeat', (d) => delete d.paths['/imbot.v2.Bot.update'].post['x-not-idempotent-when']],
      ['a scope a param asks for', (d) => delete d.paths['/imbot.v2.Event.get'].post['x-extra-scopes']],
    ];
    for (const [what, mutate] of mutations) {
      const copy = structuredClone(doc);
      mutate(copy);
      expect(() => checkApi(api, copy), what).toThrow();
    }
  });

  it('accepts the wire data of notify and refuses what the spec forbids', () => {
    const { compile } = schemaChecker(doc);
    const params = compile(notify.requestBody.content['application/json'].schema);
    const code = doc.components.schemas.StatusMessageCode.enum[0];
    expect(params({ botId: 456, botToken: 'tok', dialogId: 'chat5', statusMessageCode: code, duration: 600 })).toBe(true);
    expect(params({ botId: 456, dialogId: '12' })).toBe(true);
    for (const bad of [
      { botId: 456 }, // dialogId missing
      { botId: 456, dialogId: 'room5' }, // pattern
      { botId: 456, dialogId: 'chat5', duration: 0 }, // minimum
      { botId: 456, dialogId: 'chat5', duration: 601 }, // maximum
      { botId: 456, dialogId: 'chat5', duration: 1.5 }, // integer
      { botId: 456, dialogId: 'chat5', statusMessageCode: 'NOPE' }, // enum
      { botId: 456, dialogId: 'chat5', botToken: 'x'.repeat(41) }, // maxLength
      { botId: 456, dialogId: 'chat5', extra: 1 }, // additionalProperties
    ]) {
      expect(params(bad), JSON.stringify(bad)).toBe(false);
    }
    const ok = compile(body(doc, notify, '200'));
    expect(ok({ result: { result: true }, time: TIME })).toBe(true);
    expect(ok({ result: { result: true } })).toBe(false);
    expect(ok({ result: {}, time: TIME })).toBe(false);
    const e400 = compile(body(doc, notify, '400'));
    const e403 = compile(body(doc, notify, '403'));
    expect(e400({ error: 'BOT_NOT_FOUND', error_description: 'Bot not found' })).toBe(true);
    expect(e403({ error: 'BOT_NOT_FOUND', error_description: 'Bot not found' })).toBe(false);
    expect(e403({ error: 'insufficient_scope', error_description: 'x' })).toBe(true);
    expect(e400({ error: 'BOT_NOT_FOUND' })).toBe(false);
  });

  it('open enums: results and events accept values beyond the documented ones, params do not', () => {
    const { compile, named } = schemaChecker(doc);
    expect(doc.components.schemas.ChatType['x-open-enum']).toBe(true);
    expect(doc.components.schemas.ChatType.enum).toContain('private');
    const chat = named('EventChat');
    for (const type of ['chat', 'private', 'someFutureKind']) expect(chat({ id: 5, dialogId: 'chat5', name: 'Support', type }), type).toBe(true);
    expect(chat({ id: 5, dialogId: 'chat5', name: 'Support', type: 7 })).toBe(false);
    const reactionAdd = compile(doc.paths['/imbot.v2.Chat.Message.Reaction.add'].post.requestBody.content['application/json'].schema);
    expect(reactionAdd({ botId: 1, messageId: 2, reaction: 'like' })).toBe(true);
    expect(reactionAdd({ botId: 1, messageId: 2, reaction: 'someFutureReaction' })).toBe(false);
    const reactionEvent = doc.webhooks!.ONIMBOTV2REACTIONCHANGE.post.requestBody.content['application/json'].schema.properties.data.properties.reaction;
    expect(reactionEvent).toEqual({ anyOf: [{ $ref: `${REF}Reaction` }, { type: 'string' }] });
  });

  it('Event.get items: each known event with its own data, any other event passes, a known one with wrong data does not', () => {
    const { compile } = schemaChecker(doc);
    const imbot = compile(body(doc, doc.paths['/imbot.v2.Event.get'].post, '200'));
    const im = compile(body(doc, doc.paths['/im.v2.Event.get'].post, '200'));
    const page = (...events: unknown[]) => ({ result: { events, nextOffset: 1002, hasMore: false }, time: TIME });
    const item = (type: string, data: unknown) => ({ eventId: 1001, type, date: '2025-01-15T10:30:00+02:00', data });
    const deleted = item('ONIMBOTV2DELETE', { bot: { id: 456, code: 'support_bot' } });
    const userEvent = item('ONIMV2MESSAGEDELETE', { messageId: 5012, chat: { id: 5, dialogId: 'chat5', name: 'Support', type: 'private' }, user: { id: 1, active: true, name: 'John', bot: false, type: 'employee' }, language: 'en' });
    const future = item('ONIMBOTV2SOMETHINGNEW', { anything: [1, 2] });
    expect(imbot(page(deleted, userEvent, future)), JSON.stringify(imbot.errors)).toBe(true);
    expect(im(page(userEvent, future))).toBe(true);
    // im.v2.Event.get lists only the user's events: a bot event there is an unknown name, data unchecked.
    expect(im(page(deleted))).toBe(true);
    // Known names must carry their data: the page's own example (`"data": {}` on ONIMBOTV2MESSAGEADD) does not.
    expect(imbot(page(item('ONIMBOTV2MESSAGEADD', {})))).toBe(false);
    expect(imbot(page(item('ONIMBOTV2DELETE', { bot: { id: 'x', code: 'c' } })))).toBe(false);
    expect(imbot(page({ eventId: 1, type: 'ONIMBOTV2DELETE', date: 'd' }))).toBe(false);
  });

  it('accepts requests with keyboards and attachments (each union form matches exactly one variant) and null where nullable', () => {
    const { compile, named } = schemaChecker(doc);
    const send = compile(doc.paths['/imbot.v2.Chat.Message.send'].post.requestBody.content['application/json'].schema);
    const fields = {
      message: 'Pick',
      keyboard: [{ TEXT: 'Yes', ACTION: 'SEND', ACTION_VALUE: 'yes' }, { TYPE: 'NEWLINE' }],
      attach: { ID: 1, BLOCKS: [{ MESSAGE: 'x' }, { DELIMITER: { SIZE: 200 } }] },
    };
    expect(send({ botId: 456, botToken: 'tok', dialogId: 'chat5', fields }), JSON.stringify(send.errors)).toBe(true);
    expect(send({ botId: 456, dialogId: 'chat5', fields: { ...fields, keyboard: 42 } })).toBe(false);
    const color = compile(deref(doc, doc.components.schemas.Chat).properties.color);
    expect(color(null)).toBe(true);
    expect(color(5)).toBe(false);
    expect(named('Time')(TIME)).toBe(true);
  });

  it('is byte-identical across runs, and the YAML form holds the same document', () => {
    const a = renderDocument(api, 'json', '1.0.0').text;
    expect(renderDocument(loadSpec(resolve('spec')), 'json', '1.0.0').text).toBe(a);
    const yaml = renderDocument(api, 'yaml', '1.0.0').text;
    expect(renderDocument(loadSpec(resolve('spec')), 'yaml', '1.0.0').text).toBe(yaml);
    expect(parse(yaml)).toEqual(JSON.parse(a));
    expect(parse(yaml, { version: '1.1' })).toEqual(JSON.parse(a));
    expect(yaml).not.toMatch(/^\s*[&*!]|: [&*]/m); // no anchors, aliases or tags
  });
});

describe('events as OpenAPI webhooks', () => {
  it('has one webhook per event, its data fully typed', async () => {
    const api = loadSpec(resolve('spec'));
    const doc = buildDocument(api, { version: '1.0.0' }) as unknown as Doc & { webhooks: Record<string, { post: Operation }> };
    expect(Object.keys(doc.webhooks)).toEqual(api.events.map((e) => e.name));
    const add = doc.webhooks.ONIMBOTV2MESSAGEADD.post;
    const body = add.requestBody.content['application/json'].schema;
    expect(body.properties.event).toEqual({ type: 'string', const: 'ONIMBOTV2MESSAGEADD' });
    expect(body.properties.data.required).toEqual(['bot', 'message', 'chat', 'user', 'language']);
    expect(body.properties.data.properties.message).toMatchObject({ $ref: '#/components/schemas/Message' });
    expect(await valid(doc)).toEqual({ valid: true });
  });
});

describe('the document against the official docs pages', () => {
  it('has all 39 documented methods, every documented param (name, required), error code and top-level result field', () => {
    if (!existsSync(UPSTREAM)) {
      console.log(`openapi: ${UPSTREAM} is absent, so the document was not compared with the official docs.`);
      return;
    }
    const doc = docOf(loadSpec(resolve('spec')));
    const root = DocsRoot.open(UPSTREAM);
    const refs = root.methodPages();
    expect(refs).toHaveLength(39);
    let params = 0;
    let codes = 0;
    let fields = 0;
    const visit = (fieldsOfPage: DocsField[], schema: Schema, where: string): void => {
      const s = deref(doc, schema);
      for (const f of fieldsOfPage) {
        params += 1;
        expect(s.properties?.[f.name], `${where}.${f.name}`).toBeDefined();
        expect((s.required ?? []).includes(f.name), `${where}.${f.name} required`).toBe(f.required);
        const child = deref(doc, s.properties[f.name]);
        if (f.children.length > 0 && child.type === 'object') visit(f.children, child, `${where}.${f.name}`);
      }
    };
    for (const ref of refs) {
      const page = readMethodPage(root, ref);
      const op = doc.paths[`/${ref.method}`]?.post;
      expect(op, ref.method).toBeDefined();
      visit(page.params ?? [], op.requestBody.content['application/json'].schema, ref.method);
      const enums = Object.entries(op.responses)
        .filter(([status]) => status !== '200')
        .flatMap(([status]) => body(doc, op, status).properties.error.enum as string[]);
      for (const e of page.errors ?? []) {
        codes += 1;
        expect(enums, `${ref.method} ${e.code}`).toContain(e.code);
      }
      const result = deref(doc, body(doc, op, '200').properties.result);
      for (const f of page.result?.children ?? []) {
        if (page.result?.listing !== 'complete') break;
        fields += 1;
        expect(result.properties?.[f.name], `${ref.method} result.${f.name}`).toBeDefined();
      }
    }
    console.log(`openapi vs docs: 39 methods, ${params} params, ${codes} error codes, ${fields} top-level result fields all present`);
  });
});

describe('the fixture specs', () => {
  const fixtures = readdirSync(resolve('test/fixtures/specs')).sort();

  it.each(fixtures)('%s gives a valid document that says everything its spec says', async (name) => {
    const api = loadSpec(resolve('test/fixtures/specs', name));
    const doc = docOf(api);
    expect(await valid(doc)).toEqual({ valid: true });
    checkApi(api, doc);
    compileAll(doc);
    const yaml = renderDocument(api, 'yaml', '1.0.0').text;
    expect(parse(yaml)).toEqual(doc);
    expect(parse(yaml, { version: '1.1' })).toEqual(doc);
  });

  it('keeps hostile spec text byte for byte, as data, in JSON and in YAML', () => {
    const api = loadSpec(resolve('test/fixtures/specs/hostile-text'));
    for (const text of [renderDocument(api, 'json', '1.0.0').text, renderDocument(api, 'yaml', '1.0.0').text]) {
      const doc = parse(text) as Doc;
      const strings: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') strings.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(doc);
      const method = api.methods[0];
      expect(strings).toContain(method.summary);
      expect(strings).toContain(method.description);
      for (const e of method.errors) expect(strings).toContain(e.message);
      const params = doc.paths[`/${method.name}`].post.requestBody.content['application/json'].schema;
      expect(Object.keys(params.properties).sort()).toEqual(method.params.properties.map((p) => p.name).sort());
      expect(Object.prototype.hasOwnProperty.call(params.properties, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(params.properties)).toBe(Object.prototype);
      for (const t of api.types) if (t.type.kind === 'enum') expect(doc.components.schemas[t.name].enum).toEqual(t.type.values.map((v) => v.value));
    }
  });

  it('writes nullable any, nullable refs (to a nullable enum) and nullable unions so null matches exactly once', () => {
    const method = `method: imbot.v2.Test.ping
summary: Ping.
docs: https://apidocs.bitrix24.com/test.html
scope: imbot
access: anyone
idempotent: true
params:
  anything: { type: any, nullable: true, description: Any value. }
  level: { $ref: Level, nullable: true, description: Overrides. }
  either: { oneOf: [{ type: string }, { type: integer }], nullable: true }
result: { type: object, properties: { ok: { type: boolean, required: true } } }
statuses: [200]
errors: []
types:
  Level:
    type: integer
    nullable: true
    enum:
      - { value: 1, text: Low, description: The low one. }
      - { value: 2, text: High }
`;
    const api = loadSpecTexts(specWith(method), 'spec');
    const doc = docOf(api);
    checkApi(api, doc);
    const params = doc.paths['/imbot.v2.Test.ping'].post.requestBody.content['application/json'].schema;
    expect(params.properties.anything).toEqual({ description: 'Any value.' });
    expect(params.properties.level).toEqual({ description: 'Overrides.', anyOf: [{ $ref: `${REF}Level` }, { type: 'null' }] });
    expect(doc.components.schemas.Level).toEqual({
      type: ['integer', 'null'],
      enum: [1, 2, null],
      'x-enum-texts': ['Low', 'High', null],
      'x-enum-descriptions': ['The low one.', 'High', ''],
    });
    const check = schemaChecker(doc).compile(params);
    for (const ok of [{ anything: null, level: null, either: null }, { level: 2, either: 'x' }, { either: 3 }]) expect(check(ok), JSON.stringify(ok)).toBe(true);
    for (const bad of [{ level: 3 }, { either: true }]) expect(check(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('the YAML form', () => {
  it('reads the same under YAML 1.2 and 1.1: words YAML 1.1 takes for booleans, merge keys, line separators', () => {
    const data: Record<string, unknown> = {
      '<<': { a: 1 },
      on: 'yes',
      y: 'N',
      Off: 'NULL',
      oct: '0o12',
      zero: '012',
      time: '1:20',
      text: 'a\u2028b\u2029c\u0085d\u007fe\u0090f\ufeffg\u{1F600}',
      quote: 'say "hi" \\ */ ${x}',
      lines: 'one\ntwo\r\nthree',
      empty: '',
      star: '*alias',
      amp: '&anchor',
      tag: '!!js/function',
      dash: '- item',
      hash: 'a #comment',
      lead: ' x',
      n: 5,
      t: true,
      nul: null,
    };
    Object.defineProperty(data, '__proto__', { value: { x: 'y' }, enumerable: true });
    const text = toYaml(data);
    for (const version of ['1.1', '1.2'] as const) {
      const back = parse(text, { version }) as Record<string, unknown>;
      expect(back, version).toEqual(data);
      expect(Object.keys(back), version).toEqual(Object.keys(data));
      expect(Object.getPrototypeOf(back), version).toBe(Object.prototype);
    }
    expect(text).toContain('"<<":');
    expect(text).toContain('"on": "yes"');
    expect(text).not.toMatch(/[\u0085\u2028\u2029\u007f]/);
  });
});

describe('b24gen openapi', () => {
  it('writes JSON, or YAML for a .yaml file, atomically, and reports what it wrote', async () => {
    const json = join(temp, 'out/api.json');
    const r = await run('--out', json);
    expect(r).toMatchObject({ code: 0, err: '' });
    const api = loadSpec(resolve('spec'));
    expect(r.out).toMatch(new RegExp(`^wrote .*api\\.json: OpenAPI 3\\.1, ${api.methods.length} operations, ${Object.keys(JSON.parse(readFileSync(json, 'utf8')).components.schemas).length} schemas \\(json\\)\\n$`));
    const yamlFile = join(temp, 'api.yaml');
    expect((await run('--out', yamlFile)).code).toBe(0);
    expect(parse(readFileSync(yamlFile, 'utf8'))).toEqual(JSON.parse(readFileSync(json, 'utf8')));
    expect(JSON.parse(readFileSync(json, 'utf8')).info.version).toBe(JSON.parse(readFileSync('generated/package.json', 'utf8')).version);
    expect(readdirSync(join(temp, 'out'))).toEqual(['api.json']); // no temp file left
    // A second run writes the same bytes.
    const first = readFileSync(json);
    expect((await run('--out', json)).code).toBe(0);
    expect(readFileSync(json).equals(first)).toBe(true);
  });

  it('--out - prints the document to stdout, JSON or --format yaml', async () => {
    const r = await run('--out', '-', '--spec', 'test/fixtures/specs/range');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out).openapi).toBe('3.1.0');
    const y = await run('--out', '-', '--spec', 'test/fixtures/specs/range', '--format', 'yaml');
    expect(y.code).toBe(0);
    expect(parse(y.out)).toEqual(JSON.parse(r.out));
  });

  it('a bad spec exits 1 with the located error and writes nothing', async () => {
    const spec = join(temp, 'bad-spec/imbot.v2');
    mkdirSync(spec, { recursive: true });
    writeFileSync(join(spec, 'X.y.yaml'), 'method: imbot.v2.X.y\nsummary: [\n');
    const outDir = join(temp, 'never');
    const r = await run('--out', join(outDir, 'api.json'), '--spec', join(temp, 'bad-spec'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/X\.y\.yaml:\d+:\d+: /);
    expect(r.out).toBe('');
    expect(existsSync(outDir)).toBe(false);
  });

  it('a bad spec leaves an existing output file as it was', async () => {
    const out = join(temp, 'kept.json');
    writeFileSync(out, 'before');
    const r = await run('--out', out, '--spec', join(temp, 'missing-spec-folder'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing-spec-folder:1:1: cannot read the spec folder/);
    expect(readFileSync(out, 'utf8')).toBe('before');
  });

  it('an unwritable target exits 1 with a message and leaves no temp file', async () => {
    const dir = join(temp, 'is-a-dir');
    mkdirSync(dir);
    const r = await run('--out', dir, '--spec', 'test/fixtures/specs/range');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^b24gen openapi: cannot write .*is-a-dir: /);
    expect(readdirSync(temp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('usage errors exit 2', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('--out', '')).code).toBe(2);
    expect((await run('--out', 'x.json', 'extra')).code).toBe(2);
    expect((await run('--out', 'x.json', '--bogus')).code).toBe(2);
    const f = await run('--out', 'x.json', '--format', 'xml');
    expect(f.code).toBe(2);
    expect(f.err).toContain('--format must be json or yaml, not "xml"');
    expect(existsSync('x.json')).toBe(false);
  });
});
