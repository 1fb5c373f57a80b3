import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli.js';
import { loadAllowlist } from '../generator/docs/allowlist.js';
import { CHAT_BOTS_DIR, DocsRoot } from '../generator/docs/docs-root.js';
import { scanMarkdown } from '../generator/docs/markdown.js';
import { readMethodPage, type DocsField, type DocsMethodPage } from '../generator/docs/page.js';
import { docsShape, formatShape } from '../generator/docs/shape.js';
import { DOCS_DIFF_ALLOWLIST, readSpecDir, SpecError } from '../generator/load/index.js';

const FIXTURES = resolve('test/fixtures/docs');
const PAGES = join(FIXTURES, 'pages');
const SPEC = join(FIXTURES, 'spec');
const UPSTREAM = resolve('../shared/upstream-docs');

const temp = mkdtempSync(join(tmpdir(), 'b24gen-docs-diff-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const run = (...args: string[]) => runCommand('docs-diff', ...args);

/** A copy of the fixture spec with the given allowlist text, so each test owns its allowlist. */
function specWithAllowlist(name: string, allowlist: string): string {
  const dir = join(temp, name);
  cpSync(SPEC, dir, { recursive: true });
  writeFileSync(join(dir, DOCS_DIFF_ALLOWLIST), allowlist);
  return dir;
}

/** Every field of a page's tree, flattened: `path` -> field. */
function flatten(fields: DocsField[] | undefined): Map<string, DocsField> {
  const out = new Map<string, DocsField>();
  const walk = (f: DocsField) => {
    out.set(f.path, f);
    f.children.forEach(walk);
  };
  fields?.forEach(walk);
  return out;
}

function fixturePage(method: string): DocsMethodPage {
  const root = DocsRoot.open(PAGES);
  const ref = root.methodPages().find((r) => r.method === method);
  if (!ref) throw new Error(`fixture page for ${method} not found`);
  return readMethodPage(root, ref);
}

describe('YFM tables', () => {
  it('reads rows and multi-line cells, ignoring spaces after #| and ||', () => {
    const page = scanMarkdown('#|   \n||  **a***  \n[`integer`](x.md)  |  line one\n\nline two ||  \n|| **b** | `x | y` stays one cell ||\n|#\n');
    const [table] = page.blocks;
    expect(page.problems).toEqual([]);
    expect(table.kind).toBe('table');
    if (table.kind !== 'table') return;
    expect(table.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['**a***  \n[`integer`](x.md)', 'line one\n\nline two'],
      ['**b**', '`x | y` stays one cell'],
    ]);
    expect(table.rows.map((r) => r.line)).toEqual([2, 6]);
    expect(table.rows[0].cells[1].line).toBe(3);
  });

  it('keeps fenced code and nested tables inside a cell', () => {
    const text = ['#|', '|| **a** | before', '```js', 'x = a || b | c;', '```', 'after ||', '|| **b** | outer', '#|', '|| inner | cell ||', '|#', 'still b ||', '|#'].join('\n');
    const [table] = scanMarkdown(text).blocks;
    if (table.kind !== 'table') throw new Error('no table');
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0].cells[1].text).toBe('before\n```js\nx = a || b | c;\n```\nafter');
    expect(table.rows[1].cells[1].text).toContain('|| inner | cell ||');
    expect(table.rows[1].cells[1].text).toContain('still b');
  });

  it('reports a table that is never closed, with its line', () => {
    const page = scanMarkdown('# T\n\n#|\n|| **a** | b ||\n');
    expect(page.problems).toEqual([{ line: 3, message: 'table opened at line 3 is never closed with "|#"' }]);
  });

  it('skips headings and rows inside fenced code', () => {
    const page = scanMarkdown('# Title\n\n```bash\n# not a heading\n#|\n|| not | a row ||\n```\n\n## Real {#real}\n');
    expect(page.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Title', line: 1 },
      { kind: 'heading', level: 2, text: 'Real', anchor: 'real', line: 9 },
    ]);
  });
});

describe('docs types', () => {
  it.each([
    ['integer', 'integer'],
    ['double', 'number'],
    ['string | boolean', 'boolean|string'],
    ['string|null', 'string|null'],
    ['integer[]', 'integer[]'],
    ['User[]', 'object[]'],
    ['Bot', 'object'],
    ['array', 'array'],
    ['file', 'string'],
    ['datetime', 'string'],
    ['time', 'object'],
  ])('%s -> %s', (docs, shape) => {
    expect(formatShape(docsShape(docs)!)).toBe(shape);
  });

  it('does not guess unknown types', () => {
    expect(docsShape('callable')).toBeUndefined();
  });
});

describe('method pages', () => {
  it('finds the pages whose title names an imbot.v2 or im.v2 method, and only those', () => {
    const methods = DocsRoot.open(PAGES).methodPages().map((r) => r.method);
    expect(methods.sort()).toEqual([
      'im.v2.Demo.upload',
      'imbot.v2.Demo.addParam',
      'imbot.v2.Demo.changeType',
      'imbot.v2.Demo.dropError',
      'imbot.v2.Demo.notify',
      'imbot.v2.Demo.quirks',
      'imbot.v2.Demo.register',
    ]);
  });

  it('follows [below](#fields) links into nested tables, by dotted path', () => {
    const page = fixturePage('imbot.v2.Demo.register');
    expect(page.problems).toEqual([]);
    const params = flatten(page.params);
    expect([...params.keys()]).toEqual([
      'fields',
      'fields.code',
      'fields.type',
      'fields.properties',
      'fields.properties.name',
      'fields.properties.lastName',
      'fields.properties.color',
      'fields.properties.gender',
      'fields.properties.avatar',
    ]);
    expect(params.get('fields')).toMatchObject({ required: true, typeText: 'object', listing: 'complete' });
    expect(params.get('fields.properties.name')?.required).toBe(true);
    expect(params.get('fields.properties.lastName')?.required).toBe(false);
    // Allowed values: a list in the cell, a table on another page, an inline list.
    expect(params.get('fields.type')?.values).toEqual(['bot', 'supervisor']);
    expect(params.get('fields.properties.color')?.values).toEqual(['red', 'green']);
    expect(params.get('fields.properties.gender')?.values).toEqual(['M', 'F']);
    // A linked table whose first column is plain text is not a list of values.
    expect(fixturePage('imbot.v2.Demo.notify').params?.find((p) => p.name === 'dialogId')?.values).toBeUndefined();
  });

  it('reads returned data below `result`; an entities.md object summary is partial', () => {
    const page = fixturePage('imbot.v2.Demo.register');
    expect(page.result?.path).toBe('result');
    const bot = page.result?.children.find((c) => c.name === 'bot');
    expect(bot).toMatchObject({ entity: true, listing: 'partial' });
    expect(bot?.children.map((c) => c.path)).toEqual(['result.bot.id', 'result.bot.code', 'result.bot.language']);
    const items = flatten(fixturePage('imbot.v2.Demo.changeType').result?.children);
    expect([...items.keys()]).toEqual(['result.count', 'result.items', 'result.items[].id', 'result.items[].label']);
  });

  it('reads the page with formatting quirks', () => {
    const page = fixturePage('imbot.v2.Demo.quirks');
    expect(page.problems).toEqual([]);
    const params = flatten(page.params);
    expect([...params.keys()]).toEqual(['botId', 'botToken', 'mode', 'title', 'tags']);
    expect(params.get('botId')).toMatchObject({ required: true, typeText: 'integer' });
    expect(params.get('mode')?.values).toEqual(['fetch', 'webhook']);
    expect(params.get('title')?.typeText).toBe('string | null');
    expect(params.get('tags')?.typeText).toBe('string[]');
    expect(page.result?.children.map((c) => `${c.path}:${c.typeText}`)).toEqual(['result.updated:integer|null']);
    expect(page.errors?.map((e) => e.code)).toEqual(['BOT_NOT_FOUND']);
  });

  it('reads error codes with their messages', () => {
    expect(fixturePage('imbot.v2.Demo.notify').errors?.map((e) => [e.code, e.message])).toEqual([
      ['BOT_NOT_FOUND', 'Bot not found'],
      ['ACCESS_DENIED', 'Access denied'],
    ]);
  });
});

describe('b24gen docs-diff on the fixtures', () => {
  it('reports every difference, grouped by method, and exits 1', async () => {
    const r = await run('--docs', PAGES, '--spec', SPEC, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.differences.map((d: { method: string; kind: string; path: string }) => `${d.method} ${d.kind} ${d.path}`.trim())).toEqual([
      'im.v2.Demo.upload method-missing',
      'imbot.v2.Demo.addParam param-missing silent',
      'imbot.v2.Demo.changeType param-type duration',
      'imbot.v2.Demo.changeType param-required limit',
      'imbot.v2.Demo.changeType result-field-extra result.items[].extra',
      'imbot.v2.Demo.changeType result-field-type result.count',
      'imbot.v2.Demo.dropError docs-link',
      'imbot.v2.Demo.dropError error-code-extra BOT_OWNERSHIP_ERROR',
      'imbot.v2.Demo.orphan method-extra',
      'imbot.v2.Demo.register param-missing fields.properties.lastName',
      'imbot.v2.Demo.register param-extra fields.properties.nickname',
      'imbot.v2.Demo.register enum-missing fields.properties.gender',
      'imbot.v2.Demo.register enum-value-extra fields.type=personal',
      'imbot.v2.Demo.register error-message BOT_LIMIT_EXCEEDED',
      'systemErrors error-status QUERY_LIMIT_EXCEEDED',
    ]);
  });

  it('a page that adds a parameter: param-missing, located on both sides', async () => {
    const json = JSON.parse((await run('--docs', PAGES, '--spec', SPEC, '--json')).out);
    const d = json.differences.find((x: { kind: string }) => x.kind === 'param-missing');
    expect(d).toMatchObject({
      method: 'imbot.v2.Demo.addParam',
      path: 'silent',
      docs: 'boolean',
      docsAt: { file: 'api-reference/chat-bots/chat-bots-v2/imbot.v2/added-param.md', line: 14 },
      explained: false,
      reason: null,
    });
    expect(d.specAt.file).toMatch(/test\/fixtures\/docs\/spec\/imbot\.v2\/Demo\.addParam\.yaml$/);
  });

  it('a page that changes a type and one that drops an error code', async () => {
    const json = JSON.parse((await run('--docs', PAGES, '--spec', SPEC, '--json')).out);
    const find = (kind: string) => json.differences.find((x: { kind: string }) => x.kind === kind);
    expect(find('param-type')).toMatchObject({ path: 'duration', docs: 'string', spec: 'integer' });
    expect(find('result-field-type')).toMatchObject({ path: 'result.count', docs: 'integer', spec: 'string' });
    expect(find('error-code-extra')).toMatchObject({ method: 'imbot.v2.Demo.dropError', path: 'BOT_OWNERSHIP_ERROR', docsAt: null });
  });

  it('prints one line per difference with its kind, and a summary', async () => {
    const r = await run('--docs', PAGES, '--spec', SPEC);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines).toContain('  param-missing       silent: in the docs (boolean), not in the spec (docs :14, spec :9:3)');
    expect(lines.find((l) => l.startsWith('imbot.v2.Demo.register  (docs '))).toContain('nested.md, spec ');
    expect(r.out).toContain('  enum-value-extra    fields.type=personal: in the spec enum BotType, not allowed by the docs');
    expect(r.out).toContain('7 methods in the docs, 7 in the spec, 6 compared. 15 differences: 15 unexplained, 0 explained; 0 stale allowlist entries.');
    expect(r.out).toContain('Unexplained by kind: method-missing 1, method-extra 1, docs-link 1, param-missing 2,');
    // The exact pages compare clean.
    expect(r.out).not.toContain('imbot.v2.Demo.notify');
    expect(r.out).not.toContain('imbot.v2.Demo.quirks');
  });
});

describe('pages docs-diff cannot fully read', () => {
  it('reports docs-unreadable with the page line instead of guessing', async () => {
    const docs = join(temp, 'broken-docs');
    cpSync(PAGES, docs, { recursive: true });
    const dir = join(docs, 'api-reference/chat-bots/chat-bots-v2');
    writeFileSync(
      join(dir, 'im.v2/upload.md'),
      ['# Upload a File im.v2.Demo.upload', '', '## Method Parameters', '', '#|', '|| **Name**', '`Type` | **Description** ||', '|| **dialogId***', '[`callable`](x.md) | A type docs-diff does not know ||', '|| plain | A row without a bold name ||', '|#', ''].join('\n'),
    );
    writeFileSync(join(dir, 'imbot.v2/z-notify-copy.md'), '# Again imbot.v2.Demo.notify\n');
    const spec = join(temp, 'broken-spec');
    cpSync(SPEC, spec, { recursive: true });
    mkdirSync(join(spec, 'im.v2'), { recursive: true });
    writeFileSync(
      join(spec, 'im.v2/Demo.upload.yaml'),
      `method: im.v2.Demo.upload
summary: Upload.
docs: https://apidocs.bitrix24.com/api-reference/chat-bots/chat-bots-v2/im.v2/upload.html
scope: im
access: user
idempotent: false
params:
  dialogId: { type: string, required: true }
result: { type: boolean }
statuses: [200]
errors: []
`,
    );
    const json = JSON.parse((await run('--docs', docs, '--spec', spec, '--json')).out);
    const unreadable = json.differences.filter((d: { kind: string }) => d.kind === 'docs-unreadable').map((d: { method: string; path: string; message: string }) => `${d.method} ${d.path} ${d.message}`);
    expect(unreadable).toEqual([
      'im.v2.Demo.upload api-reference/chat-bots/chat-bots-v2/im.v2/upload.md:10 table row without a **name** in its first cell',
      'im.v2.Demo.upload api-reference/chat-bots/chat-bots-v2/im.v2/upload.md:8 dialogId: unknown docs type `callable`; teach docsShape (generator/docs/shape.ts) what it means',
      'imbot.v2.Demo.notify api-reference/chat-bots/chat-bots-v2/imbot.v2/z-notify-copy.md:1 a second page documents this method (the first is api-reference/chat-bots/chat-bots-v2/imbot.v2/notify.md); only the first is compared',
    ]);
    // The unknown type is not compared, the rest of the page is: no param-type for dialogId.
    expect(json.differences.filter((d: { method: string }) => d.method === 'im.v2.Demo.upload').map((d: { kind: string }) => d.kind)).toEqual(['docs-unreadable', 'docs-unreadable']);
  });
});

describe('event pages', () => {
  it('compares each ## EVENT section with the spec: missing and extra events, fields and types', async () => {
    const docs = join(temp, 'event-docs');
    cpSync(PAGES, docs, { recursive: true });
    const dir = join(docs, 'api-reference/chat-bots/chat-bots-v2/imbot.v2/events');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'events.md'),
      [
        '# Event Formats', '', '## ONIMBOTV2PING {#ping}', '', 'Pinged.', '', '#|', '|| **Field** | **Type** | **Description** ||',
        '|| **bot** | `object` | The bot ||', '|| **messageId** | `integer` | A message ||', '|| **language** | `string` | Language ||', '|#', '',
        '## ONIMBOTV2PONG {#pong}', '', '#|', '|| **Field** | **Type** | **Description** ||', '|| **bot** | `object` | The bot ||', '|#', '',
      ].join('\n'),
    );
    const spec = join(temp, 'event-spec');
    cpSync(SPEC, spec, { recursive: true });
    mkdirSync(join(spec, 'imbot.v2/events'), { recursive: true });
    const event = (name: string, props: string) =>
      `event: ${name}\nsummary: x\ndocs: https://apidocs.bitrix24.com/api-reference/chat-bots/chat-bots-v2/imbot.v2/events/events.html\ndata:\n  type: object\n  properties:\n${props}`;
    writeFileSync(join(spec, 'imbot.v2/events/ONIMBOTV2PING.yaml'), event('ONIMBOTV2PING', '    bot: { type: object, required: true }\n    messageId: { type: string, required: true }\n    chatId: { type: integer }\n'));
    writeFileSync(join(spec, 'imbot.v2/events/ONIMBOTV2GONE.yaml'), event('ONIMBOTV2GONE', '    bot: { type: object, required: true }\n'));
    const json = JSON.parse((await run('--docs', docs, '--spec', spec, '--json')).out);
    const events = json.differences.filter((d: { method: string }) => d.method.startsWith('ON')).map((d: { method: string; kind: string; path: string }) => `${d.method} ${d.kind} ${d.path}`.trim());
    expect(events).toEqual([
      'ONIMBOTV2GONE event-extra',
      'ONIMBOTV2PING event-field-missing data.language',
      'ONIMBOTV2PING event-field-extra data.chatId',
      'ONIMBOTV2PING event-field-type data.messageId',
      'ONIMBOTV2PONG event-missing',
    ]);
  });
});

describe('the allowlist', () => {
  const ALL = `allow:
  - { method: im.v2.Demo.upload, kind: method-missing, reason: Not modelled yet. }
  - { method: imbot.v2.Demo.addParam, kind: param-missing, path: silent, reason: Rejected by the portal in our tests. }
  - { method: imbot.v2.Demo.changeType, kind: param-type, path: duration, reason: The portal takes integers. }
  - { method: imbot.v2.Demo.changeType, kind: param-required, path: limit, reason: Has a default. }
  - { method: imbot.v2.Demo.changeType, kind: result-field-extra, path: 'result.items[].extra', reason: Seen in responses. }
  - { method: imbot.v2.Demo.changeType, kind: result-field-type, path: result.count, reason: Sent as a string. }
  - { method: imbot.v2.Demo.dropError, kind: docs-link, reason: Fixture. }
  - { method: imbot.v2.Demo.dropError, kind: error-code-extra, path: BOT_OWNERSHIP_ERROR, reason: Still returned. }
  - { method: imbot.v2.Demo.orphan, kind: method-extra, reason: Undocumented but real. }
  - { method: imbot.v2.Demo.register, kind: param-missing, path: fields.properties.lastName, reason: Ignored by the portal. }
  - { method: imbot.v2.Demo.register, kind: param-extra, path: fields.properties.nickname, reason: Accepted by the portal. }
  - { method: imbot.v2.Demo.register, kind: enum-missing, path: fields.properties.gender, reason: Kept open. }
  - { method: imbot.v2.Demo.register, kind: enum-value-extra, path: fields.type=personal, reason: Listed on index.md. }
  - { method: imbot.v2.Demo.register, kind: error-message, path: BOT_LIMIT_EXCEEDED, reason: The portal's text. }
  - { method: systemErrors, kind: error-status, path: QUERY_LIMIT_EXCEEDED, reason: Fixture. }
`;

  it('explains listed differences; exit 0 when all are explained', async () => {
    const spec = specWithAllowlist('all-explained', ALL);
    const r = await run('--docs', PAGES, '--spec', spec);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('silent: in the docs (boolean), not in the spec (docs :14, spec :9:3) [explained: Rejected by the portal in our tests.]');
    expect(r.out).toContain('15 differences: 0 unexplained, 15 explained; 0 stale allowlist entries.');
  });

  it('reports stale entries and fails, so the list stays honest', async () => {
    const spec = specWithAllowlist('stale', `${ALL}  - { method: imbot.v2.Demo.notify, kind: param-type, path: duration, reason: Was wrong once. }\n`);
    const r = await run('--docs', PAGES, '--spec', spec, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.summary).toMatchObject({ unexplained: 0, explained: 15, stale: 1 });
    expect(json.stale).toEqual([
      { method: 'imbot.v2.Demo.notify', kind: 'param-type', path: 'duration', reason: 'Was wrong once.', at: { file: expect.stringMatching(/docs-diff-allow\.yaml$/), line: 17, col: 5 } },
    ]);
    const text = await run('--docs', PAGES, '--spec', spec);
    expect(text.out).toMatch(/Stale entries in .*docs-diff-allow\.yaml \(they match no difference; remove or correct them\):\n  .*docs-diff-allow\.yaml:17:5: imbot\.v2\.Demo\.notify param-type duration\n/);
  });

  it('partly explained: only the unexplained differences fail the run', async () => {
    const spec = specWithAllowlist('partial', 'allow:\n  - { method: imbot.v2.Demo.addParam, kind: param-missing, path: silent, reason: Known. }\n');
    const json = JSON.parse((await run('--docs', PAGES, '--spec', spec, '--json')).out);
    expect(json.summary).toMatchObject({ differences: 15, unexplained: 14, explained: 1, stale: 0 });
    expect(json.differences.find((d: { path: string }) => d.path === 'silent')).toMatchObject({ explained: true, reason: 'Known.' });
  });

  it('rejects bad entries with file:line:col and says how to fix them', async () => {
    const spec = specWithAllowlist(
      'bad',
      `allow:
  - method: imbot.v2.Demo.addParam
    kind: param-mising
    path: silent
    reason: typo in kind
  - method: imbot.v2.Demo.addParam
    kind: param-missing
    path: silent
  - method: imbot.v2.Demo.orphan
    kind: method-extra
    path: somewhere
    reason: path on a method-level kind
  - method: imbot.v2.Demo.changeType
    kind: param-type
    reson: misspelt key
  - { method: imbot.v2.Demo.register, kind: enum-missing, path: fields.properties.gender, reason: one }
  - { method: imbot.v2.Demo.register, kind: enum-missing, path: fields.properties.gender, reason: two }
`,
    );
    const r = await run('--docs', PAGES, '--spec', spec);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const file = `${spec}/docs-diff-allow.yaml`;
    expect(r.err).toContain(`${file}:3:11: allow[0].kind: "param-mising" is not a difference kind; did you mean "param-missing"?`);
    expect(r.err).toContain(`${file}:6:5: allow[1].reason: required: say why the spec departs from the docs`);
    expect(r.err).toContain(`${file}:11:11: allow[2].path: method-extra is about the whole method; leave path out`);
    expect(r.err).toContain(`${file}:15:5: allow[3].reson: unknown key; did you mean "reason"?`);
    expect(r.err).toContain(`allow[3].path: required: the parameter or result path`);
    expect(r.err).toContain(`${file}:17:5: duplicate entry: ${file}:16:5 already allows enum-missing fields.properties.gender in imbot.v2.Demo.register`);
  });

  it('rejects a file that is not `allow:` with a list', () => {
    const dir = join(temp, 'shape');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), '- method: x\n');
    expect(() => loadAllowlist(join(dir, 'a.yaml'), 'a.yaml')).toThrow(SpecError);
    expect(() => loadAllowlist(join(dir, 'a.yaml'), 'a.yaml')).toThrow('a.yaml:1:1: expected a map with the key `allow:`');
    writeFileSync(join(dir, 'b.yaml'), '# nothing allowed yet\n');
    expect(loadAllowlist(join(dir, 'b.yaml'), 'b.yaml')).toEqual([]);
  });

  it("the project's spec/docs-diff-allow.yaml is valid, and the spec loader does not read it as a spec file", () => {
    expect(() => loadAllowlist(resolve('spec', DOCS_DIFF_ALLOWLIST), `spec/${DOCS_DIFF_ALLOWLIST}`)).not.toThrow();
    expect(readSpecDir(resolve('spec')).map((t) => t.path)).not.toContain(DOCS_DIFF_ALLOWLIST);
  });
});

describe('usage and unreadable docs folders (exit 2)', () => {
  it('requires --docs', async () => {
    const r = await run('--spec', SPEC);
    expect(r.code).toBe(2);
    expect(r.err).toContain('b24gen docs-diff: --docs DIR is required (the docs root, such as ../shared/upstream-docs)');
    expect(r.err).toContain('Usage: b24gen docs-diff --docs DIR');
  });

  it('names a docs folder that does not exist', async () => {
    const r = await run('--docs', join(temp, 'nope'), '--spec', SPEC);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`b24gen docs-diff: cannot read the docs folder ${join(temp, 'nope')} (does it exist?)\n`);
  });

  it('explains a folder that is not a docs root', async () => {
    const r = await run('--docs', FIXTURES, '--spec', SPEC);
    expect(r.code).toBe(2);
    expect(r.err).toContain('has no api-reference/chat-bots/chat-bots-v2/ folder; pass the docs root (the folder that holds api-reference/)');
  });

  it('is wired into the b24gen executable', () => {
    const r = spawnSync(process.execPath, [resolve('generator/bin/b24gen.mjs'), 'docs-diff', '--docs', join(temp, 'nope')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read the docs folder');
  });
});

describe('the official docs in ../shared/upstream-docs', () => {
  it('the project spec has no unexplained difference and no stale allowlist entry (the CI gate)', async () => {
    if (!existsSync(UPSTREAM)) {
      console.log(`docs-diff: ${UPSTREAM} is absent, so the spec was not compared with the official docs.`);
      return;
    }
    const r = await run('--docs', UPSTREAM, '--spec', 'spec', '--json');
    const report = JSON.parse(r.out);
    const unexplained = report.differences.filter((d: { explained: boolean }) => !d.explained);
    expect(unexplained).toEqual([]);
    expect(report.stale).toEqual([]);
    expect(report.summary).toMatchObject({ unexplained: 0, stale: 0 });
    expect(report.methods.compared.filter((m: string) => m.startsWith('ON'))).toHaveLength(13);
    expect(report.methods.compared).toHaveLength(39 + 13);
    // Every ```json block on the chat-bot pages is an example (counted here from the files
    // themselves), and no example is left unexplained or explained by a stale entry.
    const pages = readdirSync(join(UPSTREAM, CHAT_BOTS_DIR), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    const jsonBlocks = pages.reduce((n, f) => n + (readFileSync(join(UPSTREAM, CHAT_BOTS_DIR, f), 'utf8').match(/^[ \t]*```json[ \t]*$/gm)?.length ?? 0), 0);
    expect(report.examples.summary.byForm.json).toBe(jsonBlocks);
    expect(report.examples.summary.byForm).toMatchObject({ curl: expect.any(Number), js: expect.any(Number), php: expect.any(Number) });
    const openExamples = report.examples.items
      .filter((i: { status: string; explained: boolean }) => i.status !== 'conforming' && !i.explained)
      .map((i: { file: string; line: number; id: string; status: string; problems: { message: string }[] }) => `${i.file}:${i.line} ${i.id} ${i.status}: ${i.problems[0]?.message}`);
    expect(openExamples).toEqual([]);
    expect(report.examples.stale).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('compares the event names of an Event.get item (eventOf) with the page\'s Event Types table', async () => {
    if (!existsSync(UPSTREAM)) {
      console.log(`docs-diff: ${UPSTREAM} is absent, so the Event.get event names were not compared.`);
      return;
    }
    type Diff = { method: string; kind: string; path: string; explained: boolean };
    const namesOf = (report: { differences: Diff[] }, method: string) =>
      report.differences.filter((d) => d.method === method && d.path.startsWith('result.events[].type')).map((d) => `${d.kind} ${d.path}${d.explained ? ' (explained)' : ''}`);
    const real = JSON.parse((await run('--docs', UPSTREAM, '--spec', 'spec', '--json')).out);
    // imbot.v2's table lists the bot events; the user events come with withUserEvents (explained).
    expect(namesOf(real, 'imbot.v2.Event.get')).toEqual(
      ['ONIMV2JOINCHAT', 'ONIMV2MESSAGEADD', 'ONIMV2MESSAGEDELETE', 'ONIMV2MESSAGEUPDATE', 'ONIMV2REACTIONCHANGE'].map((e) => `enum-value-extra result.events[].type=${e} (explained)`),
    );
    expect(namesOf(real, 'im.v2.Event.get')).toEqual([]);
    // An event the table names but the spec lacks is reported against the method too.
    const spec = join(temp, 'spec-without-joinchat');
    cpSync(resolve('spec'), spec, { recursive: true });
    rmSync(join(spec, 'im.v2/events/ONIMV2JOINCHAT.yaml'));
    const cut = JSON.parse((await run('--docs', UPSTREAM, '--spec', spec, '--json')).out);
    expect(namesOf(cut, 'im.v2.Event.get')).toEqual(['enum-value-missing result.events[].type=ONIMV2JOINCHAT']);
  });

  it('finds all 39 methods (34 imbot.v2 + 5 im.v2) with their parameters', () => {
    if (!existsSync(UPSTREAM)) {
      console.log(`docs-diff: ${UPSTREAM} is absent, so the check against the official docs did not run.`);
      return;
    }
    const root = DocsRoot.open(UPSTREAM);
    const refs = root.methodPages();
    expect(refs).toHaveLength(39);
    expect(refs.filter((r) => r.method.startsWith('imbot.v2.'))).toHaveLength(34);
    expect(refs.filter((r) => r.method.startsWith('im.v2.'))).toHaveLength(5);
    expect(new Set(refs.map((r) => r.method)).size).toBe(39);

    const pages = new Map(refs.map((ref) => [ref.method, readMethodPage(root, ref)]));
    const withoutParams = ['im.v2.Event.subscribe', 'im.v2.Event.unsubscribe', 'imbot.v2.Revision.get'];
    for (const [method, page] of pages) {
      expect(page.problems, method).toEqual([]);
      expect(page.params, method).toBeDefined();
      expect(page.result, method).toBeDefined();
      if (withoutParams.includes(method)) expect(page.params, method).toEqual([]);
      else expect(page.params!.length, method).toBeGreaterThan(0);
    }

    const params = (method: string) => [...flatten(pages.get(method)!.params).values()].map((f) => `${f.path}${f.required ? '*' : ''}:${f.typeText}`);
    expect(params('imbot.v2.Chat.InputAction.notify')).toEqual(['botId*:integer', 'botToken:string', 'dialogId*:string', 'statusMessageCode:string', 'duration:integer']);
    expect(params('imbot.v2.Bot.register')).toEqual([
      'fields*:object',
      'fields.code*:string',
      'fields.botToken:string',
      'fields.properties*:object',
      'fields.properties.name*:string',
      'fields.properties.lastName:string',
      'fields.properties.workPosition:string',
      'fields.properties.color:string',
      'fields.properties.gender:string',
      'fields.properties.avatar:file',
      'fields.type:string',
      'fields.eventMode:string',
      'fields.webhookUrl:string',
      'fields.isHidden:boolean',
      'fields.isReactionsEnabled:boolean',
      'fields.isSupportOpenline:boolean',
      'fields.backgroundId:string',
    ]);
    expect(params('im.v2.File.upload')).toEqual(['dialogId*:string', 'fields*:object', 'fields.name*:string', 'fields.content*:string', 'fields.message:string']);

    const register = flatten(pages.get('imbot.v2.Bot.register')!.params);
    expect(register.get('fields.type')?.values).toEqual(['bot', 'supervisor', 'personal', 'openline']);
    expect(register.get('fields.eventMode')?.values).toEqual(['fetch', 'webhook']);
    expect(register.get('fields.backgroundId')?.values).toHaveLength(9);
    expect(register.get('fields.properties.color')?.values).toHaveLength(16);
    expect(flatten(pages.get('imbot.v2.Chat.InputAction.notify')!.params).get('statusMessageCode')?.values).toHaveLength(11);
    expect(pages.get('imbot.v2.Chat.InputAction.notify')!.errors?.map((e) => e.code)).toEqual(['BOT_TOKEN_NOT_SPECIFIED', 'BOT_ID_REQUIRED', 'BOT_NOT_FOUND', 'BOT_OWNERSHIP_ERROR', 'ACCESS_DENIED']);
    expect(pages.get('im.v2.Event.get')!.result?.children.map((c) => c.path)).toEqual(['result.events', 'result.nextOffset', 'result.hasMore']);
  });
});
