import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHAT_BOTS_DIR } from '../generator/docs/docs-root.js';
import { readRecord } from '../generator/docs/sync/record.js';
import { YamlText } from '../generator/docs/sync/yaml-text.js';
import { DOCS_SYNC_RECORD, loadSpec } from '../generator/load/index.js';
import { DESCRIPTION_MARKER } from '../generator/load/pending.js';
import { runCommand } from './support/cli.js';
import { typecheck } from './support/typecheck.js';

/**
 * docs-sync against the real pages, changed the way the docs really changed in 2026: a param
 * added, a param moved under `fields`, `result: true` -> `{result: true}`, an error code renamed,
 * an enum value added (once on a method's own enum, once on the shared Color enum that four pages
 * link to). The docs side is a copy of ../shared/upstream-docs edited in place; where the 2026
 * change went the other way round (the spec was written before the move and the new result
 * shape), the copy of the real spec is put back to its earlier state instead.
 */
const UPSTREAM = resolve('../shared/upstream-docs');
const HAVE_DOCS = existsSync(UPSTREAM);
if (!HAVE_DOCS) console.log(`docs-sync: ${UPSTREAM} is absent, so docs-sync was not run against the official pages (only the YAML editing tests ran).`);

const temp = mkdtempSync(join(tmpdir(), 'b24gen-docs-sync-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const NOTIFY = `${CHAT_BOTS_DIR}/imbot.v2/ui/chat-input-action-notify.md`;
const CHAT_ADD = `${CHAT_BOTS_DIR}/imbot.v2/chats/chat-add.md`;
const REVISION_GET = `${CHAT_BOTS_DIR}/imbot.v2/revision-get.md`;
const REVISION_CHECK = `${CHAT_BOTS_DIR}/imbot.v2/revision-check.md`;
const TEXT_FIELD = `${CHAT_BOTS_DIR}/imbot.v2/ui/chat-text-field-enabled.md`;
const EVENT_GET = `${CHAT_BOTS_DIR}/imbot.v2/events/event-get.md`;
const EVENTS = `${CHAT_BOTS_DIR}/imbot.v2/events/events.md`;
const CHAT_UPDATE = `${CHAT_BOTS_DIR}/imbot.v2/chats/chat-update.md`;

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture: ${file} no longer holds ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/** The next revision of the docs: the real pages with five real kinds of change. */
function changedDocs(name: string): string {
  const dir = join(temp, name);
  cpSync(UPSTREAM, dir, { recursive: true });
  const notify = join(dir, NOTIFY);
  // A param added (optional, boolean).
  edit(notify, '|| **duration**\n', '|| **silent**\n[`boolean`](../../../../data-types.md) | Do not show the indicator to mobile clients ||\n|| **duration**\n');
  // An enum value added to the method's own enum.
  edit(notify, "|| `IMBOT_AGENT_ACTION_COMPOSING` | Agent is composing a response... ||\n", "|| `IMBOT_AGENT_ACTION_COMPOSING` | Agent is composing a response... ||\n|| `IMBOT_AGENT_ACTION_DRAWING` | Agent is drawing... ||\n");
  // An error code renamed, its message unchanged.
  edit(notify, '|| `BOT_NOT_FOUND` | Bot not found | Bot not found ||', '|| `BOT_NOT_EXISTS` | Bot not found | Bot not found ||');
  // A value added to a shared enum (Color, spec/common/enums.yaml), linked from several pages.
  // chat-add.md and chat-update.md each have the table the other pages link to.
  for (const page of [CHAT_ADD, CHAT_UPDATE]) edit(join(dir, page), "|| `red` | `#df532d` ||\n", "|| `red` | `#df532d` ||\n|| `coral` | `#ff7f50` ||\n");
  // A field added to an event's data.
  edit(join(dir, EVENTS), '|| **language** | `string` | Bitrix24 language ||\n|#\n\n### Command Object', '|| **language** | `string` | Bitrix24 language ||\n|| **source** | `string` | Where the command came from ||\n|#\n\n### Command Object');
  // A new method page (laid out as revision-get.md), and a method page gone.
  const revision = readFileSync(join(dir, REVISION_GET), 'utf8');
  writeFileSync(join(dir, REVISION_CHECK), revision.replace('# Get API revisions imbot.v2.Revision.get', '# Check API revisions imbot.v2.Revision.check'));
  rmSync(join(dir, TEXT_FIELD));
  writeFileSync(join(dir, 'REVISION'), 'next-revision\n');
  return dir;
}

/** A copy of the real spec as it was before the move under `fields` and the new result shape. */
function earlierSpec(name: string): string {
  const dir = join(temp, name);
  cpSync('spec', dir, { recursive: true });
  rmSync(join(dir, DOCS_SYNC_RECORD), { force: true });
  const update = join(dir, 'imbot.v2/Bot.update.yaml');
  // isHidden at the top level (the docs have it under `fields`).
  const text = readFileSync(update, 'utf8');
  const block = '      isHidden:\n        type: boolean\n        description: Hide the bot from the contact list.\n';
  if (!text.includes(block)) throw new Error('fixture: Bot.update.yaml changed; update the test');
  writeFileSync(update, text.replace(block, '').replace('  fields:\n', '  isHidden:\n    type: boolean\n    description: Hide the bot from the contact list.\n  fields:\n'));
  // `result: true` (the docs have `{result: true}`).
  // (The spec then had no result examples: docs-sync copies the page's in its last step.)
  edit(join(dir, 'imbot.v2/Chat.InputAction.notify.yaml'), 'result:\n  type: object\n  properties:\n    result:\n      type: boolean\n      required: true\n      description: true when the indicator was sent.\n  example:\n    result: true\n', 'result:\n  type: boolean\n  description: true when the indicator was sent.\n');
  return dir;
}

function specTexts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (f.endsWith('.yaml')) out.set(f, readFileSync(join(dir, f), 'utf8'));
  return out;
}

/** Lines of `before` that are not in `after` in order (a plain LCS): the lines the edit touched. */
function removedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const gone: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) (i++, j++);
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) gone.push(a[i++]!);
    else j++;
  }
  return [...gone, ...a.slice(i)];
}

describe.skipIf(!HAVE_DOCS)('docs-sync on the real pages with the 2026 kinds of change', () => {
  let docs: string;
  let spec: string;
  let before: Map<string, string>;
  let first: { code: number; out: string; err: string };

  beforeAll(async () => {
    docs = changedDocs('docs');
    spec = earlierSpec('spec');
    before = specTexts(spec);
    first = await runCommand('docs-sync', '--docs', docs, '--spec', spec);
  }, 60_000);

  it('applies every difference, and docs-diff then reports none unexplained', async () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const after = await runCommand('docs-diff', '--docs', docs, '--spec', spec, '--json', '--no-examples');
    const report = JSON.parse(after.out) as { summary: { unexplained: number }; differences: { explained: boolean; kind: string; path: string }[] };
    expect(report.differences.filter((d) => !d.explained)).toEqual([]);
    expect(report.summary.unexplained).toBe(0);
    expect(after.code).toBe(0);
  });

  it('writes the page facts, keeps moved and renamed items whole, and marks what needs a person', () => {
    const notify = parse(readFileSync(join(spec, 'imbot.v2/Chat.InputAction.notify.yaml'), 'utf8'));
    expect(notify.params.silent).toEqual({ type: 'boolean', description: `${DESCRIPTION_MARKER}: describe from imbot.v2/ui/chat-input-action-notify.md:32` });
    // The new shape, then the page's example of it (copied once the type fits it).
    expect(notify.result).toEqual({ type: 'object', description: 'true when the indicator was sent.', properties: { result: { type: 'boolean', required: true, description: expect.stringContaining(DESCRIPTION_MARKER) } }, example: { result: true } });
    const renamed = notify.errors.find((e: { code: string }) => e.code === 'BOT_NOT_EXISTS');
    // The rename keeps the status and the human description the old code had.
    expect(renamed).toEqual({ code: 'BOT_NOT_EXISTS', status: 400, message: 'Bot not found', description: 'No bot has the given `botId`.' });
    expect(notify.errors.some((e: { code: string }) => e.code === 'BOT_NOT_FOUND')).toBe(false);
    expect(notify.types.StatusMessageCode.enum.at(-1)).toEqual({ value: 'IMBOT_AGENT_ACTION_DRAWING', description: expect.stringContaining(DESCRIPTION_MARKER) });
    // The move keeps the param's own description.
    const update = parse(readFileSync(join(spec, 'imbot.v2/Bot.update.yaml'), 'utf8'));
    expect(update.params.isHidden).toBeUndefined();
    expect(update.params.fields.properties.isHidden).toEqual({ type: 'boolean', description: 'Hide the bot from the contact list.' });
    // A new page: a new file laid out like its siblings, with the page's facts and every
    // judgement (summary, access, repeat safety) marked; a page gone: its file is deleted.
    const check = readFileSync(join(spec, 'imbot.v2/Revision.check.yaml'), 'utf8');
    expect(Object.keys(parse(check))).toEqual(['method', 'summary', 'description', 'docs', 'scope', 'access', 'idempotent', 'params', 'result', 'statuses', 'errors']);
    expect(parse(check)).toMatchObject({ method: 'imbot.v2.Revision.check', docs: 'https://apidocs.bitrix24.com/api-reference/chat-bots/chat-bots-v2/imbot.v2/revision-check.html', scope: 'imbot', idempotent: false, params: {}, statuses: [200], errors: [] });
    expect(Object.keys(parse(check).result.properties)).toEqual(['rest', 'web', 'mobile', 'desktop']);
    expect(check).toContain('# TODO(docs-sync): decide whether repeating a call is harmless');
    expect(existsSync(join(spec, 'imbot.v2/Chat.TextField.enabled.yaml'))).toBe(false);
    // The shared enum got its value once, where it is declared.
    const enums = readFileSync(join(spec, 'common/enums.yaml'), 'utf8');
    expect(enums.match(/value: coral/g)).toHaveLength(1);
    expect(first.out).toMatch(/edits applied: 12 in 7 file\(s\)/);
    // The pages' result examples, last: the one the old boolean result could not hold, and the new method's.
    expect(first.out.match(/result-example-missing added result\.example from \S+/g)).toEqual([
      `result-example-missing added result.example from ${NOTIFY}:201`,
      `result-example-missing added result.example from ${REVISION_CHECK}:146`,
    ]);
    expect(first.out.match(/added result\.result/g)).toHaveLength(1);
    expect(first.out).toContain('items awaiting a description: 14');
    // An event's data field, in the one-line style of its siblings.
    expect(readFileSync(join(spec, 'imbot.v2/events/ONIMBOTV2COMMANDADD.yaml'), 'utf8')).toContain(
      `    language: { type: string, required: true, description: 'The portal language, such as \`en\`.' }\n    source: { type: string, required: true, description: "${DESCRIPTION_MARKER}: describe from imbot.v2/events/events.md:451" }\n`,
    );
    expect(first.out).toContain('param-moved');
    expect(first.out).toContain('error-code-renamed');
  });

  it('leaves every line it did not need byte for byte', () => {
    const after = specTexts(spec);
    const changed = [...after].filter(([f, t]) => before.get(f) !== t).map(([f]) => f).sort();
    expect(changed).toEqual(['common/enums.yaml', DOCS_SYNC_RECORD, 'imbot.v2/Bot.update.yaml', 'imbot.v2/Chat.InputAction.notify.yaml', 'imbot.v2/Revision.check.yaml', 'imbot.v2/events/ONIMBOTV2COMMANDADD.yaml'].sort());
    expect(after.has('imbot.v2/Chat.TextField.enabled.yaml')).toBe(false);
    expect(removedLines(before.get('imbot.v2/events/ONIMBOTV2COMMANDADD.yaml')!, after.get('imbot.v2/events/ONIMBOTV2COMMANDADD.yaml')!)).toEqual([]);
    expect(removedLines(before.get('common/enums.yaml')!, after.get('common/enums.yaml')!)).toEqual([]);
    expect(removedLines(before.get('imbot.v2/Bot.update.yaml')!, after.get('imbot.v2/Bot.update.yaml')!)).toEqual(['  isHidden:', '    type: boolean', '    description: Hide the bot from the contact list.']);
    expect(removedLines(before.get('imbot.v2/Chat.InputAction.notify.yaml')!, after.get('imbot.v2/Chat.InputAction.notify.yaml')!)).toEqual(['  type: boolean', '  - code: BOT_NOT_FOUND']);
  });

  it('leaves a spec that generates a client which compiles', async () => {
    const out = join(temp, 'client');
    const gen = await runCommand('generate', '--spec', spec, '--out', out);
    expect(gen.code).toBe(0);
    // generate warns (stderr) about each description left for a person, and still succeeds.
    expect(gen.err).toContain('14 description(s) left for a person');
    expect(gen.err).toContain('imbot.v2/Chat.InputAction.notify.yaml:');
    expect(typecheck([join(out, 'index.ts')])).toEqual([]);
  }, 120_000);

  it('records the docs revision and page hashes, and names the pages changed since', async () => {
    const record = readRecord(spec)!;
    expect(record.revision).toBe('next-revision');
    expect(record.subjects['imbot.v2.Chat.InputAction.notify']?.page).toBe(NOTIFY);
    const diff = await runCommand('docs-diff', '--docs', docs, '--spec', spec, '--no-examples');
    expect(diff.out).toContain('spec follows docs at next-revision; 0 pages changed since');
    // A prose-only change to one page, and one to an include every method page pulls in.
    const later = join(temp, 'docs-later');
    cpSync(docs, later, { recursive: true });
    edit(join(later, NOTIFY), 'Default is determined by the server', 'The server picks the default');
    // One event's section: only that event is named, not every event of the page.
    edit(join(later, EVENTS), 'The user has invoked a slash command for the bot.', 'A user invoked one of the bot\'s slash commands.');
    writeFileSync(join(later, 'REVISION'), 'later-revision\n');
    const status = await runCommand('docs-diff', '--docs', later, '--spec', spec, '--no-examples');
    expect(status.out).toContain(`spec follows docs at next-revision; 2 pages changed since (run b24gen docs-sync): ${EVENTS}, ${NOTIFY}`);
    const dry = await runCommand('docs-sync', '--docs', later, '--spec', spec, '--dry-run');
    expect(dry.out).toContain('2 subject(s) on 2 page(s) changed since the last sync');
    expect(dry.out).toContain(`changed  ONIMBOTV2COMMANDADD  (${EVENTS})\n  changed  imbot.v2.Chat.InputAction.notify  (${NOTIFY})\n`);
    expect(dry.out).toContain(`pages changed with no structural difference (prose the spec does not model; read them): 2\n  ${EVENTS}\n  ${NOTIFY}\n`);
    // A change to an included file names every page that includes it.
    writeFileSync(join(later, '_includes/required.md'), `${readFileSync(join(later, '_includes/required.md'), 'utf8')}\nOne more note.\n`);
    const included = await runCommand('docs-diff', '--docs', later, '--spec', spec, '--no-examples');
    expect(Number(/; (\d+) pages changed since/.exec(included.out)?.[1])).toBeGreaterThan(20);
  });

  it('does nothing on a second run', async () => {
    const snapshot = specTexts(spec);
    const again = await runCommand('docs-sync', '--docs', docs, '--spec', spec);
    expect(again.code).toBe(0);
    expect(again.out).toContain('edits applied: 0 in 0 file(s)');
    expect(specTexts(spec)).toEqual(snapshot);
  });

  it('--dry-run prints the edits as a unified diff and writes nothing', async () => {
    const fresh = earlierSpec('spec-dry');
    const untouched = specTexts(fresh);
    const dry = await runCommand('docs-sync', '--docs', docs, '--spec', fresh, '--dry-run');
    expect(dry.code).toBe(0);
    expect(specTexts(fresh)).toEqual(untouched);
    expect(dry.out).toContain(`--- a/`);
    expect(dry.out).toMatch(/^-  - code: BOT_NOT_FOUND$/m);
    expect(dry.out).toMatch(/^\+ {2}- code: BOT_NOT_EXISTS$/m);
    expect(dry.out).toMatch(/^\+ {6}- value: coral$/m);
    expect(dry.out).toContain('edits that would be applied:');
    // The same edits as a real run.
    expect(loadSpec(fresh).methods.length).toBe(loadSpec(spec).methods.length);
  });

  it('release refuses while a description is left for a person', async () => {
    const { pendingRefusal } = await import('../generator/package/release.js');
    expect(pendingRefusal(spec)).toMatch(/14 description\(s\) are left for a person .*TODO\(docs-sync\).*imbot\.v2\/Chat\.InputAction\.notify\.yaml:\d+/s);
    expect(pendingRefusal('spec')).toBeUndefined();
  });
});

describe.skipIf(!HAVE_DOCS)('docs-sync: removals, flags, new codes, and what it leaves to a person', () => {
  it('removes a param, makes one optional, adds a code with its status and a new event, and leaves a disputed shared enum value', async () => {
    const docs = join(temp, 'docs-more');
    cpSync(UPSTREAM, docs, { recursive: true });
    const notify = join(docs, NOTIFY);
    edit(notify, '|| **dialogId***\n', '|| **dialogId**\n');
    edit(notify, '|| **duration**\n[`integer`](../../../../data-types.md) | Duration of the indicator display in seconds (1–600). Default is determined by the server ||\n', '');
    // A code the spec gives HTTP 403 on another method; the page names two statuses.
    edit(notify, '|| `ACCESS_DENIED` | Access denied | Bot is not a participant in the chat ||\n', '|| `ACCESS_DENIED` | Access denied | Bot is not a participant in the chat ||\n|| `FILE_ACCESS_ERROR` | No access to the file | The file is not available ||\n');
    // Only one of the two pages with the colour table lists the new value.
    edit(join(docs, CHAT_ADD), "|| `red` | `#df532d` ||\n", "|| `red` | `#df532d` ||\n|| `coral` | `#ff7f50` ||\n");
    // A new event: its section on events.md and its row in Event.get's Event Types table.
    edit(join(docs, EVENTS), '## ONIMBOTV2CONTEXTGET {#onimbotv2contextget}', '## ONIMBOTV2CHATRENAME {#onimbotv2chatrename}\n\nThe chat was renamed.\n\n#|\n|| **Field** | **Type** | **Description** ||\n|| **bot** | `object` | [Bot object](#bot-format) ||\n|| **chat** | [`Chat`](../../entities.md#chat) | The chat ||\n|| **title** | `string` | The new title ||\n|#\n\n## ONIMBOTV2CONTEXTGET {#onimbotv2contextget}');
    edit(join(docs, EVENT_GET), '|| `ONIMBOTV2CONTEXTGET` | Context of the chat call passed ||\n', '|| `ONIMBOTV2CONTEXTGET` | Context of the chat call passed ||\n|| `ONIMBOTV2CHATRENAME` | The chat was renamed ||\n');
    // The table now says what the error example answers: the allowlist entry explaining the
    // contradiction explains nothing any more.
    edit(join(docs, `${CHAT_BOTS_DIR}/imbot.v2/files/file-upload.md`), '|| `FILE_TOO_LARGE` | File is too large |', '|| `FILE_TOO_LARGE` | File too large |');
    const spec = join(temp, 'spec-more');
    cpSync('spec', spec, { recursive: true });
    const enumsBefore = readFileSync(join(spec, 'common/enums.yaml'), 'utf8');
    const allowBefore = readFileSync(join(spec, 'docs-diff-allow.yaml'), 'utf8');

    const r = await runCommand('docs-sync', '--docs', docs, '--spec', spec);
    expect(r.code).toBe(1);
    const yaml = parse(readFileSync(join(spec, 'imbot.v2/Chat.InputAction.notify.yaml'), 'utf8'));
    expect(yaml.params.dialogId).toEqual({ $ref: 'DialogId' });
    expect(yaml.params.duration).toBeUndefined();
    expect(yaml.errors.at(-1)).toEqual({ code: 'FILE_ACCESS_ERROR', status: 403, message: 'No access to the file', description: `${DESCRIPTION_MARKER}: describe from imbot.v2/ui/chat-input-action-notify.md:246` });
    expect(readFileSync(join(spec, 'common/enums.yaml'), 'utf8')).toBe(enumsBefore);
    const entry = "  - method: imbot.v2.File.upload\n    kind: error-message\n    path: 'FILE_TOO_LARGE'\n";
    const reason = allowBefore.slice(allowBefore.indexOf(entry) + entry.length).split('\n')[0];
    expect(readFileSync(join(spec, 'docs-diff-allow.yaml'), 'utf8')).toBe(allowBefore.replace(`${entry}${reason}\n`, ''));
    expect(r.out).toContain('allowlist entries that explain nothing any more (removed from docs-diff-allow.yaml): 1\n  imbot.v2.File.upload error-message FILE_TOO_LARGE\n');
    const at = (line: number) => `${DESCRIPTION_MARKER}: describe from imbot.v2/events/events.md:${line}`;
    expect(readFileSync(join(spec, 'imbot.v2/events/ONIMBOTV2CHATRENAME.yaml'), 'utf8')).toBe(
      [
        'event: ONIMBOTV2CHATRENAME',
        `summary: "${at(360)}"`,
        'docs: https://apidocs.bitrix24.com/api-reference/chat-bots/chat-bots-v2/imbot.v2/events/events.html#onimbotv2chatrename',
        '',
        'data:',
        '  type: object',
        '  additionalProperties: true',
        '  properties:',
        `    bot: { type: object, required: true, description: "${at(366)}" }`,
        `    chat: { $ref: Chat, required: true, description: "${at(367)}" }`,
        `    title: { type: string, required: true, description: "${at(368)}" }`,
        '',
      ].join('\n'),
    );
    // The client generated from the result compiles, the new event included.
    const out = join(temp, 'client-more');
    expect((await runCommand('generate', '--spec', spec, '--out', out)).code).toBe(0);
    expect(typecheck([join(out, 'index.ts')])).toEqual([]);
    expect(readFileSync(join(out, 'events.ts'), 'utf8')).toContain('ONIMBOTV2CHATRENAME');
    expect(r.out).toMatch(/left for a person \(not applied\): 3\n/);
    for (const at of ['imbot.v2.Bot.register enum-value-missing fields.properties.color', 'imbot.v2.Bot.update enum-value-missing fields.properties.color', 'imbot.v2.Chat.add enum-value-missing fields.color']) {
      expect(r.out).toContain(`${at}=coral: the pages disagree on this value of a shared enum`);
    }
    expect(r.out).not.toContain('added enum value coral');
    // The pages with differences left keep their earlier hashes: the next run names them again.
    const record = readRecord(spec)!;
    expect(record.subjects['imbot.v2.Chat.add']).toEqual(readRecord('spec')!.subjects['imbot.v2.Chat.add']);
    expect(record.subjects['imbot.v2.Chat.InputAction.notify']).not.toEqual(readRecord('spec')!.subjects['imbot.v2.Chat.InputAction.notify']);
    expect(r.out).toMatch(/pages changed with no structural difference \(prose the spec does not model; read them\): 0\n/);
  });

  it('refuses a missing --docs and an unreadable docs folder', async () => {
    expect((await runCommand('docs-sync')).code).toBe(2);
    const r = await runCommand('docs-sync', '--docs', join(temp, 'no-such-folder'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/docs-sync: .*no-such-folder/);
  });
});

describe('YAML edits touch only their own lines', () => {
  const text = [
    '# head comment',
    'params:',
    '  a:',
    '    type: string',
    '    description: >-',
    '      folded text that a round trip',
    '      would re-fold',
    '  # about b',
    '  b: { type: integer, required: true }',
    'errors:',
    '  - code: X',
    '    status: 400',
    '  - code: Y',
    '    status: 403',
    '',
  ].join('\n');

  it('removes an entry with the comment above it, and a sequence item', () => {
    const t = new YamlText(text);
    t.removePair(['params', 'b']);
    t.removeItem(['errors', 0]);
    expect(t.text).toBe(text.replace('  # about b\n  b: { type: integer, required: true }\n', '').replace('  - code: X\n    status: 400\n', ''));
  });

  it('leaves an emptied map or list as {} or [], not as null', () => {
    const t = new YamlText('params:\n  a:\n    type: string\nerrors:\n  - code: X\n    status: 400\nstatuses: [200]\n');
    t.removePair(['params', 'a']);
    t.removeItem(['errors', 0]);
    expect(t.text).toBe('params: {}\nerrors: []\nstatuses: [200]\n');
  });

  it('adds in the siblings\' style and sets scalars in place', () => {
    const t = new YamlText(text);
    t.addPair(['params'], 'c', { type: 'boolean' });
    t.addItem(['errors'], { code: 'Z', status: 400 });
    t.setScalar(['errors', 1, 'code'], 'W');
    t.addPair(['params', 'b'], 'description', 'x: y');
    expect(t.text).toBe(
      text
        .replace('  b: { type: integer, required: true }\n', '  b: { type: integer, required: true, description: "x: y" }\n  c:\n    type: boolean\n')
        .replace('  - code: Y\n    status: 403\n', '  - code: W\n    status: 403\n  - code: Z\n    status: 400\n'),
    );
  });
});

describe.skipIf(!HAVE_DOCS)('docs-sync replays the 2026 history (test/fixtures/diff/history-2026.ts)', () => {
  it('brings the spec as it was before 2026 to the current pages: nothing unexplained left, moved params keep their descriptions', async () => {
    const { before2026 } = await import('./fixtures/diff/history-2026.js');
    const dir = join(temp, 'spec-2025');
    for (const { path, text } of before2026()) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    cpSync('spec/docs-diff-allow.yaml', join(dir, 'docs-diff-allow.yaml'));
    const r = await runCommand('docs-sync', '--docs', UPSTREAM, '--spec', dir);
    expect(r.err).toBe('');
    expect(r.out).toContain('left for a person (not applied): 0');
    expect(r.code).toBe(0);
    const after = await runCommand('docs-diff', '--docs', UPSTREAM, '--spec', dir, '--json', '--no-examples');
    expect(JSON.parse(after.out).differences.filter((d: { explained: boolean }) => !d.explained)).toEqual([]);
    expect(after.code).toBe(0);
    // Command.register's params moved under `fields` whole: every description a person wrote is kept.
    const real = parse(readFileSync('spec/imbot.v2/Command.register.yaml', 'utf8'));
    const synced = parse(readFileSync(join(dir, 'imbot.v2/Command.register.yaml'), 'utf8'));
    for (const [name, p] of Object.entries(real.params.fields.properties as Record<string, { description?: string }>)) {
      expect(synced.params.fields.properties[name].description, name).toBe(p.description);
    }
    // Renamed, not removed and added: the code keeps its description.
    const folder = parse(readFileSync(join(dir, 'im.v2/File.upload.yaml'), 'utf8')).errors.find((e: { code: string }) => e.code === 'FOLDER_ERROR');
    expect(folder.description).not.toContain(DESCRIPTION_MARKER);
    expect(r.out).toMatch(/imbot\.v2\.Chat\.TextField\.enabled +method-missing/);
  });
});

describe('a shared type reached by several methods', () => {
  it('is edited once, whatever path each method reports it under', async () => {
    const { applyRound } = await import('../generator/docs/sync/apply.js');
    const { SpecFiles } = await import('../generator/docs/sync/spec-files.js');
    const dir = join(temp, 'shared-type');
    const types = 'types:\n  Owner:\n    type: object\n    properties:\n      id:\n        type: integer\n      appId:\n        type: string\n        description: Gone from the docs.\n';
    const method = (name: string, result: string) => `method: ${name}\nsummary: s\ndocs: https://apidocs.bitrix24.com/x.html\nscope: imbot\naccess: a\nidempotent: true\nparams: {}\nresult:\n${result}statuses: [200]\nerrors: []\n`;
    for (const [path, text] of [
      ['common/types.yaml', types],
      ['imbot.v2/A.get.yaml', method('imbot.v2.A.get', '  type: object\n  properties:\n    owner:\n      $ref: Owner\n')],
      ['imbot.v2/A.list.yaml', method('imbot.v2.A.list', '  type: object\n  properties:\n    owners:\n      type: array\n      items:\n        $ref: Owner\n')],
    ]) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const files = new SpecFiles(dir);
    const api = loadSpec(dir);
    const gone = (m: string, path: string) => ({ method: m, kind: 'result-field-extra' as const, path, message: '' });
    const round = applyRound(files, [gone('imbot.v2.A.get', 'result.owner.appId'), gone('imbot.v2.A.list', 'result.owners[].appId')], { root: undefined as never, page: () => undefined, errorStatuses: () => [] }, api);
    expect(round.left).toEqual([]);
    expect(round.edits).toHaveLength(1);
    expect(files.changed().map((f) => [f.path, f.after])).toEqual([['common/types.yaml', 'types:\n  Owner:\n    type: object\n    properties:\n      id:\n        type: integer\n']]);
  });
});

describe.skipIf(!HAVE_DOCS)("a page's result example, in the spec as result.example", () => {
  /** The real pages with Revision.get's answer changed: `rest` becomes `value` (an integer, or a string the result type refuses). */
  function docsWithRevision(name: string, value: string): string {
    const dir = join(temp, name);
    cpSync(UPSTREAM, dir, { recursive: true });
    edit(join(dir, REVISION_GET), '"result": {\n    "rest": 33,', `"result": {\n    "rest": ${value},`);
    return dir;
  }
  const exampleIn = (spec: string): unknown => parse(readFileSync(join(spec, 'imbot.v2/Revision.get.yaml'), 'utf8')).result.example;
  const unexplained = async (docs: string, spec: string) => {
    const r = await runCommand('docs-diff', '--docs', docs, '--spec', spec, '--json');
    return { code: r.code, list: (JSON.parse(r.out) as { differences: { method: string; kind: string; explained: boolean }[] }).differences.filter((d) => !d.explained).map((d) => `${d.method} ${d.kind}`) };
  };

  it('docs-diff reports a changed example, and docs-sync copies the new one, touching only its lines', async () => {
    const docs = docsWithRevision('docs-example-changed', '34');
    const spec = join(temp, 'spec-example-changed');
    cpSync('spec', spec, { recursive: true });
    const before = exampleIn(spec) as Record<string, unknown>;
    expect(before.rest).toBe(33);
    expect(await unexplained(docs, spec)).toEqual({ code: 1, list: ['imbot.v2.Revision.get result-example-changed'] });

    const textBefore = readFileSync(join(spec, 'imbot.v2/Revision.get.yaml'), 'utf8');
    const r = await runCommand('docs-sync', '--docs', docs, '--spec', spec);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/imbot\.v2\.Revision\.get +result-example-changed +replaced result\.example from .*revision-get\.md:\d+/);
    expect(exampleIn(spec)).toEqual({ ...before, rest: 34 });
    // The page's change gave an edit: it is not listed as prose the spec does not model.
    expect(r.out).toContain('pages changed with no structural difference (prose the spec does not model; read them): 0');
    expect(removedLines(textBefore, readFileSync(join(spec, 'imbot.v2/Revision.get.yaml'), 'utf8'))).toEqual(['    rest: 33']);
    expect(await unexplained(docs, spec)).toEqual({ code: 0, list: [] });
  }, 60_000);

  it('an example that no longer conforms is not copied: docs-sync removes result.example and the kit falls back to samples', async () => {
    const docs = docsWithRevision('docs-example-wrong', '"33"');
    const spec = join(temp, 'spec-example-wrong');
    cpSync('spec', spec, { recursive: true });
    // The page's example is now a mismatch (reported in the Examples section), and the spec's example names no page example.
    const found = await unexplained(docs, spec);
    expect(found.list).toEqual(['imbot.v2.Revision.get result-example-extra']);
    const r = await runCommand('docs-sync', '--docs', docs, '--spec', spec);
    expect(r.out).toMatch(/imbot\.v2\.Revision\.get +result-example-extra +removed result\.example/);
    expect(exampleIn(spec)).toBeUndefined();
    expect(loadSpec(spec).methods.find((m) => m.name === 'imbot.v2.Revision.get')!.result.example).toBeUndefined();
  }, 60_000);

  it('a spec without result examples gets one for each method whose page shows one that conforms', async () => {
    const spec = join(temp, 'spec-no-examples');
    cpSync('spec', spec, { recursive: true });
    const withExample = loadSpec('spec').methods.filter((m) => m.result.example !== undefined);
    for (const m of withExample) {
      const file = join(spec, `${m.namespace}/${m.path.join('.')}.yaml`);
      const doc = new YamlText(readFileSync(file, 'utf8'));
      doc.removePair(['result', 'example']);
      writeFileSync(file, doc.text);
    }
    expect(loadSpec(spec).methods.filter((m) => m.result.example !== undefined)).toEqual([]);
    const r = await runCommand('docs-sync', '--docs', UPSTREAM, '--spec', spec);
    expect(r.code).toBe(0);
    const synced = loadSpec(spec).methods.filter((m) => m.result.example !== undefined);
    expect(synced.map((m) => [m.name, m.result.example])).toEqual(withExample.map((m) => [m.name, m.result.example]));
    for (const m of withExample) expect(readFileSync(join(spec, `${m.namespace}/${m.path.join('.')}.yaml`), 'utf8'), m.name).toBe(readFileSync(`spec/${m.namespace}/${m.path.join('.')}.yaml`, 'utf8'));
  }, 60_000);
});
