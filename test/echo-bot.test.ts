import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
