import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Project, ts } from 'ts-morph';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_OPTIONS, typecheckConsumers, type Problem } from './support/typecheck.js';

/**
 * Compile-time guarantees of the generated client, checked the way a user meets them: consumer
 * files importing generated/src are type-checked under `strict`. Correct calls must compile;
 * each mistake must be a compile error at the mistaken line.
 */
const dir = resolve('test/.tmp/types');
const IMPORT = `import {
  createClient, StatusMessageCode, Bitrix24Error, BotNotFoundError, OperationTimeLimitError, Reaction, Color,
  type ImbotV2ChatInputActionNotifyError, type Keyboard, type Attachment, type User,
} from '../../../generated/src/index.js';
const client = createClient({ webhookUrl: 'https://portal.bitrix24.com/rest/1/code/' });
`;

const consumers: Record<string, string> = {
  'good.ts': `${IMPORT}
export async function run(): Promise<void> {
  const r = await client.imbot.v2.Chat.InputAction.notify({
    botId: 456, botToken: 'tok', dialogId: 'chat5',
    statusMessageCode: StatusMessageCode.IMBOT_AGENT_ACTION_THINKING, duration: 30,
  });
  const ok: boolean = r.result;
  await client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: '12', statusMessageCode: 'IMBOT_AGENT_ACTION_COMPOSING' });
  const full = await client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: '12' }).withResponse();
  const seconds: number | undefined = full.time.duration; // data-types.md: the fields of time vary by method and environment
  const status: number = full.status;
  const oauth = createClient({ portalUrl: 'https://portal.bitrix24.com', accessToken: 'a' });
  await oauth.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: 'chat1' }, { signal: AbortSignal.timeout(1000), timeout: 5000 });
  try {
    await client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: 'chat1' });
  } catch (err) {
    if (err instanceof BotNotFoundError) {
      const code: 'BOT_NOT_FOUND' = err.code;
      void code;
    } else if (err instanceof Bitrix24Error) {
      const code: string = err.code;
      void code;
    }
  }
  const handled = (e: ImbotV2ChatInputActionNotifyError): string => e.code;
  // OPERATION_TIME_LIMIT is a system error, so every method's error union holds its class.
  handled(new OperationTimeLimitError({ code: 'OPERATION_TIME_LIMIT', status: 429, description: '' }));
  const bot = client.bot({ botId: 456, botToken: 'tok' });
  const bound: { result: boolean } = await bot.Chat.InputAction.notify({ dialogId: 'chat5', statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING' });
  void bound;
  void [ok, seconds, status, handled];
}
`,
  'wrong-enum.ts': `${IMPORT}
void client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: 'chat1', statusMessageCode: 'IMBOT_AGENT_ACTION_SLEEPING' });
`,
  'missing-required.ts': `${IMPORT}
void client.imbot.v2.Chat.InputAction.notify({ botId: 1 });
`,
  'wrong-type.ts': `${IMPORT}
void client.imbot.v2.Chat.InputAction.notify({ botId: '456', dialogId: 'chat1' });
`,
  'unknown-param.ts': `${IMPORT}
void client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: 'chat1', durationSeconds: 5 });
`,
  'no-auth.ts': `${IMPORT}
void createClient({ timeout: 1000 });
`,
  'mixed-auth.ts': `${IMPORT}
void createClient({ webhookUrl: 'https://p/rest/1/c/', portalUrl: 'https://p', accessToken: 'a' });
`,
  'bound-repeats-bot.ts': `${IMPORT}
void client.bot({ botId: 1 }).Chat.InputAction.notify({ dialogId: 'chat1', botId: 2 });
`,
  'bound-needs-dialog.ts': `${IMPORT}
void client.bot({ botId: 1 }).Chat.InputAction.notify({});
`,
  'hard-shapes.ts': `${IMPORT}
export async function shapes(): Promise<void> {
  const bot = client.bot({ botId: 456, botToken: 'tok' });
  const keyboard: Keyboard = [
    { TEXT: 'Open', LINK: 'https://example.com', BG_COLOR_TOKEN: 'primary', CONTEXT: 'DESKTOP' },
    { TYPE: 'NEWLINE' },
    { TEXT: 'Help', COMMAND: 'help', COMMAND_PARAMS: 'all', BLOCK: 'Y', DISPLAY: 'LINE', WIDTH: 120 },
    { TEXT: 'Call', ACTION: 'CALL', ACTION_VALUE: '+10000000000' },
  ];
  const attach: Attachment = {
    ID: 1,
    COLOR_TOKEN: 'secondary',
    BLOCKS: [
      { MESSAGE: 'Build [B]42[/B]' },
      { LINK: { LINK: 'https://example.com', NAME: 'Details', DESC: 'CI run' } },
      { USER: { NAME: 'CI', AVATAR_TYPE: 'BOT', BOT_ID: 456 } },
      { DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
      { GRID: [{ DISPLAY: 'LINE', NAME: 'Branch', VALUE: 'main', WIDTH: 100 }] },
      { IMAGE: [{ LINK: 'https://example.com/a.png', WIDTH: 100, HEIGHT: 50 }] },
      { FILE: [{ LINK: 'https://example.com/a.pdf', NAME: 'a.pdf', SIZE: 1024 }] },
    ],
  };
  const sent = await bot.Chat.Message.send({ dialogId: 'chat5', fields: { message: 'Hi', keyboard, attach, forwardIds: { 'a-uuid': 17 } } });
  const id: number = sent.id;
  const newIds: Record<string, number> = sent.uuidMap;
  await bot.Chat.Message.send({ dialogId: '12', fields: { keyboard: { BOT_ID: 456, BUTTONS: keyboard }, attach: [{ MESSAGE: 'short form' }] } });
  await bot.Chat.Message.update({ messageId: id, fields: { urlPreview: 'N', keyboard: '[]' } });
  await bot.Chat.Message.Reaction.add({ messageId: id, reaction: Reaction.faceWithTearsOfJoy });
  const registered = await client.imbot.v2.Bot.register({
    fields: {
      code: 'support', botToken: 'tok', type: 'supervisor', eventMode: 'webhook', webhookUrl: 'https://example.com/hook',
      properties: { name: 'Support', lastName: 'Bot', color: Color.mint, gender: 'F', avatar: 'iVBORw0KGgo=' },
      backgroundId: 'frost', isHidden: false,
    },
  });
  const botId: number = registered.bot.id;
  const users: User[] = registered.users;
  const page = await bot.Event.get({ offset: 0, limit: 1000 });
  const next: number = page.nextOffset;
  const more: boolean = page.hasMore;
  const type: 'ONIMBOTV2MESSAGEADD' | string = page.events[0].type;
  const members = await bot.Chat.User.list({ dialogId: 'chat5', order: { id: 'DESC' }, limit: 200 });
  const first: string = members[0].name;
  const file = await client.im.v2.File.upload({ dialogId: 'chat5', fields: { name: 'a.txt', content: 'aGk=' } });
  const fileName: string = file.file.name;
  void [newIds, botId, users, next, more, type, first, fileName];
}
`,
  'keyboard-lowercase.ts': `${IMPORT}
void client.bot({ botId: 1 }).Chat.Message.send({ dialogId: 'chat1', fields: { keyboard: [{ text: 'Yes' }] } });
`,
  'button-without-text.ts': `${IMPORT}
void client.bot({ botId: 1 }).Chat.Message.send({ dialogId: 'chat1', fields: { keyboard: [{ LINK: 'https://example.com' }] } });
`,
  'unknown-reaction.ts': `${IMPORT}
void client.bot({ botId: 1 }).Chat.Message.Reaction.add({ messageId: 1, reaction: 'thumbsUp' });
`,
  'register-flat.ts': `${IMPORT}
void client.imbot.v2.Bot.register({ code: 'x', properties: { name: 'X' } });
`,
  'narrowed-code.ts': `${IMPORT}
export function f(err: BotNotFoundError): void {
  const code: 'BOT_ID_REQUIRED' = err.code;
  void code;
}
`,
};

let checked: ReturnType<typeof typecheckConsumers>;

beforeAll(() => {
  checked = typecheckConsumers(dir, consumers);
});

const problemsIn = (name: string): Problem[] => checked.inFile(name);
const LAST_LINE = IMPORT.split('\n').length + 1;

describe('the generated client under strict', () => {
  it('compiles correct calls, enum members and literals, withResponse and error narrowing', () => {
    expect(problemsIn('good.ts')).toEqual([]);
  });

  it('compiles the hardest shapes: keyboards, attachments, Bot.register, events, lists, im.v2 files', () => {
    expect(problemsIn('hard-shapes.ts')).toEqual([]);
    expect(checked.elsewhere()).toEqual([]);
  });

  it.each([
    ['wrong-enum.ts', 2820, `'"IMBOT_AGENT_ACTION_SLEEPING"' is not assignable to type 'StatusMessageCode | undefined'`],
    ['missing-required.ts', 2741, `Property 'dialogId' is missing`],
    ['wrong-type.ts', 2322, `Type 'string' is not assignable to type 'number'`],
    ['unknown-param.ts', 2353, `'durationSeconds' does not exist in type 'ImbotV2ChatInputActionNotifyParams'`],
    ['no-auth.ts', 2345, `is not assignable to parameter of type 'ClientOptions'`],
    ['mixed-auth.ts', 2345, `is not assignable to parameter of type 'ClientOptions'`],
    ['bound-repeats-bot.ts', 2353, `'botId' does not exist in type 'BoundParams<ImbotV2ChatInputActionNotifyParams>'`],
    ['bound-needs-dialog.ts', 2741, `Property 'dialogId' is missing`],
    ['keyboard-lowercase.ts', 2353, `'text' does not exist in type`],
    ['button-without-text.ts', 2322, `Property 'TEXT' is missing in type '{ LINK: string; }' but required in type 'KeyboardButton'`],
    ['unknown-reaction.ts', 2322, `Type '"thumbsUp"' is not assignable to type 'Reaction'`],
    ['register-flat.ts', 2353, `'code' does not exist in type 'ImbotV2BotRegisterParams'`],
    ['narrowed-code.ts', 2322, `Type '"BOT_NOT_FOUND"' is not assignable to type '"BOT_ID_REQUIRED"'`],
  ])('%s fails to compile (TS%i)', (name, code, text) => {
    const found = problemsIn(name);
    expect(found).toHaveLength(1);
    expect(found[0].code).toBe(code);
    expect(found[0].message).toContain(text);
    expect(found[0].line).toBeGreaterThanOrEqual(LAST_LINE - 1);
  });
});

// Quick info comes from TypeScript's language service, a JS API TypeScript 7 does not have:
// a ts-morph project (its bundled compiler, TypeScript 6, and its lib files) gives it.
describe('editor hover docs (TypeScript quick info, as an IDE shows them)', () => {
  it('show the method summary, own error codes, the system errors and the docs link on the client and on the bound bot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24gen-hover-'));
    try {
      const file = join(dir, 'hover.ts');
      const src = resolve('generated/src/index.js');
      const text = `import { createClient } from ${JSON.stringify(src)};
const client = createClient({ webhookUrl: 'https://example.bitrix24.com/rest/1/secret/' });
client.imbot.v2.Chat.Message.send;
client.bot({ botId: 1, botToken: 't' }).Chat.Message.send;
client.bot({ botId: 1 }).Chat.Message.Reaction.add;
`;
      writeFileSync(file, text);
      const project = new Project({ compilerOptions: ts.convertCompilerOptionsFromJson(STRICT_OPTIONS, dir).options });
      project.addSourceFileAtPath(file);
      const service = project.getLanguageService().compilerObject;
      const hover = (line: number, member: string) => {
        const lineStart = text.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0);
        const info = service.getQuickInfoAtPosition(file, text.indexOf(member, lineStart));
        const tags = (info?.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`);
        return { doc: ts.displayPartsToString(info?.documentation), tags, shape: ts.displayPartsToString(info?.displayParts) };
      };
      for (const line of [2, 3]) {
        const h = hover(line, 'send;');
        expect(h.doc).toContain('Send a message from the bot to a dialog.');
        expect(h.tags.some((t) => t.includes('EMPTY_MESSAGE'))).toBe(true);
        expect(h.tags.some((t) => t.includes('SystemErrors'))).toBe(true);
        expect(h.tags.some((t) => t.startsWith('@see') && t.includes('apidocs.bitrix24.com'))).toBe(true);
      }
      expect(hover(2, 'send;').shape).toContain('params: ImbotV2ChatMessageSendParams');
      expect(hover(3, 'send;').shape).toContain('params: BoundParams<ImbotV2ChatMessageSendParams>');
      expect(hover(4, 'add;').doc).not.toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
