import { resolve } from 'node:path';
import { parseOptions, UsageError, type Command } from './command.js';

export const changelogCommand: Command = {
  name: 'changelog',
  summary: 'Write a dated CHANGELOG entry for the spec changes between BASE and HEAD',
  usage: `Usage: b24gen changelog BASE HEAD [--out FILE] [--version X.Y.Z] [--date YYYY-MM-DD]
       b24gen changelog --base-ref REF [HEAD] [...]

  BASE, HEAD       spec folders or git revisions (as for b24gen diff)
  --base-ref REF   BASE is spec/ at git revision REF (HEAD defaults to spec)
  --out FILE       the changelog (default generated/CHANGELOG.md)
  --version V      the entry's version (default: generated/package.json's, bumped as the diff needs)
  --date D         the entry's date (default today, UTC)

The entry goes on top; an entry for the same version already on top is replaced.
`,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { 'base-ref': { type: 'string' }, out: { type: 'string' }, version: { type: 'string' }, date: { type: 'string' } },
      true,
    );
    const baseRef = values['base-ref'];
    if (baseRef !== undefined ? positionals.length > 1 : positionals.length !== 2) throw new UsageError('give BASE and HEAD, or --base-ref REF [HEAD]');
    if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`--date must be YYYY-MM-DD, not "${values.date}"`);
    const diff = await import('../diff/index.js');
    const { SpecError } = await import('../load/spec-error.js');
    const { isVersion, readPackageVersion } = await import('../package/version.js');
    if (values.version !== undefined && !isVersion(values.version)) throw new UsageError(`--version must be a semver version, not "${values.version}"`);
    let report;
    try {
      const base = baseRef !== undefined ? diff.loadSide(baseRef, { gitRef: true }) : diff.loadSide(positionals[0]);
      const head = diff.loadSide(baseRef !== undefined ? (positionals[0] ?? 'spec') : positionals[1]);
      report = diff.diffSides(base, head, readPackageVersion(resolve('generated/package.json')) ?? '0.0.0');
    } catch (err) {
      if (err instanceof diff.GitReadError || err instanceof SpecError) {
        io.err(`b24gen changelog: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    const version = values.version ?? report.version!.next;
    const date = values.date ?? new Date().toISOString().slice(0, 10);
    const out = values.out ?? 'generated/CHANGELOG.md';
    diff.writeChangelogEntry(resolve(out), version, date, diff.changelogBody(report.changes));
    io.out(`wrote ${out}: ${version} (${date}), ${diff.summaryLine(report)}\n`);
    return 0;
  },
};
