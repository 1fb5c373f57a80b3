import { resolve } from 'node:path';
import { parseOptions, UsageError, type Command } from './command.js';

const FORMATS = ['text', 'markdown', 'json', 'github'] as const;
const FAIL_ON = ['breaking', 'warning', 'none'] as const;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare two specs (folders or git revisions): what breaks users, which semver bump',
  usage: `Usage: b24gen diff BASE HEAD [options]
       b24gen diff --base-ref REF [HEAD] [options]

  BASE, HEAD          a spec folder, or a git revision whose spec/ is read without a checkout
  --base-ref REF      BASE is spec/ at git revision REF (HEAD defaults to the folder spec)
  --format KIND       text (default; colour on a TTY), markdown (PR comment), json, github
  --fail-on LEVEL     breaking (default), warning, or none: exit 1 when a change is at or above it

Every change has a rule id and a level (breaking, warning, info); the catalogue with examples is
generator/diff/RULES.md. Exit 0 nothing at or above --fail-on, 1 something is, 2 usage errors or
an unreadable spec or revision.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { 'base-ref': { type: 'string' }, format: { type: 'string' }, 'fail-on': { type: 'string' } },
      true,
    );
    const format = values.format ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    const failOn = values['fail-on'] ?? 'breaking';
    if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not "${failOn}"`);
    const baseRef = values['base-ref'];
    if (baseRef !== undefined ? positionals.length > 1 : positionals.length !== 2) {
      throw new UsageError(baseRef !== undefined ? 'with --base-ref, give at most one HEAD' : 'give BASE and HEAD (spec folders or git revisions), or --base-ref REF');
    }
    const diff = await import('../diff/index.js');
    const { SpecError } = await import('../load/spec-error.js');
    const { readPackageVersion } = await import('../package/version.js');
    let report;
    try {
      const base = baseRef !== undefined ? diff.loadSide(baseRef, { gitRef: true }) : diff.loadSide(positionals[0]);
      const head = diff.loadSide(baseRef !== undefined ? (positionals[0] ?? 'spec') : positionals[1]);
      report = diff.diffSides(base, head, readPackageVersion(resolve('generated/package.json')));
    } catch (err) {
      if (err instanceof diff.GitReadError || err instanceof SpecError) {
        io.err(`b24gen diff: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    const color = Boolean(io.isTTY) && !process.env.NO_COLOR;
    const text =
      format === 'markdown' ? diff.formatMarkdown(report) : format === 'json' ? diff.formatJson(report) : format === 'github' ? diff.formatGithub(report) : diff.formatText(report, color);
    io.out(text);
    const failing = failOn === 'none' ? 0 : failOn === 'warning' ? report.summary.breaking + report.summary.warning : report.summary.breaking;
    return failing > 0 ? 1 : 0;
  },
};
