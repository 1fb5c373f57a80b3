import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.js';
import { loadSpec } from '../generator/load/index.js';
import { errorsOf, type Api, type TypeNode } from '../generator/model/ir.js';
import { buildDocument, renderDocument } from '../generator/openapi/index.js';
import { DocsRoot } from '../generator/docs/docs-root.js';
import { readMethodPage, type DocsField } from '../generator/docs/page.js';

const UPSTREAM = resolve('../shared/upstream-docs');

/**
 * `b24gen openapi`: the document is valid OpenAPI 3.1 (checked by a maintained validator) for
 * the real spec and every fixture spec, says everything the spec says about each method, is
 * byte-identical across runs, and the command writes it atomically or not at all.
 */
type Doc = {
  paths: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Schema> };
};
type Operation = {
  operationId: string;
  requestBody: { required: boolean; content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { content: { 'application/json': { schema: Schema } } }>;
  [key: string]: unknown;
};
type Schema = Record<string, any>;

const temp = mkdtempSync(join(tmpdir(), 'b24gen-openapi-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function valid(doc: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  return new Validator().validate(doc as Parameters<Validator["validate"]>[0]);
}

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['openapi', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Follows `$ref`s into components/schemas. */
function deref(doc: Doc, s: Schema): Schema {
  let cur = s;
  while (typeof cur.$ref === 'string') cur = doc.components.schemas[cur.$ref.replace('#/components/schemas/', '')];
  return cur;
}

/** Every IR param/result path must be reachable in the document with the same required flag. */
function checkObject(doc: Doc, type: TypeNode, schema: Schema, where: string): void {
  if (type.kind !== 'object') return;
  const s = deref(doc, schema);
  for (const p of type.properties) {
    expect(s.properties?.[p.name], `${where}.${p.name}`).toBeDefined();
    expect((s.required ?? []).includes(p.name), `${where}.${p.name} required`).toBe(p.required);
    checkObject(doc, p.type, s.properties[p.name], `${where}.${p.name}`);
  }
}

function checkApi(api: Api, doc: Doc): void {
  expect(Object.keys(doc.paths)).toEqual(api.methods.map((m) => `/${m.name}`));
  for (const m of api.methods) {
    const op = doc.paths[`/${m.name}`].post;
    expect(op.operationId).toBe(m.name);
    expect(op['x-idempotent']).toBe(m.idempotent);
    expect(op.externalDocs).toEqual({ url: m.docs });
    checkObject(doc, m.params, op.requestBody.content['application/json'].schema, `${m.name} params`);
    const ok = op.responses['200'].content['application/json'].schema;
    expect(ok.required).toEqual(['result', 'time']);
    checkObject(doc, m.result, ok.properties.result, `${m.name} result`);
    for (const e of errorsOf(m, api)) {
      const body = op.responses[String(e.status)]?.content['application/json'].schema;
      expect(body?.properties.error.enum, `${m.name} ${e.code}`).toContain(e.code);
    }
    const documented = Object.keys(op.responses).filter((s) => s !== '200');
    expect(documented.sort()).toEqual([...new Set(errorsOf(m, api).map((e) => String(e.status)))].sort());
  }
  for (const t of api.types) expect(doc.components.schemas[t.name], t.name).toBeDefined();
}

describe('the real spec', () => {
  const api = loadSpec(resolve('spec'));
  const doc = buildDocument(api, { version: '9.9.9' }) as unknown as Doc;

  it('is valid OpenAPI 3.1', async () => {
    expect(await valid(doc)).toEqual({ valid: true });
  });

  it('has every method, param (with its required flag), result field, error code and named type', () => {
    expect(api.methods).toHaveLength(39);
    checkApi(api, doc);
  });

  it('describes imbot.v2.Chat.InputAction.notify exactly', () => {
    const op = doc.paths['/imbot.v2.Chat.InputAction.notify'].post;
    expect(op).toMatchObject({ operationId: 'imbot.v2.Chat.InputAction.notify', tags: ['imbot.v2.Chat'], 'x-scope': 'imbot', 'x-idempotent': true });
    const body = op.requestBody.content['application/json'].schema;
    expect(op.requestBody.required).toBe(true);
    expect(body.required).toEqual(['botId', 'dialogId']);
    expect(body.properties.duration).toMatchObject({ type: 'integer', minimum: 1, maximum: 600 });
    expect(doc.components.schemas.DialogId).toMatchObject({ type: 'string', pattern: '^(chat[0-9]+|[0-9]+)$' });
    expect(doc.components.schemas.BotToken).toMatchObject({ type: 'string', maxLength: 40 });
    expect(doc.components.schemas.StatusMessageCode.enum).toHaveLength(11);
    expect(doc.components.schemas.StatusMessageCode['x-enum-texts'][0]).toBe('Agent is thinking...');
    expect(op.responses['200'].content['application/json'].schema.properties.result).toEqual({
      type: 'object',
      properties: { result: { type: 'boolean', description: 'true when the indicator was shown.' } },
      required: ['result'],
      additionalProperties: false,
    });
    const e400 = op.responses['400'].content['application/json'].schema.properties.error.enum;
    const e403 = op.responses['403'].content['application/json'].schema.properties.error.enum;
    expect(e400).toEqual(expect.arrayContaining(['BOT_TOKEN_NOT_SPECIFIED', 'BOT_ID_REQUIRED', 'BOT_NOT_FOUND', 'BOT_OWNERSHIP_ERROR']));
    // The method's own ACCESS_DENIED (403) replaces the system one; the system 401/403/503 codes stay.
    expect(e403).toEqual(expect.arrayContaining(['ACCESS_DENIED', 'insufficient_scope']));
    expect(op.responses['503'].content['application/json'].schema.properties.error.enum).toEqual(expect.arrayContaining(['QUERY_LIMIT_EXCEEDED', 'OVERLOAD_LIMIT']));
  });

  it('types nullable fields as 3.1 type arrays, and keyboards as unions of their forms', () => {
    expect(deref(doc, doc.components.schemas.Chat).properties.color).toMatchObject({ type: ['string', 'null'] });
    expect(doc.components.schemas.Keyboard.oneOf).toHaveLength(3);
    const send = doc.paths['/imbot.v2.Chat.Message.send'].post.requestBody.content['application/json'].schema;
    expect(send.properties.fields.properties.keyboard).toEqual({ $ref: '#/components/schemas/Keyboard' });
  });

  it('is byte-identical across runs, and the YAML form holds the same document', () => {
    const a = renderDocument(api, 'json', '1.0.0');
    expect(renderDocument(loadSpec(resolve('spec')), 'json', '1.0.0')).toBe(a);
    expect(parse(renderDocument(api, 'yaml', '1.0.0'))).toEqual(JSON.parse(a));
  });
});

describe('the document against the official docs pages', () => {
  it('has all 39 documented methods, every documented param (name, required), error code and top-level result field', () => {
    if (!existsSync(UPSTREAM)) {
      console.log(`openapi: ${UPSTREAM} is absent, so the document was not compared with the official docs.`);
      return;
    }
    const doc = buildDocument(loadSpec(resolve('spec')), { version: '1.0.0' }) as unknown as Doc;
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
        .flatMap(([, r]) => r.content['application/json'].schema.properties.error.enum as string[]);
      for (const e of page.errors ?? []) {
        codes += 1;
        expect(enums, `${ref.method} ${e.code}`).toContain(e.code);
      }
      const result = deref(doc, op.responses['200'].content['application/json'].schema.properties.result);
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
    const doc = buildDocument(api, { version: '1.0.0' }) as unknown as Doc;
    expect(await valid(doc)).toEqual({ valid: true });
    checkApi(api, doc);
  });

  it('keeps hostile spec text byte for byte, as data', () => {
    const api = loadSpec(resolve('test/fixtures/specs/hostile-text'));
    const text = renderDocument(api, 'json', '1.0.0');
    const doc = JSON.parse(text) as Doc;
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(doc);
    const method = api.methods[0];
    expect(strings).toContain(method.summary);
    for (const e of method.errors) expect(strings).toContain(e.message);
    for (const t of api.types) if (t.type.kind === 'enum') for (const v of t.type.values) expect(doc.components.schemas[t.name].enum).toContain(v.value);
  });
});

describe('b24gen openapi', () => {
  it('writes JSON, or YAML for a .yaml file, and reports what it wrote', async () => {
    const json = join(temp, 'out/api.json');
    const r = await run('--out', json);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^wrote .*api\.json: OpenAPI 3\.1, 39 operations, \d+ schemas \(json\)\n$/);
    const yamlFile = join(temp, 'api.yaml');
    expect((await run('--out', yamlFile)).code).toBe(0);
    expect(parse(readFileSync(yamlFile, 'utf8'))).toEqual(JSON.parse(readFileSync(json, 'utf8')));
    expect(JSON.parse(readFileSync(json, 'utf8')).info.version).toBe(JSON.parse(readFileSync('generated/package.json', 'utf8')).version);
  });

  it('--out - prints the document to stdout', async () => {
    const r = await run('--out', '-', '--spec', 'test/fixtures/specs/range');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).openapi).toBe('3.1.0');
  });

  it('a bad spec exits 1 with the located error and writes nothing', async () => {
    const spec = join(temp, 'bad-spec/imbot.v2');
    mkdirSync(spec, { recursive: true });
    writeFileSync(join(spec, 'X.y.yaml'), 'method: imbot.v2.X.y\nsummary: [\n');
    const out = join(temp, 'never.json');
    const r = await run('--out', out, '--spec', join(temp, 'bad-spec'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/X\.y\.yaml:\d+:\d+: /);
    expect(existsSync(out)).toBe(false);
  });

  it('usage errors exit 2', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('--out', 'x.json', '--format', 'xml')).err).toContain('--format must be json or yaml, not "xml"');
  });
});
