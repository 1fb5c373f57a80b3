import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCS_DIFF_ALLOWLIST } from '../generator/load/index.js';

// The print workers' share of loading the spec (generator/load/shared-load.ts) runs only in the
// `b24gen` executable (the workers import its bundle), so these tests run it. With
// B24GEN_LOAD_SHARE=workers the workers load every file and the main thread only waits, so
// what is checked here is the workers' side alone.
const BIN = resolve('generator/bin/b24gen.mjs');
const temp = mkdtempSync(join(tmpdir(), 'b24gen-shared-load-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function generate(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, 'generate', ...args], { encoding: 'utf8', env: { ...process.env, B24GEN_TIMELINE: '1', B24GEN_CACHE: '0', ...env } });
  const timeline = r.stderr.split('\n').filter((line) => line.startsWith('b24gen timeline'));
  const messages = r.stderr.split('\n').filter((line) => !line.startsWith('b24gen timeline')).join('\n');
  const parsed = timeline.map((line) => /worker \d+: parsed and checked (\d+) spec files?$/.exec(line)).filter((m) => m !== null);
  return { code: r.status, out: r.stdout, messages, byWorkers: parsed.reduce((n, m) => n + Number(m[1]), 0) };
}

const specFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml') && f !== DOCS_DIFF_ALLOWLIST).length;

describe('the print workers loading the spec files', () => {
  it('give the committed output byte for byte when they load every file', () => {
    const r = generate(['--check'], { B24GEN_LOAD_SHARE: 'workers' });
    expect(r.messages).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^generated\/src is up to date \(\d+ files, 39 methods\)\.\n$/);
    expect(r.byWorkers).toBe(specFiles('spec'));
  }, 60_000);

  it('leave a file with problems to the main thread, which reports them as it always does and writes nothing', () => {
    const spec = join(temp, 'bad-spec');
    cpSync('spec', spec, { recursive: true });
    const notify = join(spec, 'imbot.v2', 'Chat.InputAction.notify.yaml');
    writeFileSync(notify, readFileSync(notify, 'utf8').replace(/^summary:/m, 'summary: twice\nsummary:'));
    // A YAML error (a duplicate key) and a schema error (an unknown key): no entry, loaded again.
    const typing = 'Bot.list.yaml';
    writeFileSync(join(spec, 'imbot.v2', typing), `${readFileSync(join(spec, 'imbot.v2', typing), 'utf8')}colour: blue\n`);
    // A file that parses and passes the schema, with a problem only the cross-file checks see:
    // located through the positions the worker sent.
    const get = join(spec, 'imbot.v2', 'Bot.get.yaml');
    writeFileSync(get, readFileSync(get, 'utf8').replace('$ref: BotId', '$ref: NoSuchType'));
    const out = join(temp, 'bad-out');
    const alone = generate(['--spec', spec, '--out', out], { B24GEN_LOAD_SHARE: '0' });
    const shared = generate(['--spec', spec, '--out', out], { B24GEN_LOAD_SHARE: 'workers' });
    expect(alone.code).toBe(1);
    expect(alone.messages).toContain('Chat.InputAction.notify.yaml:');
    expect(alone.messages).toContain(`${typing}:`);
    expect(alone.messages).toMatch(/Bot\.get\.yaml:\d+:\d+: .*NoSuchType/);
    expect(shared.code).toBe(1);
    expect(shared.messages).toBe(alone.messages);
    expect(shared.byWorkers).toBe(specFiles(spec));
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('fill the load cache as the main thread does', () => {
    const caches = join(temp, 'caches');
    const out = join(temp, 'cached-out');
    const r = generate(['--out', out], { B24GEN_LOAD_SHARE: 'workers', B24GEN_CACHE: '', B24GEN_CACHE_DIR: caches });
    expect(r.code).toBe(0);
    expect(r.byWorkers).toBe(specFiles('spec'));
    // One entry per spec file (a file's entry is named by the hash of its text).
    expect(readdirSync(join(caches, 'load')).length).toBe(specFiles('spec'));
    // The next run answers from those entries, and gives the same files.
    const again = generate(['--out', out, '--check'], { B24GEN_LOAD_SHARE: '0', B24GEN_CACHE: '', B24GEN_CACHE_DIR: caches });
    expect(again.code).toBe(0);
  }, 60_000);
});
