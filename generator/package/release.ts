import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFiles } from '../generate.js';
import { displayPath, readSpecDir } from '../load/index.js';
import { findPending } from '../load/pending.js';
import { diffOutput, fileDiffers } from '../output.js';
import { writeChangelogEntry } from '../diff/changelog.js';
import { buildPackage } from './build.js';
import { bumpVersion, compareVersions, isVersion, type Bump } from './version.js';

/** Why a release was refused or failed; the message says what to do. Nothing was left changed. */
export class ReleaseError extends Error {}

export interface ReleaseOptions {
  /** The repository root (the git work tree holding spec/ and generated/). */
  root: string;
  /** The bump to apply; required until the spec diff computes it. */
  bump?: Bump;
  /** What the spec diff since the last release requires, when known (a floor for `bump`). */
  requiredBump?: (lastTag: string, root: string) => Promise<{ bump: Bump | 'none'; changelog: string } | undefined>;
  registry?: string;
  /** npm dist-tag (default: npm's `latest`). */
  distTag?: string;
  dryRun: boolean;
  /**
   * Version, CHANGELOG, commit and tag without publishing: pushing the tag makes
   * .github/workflows/release.yml publish it (with npm provenance) through `fromTag`.
   */
  skipPublish?: boolean;
  /**
   * CI after a tag push: publish the version the tag on HEAD names, as committed (no new
   * version, commit or tag). npm reads NPM_CONFIG_PROVENANCE from the environment.
   */
  fromTag?: boolean;
  log: (line: string) => void;
}

export interface ReleaseResult {
  version: string;
  tag: string;
  previousTag?: string;
  dryRun: boolean;
}

const TAG_PREFIX = 'imbot-v2@';
const BUMPS: (Bump | 'none')[] = ['none', 'patch', 'minor', 'major'];

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    const e = err as { stderr?: string };
    throw new ReleaseError(`git ${args[0]} failed in ${root}: ${(e.stderr ?? '').trim() || (err as Error).message}`);
  }
}

/** The highest `imbot-v2@X.Y.Z` tag, or undefined before the first release. */
export function lastReleaseTag(root: string): string | undefined {
  const versions = git(root, ['tag', '--list', `${TAG_PREFIX}*`])
    .split('\n')
    .map((t) => t.slice(TAG_PREFIX.length))
    .filter(isVersion)
    .sort(compareVersions);
  const last = versions.at(-1);
  return last === undefined ? undefined : TAG_PREFIX + last;
}

/**
 * Why the spec cannot be released while docs-sync's description markers are left (what it added
 * from the docs has no description a person wrote yet); undefined when none is left.
 */
export function pendingRefusal(specDir: string): string | undefined {
  const pending = findPending(readSpecDir(specDir), displayPath(specDir));
  if (pending.length === 0) return undefined;
  const shown = pending.slice(0, 10).map((p) => `  ${p.file}:${p.line}  ${p.text}`);
  return `${pending.length} description(s) are left for a person (docs-sync marked them TODO(docs-sync)); write each in our own words from the page it names, then release:\n${shown.join('\n')}${pending.length > 10 ? '\n  ...' : ''}`;
}

/**
 * `b24gen release`: checks that the tree is clean and generated/ is fresh, decides the version,
 * writes it and a CHANGELOG entry, builds, publishes with npm, then commits and tags. Any
 * failure before the commit restores package.json and CHANGELOG.md, so a failed release leaves
 * the tree as it found it; `dryRun` always restores them.
 */
export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const { root, log } = options;
  const pkgDir = join(root, 'generated');

  const dirty = git(root, ['status', '--porcelain']);
  if (dirty !== '') {
    const files = dirty.split('\n').map((l) => l.slice(3));
    throw new ReleaseError(
      `the git tree has uncommitted changes (${files.length}: ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''}); commit or stash them, then release`,
    );
  }

  const refusal = pendingRefusal(join(root, 'spec'));
  if (refusal) throw new ReleaseError(refusal);

  const { files, readme } = await generateFiles(join(root, 'spec'));
  const stale = diffOutput(join(pkgDir, 'src'), files);
  const staleCount = stale.added.length + stale.changed.length + stale.removed.length + (fileDiffers(join(pkgDir, 'README.md'), readme) ? 1 : 0);
  if (staleCount > 0) {
    throw new ReleaseError(`generated/ is stale: ${staleCount} file(s) differ from what spec/ produces; run \`npm run generate\`, commit, then release`);
  }

  const manifestPath = join(pkgDir, 'package.json');
  const changelogPath = join(pkgDir, 'CHANGELOG.md');
  const manifestText = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(manifestText) as { name: string; version: string };
  if (options.fromTag) return publishTagged(options, pkgDir, manifest);
  const previousTag = lastReleaseTag(root);

  let changelog = '';
  let bump: Bump | undefined = options.bump;
  let required: { bump: Bump | 'none'; changelog: string } | undefined;
  if (previousTag !== undefined && options.requiredBump) {
    try {
      required = await options.requiredBump(previousTag, root);
    } catch (err) {
      throw new ReleaseError(`cannot compare spec/ with the last release ${previousTag}: ${(err as Error).message}`);
    }
  }
  if (previousTag !== undefined && required !== undefined) {
    changelog = required.changelog;
    if (bump === undefined) {
      if (required.bump === 'none') throw new ReleaseError(`nothing in spec/ changed since ${previousTag}; there is nothing to release`);
      bump = required.bump;
    } else if (BUMPS.indexOf(bump) < BUMPS.indexOf(required.bump)) {
      throw new ReleaseError(`--bump ${bump} is too small: the spec changes since ${previousTag} need a ${required.bump} release`);
    }
    log(`spec changes since ${previousTag} need a ${required.bump} bump${options.bump ? `; releasing as ${bump}` : ''}`);
  }
  if (previousTag !== undefined && bump === undefined) {
    throw new ReleaseError(`pass --bump major|minor|patch: the version bump since ${previousTag} is not known`);
  }

  const base = previousTag?.slice(TAG_PREFIX.length) ?? manifest.version;
  const version = bump === undefined ? manifest.version : bumpVersion(base, bump);
  const tag = TAG_PREFIX + version;
  if (git(root, ['tag', '--list', tag]) !== '') throw new ReleaseError(`the tag ${tag} exists already; pass a larger --bump`);

  const changelogText = readOptional(changelogPath);
  const restore = () => {
    writeAtomic(manifestPath, manifestText);
    if (changelogText === undefined) rmSync(changelogPath, { force: true });
    else writeAtomic(changelogPath, changelogText);
  };
  const date = new Date().toISOString().slice(0, 10);
  writeAtomic(manifestPath, manifestText.replace(/"version":\s*"[^"]*"/, `"version": ${JSON.stringify(version)}`));
  writeChangelogEntry(changelogPath, version, date, changelog.trim() || (bump ? `- ${bump} release.` : '- First release.'));
  log(`version ${manifest.version} -> ${version}${previousTag ? ` (last release ${previousTag})` : ' (first release)'}`);

  try {
    if (options.skipPublish) log(`not published (--skip-publish): pushing the tag ${tag} publishes it from CI`);
    else await buildAndPublish(options, pkgDir, manifest.name, version);
  } catch (err) {
    restore();
    throw err;
  }

  if (options.dryRun) {
    restore();
    return { version, tag, previousTag, dryRun: true };
  }
  git(root, ['add', '--', 'generated/package.json', 'generated/CHANGELOG.md']);
  git(root, ['commit', '--quiet', '-m', `release ${manifest.name}@${version}`]);
  git(root, ['tag', tag]);
  log(`committed and tagged ${tag}; push with \`git push --follow-tags\``);
  return { version, tag, previousTag, dryRun: false };
}

/** Builds generated/ and runs `npm publish` (dry with `dryRun`). */
async function buildAndPublish(options: ReleaseOptions, pkgDir: string, name: string, version: string): Promise<void> {
  const { ms } = await buildPackage(pkgDir);
  options.log(`built dist/esm and dist/cjs (${ms} ms)`);
  const args = ['publish', '--access', 'public'];
  if (options.registry) args.push('--registry', options.registry);
  if (options.distTag) args.push('--tag', options.distTag);
  if (options.dryRun) args.push('--dry-run');
  try {
    execFileSync('npm', args, { cwd: pkgDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    const output = `${e.stderr ?? ''}${e.stdout ?? ''}`.split('\n').filter((l) => /ERR!|error/i.test(l)).slice(0, 8).join('\n');
    throw new ReleaseError(`npm ${args.join(' ')} failed:\n${output || (err as Error).message}`);
  }
  options.log(`${options.dryRun ? 'dry run: would publish' : 'published'} ${name}@${version}${options.registry ? ` to ${options.registry}` : ''}`);
}

/**
 * `release --from-tag`: the release commit was made and tagged by `release --skip-publish`; CI
 * publishes exactly that version, so the tag must be on HEAD and name generated/package.json's
 * version (a tag pushed by hand on another commit is refused, not published).
 */
async function publishTagged(options: ReleaseOptions, pkgDir: string, manifest: { name: string; version: string }): Promise<ReleaseResult> {
  const tag = TAG_PREFIX + manifest.version;
  const onHead = git(options.root, ['tag', '--points-at', 'HEAD']).split('\n').filter((t) => t.startsWith(TAG_PREFIX));
  if (!onHead.includes(tag)) {
    const found = onHead.length > 0 ? `HEAD carries ${onHead.join(', ')}` : `HEAD carries no ${TAG_PREFIX}X.Y.Z tag`;
    throw new ReleaseError(
      `--from-tag publishes the version generated/package.json holds (${manifest.version}) only from the commit tagged ${tag}, but ${found}; tag the release with \`b24gen release --skip-publish\` and push the tag`,
    );
  }
  await buildAndPublish(options, pkgDir, manifest.name, manifest.version);
  return { version: manifest.version, tag, previousTag: undefined, dryRun: options.dryRun };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function writeAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, 'utf8');
  renameSync(temp, path);
}
