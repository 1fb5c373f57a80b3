import { resolve } from 'node:path';
import { parseOptions, UsageError, type Command } from './command.js';

const BUMPS = ['major', 'minor', 'patch'] as const;

export const releaseCommand: Command = {
  name: 'release',
  summary: 'Version, build and npm publish @b24gen/imbot-v2, then commit and tag the release',
  usage: `Usage: b24gen release [--bump major|minor|patch] [--registry URL] [--tag DIST_TAG] [--dry-run]

  --bump KIND      the version bump; by default the spec diff since the last release tag
                   (imbot-v2@X.Y.Z) decides it, and --bump may only raise it
  --registry URL   publish there instead of npm's configured registry
  --tag DIST_TAG   npm dist-tag (default latest)
  --dry-run        do everything except publishing, committing and tagging; leaves no change

Run from the repository root. Refuses when the git tree is dirty or generated/ is stale.
Below 1.0.0, breaking changes bump the minor number and additions the patch number.
Exit 0 released, 1 refused or failed (nothing left changed), 2 usage errors.
`,
  async run(args, io) {
    const { values } = parseOptions(args, {
      bump: { type: 'string' },
      registry: { type: 'string' },
      tag: { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    const bump = values.bump;
    if (bump !== undefined && !(BUMPS as readonly string[]).includes(bump)) throw new UsageError(`--bump must be one of ${BUMPS.join(', ')}, not "${bump}"`);
    if (values.registry !== undefined && !/^https?:\/\//.test(values.registry)) throw new UsageError(`--registry must be an http(s) URL, not "${values.registry}"`);
    const { release, ReleaseError } = await import('../package/release.js');
    const { requiredBump } = await import('../package/required-bump.js');
    try {
      const result = await release({
        root: resolve('.'),
        bump: bump as (typeof BUMPS)[number] | undefined,
        requiredBump,
        registry: values.registry,
        distTag: values.tag,
        dryRun: values['dry-run'] ?? false,
        log: (line) => io.out(`${line}\n`),
      });
      io.out(result.dryRun ? `dry run done: ${result.tag} was not published, nothing was changed\n` : `released ${result.tag}\n`);
      return 0;
    } catch (err) {
      if (err instanceof ReleaseError) {
        io.err(`b24gen release: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
