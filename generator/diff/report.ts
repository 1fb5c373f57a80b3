import { bumpVersion } from '../package/version.js';
import type { Change, SubjectKind } from './change.js';
import { compareApis } from './compare.js';
import { bumpOf } from './semver.js';
import { repoPath, type Side } from './sides.js';
import type { Bump, Level } from './rules.js';

/** Everything a diff run found; every output format renders this. */
export interface DiffReport {
  base: string;
  head: string;
  bump: Bump | 'none';
  /** The package version now and after the bump, when the current version is known. */
  version?: { current: string; next: string };
  /** Counts of entries (a shared type's change is one, however many methods it reaches). */
  summary: Record<Level, number>;
  changes: Change[];
}

export function diffSides(base: Side, head: Side, currentVersion?: string): DiffReport {
  const changes = compareApis(base.api, head.api).map((c) => (c.at ? { ...c, at: { ...c.at, file: repoPath(c.at.file, base, head) } } : c));
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

/** Changes grouped by what they are about (a type, a method, an event), in report order (breaking first). */
export function bySubject(changes: Change[]): { kind: SubjectKind; subject: string; changes: Change[] }[] {
  const out = new Map<string, { kind: SubjectKind; subject: string; changes: Change[] }>();
  for (const c of changes) {
    const key = `${c.kind} ${c.subject}`;
    const group = out.get(key) ?? { kind: c.kind, subject: c.subject, changes: [] };
    group.changes.push(c);
    out.set(key, group);
  }
  return [...out.values()];
}

/** `method imbot.v2.Bot.list`, `event ONIMBOTV2MESSAGEADD`, `type BotToken`. */
export function subjectLabel(kind: SubjectKind, subject: string): string {
  return `${kind} ${subject}`;
}

/** `33 methods, 2 events`: how far a type's change reaches. */
export function reachCount(c: Change): string {
  const methods = (c.reaches ?? []).filter((r) => r.kind === 'method').length;
  const events = (c.reaches ?? []).filter((r) => r.kind === 'event').length;
  const part = (n: number, word: string) => (n === 0 ? [] : [`${n} ${word}${n === 1 ? '' : 's'}`]);
  return [...part(methods, 'method'), ...part(events, 'event')].join(', ') || 'nothing';
}
