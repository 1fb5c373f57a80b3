import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpVersion } from '../generator/package/version.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { gitIn, initRepo } from './support/git-repo.js';
import { LocalRegistry } from './support/verdaccio.js';

/**
 * `b24gen release` end to end, as a maintainer runs it: a git repository holding spec/ and
 * generated/, a real npm registry (Verdaccio on 127.0.0.1), `npm publish` through it, then a
 * fresh project installing the package from that registry and calling a loopback server.
 */
const BIN = resolve('generator/bin/b24gen.mjs');
const temp = mkdtempSync(join(tmpdir(), 'b24gen-release-'));
const repo = join(temp, 'repo');
const execFileAsync = promisify(execFile);
let registry: LocalRegistry;
let env: NodeJS.ProcessEnv;
let server: TestServer;

const git = gitIn(repo);

async function release(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await execFileAsync(process.execPath, [BIN, 'release', ...args], { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function publishedVersions(): Promise<string[]> {
  const res = await fetch(`${registry.url}@b24gen%2fimbot-v2`);
  if (res.status === 404) return [];
  return Object.keys(((await res.json()) as { versions: object }).versions).sort();
}

beforeAll(async () => {
  registry = await LocalRegistry.start();
  env = { ...process.env, npm_config_userconfig: await registry.npmrc(), npm_config_cache: join(temp, 'npm-cache'), NO_COLOR: '1' };
  mkdirSync(repo);
  cpSync('spec', join(repo, 'spec'), { recursive: true });
  cpSync('generated', join(repo, 'generated'), { recursive: true, filter: (src) => !/[\\/](dist|node_modules)$/.test(src) && !src.endsWith('.tgz') });
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist\n*.tgz\n');
  initRepo(repo, 'spec and generated client');
  server = await TestServer.start();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await registry?.stop();
  rmSync(temp, { recursive: true, force: true });
});

describe('b24gen release', () => {
  it('refuses a dirty tree, names the files, and publishes nothing', async () => {
    writeFileSync(join(repo, 'spec', 'draft.yaml'), 'wip: true\n');
    const r = await release('--registry', registry.url);
    rmSync(join(repo, 'spec', 'draft.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('b24gen release: the git tree has uncommitted changes (1: spec/draft.yaml); commit or stash them, then release\n');
    expect(await publishedVersions()).toEqual([]);
  });

  it('refuses when generated/ is stale against spec/', async () => {
    const file = join(repo, 'spec/imbot.v2/Chat.InputAction.notify.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace(/^summary: .*$/m, 'summary: Changed without regenerating.'));
    git('commit', '--quiet', '-am', 'spec change without generate');
    const r = await release('--registry', registry.url);
    git('reset', '--quiet', '--hard', 'HEAD~1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^b24gen release: generated\/ is stale: \d+ file\(s\) differ from what spec\/ produces; run `npm run generate`, commit, then release\n$/);
    expect(await publishedVersions()).toEqual([]);
  });

  it('--dry-run builds and runs npm publish --dry-run, and leaves no trace', async () => {
    const head = git('rev-parse', 'HEAD');
    const r = await release('--registry', registry.url, '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run: would publish @b24gen/imbot-v2@0.1.0');
    expect(git('status', '--porcelain')).toBe('');
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('tag')).toBe('');
    expect(await publishedVersions()).toEqual([]);
  });

  it('publishes the first release, writes the CHANGELOG, commits and tags it', async () => {
    const r = await release('--registry', registry.url);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('released imbot-v2@0.1.0');
    expect(await publishedVersions()).toEqual(['0.1.0']);
    expect(git('tag')).toBe('imbot-v2@0.1.0');
    expect(git('log', '-1', '--format=%s')).toBe('release @b24gen/imbot-v2@0.1.0');
    expect(git('status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo, 'generated/CHANGELOG.md'), 'utf8')).toMatch(/^# Changelog\n\n## 0\.1\.0 \(\d{4}-\d{2}-\d{2}\)\n\n- First release\.\n$/);
  });

  it('after a release, asks for the bump when the spec diff cannot tell, and refuses a taken version', async () => {
    const r = await release('--registry', registry.url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^b24gen release: (pass --bump major\|minor\|patch|nothing in spec\/ changed since imbot-v2@0\.1\.0)/);
    expect(await publishedVersions()).toEqual(['0.1.0']);
  });

  it('a second release with --bump: the version follows semver for 0.x and both versions are on the registry', async () => {
    const r = await release('--registry', registry.url, '--bump', 'minor');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await publishedVersions()).toEqual(['0.1.0', '0.1.1']);
    expect(JSON.parse(readFileSync(join(repo, 'generated/package.json'), 'utf8')).version).toBe('0.1.1');
    expect(readFileSync(join(repo, 'generated/CHANGELOG.md'), 'utf8')).toMatch(/^# Changelog\n\n## 0\.1\.1 \([\d-]+\)\n\n[\s\S]*\n## 0\.1\.0 /);
  });

  it('takes the bump from the spec diff since the last tag, and refuses a --bump that is too small', async () => {
    const file = join(repo, 'spec/imbot.v2/Chat.InputAction.notify.yaml');
    // A breaking change: duration becomes required.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(  duration:\n)/, '$1    required: true\n'));
    await execFileAsync(process.execPath, [BIN, 'generate'], { cwd: repo, encoding: 'utf8' });
    git('add', '.');
    git('commit', '--quiet', '-m', 'duration is required now');
    const small = await release('--registry', registry.url, '--bump', 'patch');
    expect(small.code).toBe(1);
    expect(small.stderr).toBe('b24gen release: --bump patch is too small: the spec changes since imbot-v2@0.1.1 need a major release\n');
    const r = await release('--registry', registry.url);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('spec changes since imbot-v2@0.1.1 need a major bump');
    expect(r.stdout).toContain('released imbot-v2@0.2.0');
    expect(await publishedVersions()).toEqual(['0.1.0', '0.1.1', '0.2.0']);
    const changelog = readFileSync(join(repo, 'generated/CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^# Changelog\n\n## 0\.2\.0 \([\d-]+\)\n\n### Breaking\n\n- `imbot\.v2\.Chat\.InputAction\.notify`: param duration became required: calls without it stop compiling\n/);
  }, 180_000);

  it('installs from the registry into a fresh project and calls a loopback server', async () => {
    const project = join(temp, 'bot');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bot', private: true, type: 'module' }));
    await execFileAsync('npm', ['install', '--no-audit', '--no-fund', '@b24gen/imbot-v2'], { cwd: project, env, encoding: 'utf8' });
    const installed = JSON.parse(readFileSync(join(project, 'node_modules/@b24gen/imbot-v2/package.json'), 'utf8'));
    expect(installed.version).toBe('0.2.0');
    server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
    writeFileSync(
      join(project, 'bot.mjs'),
      `import { createClient } from '@b24gen/imbot-v2';
const bot = createClient({ webhookUrl: process.argv[2] + '/rest/1/registry-secret/' }).bot({ botId: 9, botToken: 't' });
console.log(JSON.stringify(await bot.Chat.InputAction.notify({ dialogId: 'chat1', duration: 5 })));
`,
    );
    const r = await execFileAsync(process.execPath, ['bot.mjs', server.url], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual({ result: true });
    expect(server.requests.at(-1)?.path).toBe('/rest/1/registry-secret/imbot.v2.Chat.InputAction.notify');
  });
});

describe('b24gen release, tagged locally and published by CI (.github/workflows/release.yml)', () => {
  it('--skip-publish versions, commits and tags without publishing', async () => {
    const r = await release('--registry', registry.url, '--bump', 'patch', '--skip-publish');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tagged imbot-v2@0.2.1, not published; `git push --follow-tags` publishes it from CI');
    expect(git('tag', '--points-at', 'HEAD')).toBe('imbot-v2@0.2.1');
    expect(git('log', '-1', '--format=%s')).toBe('release @b24gen/imbot-v2@0.2.1');
    expect(git('status', '--porcelain')).toBe('');
    expect(await publishedVersions()).toEqual(['0.1.0', '0.1.1', '0.2.0']);
  }, 120_000);

  it('--from-tag refuses a HEAD that is not the tagged release commit, and publishes nothing', async () => {
    git('commit', '--quiet', '--allow-empty', '-m', 'after the release');
    const r = await release('--registry', registry.url, '--from-tag');
    git('reset', '--quiet', '--hard', 'HEAD~1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'b24gen release: --from-tag publishes the version generated/package.json holds (0.2.1) only from the commit tagged imbot-v2@0.2.1, but HEAD carries no imbot-v2@X.Y.Z tag; tag the release with `b24gen release --skip-publish` and push the tag\n',
    );
    expect(await publishedVersions()).toEqual(['0.1.0', '0.1.1', '0.2.0']);
  });

  it('--from-tag publishes the tagged version as committed: no new commit, tag or change', async () => {
    const head = git('rev-parse', 'HEAD');
    const r = await release('--registry', registry.url, '--from-tag');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('published imbot-v2@0.2.1');
    expect(await publishedVersions()).toEqual(['0.1.0', '0.1.1', '0.2.0', '0.2.1']);
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('tag', '--points-at', 'HEAD')).toBe('imbot-v2@0.2.1');
    expect(git('status', '--porcelain')).toBe('');
  }, 120_000);

  it('refuses --skip-publish with --from-tag, and --bump with --from-tag, with exit 2', async () => {
    const both = await release('--skip-publish', '--from-tag');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--skip-publish and --from-tag exclude each other');
    const bump = await release('--from-tag', '--bump', 'patch');
    expect(bump.code).toBe(2);
    expect(bump.stderr).toContain('--from-tag publishes the tagged version as committed; --bump does not apply');
  });
});

describe('version bumps', () => {
  it('follow semver, with 0.x shifted down one place as caret ranges read them', () => {
    expect(bumpVersion('1.4.2', 'major')).toBe('2.0.0');
    expect(bumpVersion('1.4.2', 'minor')).toBe('1.5.0');
    expect(bumpVersion('1.4.2', 'patch')).toBe('1.4.3');
    expect(bumpVersion('0.4.2', 'major')).toBe('0.5.0');
    expect(bumpVersion('0.4.2', 'minor')).toBe('0.4.3');
    expect(bumpVersion('0.4.2', 'patch')).toBe('0.4.3');
  });
});
