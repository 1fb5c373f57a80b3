import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli.js';
import { loadAllowFile } from '../generator/docs/allowlist.js';
import { exitCodeOf, reportJson, reportText, runDocsDiff } from '../generator/docs/index.js';
import { attribute, type Place } from '../generator/docs/examples/attribute.js';
import { codeBlocks } from '../generator/docs/examples/code-blocks.js';
import { readCurlCalls } from '../generator/docs/examples/curl.js';
import { pageExamples, type DocsExample } from '../generator/docs/examples/extract.js';
import { readJsBareLiteral, readJsCalls, readJson } from '../generator/docs/examples/js-literal.js';
import { lineAt, toTypeScript, toValue, UnreadableLiteral, type Literal } from '../generator/docs/examples/literal.js';
import { readPhpBareLiteral, readPhpCalls } from '../generator/docs/examples/php-array.js';
import { DOCS_DIFF_ALLOWLIST, loadSpec, SpecError } from '../generator/load/index.js';

const FIXTURES = resolve('test/fixtures/docs');
const PAGES = join(FIXTURES, 'pages');
const SPEC = join(FIXTURES, 'spec');
const CHAT_BOTS = 'api-reference/chat-bots/chat-bots-v2';

const temp = mkdtempSync(join(tmpdir(), 'b24gen-docs-examples-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const run = (...args: string[]) => runCommand('docs-diff', ...args);

/** One docs-diff run (one tsc run for the examples), both reports and the exit code. */
async function diff(docsDir: string, specDir: string) {
  const result = await runDocsDiff({ docsDir, specDir });
  return { code: exitCodeOf(result), json: JSON.parse(reportJson(result)), text: reportText(result) };
}

/** What a reader's exception says, with its line. */
function unreadable(fn: () => unknown): { line: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof UnreadableLiteral) return { line: err.line, message: err.message };
    throw err;
  }
  throw new Error('expected the example to be unreadable');
}

describe('```json blocks', () => {
  it('reads JSON with the page line of every value', () => {
    const lit = readJson('{\n  "botId": 456,\n  "fields": {\n    "message": "Hi",\n    "urgent": true\n  },\n  "ids": [1, -2.5, null]\n}', 10);
    expect(toValue(lit)).toEqual({ botId: 456, fields: { message: 'Hi', urgent: true }, ids: [1, -2.5, null] });
    expect(lineAt(lit, '/botId')).toBe(11);
    expect(lineAt(lit, '/fields/urgent')).toBe(14);
    expect(lineAt(lit, '/ids/2')).toBe(16);
    // A path that goes past the value stops at the deepest value that exists.
    expect(lineAt(lit, '/fields/missing/deeper')).toBe(12);
  });

  it('refuses comments, trailing commas and fragments, naming the line', () => {
    expect(unreadable(() => readJson('{\n  "a": 1, // the bot\n  "b": 2\n}', 5))).toMatchObject({ line: 6, message: expect.stringContaining('not JSON') });
    expect(unreadable(() => readJson('{\n  "a": 1,\n}', 5)).line).toBe(7);
    expect(unreadable(() => readJson('"BLOCKS": [\n  {"MESSAGE": "x"}\n]', 27)).line).toBe(27);
  });

  it('keeps a key named __proto__ as data', () => {
    const value = toValue(readJson('{"__proto__": {"x": 1}}', 1)) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});

describe('curl commands', () => {
  it('takes the method from the URL and the params from a multi-line single-quoted body', () => {
    const code = [
      "curl -X POST 'https://example.bitrix24.com/rest/1/token/imbot.v2.Event.get' \\",
      "  -H 'Content-Type: application/json' \\",
      "  -d '{",
      '    "botId": 456,',
      '    "limit": 50',
      "  }'",
    ].join('\n');
    const [call] = readCurlCalls(code, 41);
    expect(call).toMatchObject({ method: 'imbot.v2.Event.get', line: 41 });
    expect(toValue(call!.params!)).toEqual({ botId: 456, limit: 50 });
    expect(lineAt(call!.params!, '/limit')).toBe(45);
  });

  it("undoes shell quoting ('\\'' inside single quotes, escapes inside double quotes) and reads --data-raw=", () => {
    const [a] = readCurlCalls(`curl -d '{"text":"it'\\''s"}' https://x/rest/imbot.v2.Chat.Message.send`, 1);
    expect(toValue(a!.params!)).toEqual({ text: "it's" });
    const [b] = readCurlCalls('curl --data-raw="{\\"n\\":1}" https://x/rest/imbot.v2.Revision.get', 1);
    expect(toValue(b!.params!)).toEqual({ n: 1 });
  });

  it('a call without a body passes no params; a body with a shell substitution or not JSON is unreadable', () => {
    expect(readCurlCalls('curl -X POST \\\n  https://x/rest/im.v2.Event.subscribe', 30)).toEqual([{ method: 'im.v2.Event.subscribe', line: 30, params: { kind: 'object', line: 30, entries: [] } }]);
    const [sub] = readCurlCalls('curl -d "{\\"botId\\": $BOT}" https://x/rest/imbot.v2.Bot.get', 3);
    expect(sub!.unreadable?.message).toContain('shell substitution');
    const [bad] = readCurlCalls("curl -d '{\n  \"botId\": 1,\n}' https://x/rest/imbot.v2.Bot.get", 3);
    expect(bad!.unreadable).toMatchObject({ line: 5 });
    // Not a REST call (no /rest/ path): no example, although the file name looks like a method.
    expect(readCurlCalls('curl https://example.com/downloads/file.zip -o file.zip', 1)).toEqual([]);
  });
});

describe('JS code tabs', () => {
  it('reads $b24.callMethod and BX24.callMethod params as literals, with lines', () => {
    const code = [
      'try {',
      "  const response = await $b24.callMethod('imbot.v2.Chat.Message.send', {",
      '    botId: 456,',
      "    'dialogId': `chat5`,",
      '    fields: { message: "Hi", keyboard: [{ TEXT: "Go", LINK: "https://x" }], count: -3 },',
      '  });',
      '} catch (e) {}',
      "BX24.callMethod('imbot.v2.Revision.get', {}, function (result) { console.log(result); });",
      "$b24.callMethod('imbot.v2.Bot.list');",
    ].join('\n');
    const { calls, syntaxError } = readJsCalls(code, 80);
    expect(syntaxError).toBeUndefined();
    expect(calls.map((c) => c.method)).toEqual(['imbot.v2.Chat.Message.send', 'imbot.v2.Revision.get', 'imbot.v2.Bot.list']);
    expect(toValue(calls[0]!.params!)).toEqual({ botId: 456, dialogId: 'chat5', fields: { message: 'Hi', keyboard: [{ TEXT: 'Go', LINK: 'https://x' }], count: -3 } });
    expect(lineAt(calls[0]!.params!, '/fields/keyboard/0/LINK')).toBe(84);
    expect(toValue(calls[2]!.params!)).toEqual({});
  });

  it('reads fetch(url, { body: JSON.stringify({...}) })', () => {
    const { calls } = readJsCalls("await fetch('https://x.bitrix24.com/rest/1/s/imbot.v2.Bot.get', {\n  method: 'POST',\n  body: JSON.stringify({ botId: 1 }),\n});", 1);
    expect(calls).toHaveLength(1);
    expect(toValue(calls[0]!.params!)).toEqual({ botId: 1 });
  });

  it('a value that is not a literal (a call, a variable, a spread, a template with ${}) makes the params unreadable at its line', () => {
    const code = "BX24.callMethod('im.v2.File.upload', {\n  dialogId: 'chat5',\n  fields: { content: btoa('...') },\n});";
    expect(readJsCalls(code, 130).calls[0]).toMatchObject({ method: 'im.v2.File.upload', unreadable: { line: 132, message: "the call `btoa('...')` is not a literal" } });
    expect(readJsCalls("$b24.callMethod('m.a', { botId })", 1).calls[0]!.unreadable?.message).toBe('the shorthand entry `botId` is not a plain `key: value` entry');
    expect(readJsCalls("$b24.callMethod('m.a', { ...base })", 1).calls[0]!.unreadable?.message).toContain('the spread');
    expect(readJsCalls("$b24.callMethod('m.a', { id: `${x}` })", 1).calls[0]!.unreadable?.message).toContain('the template');
    expect(readJsCalls("$b24.callMethod('m.a', { id: dialogId })", 1).calls[0]!.unreadable?.message).toBe('the identifier `dialogId` is not a literal');
  });

  it('a block that does not parse reports its first syntax error, with the line', () => {
    const { syntaxError, calls } = readJsCalls("$b24.callMethod('m.a', {\n  botId: 1,\n  dialogId: 'x'\n", 10);
    expect(calls).toHaveLength(1);
    expect(syntaxError?.line).toBeGreaterThanOrEqual(12);
  });

  it('a block that is one object literal is a bare literal; anything else is not', () => {
    const lit = readJsBareLiteral('{\n    DELIMITER: {\n        SIZE: 200,\n        COLOR: "#c6c6c6"\n    }\n}', 33);
    expect(toValue(lit!)).toEqual({ DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } });
    expect(lineAt(lit!, '/DELIMITER/SIZE')).toBe(35);
    expect(readJsBareLiteral('ATTACH: {\n  ID: 1,\n  BLOCKS: [{...}]\n}', 1)).toBeUndefined();
    expect(readJsBareLiteral("import { M } from 'x';\nM.open('1', {});", 1)).toBeUndefined();
  });
});

describe('PHP code tabs', () => {
  it('reads ->call and CRest::call params: keyed arrays are objects, lists arrays, array() too', () => {
    const code = [
      '$response = $b24Service',
      '    ->core',
      '    ->call(',
      "        'imbot.v2.Chat.Message.send',",
      '        [',
      "            'botId' => 456, // the bot",
      "            \"dialogId\" => \"chat5\\n\", # tab",
      "            'fields' => array('message' => 'It\\'s', 'ids' => [1, -2, 0x1F], 'on' => TRUE, 'off' => false, 'none' => null),",
      '            /* done */',
      '        ]',
      '    );',
      "$r = CRest::call('im.v2.Event.subscribe', []);",
      "$s = CRest::call('imbot.v2.Revision.get');",
    ].join('\n');
    const calls = readPhpCalls(code, 100);
    expect(calls.map((c) => c.method)).toEqual(['imbot.v2.Chat.Message.send', 'im.v2.Event.subscribe', 'imbot.v2.Revision.get']);
    expect(toValue(calls[0]!.params!)).toEqual({ botId: 456, dialogId: 'chat5\n', fields: { message: "It's", ids: [1, -2, 31], on: true, off: false, none: null } });
    expect(lineAt(calls[0]!.params!, '/fields/ids')).toBe(107);
    // Params `[]` are no params: the call sends nothing, not a list.
    expect(toValue(calls[1]!.params!)).toEqual({});
    expect(toValue(calls[2]!.params!)).toEqual({});
  });

  it('a variable, a concatenation, a function call or an interpolating string is not a literal', () => {
    const at = (code: string) => readPhpCalls(code, 1)[0]!.unreadable;
    expect(at("CRest::call('m.a', [\n  'botId' => $botId,\n]);")).toMatchObject({ line: 2, message: 'the variable `$botId` is not a literal' });
    expect(at("CRest::call('m.a', ['text' => 'Got: ' . $text]);")?.message).toBe('an expression with `.` is not a literal');
    expect(at("CRest::call('m.a', ['content' => base64_encode(file_get_contents('x'))]);")?.message).toBe('the call `base64_encode(...)` is not a literal');
    expect(at("CRest::call('m.a', ['message' => \"Opening task #{$taskId}\"]);")?.message).toContain('interpolating string');
    // Escaped, a dollar sign is text.
    expect(toValue(readPhpCalls("CRest::call('m.a', ['price' => \"\\$5\"]);", 1)[0]!.params!)).toEqual({ price: '$5' });
  });

  it('a `}` closing a `[` (a mistake on a real page) is reported with its line; so is code that ends inside the params', () => {
    const code = "CRest::call('m.a', [\n  'BLOCKS' => [\n    [\n      'MESSAGE' => 'x'\n    }\n  ]\n]);";
    expect(readPhpCalls(code, 168)[0]!.unreadable).toMatchObject({ line: 172, message: 'expected `,` or `]` in the array opened at line 170, found `}`' });
    expect(readPhpCalls("CRest::call('m.a', [\n  'a' => 1,\n", 1)[0]!.unreadable?.message).toBe('the array opened at line 1 is never closed with `]`');
    expect(readPhpCalls("CRest::call('m.a', ['a' => 1, 2]);", 1)[0]!.unreadable?.message).toContain('mixes');
  });

  it('a block that is one array literal is a bare literal', () => {
    expect(toValue(readPhpBareLiteral("[\n    'MESSAGE' => 'x'\n];", 56)!)).toEqual({ MESSAGE: 'x' });
    expect(readPhpBareLiteral("'ATTACH' => [\n  [...],\n]", 1)).toBeUndefined();
  });
});

describe('literals as TypeScript', () => {
  it('prints one value per line, strings through escape.ts, and maps each line to the page', () => {
    const lit: Literal = readJson('{\n  "a": "*/ `${x}` \\u2028",\n  "b": [1, {"c": null}]\n}', 3);
    const ts = toTypeScript(lit);
    expect(ts.text).toBe('{\n  "a": "*\\/ `${x}` \\u2028",\n  "b": [\n    1,\n    {\n      "c": null,\n    },\n  ],\n}');
    expect(ts.lines).toEqual([3, 4, 5, 5, 5, 5, 5, 5, 3]);
  });
});

describe('code blocks: sections, tabs, ids', () => {
  const page = [
    '# Send imbot.v2.Demo.notify', // 1
    '',
    '## Code Examples {#examples}',
    '',
    '{% list tabs %}',
    '',
    '- cURL (Webhook)',
    '',
    '    ```bash',
    "    curl -d '{\"botId\":1,\"dialogId\":\"chat5\"}' https://x/rest/1/s/imbot.v2.Demo.notify", // 10
    '    ```',
    '',
    '- JS',
    '',
    '    ```js',
    "    $b24.callMethod('imbot.v2.Demo.notify', { botId: 1, dialogId: 'chat5' });",
    '    ```',
    '',
    '- Go',
    '', // 20
    '    ```go',
    '    client.Call("imbot.v2.Demo.notify")',
    '    ```',
    '',
    '{% endlist %}',
    '',
    '## Response Handling',
    '',
    '```json',
    '{"result": {"result": true}, "time": {}}', // 30
    '```',
    '',
    '{% include [Errors](../_includes/errors.md) %}',
    '',
    '```json',
    '{"a": 1',
  ].join('\n');
  const include = () => ({ file: '_includes/errors.md', text: '```json\n{"error": "BOT_NOT_FOUND", "error_description": "Bot not found"}\n```\n' });

  it('finds each block with its headings, tab and first line; follows includes; notes an unterminated block', () => {
    const blocks = codeBlocks(page, 'p.md', include);
    expect(blocks.map((b) => [b.lang, b.file, b.line, b.tab ?? null, b.headings.at(-1)?.text, b.unterminated ?? false])).toEqual([
      ['bash', 'p.md', 10, 'cURL (Webhook)', 'Code Examples', false],
      ['js', 'p.md', 16, 'JS', 'Code Examples', false],
      ['go', 'p.md', 22, 'Go', 'Code Examples', false],
      ['json', 'p.md', 30, null, 'Response Handling', false],
      ['json', '_includes/errors.md', 2, null, 'Response Handling', false],
      ['json', 'p.md', 36, null, 'Response Handling', true],
    ]);
  });

  it('gives each example an id from its section anchor (or slug), tab (or form) and number; the unterminated block is unreadable', () => {
    const { examples, notRead } = pageExamples(page, 'p.md', 'p.md', include);
    expect(examples.map((e) => [e.id, e.form, e.line, e.unreadable?.message ?? null])).toEqual([
      ['p.md#examples/curl-webhook/1', 'curl', 10, null],
      ['p.md#examples/js/1', 'js', 16, null],
      ['p.md#response-handling/json/1', 'json', 30, null],
      ['p.md#response-handling/json/2', 'json', 2, null],
      ['p.md#response-handling/json/3', 'json', 36, 'the code block opened at line 35 is never closed'],
    ]);
    expect(Object.fromEntries(notRead)).toEqual({ go: 1 });
  });
});

describe('attribution', () => {
  const api = loadSpec(SPEC);
  const example = (fields: Partial<DocsExample>, json?: string): DocsExample => ({
    id: 'x.md#s/json/1',
    file: 'x.md',
    page: 'x.md',
    line: 1,
    form: 'json',
    headings: [{ level: 2, text: 'Section', line: 1 }],
    ...(json !== undefined ? { value: readJson(json, 1) } : {}),
    ...fields,
  });
  const place = (e: DocsExample, pageId = 'x.md', method?: string, siblings: DocsExample[] = []): Place | string => {
    const a = attribute(e, { pageId, siblings, ...(method ? { method } : {}) }, api);
    return 'place' in a ? a.place : a.unattributed;
  };

  it('a call is the params of the method it calls, if the spec has it', () => {
    expect(place(example({ form: 'js', calls: 'imbot.v2.Demo.notify' }, '{}'))).toEqual({ kind: 'params', method: 'imbot.v2.Demo.notify' });
    expect(place(example({ form: 'php', calls: 'im.message.add' }, '{}'))).toBe('the code calls im.message.add, which is not a method of the spec');
  });

  it("an answer or an error body belongs to the page's method; without one, an answer to the one method its section calls", () => {
    expect(place(example({}, '{"result": {"result": true}, "time": {}}'), 'x.md', 'imbot.v2.Demo.notify')).toEqual({ kind: 'result', method: 'imbot.v2.Demo.notify' });
    expect(place(example({}, '{"error": "BOT_NOT_FOUND", "error_description": "Bot not found"}'), 'x.md', 'imbot.v2.Demo.notify')).toEqual({ kind: 'error', method: 'imbot.v2.Demo.notify', code: 'BOT_NOT_FOUND' });
    expect(place(example({}, '{"error": "X", "error_description": "Y"}'))).toBe('an error body on a page that documents no method');
    const answer = example({}, '{"result": {"result": true}}');
    const call = (method: string, line = 1) => example({ form: 'js', calls: method, headings: [{ level: 2, text: 'Section', line }] }, '{}');
    expect(place(answer, 'x.md', undefined, [call('imbot.v2.Demo.notify')])).toEqual({ kind: 'result', method: 'imbot.v2.Demo.notify' });
    // A call under another heading says nothing about this answer.
    expect(place(answer, 'x.md', undefined, [call('imbot.v2.Demo.notify', 9)])).toBe('an answer on a page that documents no method, in a section that calls none');
    expect(place(answer, 'x.md', undefined, [call('imbot.v2.Demo.notify'), call('imbot.v2.Demo.quirks')])).toContain('whose code calls 2 methods');
  });

  it('entities.md: the object of the section; other pages: unattributed, never guessed', () => {
    const bot = example({ headings: [{ level: 2, text: 'Bot', anchor: 'bot', line: 1 }, { level: 3, text: 'Example Bot Object', line: 5 }] }, '{"id": 1}');
    expect(place(bot, 'entities.md')).toEqual({ kind: 'type', name: 'Bot' });
    expect(place(example({ headings: [{ level: 2, text: 'Gadget', line: 1 }] }, '{"id": 1}'), 'entities.md')).toBe('the object "Gadget" is not a named type of the spec');
    expect(place(example({}, '{"KEYBOARD": []}'), 'imbot.v2/messages/message-keyboards.md')).toBe('neither the page nor the section says which method, event or object this is');
    expect(place(example({ form: 'js', bare: true }, '{"MESSAGE": "x"}'), 'somewhere.md')).toBe('a literal shown on its own, on a page that does not say which type it is');
  });
});

/** The fixture docs with examples added to notify.md (the page the fixture spec matches exactly). */
function docsWithExamples(name: string, examples: string): string {
  const docs = join(temp, name);
  cpSync(PAGES, docs, { recursive: true });
  const file = join(docs, CHAT_BOTS, 'imbot.v2/notify.md');
  writeFileSync(file, readFileSync(file, 'utf8') + examples);
  return docs;
}

/** Every structural difference of the fixtures explained, plus `extra` entries. */
function specWith(name: string, extra = ''): string {
  const dir = join(temp, name);
  cpSync(SPEC, dir, { recursive: true });
  // As docs-sync leaves it: the pages' result example ({"result": true}) copied as result.example.
  const notify = join(dir, 'imbot.v2/Demo.notify.yaml');
  writeFileSync(notify, readFileSync(notify, 'utf8').replace('    result: { type: boolean, required: true }\n', '    result: { type: boolean, required: true }\n  example: { result: true }\n'));
  const all = readFileSync(join(FIXTURES, 'allow-all.yaml'), 'utf8');
  writeFileSync(join(dir, DOCS_DIFF_ALLOWLIST), all + extra);
  return dir;
}

const EXAMPLES = [
  '', // notify.md has 53 lines; the examples start at 54
  '## Code Examples {#examples}',
  '',
  '{% list tabs %}',
  '',
  '- cURL (OAuth)',
  '',
  '    ```bash',
  "    curl -X POST -d '{\"botId\":456,\"dialogId\":\"chat5\",\"statusMessageCode\":\"THINKING\",\"auth\":\"**token**\"}' https://portal/rest/imbot.v2.Demo.notify",
  '    ```',
  '',
  '- JS',
  '',
  '    ```js',
  "    await $b24.callMethod('imbot.v2.Demo.notify', {",
  '        botId: 456,',
  "        dialogId: 'chat5',",
  "        duration: 'long',",
  '    });',
  '    ```',
  '',
  '- PHP',
  '',
  '    ```php',
  "    CRest::call('imbot.v2.Demo.notify', ['botId' => $botId, 'dialogId' => 'chat5']);",
  '    ```',
  '',
  '{% endlist %}',
  '',
  '## Response Handling',
  '',
  '```json',
  '{"result": {"result": true}, "time": {"start": 1}}',
  '```',
  '',
  '## Error Example',
  '',
  '```json',
  '{"error": "BOT_NOT_FOUND", "error_description": "Bot not found"}',
  '```',
  '',
].join('\n');

describe('docs-diff: the examples section', () => {
  it('counts every example and fails on one that contradicts the spec, at page:line with its place and errors (Ajv and tsc)', async () => {
    const docs = docsWithExamples('contradicting', EXAMPLES);
    const spec = specWith('contradicting');
    // Through the CLI once (the wiring); the text report below comes from the same kind of run.
    const r = await run('--docs', docs, '--spec', spec, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    // The structural differences are all explained: the examples alone fail the run.
    expect(json.summary.unexplained).toBe(0);
    expect(json.examples.summary).toMatchObject({ found: 5, conforming: 3, explained: 0, unexplained: 2, stale: 0, byForm: { curl: 1, js: 1, php: 1, json: 2 } });
    const bad = json.examples.items.filter((i: { status: string }) => i.status !== 'conforming');
    expect(bad.map((i: { id: string; line: number; status: string }) => [i.id, i.line, i.status])).toEqual([
      ['imbot.v2/notify.md#examples/js/1', 68, 'mismatch'],
      ['imbot.v2/notify.md#examples/php/1', 78, 'unreadable'],
    ]);
    expect(bad[0].place).toEqual({ kind: 'params', method: 'imbot.v2.Demo.notify' });
    expect(bad[0].problems).toEqual([
      { check: 'schema', line: 71, path: '/duration', message: 'must be integer' },
      { check: 'types', line: 71, message: "TS2322: Type 'string' is not assignable to type 'number'." },
    ]);
    expect(bad[1].problems).toEqual([{ check: 'read', line: 78, message: 'the variable `$botId` is not a literal' }]);
    // The OAuth curl's `auth` is the token, not a param: that example conforms.
    expect(json.examples.items[0]).toMatchObject({ id: 'imbot.v2/notify.md#examples/curl-oauth/1', status: 'conforming', place: { kind: 'params', method: 'imbot.v2.Demo.notify' } });

    const text = { out: reportText(await runDocsDiff({ docsDir: docs, specDir: spec })) };
    expect(text.out).toContain('Examples: 5 found (curl 1, js 1, php 1, json 2): 3 conforming, 0 explained, 2 unexplained.');
    expect(text.out).toContain(`${docs}/${CHAT_BOTS}/imbot.v2/notify.md:68  imbot.v2/notify.md#examples/js/1  (js, tab "JS") params of imbot.v2.Demo.notify: mismatch\n      :71 schema /duration: must be integer\n      :71 types: TS2322:`);
    expect(text.out).toContain('5 examples on the pages: 3 conforming, 0 explained, 2 unexplained; 0 stale example entries.');
  });

  it('an error code the method does not have, and a wrong result, fail', async () => {
    const docs = docsWithExamples('wrong-answers', EXAMPLES.replace('"result": {"result": true}', '"result": {"result": "yes"}').replace('BOT_NOT_FOUND', 'CHAT_NOT_FOUND'));
    const { json } = await diff(docs, specWith('wrong-answers'));
    const byId = new Map(json.examples.items.map((i: { id: string }) => [i.id, i]));
    expect(byId.get('imbot.v2/notify.md#response-handling/json/1')).toMatchObject({ status: 'mismatch', problems: [{ check: 'schema', path: '/result/result', message: 'must be boolean' }, { check: 'types' }] });
    expect(byId.get('imbot.v2/notify.md#error-example/json/1')).toMatchObject({
      status: 'mismatch',
      place: { kind: 'error', code: 'CHAT_NOT_FOUND' },
      problems: [{ check: 'schema', message: 'imbot.v2.Demo.notify has no error CHAT_NOT_FOUND in the spec (neither its own nor a system error)' }, { check: 'types' }],
    });
  });

  it('an allowlist entry explains an example (exit 0); one that explains nothing is stale (exit 1)', async () => {
    const docs = docsWithExamples('explained', EXAMPLES);
    const entries = `  - example: imbot.v2/notify.md#examples/js/1
    reason: The JS tab passes a word where the page's table says integer.
  - example: imbot.v2/notify.md#examples/php/1
    reason: A sketch with variables.
`;
    const ok = await diff(docs, specWith('explained', entries));
    expect(ok.code).toBe(0);
    expect(ok.text).toContain("imbot.v2/notify.md#examples/js/1  (js, tab \"JS\") params of imbot.v2.Demo.notify: mismatch [explained: The JS tab passes a word where the page's table says integer.]");
    expect(ok.text).toContain('5 examples on the pages: 3 conforming, 2 explained, 0 unexplained; 0 stale example entries.');

    const stale = `${entries}  - example: imbot.v2/notify.md#examples/curl-oauth/1
    reason: Conforms, so this explains nothing.
  - example: imbot.v2/gone.md#top/json/1
    reason: No such example.
`;
    const spec = specWith('stale-example', stale);
    const r = await diff(docs, spec);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/Stale example entries in .*docs-diff-allow\.yaml \(the example conforms now, or no example has that id; remove or correct them\):\n  .*docs-diff-allow\.yaml:\d+:5: imbot\.v2\/notify\.md#examples\/curl-oauth\/1\n  .*: imbot\.v2\/gone\.md#top\/json\/1\n/);
    expect(r.json.examples.stale.map((e: { example: string }) => e.example)).toEqual(['imbot.v2/notify.md#examples/curl-oauth/1', 'imbot.v2/gone.md#top/json/1']);
    // Without the examples checked, example entries are not judged.
    expect((await run('--docs', docs, '--spec', spec, '--no-examples')).code).toBe(0);
  });

  it('rejects a bad example entry with file:line:col', () => {
    const dir = join(temp, 'bad-entry');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), 'allow:\n  - example: notify.md\n    reason: x\n  - example: a.md#s/json/1\n    reasn: typo\n  - { example: a.md#s/json/2, reason: one }\n  - { example: a.md#s/json/2, reason: two }\n');
    expect(() => loadAllowFile(join(dir, 'a.yaml'), 'a.yaml')).toThrow(SpecError);
    let message = '';
    try {
      loadAllowFile(join(dir, 'a.yaml'), 'a.yaml');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('a.yaml:2:14: allow[0].example: must be an example id as docs-diff prints it: <page>#<section>/<tab or form>/<n>');
    expect(message).toContain('a.yaml:5:5: allow[1].reasn: unknown key; did you mean "reason"?');
    expect(message).toContain('allow[1].reason: required');
    expect(message).toContain('a.yaml:7:5: duplicate entry: a.yaml:6:5 already explains the example a.md#s/json/2');
  });
});
