import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.js';
import { ALL_RULES, compareApis, diffSides, formatGithub, formatJson, formatMarkdown, formatText, type Change } from '../generator/diff/index.js';
import { loadSpecTexts, readSpecDir, type SpecText } from '../generator/load/index.js';
import { before2026 } from './fixtures/diff/history-2026.js';
import { EVENT_FILES, eventYaml, methodYaml, OTHER_METHOD_FILES, RULE_PAIRS, type MethodParts } from './fixtures/diff/rule-pairs.js';
import { initRepo } from './support/git-repo.js';

/**
 * `b24gen diff` and `b24gen changelog`: a spec pair for every rule (rule id and level), the
 * 2026 changes of the real API replayed on the real spec, git revisions read from a temporary
 * repository, every output format and the exit codes.
 */
const temp = mkdtempSync(join(tmpdir(), 'b24gen-diff-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function api(parts: MethodParts | null, label: string, event = false, withEvents = false, withOtherMethod = false) {
  const texts: SpecText[] = parts ? [event ? { path: 'imbot.v2/events/ONIMBOTV2DEMO.yaml', text: eventYaml(parts) } : { path: 'imbot.v2/Demo.run.yaml', text: methodYaml(parts) }] : [];
  return loadSpecTexts([...texts, ...(withEvents ? EVENT_FILES : []), ...(withOtherMethod ? OTHER_METHOD_FILES : [])], label);
}

async function run(cwd: string | undefined, ...args: string[]) {
  let out = '';
  let err = '';
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    process.chdir(before);
  }
}

function writeSpec(dir: string, texts: SpecText[]): string {
  rmSync(dir, { recursive: true, force: true });
  for (const t of texts) {
    mkdirSync(join(dir, t.path, '..'), { recursive: true });
    writeFileSync(join(dir, t.path), t.text);
  }
  return dir;
}

describe('the rule catalogue', () => {
  it.each(RULE_PAIRS)('$rule ($level)', ({ rule, level, base, head, event, withEvents, withOtherMethod }) => {
    const changes = compareApis(api(base, 'base', event, withEvents, withOtherMethod), api(head, 'head', event, withEvents, withOtherMethod));
    expect(changes.length).toBeGreaterThan(0);
    expect([...new Set(changes.map((c) => `${c.rule} ${c.level}`))]).toEqual([`${rule} ${level}`]);
  });

  it('has a pair for every rule, and RULES.md documents each with its level and an example', () => {
    expect(RULE_PAIRS.map((p) => p.rule).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    const doc = readFileSync('generator/diff/RULES.md', 'utf8');
    for (const r of ALL_RULES) {
      const section = doc.split(/^### /m).find((s) => s.startsWith(`\`${r.id}\``));
      expect(section, r.id).toBeDefined();
      expect(section, r.id).toContain(`**${r.level}**`);
      expect(section, r.id).toMatch(/```yaml/);
    }
  });

  it('a move takes its container along: no separate report for the new `fields` object', () => {
    const changes = compareApis(
      api({ params: '  botId: { type: integer, required: true }\n  command: { type: string, required: true }\n' }, 'b'),
      api({ params: '  botId: { type: integer, required: true }\n  fields:\n    type: object\n    required: true\n    properties:\n      command: { type: string, required: true }\n      title: { type: string }\n' }, 'h'),
    );
    expect(changes.map((c) => `${c.rule} ${c.path}`)).toEqual(['request-property-moved params.fields.command', 'new-optional-request-property params.fields.title']);
  });

  it("an event's data is judged like a result: a removed field breaks handlers, an added one is news", () => {
    const data = (props: string) => ({ result: `  type: object\n  properties:\n    messageId: { type: integer, required: true }\n${props}` });
    const changes = compareApis(api(data('    chat: { type: string, required: true }\n'), 'b', true), api(data('    user: { type: string }\n'), 'h', true));
    expect(changes.map((c) => `${c.kind} ${c.subject} ${c.rule} ${c.level} ${c.path}`)).toEqual(['event ONIMBOTV2DEMO response-property-removed breaking data.chat', 'event ONIMBOTV2DEMO response-property-added info data.user']);
  });

  it('a param removed and an unrelated one added are not a move', () => {
    const changes = compareApis(api({ params: '  botId: { type: integer, required: true }\n  limit: { type: integer }\n' }, 'b'), api({ params: '  botId: { type: integer, required: true }\n  fields:\n    type: object\n    properties:\n      limit: { type: string }\n' }, 'h'));
    expect(changes.map((c) => c.rule).sort()).toEqual(['new-optional-request-property', 'request-property-removed']);
  });
});

describe('the 2026 changes of imbot.v2, replayed on the real spec', () => {
  const base = loadSpecTexts(before2026(), 'before');
  const head = loadSpecTexts(readSpecDir(resolve('spec')), 'spec');
  const changes = compareApis(base, head);
  const list = (level: Change['level']) => changes.filter((c) => c.level === level).map((c) => `${c.subject} ${c.rule} ${c.path}`);

  it('flags every real break as breaking, and nothing additive as breaking', () => {
    expect(list('breaking')).toEqual([
      'imbot.v2.Chat.User.add response-body-type-changed result',
      'imbot.v2.Chat.leave response-body-type-changed result',
      'imbot.v2.Chat.update response-body-type-changed result',
      'imbot.v2.Command.register request-property-moved params.fields.command',
      'imbot.v2.Command.register request-property-moved params.fields.common',
      'imbot.v2.Command.register request-property-moved params.fields.extranetSupport',
      'imbot.v2.Command.register request-property-moved params.fields.hidden',
      'imbot.v2.Command.register request-property-moved params.fields.params',
      'imbot.v2.Command.register request-property-moved params.fields.title',
      'imbot.v2.Command.update request-property-type-changed params.fields.common',
      'imbot.v2.Command.update request-property-type-changed params.fields.extranetSupport',
      'imbot.v2.Command.update request-property-type-changed params.fields.hidden',
    ]);
    expect(list('warning')).toEqual(['im.v2.File.upload response-error-code-renamed-class-kept errors.FOLDER_ERROR']);
    expect(list('info')).toEqual(['imbot.v2.Chat.TextField.enabled api-path-added ', 'imbot.v2.Event.get new-optional-request-property params.withUserEvents']);
  });

  it('renders the PR comment (snapshot) with the summary, breaking first, grouped by method', async () => {
    const report = diffSides({ label: 'origin/main:spec', api: base }, { label: 'spec', api: head }, '1.4.0');
    expect(report.bump).toBe('major');
    const md = formatMarkdown(report);
    expect(md.split('\n')[1]).toBe('### Spec diff: 12 breaking, 1 warning, 2 info: major bump \\(@b24gen/imbot-v2 1.4.0 -\\> 2.0.0\\)');
    await expect(md).toMatchFileSnapshot('./__snapshots__/diff/2026-changes.md.snap');
  });
});

describe('b24gen diff', () => {
  const baseDir = writeSpec(join(temp, 'base'), [{ path: 'imbot.v2/Demo.run.yaml', text: methodYaml({}) }]);
  const breakingDir = writeSpec(join(temp, 'breaking'), [{ path: 'imbot.v2/Demo.run.yaml', text: methodYaml({ params: '  botId: { type: integer, required: true }\n  dialogId: { type: string, required: true }\n' }) }]);
  const warningDir = writeSpec(join(temp, 'warning'), [{ path: 'imbot.v2/Demo.run.yaml', text: methodYaml({ idempotent: false }) }]);
  const infoDir = writeSpec(join(temp, 'info'), [{ path: 'imbot.v2/Demo.run.yaml', text: methodYaml({ params: '  botId: { type: integer, required: true }\n  limit: { type: integer }\n' }) }]);

  it('exit codes: 1 on breaking by default, --fail-on warning and none, 0 for additions', async () => {
    expect((await run(undefined, 'diff', baseDir, breakingDir)).code).toBe(1);
    expect((await run(undefined, 'diff', baseDir, breakingDir, '--fail-on', 'none')).code).toBe(0);
    expect((await run(undefined, 'diff', baseDir, warningDir)).code).toBe(0);
    expect((await run(undefined, 'diff', baseDir, warningDir, '--fail-on', 'warning')).code).toBe(1);
    expect((await run(undefined, 'diff', baseDir, infoDir, '--fail-on', 'warning')).code).toBe(0);
  });

  it('exit 2 with a clear message for usage errors, unknown revisions and bad specs', async () => {
    expect(await run(undefined, 'diff', baseDir)).toMatchObject({ code: 2, err: expect.stringContaining('give BASE and HEAD') });
    expect(await run(undefined, 'diff', baseDir, infoDir, '--format', 'html')).toMatchObject({ code: 2, err: expect.stringContaining('--format must be one of text, markdown, json, github, not "html"') });
    const unknown = await run(undefined, 'diff', 'no-such-revision-or-folder', infoDir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(
      'b24gen diff: "no-such-revision-or-folder" is not a folder, and cannot read spec/ at git revision "no-such-revision-or-folder": no commit by that name in this repository\n',
    );
    const bad = writeSpec(join(temp, 'bad'), [{ path: 'imbot.v2/Demo.run.yaml', text: 'method: imbot.v2.Demo.run\nsummary: [\n' }]);
    const r = await run(undefined, 'diff', baseDir, bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Demo\.run\.yaml:\d+:\d+: /);
  });

  it('text: one line per change, grouped by method (labelled `method`), colour only on a TTY', async () => {
    const r = await run(undefined, 'diff', baseDir, breakingDir);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 4)).toEqual([`spec diff ${baseDir} -> ${breakingDir}`, '', 'method imbot.v2.Demo.run', '  breaking new-required-request-property        required param dialogId was added: calls without it stop compiling']);
    expect(lines.at(-2)).toMatch(/^1 breaking, 0 warnings, 0 info: major bump \(@b24gen\/imbot-v2 \d+\.\d+\.\d+ -> \d+\.\d+\.\d+\)$/);
    expect(r.out).not.toContain('\u001b[');
    const report = diffSides({ label: 'a', api: api({}, 'a') }, { label: 'b', api: api({ idempotent: false }, 'b') });
    expect(formatText(report, true)).toContain('\u001b[33mwarning');
  });

  it('json: the documented, stable schema', async () => {
    const out = JSON.parse((await run(undefined, 'diff', baseDir, breakingDir, '--format', 'json')).out);
    expect(Object.keys(out)).toEqual(['version', 'base', 'head', 'bump', 'packageVersion', 'summary', 'changes']);
    expect(out).toMatchObject({ version: 2, bump: 'major', summary: { breaking: 1, warning: 0, info: 0 } });
    expect(out.changes).toEqual([
      {
        rule: 'new-required-request-property',
        level: 'breaking',
        method: 'imbot.v2.Demo.run',
        path: 'params.dialogId',
        message: 'required param dialogId was added: calls without it stop compiling',
        head: 'string',
        file: expect.stringMatching(/breaking\/imbot\.v2\/Demo\.run\.yaml$/),
        line: 9,
        col: 3,
      },
    ]);
    expect(formatJson(diffSides({ label: 'a', api: api({}, 'a') }, { label: 'a', api: api({}, 'a') }))).toBe(
      `${JSON.stringify({ version: 2, base: 'a', head: 'a', bump: 'none', summary: { breaking: 0, warning: 0, info: 0 }, changes: [] }, null, 2)}\n`,
    );
  });

  it('github: one annotation per change at its file and line, data escaped', () => {
    const report = diffSides({ label: 'a', api: api({}, 'spec') }, { label: 'b', api: api({ params: '  botId: { type: integer, required: true }\n  dialogId: { type: string, required: true }\n' }, 'spec') });
    report.changes[0].message += '\n100% sure, a: b';
    const lines = formatGithub(report).trimEnd().split('\n');
    expect(lines[0]).toBe('::error file=spec/imbot.v2/Demo.run.yaml,line=9,col=3,title=new-required-request-property (breaking)::method imbot.v2.Demo.run: required param dialogId was added: calls without it stop compiling%0A100%25 sure, a: b');
    expect(lines[1]).toMatch(/^::notice title=spec diff::1 breaking/);
  });
});

describe('git revisions', () => {
  const repo = join(temp, 'repo');
  mkdirSync(join(repo, 'spec/imbot.v2'), { recursive: true });
  writeFileSync(join(repo, 'spec/imbot.v2/Demo.run.yaml'), methodYaml({}));
  writeFileSync(join(repo, 'spec/docs-diff-allow.yaml'), 'allow: []\n');
  const git = initRepo(repo, 'v1');
  writeFileSync(join(repo, 'spec/imbot.v2/Demo.run.yaml'), methodYaml({ result: '  type: boolean' }));
  git('commit', '--quiet', '-am', 'v2');
  writeFileSync(join(repo, 'spec/imbot.v2/Demo.run.yaml'), methodYaml({ result: '  type: boolean', idempotent: false }));

  it('--base-ref reads spec/ at a revision without a checkout, against the working folder', async () => {
    const r = await run(repo, 'diff', '--base-ref', 'HEAD~1', '--format', 'json');
    const out = JSON.parse(r.out);
    expect(out.base).toBe('HEAD~1:spec');
    expect(out.changes.map((c: Change) => c.rule)).toEqual(['response-body-type-changed', 'x-idempotent-removed']);
    expect(r.code).toBe(1);
    expect(git('status', '--porcelain')).toBe('M spec/imbot.v2/Demo.run.yaml');
  });

  it('BASE and HEAD can both be revisions', async () => {
    const out = JSON.parse((await run(repo, 'diff', 'HEAD~1', 'HEAD', '--format', 'json')).out);
    expect(out.changes.map((c: Change) => c.rule)).toEqual(['response-body-type-changed']);
    // The path as git names it in the repository, not `HEAD:spec/...`.
    expect(out.changes[0].file).toBe('spec/imbot.v2/Demo.run.yaml');
  });

  it('b24gen changelog writes a dated entry on top, and replaces it when run again', async () => {
    const out = join(repo, 'CHANGELOG.md');
    writeFileSync(out, '# Changelog\n\n## 1.0.0 (2026-01-01)\n\n- First release.\n');
    const args = ['changelog', '--base-ref', 'HEAD~1', '--out', out, '--version', '2.0.0', '--date', '2026-11-24'];
    expect((await run(repo, ...args)).code).toBe(0);
    expect((await run(repo, ...args)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      '# Changelog\n\n## 2.0.0 (2026-11-24)\n\n### Breaking\n\n- `imbot.v2.Demo.run`: result is boolean instead of object: code reading it as object stops compiling\n\n### Changed\n\n- `imbot.v2.Demo.run`: is no longer marked safe to repeat: the client stops retrying it after network errors and 5xx\n\n## 1.0.0 (2026-01-01)\n\n- First release.\n',
    );
  });

  it('exits 2 for a revision that does not exist', async () => {
    const r = await run(repo, 'diff', '--base-ref', 'v9.9.9');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read spec/ at git revision "v9.9.9": no commit by that name in this repository');
    expect(existsSync(join(repo, 'spec'))).toBe(true);
  });
});

// The workflow is data for GitHub; check it wires the diff as documented.
describe('.github/workflows/spec-diff.yml', () => {
  it('runs on PRs touching spec/, comments, fails on breaking unless labelled, and checks generate', () => {
    const text = readFileSync('.github/workflows/spec-diff.yml', 'utf8');
    expect(text).toContain("- 'spec/**'");
    expect(text).toContain('npx b24gen diff --base-ref');
    expect(text).toContain('--format markdown');
    expect(text).toContain('--format github');
    expect(text).toContain('breaking-change');
    expect(text).toContain('npx b24gen generate --check');
    expect(text).toContain('<!-- b24gen-spec-diff -->');
  });
});
