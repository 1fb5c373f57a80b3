import { bumpVersion } from '../package/version.js';
import type { Change } from './change.js';
import { compareApis } from './compare.js';
import { bumpOf } from './semver.js';
import type { Side } from './sides.js';
import type { Bump, Level } from './rules.js';

/** Everything a diff run found; every output format renders this. */
export interface DiffReport {
  base: string;
  head: string;
  bump: Bump | 'none';
  /** The package version now and after the bump, when the current version is known. */
  version?: { current: string; next: string };
  summary: Record<Level, number>;
  changes: Change[];
}

export function diffSides(base: Side, head: Side, currentVersion?: string): DiffReport {
  const changes = compareApis(base.api, head.api);
  const bump = bumpOf(changes);
  const summary = { breaking: 0, warning: 0, info: 0 };
  for (const c of changes) summary[c.level] += 1;
  return {
    base: base.label,
    head: head.label,
    bump,
    ...(currentVersion ? { version: { current: currentVersion, next: bump === 'none' ? currentVersion : bumpVersion(currentVersion, bump) } } : {}),
    summary,
    changes,
  };
}

export function summaryLine(r: DiffReport): string {
  const counts = `${r.summary.breaking} breaking, ${r.summary.warning} warning${r.summary.warning === 1 ? '' : 's'}, ${r.summary.info} info`;
  const bump = r.bump === 'none' ? 'no version bump' : `${r.bump} bump`;
  const version = r.version && r.bump !== 'none' ? ` (@b24gen/imbot-v2 ${r.version.current} -> ${r.version.next})` : '';
  return `${counts}: ${bump}${version}`;
}

/** Changes grouped by method, in report order (breaking first). */
export function byMethod(changes: Change[]): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const c of changes) out.set(c.method, [...(out.get(c.method) ?? []), c]);
  return out;
}
