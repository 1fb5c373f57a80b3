import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.js';
import { describeProblem, redoclyLint, type LintReport } from './support/redocly.js';

/**
 * The OpenAPI export as other tools read it: `redocly lint` (its recommended rules, the real
 * CLI, offline) finds no error and no warning in `b24gen openapi`'s JSON or YAML output for the
 * real spec. A document with an operation that declares no security and a tag without a
 * description (what the export had before) gets exactly those findings, so a clean report
 * means the linter looked. test/openapi.test.ts checks the same document against the spec and
 * the OpenAPI 3.1 schema validator.
 */

const work = mkdtempSync(join(tmpdir(), 'b24gen-redocly-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function exportTo(name: string): Promise<string> {
  const file = join(work, name);
  let err = '';
  const code = await main(['openapi', '--out', file], { out: () => {}, err: (t) => (err += t) });
  expect(err).toBe('');
  expect(code).toBe(0);
  return file;
}

/** Lints `file` in a folder of its own (its own empty home, network log). */
function lint(file: string, name: string): Promise<LintReport> {
  const dir = join(work, `lint-${name}`);
  mkdirSync(dir);
  return redoclyLint(file, dir);
}

describe('redocly lint (recommended rules) on b24gen openapi', () => {
  const reports: Record<'json' | 'yaml' | 'broken', LintReport> = {} as never;

  beforeAll(async () => {
    const [json, yaml] = await Promise.all([exportTo('api.json'), exportTo('api.yaml')]);
    // The export with what it lacked before: one operation without security, one tag without a description.
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { paths: Record<string, { post: Record<string, unknown> }>; tags: Record<string, unknown>[] };
    delete doc.paths['/imbot.v2.Chat.Message.send'].post.security;
    delete doc.tags[0].description;
    const broken = join(work, 'broken.json');
    writeFileSync(broken, JSON.stringify(doc, null, 2));
    // Three linter processes at once: about 1.5 s each alone.
    [reports.json, reports.yaml, reports.broken] = await Promise.all([lint(json, 'json'), lint(yaml, 'yaml'), lint(broken, 'broken')]);
  }, 60_000);

  it.each(['json', 'yaml'] as const)('finds no error and no warning in the %s export of the real spec', (format) => {
    const report = reports[format];
    expect(report.problems.map(describeProblem)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('finds an operation without security and a tag without a description (so a clean report is a real one)', () => {
    expect(reports.broken.problems.map(describeProblem)).toEqual([
      'error security-defined at #/paths/~1imbot.v2.Chat.Message.send/post: Every operation should have security defined on it or on the root level.',
      'warn tag-description at #/tags/0/description: Tag object should contain `description` field.',
    ]);
    expect(reports.broken.totals).toEqual({ errors: 1, warnings: 1, ignored: 0 });
  });

  it('runs offline: no connection attempted, nothing written to its home folder', () => {
    for (const [name, report] of Object.entries(reports)) {
      expect(report.connections, name).toEqual([]);
      expect(report.homeEntries, name).toEqual([]);
    }
  });
});
