import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { packGeneratedPackage } from './support/packed-package.js';

/**
 * examples/echo-bot, as a bot developer has it: the generated package packed (`npm pack`),
 * installed from the tarball (offline: it has no dependencies) into a copy of the example, and
 * the example's own tests run there with `node --test`, against `@b24gen/imbot-v2/testing`
 * from the installed package, not from this repository.
 */
const EXAMPLE = resolve('examples/echo-bot');
const execFileAsync = promisify(execFile);
let packed: { tarball: string; dir: string };
let copy: string;

beforeAll(async () => {
  packed = await packGeneratedPackage();
  copy = join(packed.dir, 'echo-bot');
  cpSync(EXAMPLE, copy, { recursive: true, filter: (src) => !/[\\/](node_modules|package-lock\.json)$/.test(src) });
  await execFileAsync('npm', ['install', '--no-audit', '--no-fund', '--offline', packed.tarball], { cwd: copy, encoding: 'utf8' });
}, 180_000);

afterAll(() => {
  if (packed) rmSync(packed.dir, { recursive: true, force: true });
});

describe('examples/echo-bot', () => {
  it('depends on the package and nothing else, and got it from the tarball', () => {
    const manifest = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['@b24gen/imbot-v2']);
    expect(manifest.devDependencies ?? {}).toEqual({});
    const installed = JSON.parse(readFileSync(join(copy, 'node_modules/@b24gen/imbot-v2/package.json'), 'utf8'));
    expect(installed.exports['./testing']).toBeDefined();
  });

  it("its node:test tests pass against the packed package: webhook mode, fetch mode, and main.js run as deployed", async () => {
    const run = await execFileAsync(process.execPath, ['--test', '--test-reporter=tap'], { cwd: copy, encoding: 'utf8', timeout: 120_000 }).catch((e: { stdout: string; stderr: string; code: number }) => e);
    const tap = run.stdout;
    const failed = 'code' in run ? `exit ${run.code}\n${tap}\n${run.stderr}` : '';
    expect(failed).toBe('');
    const passed = [...tap.matchAll(/^\s*ok \d+ - (.+)$/gm)].map((m) => m[1]);
    for (const name of [
      'webhook mode: a message gets its own text back, in its dialog',
      'webhook mode: /help is answered with the help text',
      "webhook mode: a post without the portal's application token is refused and answered nothing",
      'fetch mode: queued messages and /help are answered, and a restart from the stored offset repeats nothing',
      'main.js in webhook mode registers the bot with its public URL and echoes what a user writes',
    ]) {
      expect(passed).toContain(name);
    }
    // The five tests above and nothing else: a test file that stopped loading would not be silent.
    expect(tap).toMatch(/^# pass 5$/m);
    expect(tap).toMatch(/^# fail 0$/m);
  });
});

/**
 * The issue names vitest, jest and node:test: the example covers node:test, the project's own
 * tests vitest. Here a CommonJS project (jest's default) installs the same tarball and runs a
 * jest test of a bot against the kit, with jest's open-handle check on: a portal left serving or
 * a socket left open after close() would show.
 */
const JEST_TEST = `const { createClient } = require('@b24gen/imbot-v2');
const { createTestPortal } = require('@b24gen/imbot-v2/testing');

test('a bot sends and reads through the kit, and a user message reaches its Event.get queue', async () => {
  const portal = await createTestPortal({ bots: [{ id: 7, code: 'echo', botToken: 'echo-bot-secret', eventMode: 'fetch', type: 'supervisor' }] });
  try {
    const bot = createClient({ webhookUrl: portal.webhookUrl }).bot({ botId: 7, botToken: 'echo-bot-secret' });
    const { id } = await bot.Chat.Message.send({ dialogId: 'chat5', fields: { message: 'hi' } });
    expect((await bot.Chat.Message.get({ messageId: id })).message.text).toBe('hi');
    await portal.say('chat5', 'hello bot');
    expect((await bot.Event.get({})).events.map((e) => e.type)).toEqual(['ONIMBOTV2MESSAGEADD']);
    expect(portal.calls.of('imbot.v2.Chat.Message.send').map((c) => c.params.fields.message)).toEqual(['hi']);
  } finally {
    await portal.close();
  }
});
`;

describe('@b24gen/imbot-v2/testing under jest', () => {
  it('a CommonJS jest test of a bot passes against the packed package, with no handle left open', async () => {
    // Outside node_modules/ (where the tarball is): jest skips test files under a node_modules folder.
    const project = mkdtempSync(join(tmpdir(), 'b24gen-jest-user-'));
    onTestFinished(() => rmSync(project, { recursive: true, force: true }));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'jest-user', private: true }));
    await execFileAsync('npm', ['install', '--no-audit', '--no-fund', '--offline', packed.tarball], { cwd: project, encoding: 'utf8' });
    writeFileSync(join(project, 'bot.test.js'), JEST_TEST);
    const jest = resolve('node_modules/jest/bin/jest.js');
    const run = await execFileAsync(process.execPath, [jest, '--rootDir', project, '--ci', '--json', '--detectOpenHandles', '--watchman=false', '--cacheDirectory', join(project, '.jest-cache')], { cwd: project, encoding: 'utf8', timeout: 120_000 }).catch((e: { stdout: string; stderr: string; code: number }) => e);
    if (!run.stdout.trim().startsWith('{')) throw new Error(`jest printed no report: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { numPassedTests: number; numFailedTests: number; openHandles: unknown[] };
    expect({ passed: report.numPassedTests, failed: report.numFailedTests, openHandles: report.openHandles.length }, run.stderr).toEqual({ passed: 1, failed: 0, openHandles: 0 });
  }, 150_000);
});
