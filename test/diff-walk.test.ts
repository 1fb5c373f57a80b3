import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.js';
import { bumpOf, compareApis, diffSides, formatGithub, formatJson, formatMarkdown, formatText, type Change } from '../generator/diff/index.js';
import { loadSpecTexts, readSpecDir, type SpecText } from '../generator/load/index.js';
import type { Api, TypeNode } from '../generator/model/ir.js';
import { eventYaml, methodYaml, type MethodParts } from './fixtures/diff/rule-pairs.js';
import { initRepo } from './support/git-repo.js';

/**
 * `b24gen diff` walks everything (array items, union variants, shared named types, event data,
 * defaults, a `$ref` param's own description, enum value docs), groups a shared type's change
 * under the type, says in the client's words what stops compiling, and writes GitHub
 * annotations at repository paths, once each. The June 2026 changes of imbot.v2, replayed on the
 * real spec, read as about twenty entries.
 */
const temp = mkdtempSync(join(tmpdir(), 'b24gen-diff-walk-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const P = '  botId: { type: integer, required: true }\n';
const obj = (props: string) => `  type: object\n  properties:\n${props}`;

/** A spec of methods (by name) and optional shared types (spec/common/types.yaml) and one event. */
function spec(methods: Record<string, MethodParts>, common?: string, event?: MethodParts): Api {
  const texts: SpecText[] = Object.entries(methods).map(([name, parts]) => ({ path: `imbot.v2/${name.replace('imbot.v2.', '')}.yaml`, text: methodYaml({ ...parts, name }) }));
  if (common) texts.push({ path: 'common/types.yaml', text: `types:\n${common}` });
  if (event) texts.push({ path: 'imbot.v2/events/ONIMBOTV2DEMO.yaml', text: eventYaml(event) });
  return loadSpecTexts(texts, 'spec');
}

const line = (c: Change) => `${c.kind} ${c.subject} ${c.rule} ${c.level} ${c.path}`;

/** The real spec with edits (YAML documents by spec-relative path). */
function realSpec(edits: Record<string, (doc: ReturnType<typeof parseDocument>) => void> = {}): SpecText[] {
  const texts = readSpecDir(resolve('spec'));
  for (const [path, edit] of Object.entries(edits)) {
    const t = texts.find((x) => x.path === path);
    if (!t) throw new Error(`no spec file ${path}`);
    const doc = parseDocument(t.text);
    edit(doc);
    t.text = doc.toString();
  }
  return texts;
}

/** Every method and event whose params, result or data reach named type `name` (through other named types too). */
function usersOf(api: Api, name: string): string[] {
  const types = new Map(api.types.map((t) => [t.name, t.type]));
  const reaches = (node: TypeNode | { kind: string }, seen: Set<string>): boolean => {
    const n = node as TypeNode;
    if (n.kind === 'ref') {
      if (n.name === name) return true;
      if (seen.has(n.name)) return false;
      seen.add(n.name);
      const t = types.get(n.name);
      return t ? reaches(t, seen) : false;
    }
    if (n.kind === 'array') return reaches(n.items, seen);
    if (n.kind === 'union') return n.variants.some((v) => reaches(v, seen));
    if (n.kind === 'object') return n.properties.some((p) => reaches(p.type, seen)) || (typeof n.additionalProperties === 'object' && reaches(n.additionalProperties, seen));
    return false;
  };
  return [...api.methods.filter((m) => reaches(m.params, new Set()) || reaches(m.result, new Set())), ...api.events.filter((e) => reaches(e.data, new Set()))].map((x) => x.name).sort();
}

describe('walks everything', () => {
  it('a field removed from or added to array items is reported, at any depth (bots[].appId, pages[].rows[].x)', () => {
    const items = (props: string) =>
      obj(`    bots:\n      type: array\n      required: true\n      items:\n        type: object\n        properties:\n          id: { type: integer, required: true }\n${props}`);
    const nested = (props: string) =>
      obj(`    pages:\n      type: array\n      required: true\n      items:\n        type: array\n        items:\n          type: object\n          properties:\n            id: { type: integer, required: true }\n${props}`);
    expect(compareApis(spec({ 'imbot.v2.Demo.run': { result: items('          appId: { type: string }\n') } }), spec({ 'imbot.v2.Demo.run': { result: items('          count: { type: integer }\n') } })).map(line)).toEqual([
      'method imbot.v2.Demo.run response-property-removed breaking result.bots[].appId',
      'method imbot.v2.Demo.run response-property-added info result.bots[].count',
    ]);
    // The same place, the same type, a new name: one rename.
    expect(compareApis(spec({ 'imbot.v2.Demo.run': { result: items('          appId: { type: string }\n') } }), spec({ 'imbot.v2.Demo.run': { result: items('          code: { type: string }\n') } })).map(line)).toEqual([
      'method imbot.v2.Demo.run response-property-renamed breaking result.bots[].code',
    ]);
    expect(compareApis(spec({ 'imbot.v2.Demo.run': { result: nested('            x: { type: string }\n') } }), spec({ 'imbot.v2.Demo.run': { result: nested('') } })).map(line)).toEqual([
      'method imbot.v2.Demo.run response-property-removed breaking result.pages[][].x',
    ]);
    // Params in array items too.
    const param = (props: string) => `${P}  commands:\n    type: array\n    items:\n      type: object\n      properties:\n        name: { type: string, required: true }\n${props}`;
    expect(compareApis(spec({ 'imbot.v2.Demo.run': { params: param('        hidden: { type: boolean }\n') } }), spec({ 'imbot.v2.Demo.run': { params: param('') } })).map(line)).toEqual([
      'method imbot.v2.Demo.run request-property-removed breaking params.commands[].hidden',
    ]);
  });

  it("a union's object variant: a field removed is that field, not the whole union changing type", () => {
    const phones = (props: string) => obj(`    phones:\n      required: true\n      oneOf:\n        - type: object\n          properties:\n            work: { type: string }\n${props}        - type: boolean\n`);
    const changes = compareApis(spec({ 'imbot.v2.Demo.run': { result: phones('            home: { type: string }\n') } }), spec({ 'imbot.v2.Demo.run': { result: phones('') } }));
    expect(changes.map(line)).toEqual(['method imbot.v2.Demo.run response-property-removed breaking result.phones(object).home']);
    // A variant that goes away is still the union's type changing.
    const other = compareApis(spec({ 'imbot.v2.Demo.run': { result: phones('') } }), spec({ 'imbot.v2.Demo.run': { result: obj('    phones:\n      required: true\n      oneOf:\n        - type: object\n          properties:\n            work: { type: string }\n        - type: string\n') } }));
    expect(other.map(line)).toEqual(['method imbot.v2.Demo.run response-property-type-changed breaking result.phones']);
  });

  it("a shared User losing a field is one entry under User, reaching every method and event that uses it (array items included)", () => {
    const base = loadSpecTexts(realSpec(), 'spec');
    const head = loadSpecTexts(realSpec({ 'common/entities.yaml': (doc) => doc.deleteIn(['types', 'User', 'properties', 'email']) }), 'spec');
    const changes = compareApis(base, head);
    expect(changes.map(line)).toEqual(['type User response-property-removed breaking email']);
    const users = usersOf(head, 'User');
    expect(users.length).toBeGreaterThan(15);
    expect(changes[0]!.reaches!.map((r) => r.name).sort()).toEqual(users);
    expect(changes[0]!.at!.file).toBe('spec/common/entities.yaml');
    // Bot.list reads it in array items: users[].
    expect(changes[0]!.reaches!.find((r) => r.name === 'imbot.v2.Bot.list')!.paths).toEqual(['result.users[].email']);
  });

  it("events' data: a field removed from a shared type only events carry is reported under the type, reaching those events", () => {
    const base = loadSpecTexts(realSpec({ 'common/events.yaml': (doc) => doc.setIn(['types', 'EventBot', 'properties', 'appId'], doc.createNode({ type: 'string' })) }), 'spec');
    const head = loadSpecTexts(realSpec(), 'spec');
    const changes = compareApis(base, head);
    expect(changes.map(line)).toEqual(['type EventBot response-property-removed breaking appId']);
    expect(changes[0]!.reaches!.every((r) => r.kind === 'event')).toBe(true);
    expect(changes[0]!.reaches!.map((r) => r.name).sort()).toEqual(usersOf(head, 'EventBot'));
  });

  it('a changed default is info, with the values (real: Chat.Message.getContext range 20 -> 50)', () => {
    const base = loadSpecTexts(realSpec({ 'imbot.v2/Chat.Message.getContext.yaml': (doc) => doc.setIn(['params', 'range', 'default'], 20) }), 'spec');
    const changes = compareApis(base, loadSpecTexts(realSpec(), 'spec'));
    expect(changes).toMatchObject([
      { rule: 'request-property-default-value-changed', level: 'info', kind: 'method', subject: 'imbot.v2.Chat.Message.getContext', path: 'params.range', base: '20', head: '50' },
    ]);
    expect(changes[0]!.message).toBe('the default of params.range is 50 instead of 20: calls leaving it out now get 50 from the portal');
  });

  it("a $ref param's own description is compared (not the type's), and the type's description once, under the type", () => {
    const token = (description: string) => `${P}  botToken: { $ref: BotToken, description: ${description} }\n`;
    const types = (description: string) => `  BotToken:\n    type: string\n    description: ${description}\n`;
    const own = compareApis(spec({ 'imbot.v2.Demo.run': { params: token('Old words.') } }, types('Token.')), spec({ 'imbot.v2.Demo.run': { params: token('New words.') } }, types('Token.')));
    expect(own.map((c) => `${line(c)} ${c.message}`)).toEqual(['method imbot.v2.Demo.run docs-changed info  docs text changed: params.botToken']);
    const methods = { 'imbot.v2.Demo.run': { params: token('Same.') }, 'imbot.v2.Demo.stop': { params: token('Same.') } };
    const shared = compareApis(spec(methods, types('Token.')), spec(methods, types('The token.')));
    expect(shared.map((c) => `${line(c)} ${c.message}`)).toEqual(['type BotToken docs-changed info  docs text changed: description']);
    expect(shared[0]!.reaches!.map((r) => r.name)).toEqual(['imbot.v2.Demo.run', 'imbot.v2.Demo.stop']);
  });

  it("a result's example (the docs' example) is documentation: info, whether added, changed or reordered", () => {
    const result = (example: string) => obj('    count: { type: integer, required: true }\n    name: { type: string }\n') + example;
    const run = (base: string, head: string) => compareApis(spec({ 'imbot.v2.Demo.run': { params: P, result: result(base) } }), spec({ 'imbot.v2.Demo.run': { params: P, result: result(head) } })).map((c) => `${line(c)} ${c.message}`);
    const info = ['method imbot.v2.Demo.run docs-changed info  docs text changed: result.example'];
    expect(run('', '  example: { count: 1 }\n')).toEqual(info);
    expect(run('  example: { count: 1 }\n', '  example: { count: 2 }\n')).toEqual(info);
    expect(run('  example: { count: 1, name: a }\n', '  example: { name: a, count: 1 }\n')).toEqual([]);
    // A result that became another kind is that change alone, not also a docs change.
    const kinds = compareApis(spec({ 'imbot.v2.Demo.run': { params: P, result: '  type: integer\n  example: 1\n' } }), spec({ 'imbot.v2.Demo.run': { params: P, result: result('  example: { count: 1 }\n') } }));
    expect(kinds.map((c) => c.rule)).toEqual(['response-body-type-changed']);
  });

  it("enum values' display names and descriptions are info, under the type that declares them", () => {
    const mode = (text: string, description: string) => `  Mode:\n    type: string\n    enum:\n      - { value: fetch, text: ${text}, description: ${description} }\n      - { value: webhook }\n`;
    const methods = { 'imbot.v2.Demo.run': { params: `${P}  mode: { $ref: Mode }\n` } };
    const changes = compareApis(spec(methods, mode('Fetch', 'Polls.')), spec(methods, mode('Fetch mode', 'Polls Event.get.')));
    expect(changes.map((c) => `${line(c)} ${c.message}`)).toEqual(['type Mode docs-changed info  docs text changed: =fetch description, =fetch text']);
  });
});

describe('grouped by cause', () => {
  it('a shared enum used in params and results: one entry at its worst level, each place with its own rule and level', () => {
    const mode = (values: string) => `  Mode:\n    type: string\n    enum: [${values}]\n`;
    const methods = {
      'imbot.v2.Demo.run': { params: `${P}  mode: { $ref: Mode }\n` },
      'imbot.v2.Demo.get': { result: obj('    result: { type: boolean, required: true }\n    mode: { $ref: Mode, required: true }\n') },
    };
    const changes = compareApis(spec(methods, mode('{ value: fetch }, { value: webhook }, { value: push }')), spec(methods, mode('{ value: fetch }, { value: webhook }')));
    // Both sides break (the value leaves the params and the results); the entry names one of them.
    expect(changes.map(line)).toEqual(['type Mode response-property-enum-value-removed breaking =push']);
    expect(changes[0]!.message).toMatch(/^Mode\.push no longer exists/);
    expect(changes[0]!.reaches).toEqual([
      { kind: 'method', name: 'imbot.v2.Demo.get', rule: 'response-property-enum-value-removed', level: 'breaking', paths: ['result.mode=push'] },
      { kind: 'method', name: 'imbot.v2.Demo.run', rule: 'request-property-enum-value-removed', level: 'breaking', paths: ['params.mode=push'] },
    ]);
  });

  it('a system error added in spec/common/errors.yaml is one entry under SystemErrors, reaching every method', () => {
    const head = loadSpecTexts(realSpec(), 'spec');
    const base = loadSpecTexts(
      realSpec({
        'common/errors.yaml': (doc) => {
          const list = doc.get('systemErrors') as { items: { get(k: string): unknown }[] };
          list.items.splice(list.items.findIndex((e) => e.get('code') === 'OPERATION_TIME_LIMIT'), 1);
        },
      }),
      'spec',
    );
    const changes = compareApis(base, head);
    expect(changes.map(line)).toEqual(['type SystemErrors response-error-code-added warning OPERATION_TIME_LIMIT']);
    expect(changes[0]!.message).toBe("error code OPERATION_TIME_LIMIT (429) was added as OperationTimeLimitError; exhaustive handling of every method's errors must cover it");
    expect(changes[0]!.at!.file).toBe('spec/common/errors.yaml');
    // Every method but those documenting the code themselves.
    expect(changes[0]!.reaches!.map((r) => r.name).sort()).toEqual(head.methods.filter((m) => !m.errors.some((e) => e.code === 'OPERATION_TIME_LIMIT')).map((m) => m.name).sort());
  });

  it("a change in a method's own file stays under the method; a type declared in the method's file is the method's", () => {
    const changes = compareApis(spec({ 'imbot.v2.Demo.run': { params: `${P}  mode: { $ref: Mode }\n`, types: '  Mode:\n    type: string\n    enum: [{ value: a }, { value: b }]\n' } }), spec({ 'imbot.v2.Demo.run': { params: `${P}  mode: { $ref: Mode }\n`, types: '  Mode:\n    type: string\n    enum: [{ value: a }]\n' } }));
    expect(changes.map(line)).toEqual(['method imbot.v2.Demo.run request-property-enum-value-removed breaking params.mode=b']);
  });

  it("nullable or a default written at a $ref member is the member's change, not the named type's", () => {
    const common = '  Background:\n    type: string\n    enum: [{ value: red }, { value: blue }]\n';
    const result = (extra: string) => obj(`    background: { $ref: Background, required: true${extra} }\n`);
    const params = (extra: string) => `${P}  background: { $ref: Background${extra} }\n`;
    const changes = compareApis(spec({ 'imbot.v2.Demo.run': { result: result(''), params: params('') } }, common), spec({ 'imbot.v2.Demo.run': { result: result(', nullable: true'), params: params(', default: red') } }, common));
    expect(changes.map((c) => `${line(c)}: ${c.message}`)).toEqual([
      'method imbot.v2.Demo.run response-property-became-nullable breaking result.background: result.background may now be null: under strict, code using it needs a null check',
      'method imbot.v2.Demo.run request-property-default-value-changed info params.background: the default of params.background is "red" instead of none: calls leaving it out now get "red" from the portal',
    ]);
  });

  it('a rename needs one removed and one added param of the same type in the same object; otherwise removal and addition', () => {
    const renamed = compareApis(spec({ 'imbot.v2.Demo.run': { params: `${P}  limit: { type: integer }\n` } }), spec({ 'imbot.v2.Demo.run': { params: `${P}  count: { type: integer }\n` } }));
    expect(renamed.map((c) => `${line(c)} ${c.base} -> ${c.head}`)).toEqual(['method imbot.v2.Demo.run request-property-renamed breaking params.count limit -> count']);
    const ambiguous = compareApis(spec({ 'imbot.v2.Demo.run': { params: `${P}  limit: { type: integer }\n  offset: { type: integer }\n` } }), spec({ 'imbot.v2.Demo.run': { params: `${P}  count: { type: integer }\n` } }));
    expect(ambiguous.map((c) => c.rule).sort()).toEqual(['new-optional-request-property', 'request-property-removed', 'request-property-removed']);
  });

  it('events are labelled as events: text heading, markdown, JSON key `event`, GitHub annotation', () => {
    const data = (props: string) => ({ result: obj(`    messageId: { type: integer, required: true }\n${props}`) });
    const report = diffSides({ label: 'a', api: spec({}, undefined, data('    chat: { type: string, required: true }\n')) }, { label: 'b', api: spec({}, undefined, data('')) });
    expect(formatText(report, false).split('\n')[2]).toBe('event ONIMBOTV2DEMO');
    expect(formatMarkdown(report)).toContain('**event** `ONIMBOTV2DEMO`');
    const json = JSON.parse(formatJson(report));
    expect(json.changes[0]).toMatchObject({ rule: 'response-property-removed', event: 'ONIMBOTV2DEMO', path: 'data.chat' });
    expect(json.changes[0]).not.toHaveProperty('method');
    expect(formatGithub(report).split('\n')[0]).toMatch(/::event ONIMBOTV2DEMO: data field chat was removed/);
  });
});

describe('messages say what stops compiling, in the words of the client', () => {
  it('an error code renamed so that its class leaves the package: "InvalidContentError is no longer exported"', () => {
    const oldCode = (doc: ReturnType<typeof parseDocument>) => {
      const errors = doc.get('errors') as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
      errors.items.find((e) => e.get('code') === 'FILE_INVALID_CONTENT')!.set('code', 'INVALID_CONTENT');
    };
    const base = loadSpecTexts(realSpec({ 'imbot.v2/File.upload.yaml': oldCode, 'im.v2/File.upload.yaml': oldCode }), 'spec');
    const changes = compareApis(base, loadSpecTexts(realSpec(), 'spec'));
    expect(changes.map(line)).toEqual(['method im.v2.File.upload response-error-code-renamed breaking errors.FILE_INVALID_CONTENT', 'method imbot.v2.File.upload response-error-code-renamed breaking errors.FILE_INVALID_CONTENT']);
    for (const c of changes) {
      expect(c.message).toBe('error code INVALID_CONTENT is now FILE_INVALID_CONTENT, thrown as FileInvalidContentError; InvalidContentError is no longer exported: imports and instanceof checks of it stop compiling');
    }
  });

  it('an error code removed from one method while another still has it: the class stays exported', () => {
    const errors = '  - { code: BOT_NOT_FOUND, status: 400, message: Bot not found }\n  - { code: BOT_LIMIT_EXCEEDED, status: 400, message: Bot limit exceeded }';
    const changes = compareApis(spec({ 'imbot.v2.Demo.run': { errors }, 'imbot.v2.Demo.stop': { errors } }), spec({ 'imbot.v2.Demo.run': {}, 'imbot.v2.Demo.stop': { errors } }));
    expect(changes.map((c) => c.message)).toEqual(['error code BOT_LIMIT_EXCEEDED was removed; BotLimitExceededError is still exported but imbot.v2.Demo.run no longer throws it']);
  });

  it('an enum value removed from a result: "ChatRole.guest no longer exists"; no message says catch blocks "go dead"', () => {
    const base = loadSpecTexts(realSpec(), 'spec');
    const head = loadSpecTexts(
      realSpec({
        'common/enums.yaml': (doc) => {
          const values = doc.getIn(['types', 'ChatRole', 'enum']) as { items: { get(k: string): unknown }[] };
          values.items.splice(values.items.findIndex((v) => v.get('value') === 'guest'), 1);
        },
      }),
      'spec',
    );
    const changes = compareApis(base, head);
    expect(changes.map(line)).toEqual(['type ChatRole response-property-enum-value-removed breaking =guest']);
    expect(changes[0]!.message).toMatch(/^ChatRole\.guest no longer exists: code naming it, comparing ChatRole with "guest" or a case for it stops compiling$/);
    expect(changes[0]!.reaches!.map((r) => r.name).sort()).toEqual(usersOf(head, 'ChatRole'));
  });

  it('the bump follows the worst level: a scope change (breaking at run time) asks for major, as does a breaking change whatever its rule', () => {
    const scope = diffSides({ label: 'a', api: spec({ 'imbot.v2.Demo.run': {} }) }, { label: 'b', api: spec({ 'imbot.v2.Demo.run': { scope: 'im' } }) });
    expect(scope.changes.map((c) => `${c.rule} ${c.level}`)).toEqual(['x-scope-changed breaking']);
    expect(scope.bump).toBe('major');
    const result = compareApis(spec({ 'imbot.v2.Demo.run': { result: obj('    mode: { $ref: Mode, required: true }\n'), types: '  Mode:\n    type: string\n    enum: [{ value: a }, { value: b }]\n' } }), spec({ 'imbot.v2.Demo.run': { result: obj('    mode: { $ref: Mode, required: true }\n'), types: '  Mode:\n    type: string\n    enum: [{ value: a }]\n' } }));
    // Whatever level the catalogue gives the rule, the bump is at least the level's.
    expect(bumpOf(result.map((c) => ({ ...c, level: 'breaking' as const })))).toBe('major');
    const docs = compareApis(spec({ 'imbot.v2.Demo.run': {} }), spec({ 'imbot.v2.Demo.run': { summary: 'Run it, differently.' } }));
    expect(docs.map((c) => `${c.rule} ${c.level}`)).toEqual(['docs-changed info']);
    expect(bumpOf(docs)).toBe('patch');
    expect(bumpOf(docs.map((c) => ({ ...c, level: 'warning' as const })))).toBe('minor');
  });
});

describe('GitHub annotations', () => {
  async function run(cwd: string, ...args: string[]) {
    let out = '';
    const before = process.cwd();
    process.chdir(cwd);
    try {
      const code = await main(args, { out: (t) => (out += t), err: () => {} });
      return { code, out };
    } finally {
      process.chdir(before);
    }
  }

  it('a removal read from a base folder outside the repository points at the path in the repository, not the temporary one', async () => {
    const base = join(temp, 'base-spec');
    for (const t of [...readSpecDir(resolve('spec')), { path: 'imbot.v2/Bot.archive.yaml', text: methodYaml({ name: 'imbot.v2.Bot.archive' }) }]) {
      mkdirSync(join(base, t.path, '..'), { recursive: true });
      writeFileSync(join(base, t.path), t.text);
    }
    const r = await run(process.cwd(), 'diff', base, 'spec', '--format', 'github', '--fail-on', 'none');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('::error file=spec/imbot.v2/Bot.archive.yaml,line=1,col=9,title=api-path-removed (breaking)::method imbot.v2.Bot.archive: imbot.v2.Bot.archive was removed: calls to it stop compiling');
    expect(r.out).not.toContain(temp);
  });

  it('a removal read from a git revision points at spec/... as git names it; identical annotations are written once', async () => {
    const repo = join(temp, 'repo');
    mkdirSync(join(repo, 'spec/imbot.v2'), { recursive: true });
    mkdirSync(join(repo, 'spec/common'), { recursive: true });
    writeFileSync(join(repo, 'spec/imbot.v2/Demo.run.yaml'), methodYaml({}));
    writeFileSync(join(repo, 'spec/imbot.v2/Demo.stop.yaml'), methodYaml({ name: 'imbot.v2.Demo.stop' }));
    const git = initRepo(repo, 'v1');
    git('rm', '--quiet', 'spec/imbot.v2/Demo.stop.yaml');
    git('commit', '--quiet', '-m', 'v2');
    const r = await run(repo, 'diff', '--base-ref', 'HEAD~1', '--format', 'github', '--fail-on', 'none');
    expect(r.out.split('\n')[0]).toBe('::error file=spec/imbot.v2/Demo.stop.yaml,line=1,col=9,title=api-path-removed (breaking)::method imbot.v2.Demo.stop: imbot.v2.Demo.stop was removed: calls to it stop compiling');

    const report = diffSides({ label: 'a', api: spec({ 'imbot.v2.Demo.run': {} }) }, { label: 'b', api: spec({ 'imbot.v2.Demo.run': { scope: 'im' } }) });
    report.changes.push({ ...report.changes[0]! });
    const annotations = formatGithub(report).trimEnd().split('\n');
    expect(annotations.filter((l) => l.startsWith('::error'))).toHaveLength(1);
  });
});

/**
 * The June 2026 changes (docs change-log, REST revisions 35-36), turned back on the real spec:
 * 16 methods answered `result: true` before `{result: true}`, Bot and the events' bot carried
 * `appId`, `botToken` had no length limit, and Command.update's flags were Y/N strings.
 */
function beforeJune2026(head: Api): SpecText[] {
  const booleanResults = head.methods.filter((m) => m.result.kind === 'object' && m.result.properties.length === 1 && m.result.properties[0]!.name === 'result').map((m) => m.name);
  expect(booleanResults).toHaveLength(16);
  const edits: Record<string, (doc: ReturnType<typeof parseDocument>) => void> = {
    'common/entities.yaml': (doc) => doc.setIn(['types', 'Bot', 'properties', 'appId'], doc.createNode({ type: 'string' })),
    'common/events.yaml': (doc) => doc.setIn(['types', 'EventBot', 'properties', 'appId'], doc.createNode({ type: 'string' })),
    'common/types.yaml': (doc) => doc.deleteIn(['types', 'BotToken', 'maxLength']),
    'imbot.v2/Command.update.yaml': (doc) => {
      for (const flag of ['common', 'hidden', 'extranetSupport']) {
        doc.setIn(['params', 'fields', 'properties', flag, 'type'], 'string');
        doc.setIn(['params', 'fields', 'properties', flag, 'pattern'], '^[YN]$');
      }
    },
  };
  for (const m of booleanResults) edits[`${m.split('.')[0]}.${m.split('.')[1]}/${m.split('.').slice(2).join('.')}.yaml`] = (doc) => doc.set('result', doc.createNode({ type: 'boolean' }));
  return realSpec(edits);
}

describe('the June 2026 changes, replayed on the real spec', () => {
  const head = loadSpecTexts(readSpecDir(resolve('spec')), 'spec');
  const base = loadSpecTexts(beforeJune2026(head), 'before');
  const report = diffSides({ label: 'before', api: base }, { label: 'spec', api: head }, '1.4.0');

  it('reads as about twenty grouped entries, not sixty lines', () => {
    const json = JSON.parse(formatJson(report));
    expect(json.changes).toHaveLength(22);
    expect(json.changes.map((c: Record<string, string>) => `${c.type ? `type ${c.type}` : `method ${c.method}`} ${c.rule} ${c.level} ${c.path}`)).toEqual([
      'type Bot response-property-removed breaking appId',
      'type BotToken request-property-range-narrowed breaking ',
      'type EventBot response-property-removed breaking appId',
      'method imbot.v2.Bot.unregister response-body-type-changed breaking result',
      'method imbot.v2.Chat.InputAction.notify response-body-type-changed breaking result',
      'method imbot.v2.Chat.Manager.add response-body-type-changed breaking result',
      'method imbot.v2.Chat.Manager.delete response-body-type-changed breaking result',
      'method imbot.v2.Chat.Message.Reaction.add response-body-type-changed breaking result',
      'method imbot.v2.Chat.Message.Reaction.delete response-body-type-changed breaking result',
      'method imbot.v2.Chat.Message.delete response-body-type-changed breaking result',
      'method imbot.v2.Chat.Message.update response-body-type-changed breaking result',
      'method imbot.v2.Chat.TextField.enabled response-body-type-changed breaking result',
      'method imbot.v2.Chat.User.add response-body-type-changed breaking result',
      'method imbot.v2.Chat.User.delete response-body-type-changed breaking result',
      'method imbot.v2.Chat.leave response-body-type-changed breaking result',
      'method imbot.v2.Chat.setOwner response-body-type-changed breaking result',
      'method imbot.v2.Chat.update response-body-type-changed breaking result',
      'method imbot.v2.Command.answer response-body-type-changed breaking result',
      'method imbot.v2.Command.unregister response-body-type-changed breaking result',
      'method imbot.v2.Command.update request-property-type-changed breaking params.fields.common',
      'method imbot.v2.Command.update request-property-type-changed breaking params.fields.extranetSupport',
      'method imbot.v2.Command.update request-property-type-changed breaking params.fields.hidden',
    ]);
    expect(json.summary).toEqual({ breaking: 22, warning: 0, info: 0 });
  });

  it('the BotToken limit is one entry under the type, listing every method it reaches', () => {
    const token = report.changes.filter((c) => c.subject === 'BotToken');
    expect(token).toHaveLength(1);
    expect(token[0]).toMatchObject({ kind: 'type', rule: 'request-property-range-narrowed', message: 'BotToken maxLength none -> 40: values the portal accepted before are now refused', at: { file: 'spec/common/types.yaml' } });
    expect(token[0]!.reaches!.map((r) => r.name).sort()).toEqual(usersOf(head, 'BotToken'));
    expect(token[0]!.reaches!.length).toBeGreaterThanOrEqual(33);
    // Bot.update has it twice: the call's token and the new one (fields.botToken).
    expect(token[0]!.reaches!.find((r) => r.name === 'imbot.v2.Bot.update')!.paths).toEqual(['params.botToken', 'params.fields.botToken']);
  });

  it('appId is reported under Bot, reaching Bot.list through its bots[] items', () => {
    const bot = report.changes.find((c) => c.subject === 'Bot')!;
    expect(bot.reaches!.find((r) => r.name === 'imbot.v2.Bot.list')!.paths).toEqual(['result.bots[].appId']);
    expect(bot.reaches!.map((r) => r.name).sort()).toEqual(usersOf(head, 'Bot'));
  });

  it('the PR comment is short: breaking first, one item per entry (snapshot)', async () => {
    const md = formatMarkdown(report);
    expect(md.split('\n')[1]).toBe('### Spec diff: 22 breaking, 0 warnings, 0 info: major bump \\(@b24gen/imbot-v2 1.4.0 -\\> 2.0.0\\)');
    expect(md.split('\n').length).toBeLessThan(50);
    // One item per shared type, one for the 16 results, then Command.update's own changes.
    expect(md.match(/^\*\*.*/gm)).toEqual(['**type** `Bot`', '**type** `BotToken`', '**type** `EventBot`', '**16 methods**', '**method** `imbot.v2.Command.update`']);
    await expect(md).toMatchFileSnapshot('./__snapshots__/diff/2026-june.md.snap');
  });
});
