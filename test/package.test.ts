import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, TestServer, TIME } from './support/http-server.js';

/**
 * The package as users get it: built, `npm pack`ed, installed from the tarball into an empty
 * project, then imported from plain Node ESM and type-checked from a strict TypeScript project.
 */
const GENERATED = resolve('generated');
const TSC = resolve('node_modules/typescript/bin/tsc');
const temp = mkdtempSync(join(tmpdir(), 'b24gen-pack-'));
const project = join(temp, 'consumer');
let server: TestServer;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  run(process.execPath, [TSC, '-p', join(GENERATED, 'tsconfig.json')], GENERATED);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', temp], GENERATED)) as { filename: string }[];
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(temp, packed[0].filename)], project);
  server = await TestServer.start();
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('ships dist with types and no runtime dependencies', () => {
    const installed = join(project, 'node_modules', '@b24gen', 'imbot-v2');
    const files = readdirSync(join(installed, 'dist'));
    expect(files).toContain('index.js');
    expect(files).toContain('index.d.ts');
    expect(readdirSync(join(project, 'node_modules'))).toEqual(['.package-lock.json', '@b24gen']);
  });

  it('works from a plain Node ESM script against a loopback server, leaking no secret', async () => {
    const seen: unknown[] = [];
    server.handle((req, res) => {
      seen.push({ path: req.path, body: req.json });
      const body = req.json as { botId: number };
      if (body.botId === 404) json(res, 400, { error: 'BOT_NOT_FOUND', error_description: 'Bot not found' });
      else json(res, 200, { result: { result: true }, time: TIME });
    });
    writeFileSync(
      join(project, 'call.mjs'),
      `import { createClient, StatusMessageCode, BotNotFoundError, QueryLimitExceededError, ExpiredTokenError, NoAuthFoundError, OverloadLimitError, InsufficientScopeError, BotOwnershipError } from '@b24gen/imbot-v2';
const client = createClient({ webhookUrl: process.argv[2] + '/rest/1/pack-secret-code/' });
const r = await client.imbot.v2.Chat.InputAction.notify({ botId: 456, botToken: 'pack-bot-token', dialogId: 'chat5', statusMessageCode: StatusMessageCode.IMBOT_AGENT_ACTION_THINKING, duration: 30 });
let failure;
try { await client.imbot.v2.Chat.InputAction.notify({ botId: 404, botToken: 'pack-bot-token', dialogId: 'chat5' }); } catch (e) { failure = e; }
console.log(JSON.stringify({
  result: r,
  codes: Object.keys(StatusMessageCode).length,
  failure: { isClass: failure instanceof BotNotFoundError, json: JSON.stringify(failure), stack: failure.stack },
  classes: [QueryLimitExceededError, ExpiredTokenError, NoAuthFoundError, OverloadLimitError, InsufficientScopeError, BotOwnershipError].map((c) => c.name),
}));
`,
    );
    // Asynchronously: the loopback server lives in this process and must keep answering.
    const r = await promisify(execFile)(process.execPath, ['call.mjs', server.url], { cwd: project, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.result).toEqual({ result: true });
    expect(out.codes).toBe(11);
    expect(out.failure.isClass).toBe(true);
    expect(out.classes).toEqual(['QueryLimitExceededError', 'ExpiredTokenError', 'NoAuthFoundError', 'OverloadLimitError', 'InsufficientScopeError', 'BotOwnershipError']);
    for (const text of [out.failure.json, out.failure.stack]) {
      expect(text).not.toContain('pack-secret-code');
      expect(text).not.toContain('pack-bot-token');
    }
    expect(seen[0]).toEqual({
      path: '/rest/1/pack-secret-code/imbot.v2.Chat.InputAction.notify',
      body: { botId: 456, botToken: 'pack-bot-token', dialogId: 'chat5', statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 30 },
    });
  });

  it('type-checks a correct consumer and rejects a mistyped call under tsc --strict', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [] }, files: ['good.ts', 'bad.ts'] }),
    );
    writeFileSync(
      join(project, 'good.ts'),
      `import { createClient, StatusMessageCode } from '@b24gen/imbot-v2';
const client = createClient({ webhookUrl: 'https://portal.bitrix24.com/rest/1/code/' });
export const done: Promise<{ result: boolean }> = client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: 'chat5', statusMessageCode: StatusMessageCode.IMBOT_AGENT_ACTION_CHECKING });
`,
    );
    writeFileSync(
      join(project, 'bad.ts'),
      `import { createClient } from '@b24gen/imbot-v2';
const client = createClient({ webhookUrl: 'https://portal.bitrix24.com/rest/1/code/' });
void client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: 'chat5', statusMessageCode: 'IMBOT_AGENT_ACTION_NAPPING' });
`,
    );
    const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(r.status).toBe(2);
    const lines = r.stdout.trim().split('\n').filter((l) => /error TS/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bad\.ts\(3,\d+\): error TS2820: Type '"IMBOT_AGENT_ACTION_NAPPING"' is not assignable to type 'StatusMessageCode \| undefined'/);
  });
});
