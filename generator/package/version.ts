import { readFileSync } from 'node:fs';
import semver from 'semver';

/** A semver bump of the published package. */
export type Bump = 'major' | 'minor' | 'patch';

export function isVersion(text: string): boolean {
  return semver.valid(text) !== null;
}

export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}

/**
 * The next version. Below 1.0.0 a breaking change bumps the minor number and an addition the
 * patch number, as npm's caret ranges read 0.x versions (`^0.2.0` never takes 0.3.0).
 */
export function bumpVersion(version: string, bump: Bump): string {
  const zero = semver.major(version) === 0;
  const effective: Bump = zero ? (bump === 'major' ? 'minor' : 'patch') : bump;
  const next = semver.inc(version, effective);
  if (next === null) throw new Error(`not a semver version: ${version}`);
  return next;
}

/** The `version` of a package.json, or undefined when it cannot be read. */
export function readPackageVersion(packageJson: string): string | undefined {
  try {
    const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' && isVersion(version) ? version : undefined;
  } catch {
    return undefined;
  }
}
