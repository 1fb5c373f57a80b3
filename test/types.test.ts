import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { typecheck, type Problem } from './support/typecheck.js';

/**
 * Compile-time guarantees of the generated client, checked the way a user meets them: consumer
 * files importing generated/src are type-checked under `strict`. Correct calls must compile;
 * each mistake must be a compile error at the mistaken line.
 */
const dir = resolve('test/.tmp/types');
const IMPORT = `import {
  createClient, StatusMessageCode, Bitrix24Error, BotNotFoundError,
  type ImbotV2ChatInputActionNotifyError,
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
  const seconds: number = full.time.duration;
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
  'narrowed-code.ts': `${IMPORT}
export function f(err: BotNotFoundError): void {
  const code: 'BOT_ID_REQUIRED' = err.code;
  void code;
}
`,
};

let problems: Problem[];

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(consumers)) writeFileSync(join(dir, name), text);
  problems = typecheck(Object.keys(consumers).map((n) => join(dir, n)));
});

const problemsIn = (name: string) => problems.filter((p) => p.file.endsWith(`/${name}`));
const LAST_LINE = IMPORT.split('\n').length + 1;

describe('the generated client under strict', () => {
  it('compiles correct calls, enum members and literals, withResponse and error narrowing', () => {
    expect(problemsIn('good.ts')).toEqual([]);
    expect(problems.filter((p) => !Object.keys(consumers).some((n) => p.file.endsWith(`/${n}`)))).toEqual([]);
  });

  it.each([
    ['wrong-enum.ts', 2820, `'"IMBOT_AGENT_ACTION_SLEEPING"' is not assignable to type 'StatusMessageCode | undefined'`],
    ['missing-required.ts', 2345, `Property 'dialogId' is missing`],
    ['wrong-type.ts', 2322, `Type 'string' is not assignable to type 'number'`],
    ['unknown-param.ts', 2353, `'durationSeconds' does not exist in type 'ImbotV2ChatInputActionNotifyParams'`],
    ['no-auth.ts', 2345, `is not assignable to parameter of type 'ClientOptions'`],
    ['mixed-auth.ts', 2345, `is not assignable to parameter of type 'ClientOptions'`],
    ['bound-repeats-bot.ts', 2353, `'botId' does not exist in type 'BoundParams<ImbotV2ChatInputActionNotifyParams>'`],
    ['bound-needs-dialog.ts', 2345, `Property 'dialogId' is missing`],
    ['narrowed-code.ts', 2322, `Type '"BOT_NOT_FOUND"' is not assignable to type '"BOT_ID_REQUIRED"'`],
  ])('%s fails to compile (TS%i)', (name, code, text) => {
    const found = problemsIn(name);
    expect(found).toHaveLength(1);
    expect(found[0].code).toBe(code);
    expect(found[0].message).toContain(text);
    expect(found[0].line).toBeGreaterThanOrEqual(LAST_LINE - 1);
  });
});
