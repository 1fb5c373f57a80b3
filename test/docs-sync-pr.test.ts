import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitIn, initRepo } from './support/git-repo.js';

/**
 * scripts/docs-sync-pr.sh, the steps of .github/workflows/docs-sync.yml, run end to end: a git
 * repository standing in for the official docs (the real pages, then a commit adding a param on
 * a method page, as the docs do), a clone of this repository and a local bare remote. Only the
 * workflow's `gh pr create/edit` step is not run here.
 */
const DOCS = resolve('../shared/upstream-docs');
const SCRIPT = resolve('scripts/docs-sync-pr.sh');
const NOTIFY_PAGE = 'api-reference/chat-bots/chat-bots-v2/imbot.v2/ui/chat-input-action-notify.md';
const DURATION_ROW =
  '|| **duration**\n[`integer`](../../../../data-types.md) | Duration of the indicator display in seconds (1–600). Default is determined by the server ||\n';
const SILENT_ROW = '|| **silent**\n[`boolean`](../../../../data-types.md) | Show the indicator without a sound ||\n';

const haveDocs = existsSync(join(DOCS, 'api-reference'));
if (!haveDocs) console.warn(`docs-sync-pr.test.ts: skipped, ${DOCS} is missing (the official docs pages)`);

describe.skipIf(!haveDocs)('scripts/docs-sync-pr.sh', () => {
  let temp = '';
  let docs = '';
  let repo = '';
  let remote = '';
  let revision = '';

  function run(body: string) {
    const r = spawnSync('bash', [SCRIPT, docs, remote, body], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, DOCS_SYNC_SKIP_TESTS: '1', B24GEN_CACHE_DIR: join(temp, 'cache'), GITHUB_OUTPUT: join(temp, 'github-output') },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'b24gen-docs-sync-pr-'));

    // The docs repository: the real pages, then one commit adding a param to a method page.
    docs = join(temp, 'docs');
    cpSync(DOCS, docs, { recursive: true });
    rmSync(join(docs, 'REVISION'));
    const docsGit = initRepo(docs, 'docs as the spec follows them');
    const page = readFileSync(join(docs, NOTIFY_PAGE), 'utf8');
    if (!page.includes(DURATION_ROW)) throw new Error(`fixture: ${NOTIFY_PAGE} changed; update the test`);
    writeFileSync(join(docs, NOTIFY_PAGE), page.replace(DURATION_ROW, DURATION_ROW + SILENT_ROW));
    docsGit('commit', '--quiet', '-am', 'notify: silent');
    revision = docsGit('rev-parse', 'HEAD');
    // What the workflow does after checking the docs out.
    writeFileSync(join(docs, 'REVISION'), `${revision}\n`);

    // This repository as committed, with its node_modules, and an empty bare remote.
    repo = join(temp, 'repo');
    gitIn(temp)('clone', '--quiet', '--no-hardlinks', resolve('.'), repo);
    const git = gitIn(repo);
    git('config', 'user.email', 'bot@example.com');
    git('config', 'user.name', 'docs-sync bot');
    git('checkout', '--quiet', '-B', 'main');
    symlinkSync(resolve('node_modules'), join(repo, 'node_modules'), 'dir');
    remote = join(temp, 'remote.git');
    gitIn(temp)('init', '--quiet', '--bare', remote);
  }, 60_000);

  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('pushes one commit naming the docs revision, with the spec change, and writes the PR body', () => {
    const base = gitIn(repo)('rev-parse', 'HEAD');
    const bodyFile = join(temp, 'body.md');
    const r = run(bodyFile);
    expect(r.stderr).not.toContain('docs-sync-pr:');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('npm test skipped (DOCS_SYNC_SKIP_TESTS=1)');
    expect(readFileSync(join(temp, 'github-output'), 'utf8')).toBe('changed=true\n');

    const remoteGit = gitIn(remote);
    const head = remoteGit('rev-parse', 'refs/heads/docs-sync');
    expect(remoteGit('rev-list', '--count', `${base}..${head}`)).toBe('1');
    expect(remoteGit('log', '-1', '--format=%s', head)).toBe(`docs-sync: spec follows docs at ${revision}`);
    const changed = remoteGit('diff', '--name-only', base, head).split('\n');
    expect(changed).toContain('spec/imbot.v2/Chat.InputAction.notify.yaml');
    expect(changed).toContain('spec/docs-sync.yaml');
    expect(changed.some((f) => f.startsWith('generated/src/'))).toBe(true); // generate ran
    const spec = remoteGit('show', `${head}:spec/imbot.v2/Chat.InputAction.notify.yaml`);
    expect(spec).toMatch(/\n {2}silent:\n {4}type: boolean\n {4}description: "TODO\(docs-sync\): describe from /);
    expect(remoteGit('show', `${head}:spec/docs-sync.yaml`)).toContain(`revision: ${revision}\n`);

    const body = readFileSync(bodyFile, 'utf8');
    expect(body).toContain(`the spec follows docs at \`${revision}\``);
    expect(body).toContain('TODO(docs-sync)'); // the summary's items awaiting a description
    expect(body).toContain('<!-- b24gen-spec-diff -->'); // the diff report
    expect(body).toContain('silent');
  }, 120_000);

  it('does nothing on a second run with no docs change', () => {
    const git = gitIn(repo);
    git('checkout', '--quiet', 'main');
    const before = gitIn(remote)('rev-parse', 'refs/heads/docs-sync');
    writeFileSync(join(temp, 'github-output'), '');
    const bodyFile = join(temp, 'body-2.md');
    const r = run(bodyFile);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`already holds the sync to docs at ${revision}; nothing to do`);
    expect(gitIn(remote)('rev-parse', 'refs/heads/docs-sync')).toBe(before);
    expect(existsSync(bodyFile)).toBe(false);
    expect(readFileSync(join(temp, 'github-output'), 'utf8')).toBe('changed=false\n');
  }, 120_000);

  it('says nothing is to do when the docs match the spec', () => {
    const git = gitIn(repo);
    git('checkout', '--quiet', '-B', 'main', 'docs-sync');
    writeFileSync(join(temp, 'github-output'), '');
    const bodyFile = join(temp, 'body-3.md');
    const r = run(bodyFile);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`spec/ already follows docs at ${revision}; nothing to do`);
    expect(existsSync(bodyFile)).toBe(false);
    expect(readFileSync(join(temp, 'github-output'), 'utf8')).toBe('changed=false\n');
  }, 120_000);

  it('opens no pull request for a docs revision that changed no chat-bot page (only the revision line would change)', () => {
    const docsGit = gitIn(docs);
    writeFileSync(join(docs, 'other-api.md'), '# Another API\n');
    docsGit('add', 'other-api.md');
    docsGit('commit', '--quiet', '-m', 'another part of the docs');
    const next = docsGit('rev-parse', 'HEAD');
    writeFileSync(join(docs, 'REVISION'), `${next}\n`);
    writeFileSync(join(temp, 'github-output'), '');
    const bodyFile = join(temp, 'body-4.md');
    const r = run(bodyFile);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`spec/ already follows docs at ${next}; nothing to do`);
    expect(gitIn(repo)('status', '--porcelain', '--', 'spec', 'generated')).toBe('');
    expect(existsSync(bodyFile)).toBe(false);
    expect(readFileSync(join(temp, 'github-output'), 'utf8')).toBe('changed=false\n');
  }, 120_000);

  it('refuses a docs folder without a REVISION file, with exit 2', () => {
    const noRevision = join(temp, 'no-revision');
    cpSync(join(docs, 'api-reference'), join(noRevision, 'api-reference'), { recursive: true });
    const r = spawnSync('bash', [SCRIPT, noRevision, remote, join(temp, 'x.md')], { cwd: repo, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('REVISION is missing or empty');
  });
});
