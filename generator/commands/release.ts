import { resolve } from 'node:path';
import { parseOptions, UsageError, type Command } from './command.js';

const BUMPS = ['major', 'minor', 'patch'] as const;

export const releaseCommand: Command = {
  name: 'release',
  summary: 'Version, build and npm publish @b24gen/imbot-v2, then commit and tag the release',
  usage: `Usage: b24gen release [--bump major|minor|patch] [--registry URL] [--tag DIST_TAG] [--dry-run]
                     [--skip-publish | --from-tag]

  --bump KIND      the version bump; by default the spec diff since the last release tag
                   (imbot-v2@X.Y.Z) decides it, and --bump may only raise it
  --registry URL   publish there instead of npm's configured registry
  --tag DIST_TAG   npm dist-tag (default latest)
  --dry-run        do everything except publishing, committing and tagging; leaves no change
  --skip-publish   version, CHANGELOG, commit and tag, but do not publish: pushing the tag
                   makes .github/workflows/release.yml publish it with npm provenance
  --from-tag       (CI) publish the version the imbot-v2@X.Y.Z tag on HEAD names, as
                   committed: no new version, commit or tag (NPM_CONFIG_PROVENANCE=true in the
                   environment adds provenance)

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
      'skip-publish': { type: 'boolean' },
      'from-tag': { type: 'boolean' },
    });
    if (values['skip-publish'] && values['from-tag']) throw new UsageError('--skip-publish and --from-tag exclude each other: --skip-publish tags a release, --from-tag publishes a tagged one');
    if (values['from-tag'] && values.bump !== undefined) throw new UsageError('--from-tag publishes the tagged version as committed; --bump does not apply');
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
        skipPublish: values['skip-publish'] ?? false,
        fromTag: values['from-tag'] ?? false,
        log: (line) => io.out(`${line}\n`),
      });
      if (values['from-tag']) io.out(result.dryRun ? `dry run done: ${result.tag} was not published\n` : `published ${result.tag}\n`);
      else if (result.dryRun) io.out(`dry run done: ${result.tag} was not published, nothing was changed\n`);
      else if (values['skip-publish']) io.out(`tagged ${result.tag}, not published; \`git push --follow-tags\` publishes it from CI\n`);
      else io.out(`released ${result.tag}\n`);
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
