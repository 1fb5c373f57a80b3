import type { Change } from './change.js';
import { ALL_RULES, type Bump, type Level } from './rules.js';

const ORDER: (Bump | 'none')[] = ['none', 'patch', 'minor', 'major'];
const BUMP_OF = new Map(ALL_RULES.map((r) => [r.id, r.bump]));
/** The least bump a level asks for: what breaks users is major, what changes their run time at least minor. */
const LEVEL_BUMP: Record<Level, Bump> = { breaking: 'major', warning: 'minor', info: 'patch' };

/**
 * The version bump the changes need: the larger of each change's rule bump (additions are minor)
 * and its level's (breaking is major, a warning minor), so the bump follows the worst level
 * whatever a rule's table entry says.
 */
export function bumpOf(changes: Change[]): Bump | 'none' {
  let best: Bump | 'none' = 'none';
  for (const c of changes) {
    for (const bump of [BUMP_OF.get(c.rule) ?? 'patch', LEVEL_BUMP[c.level]]) if (ORDER.indexOf(bump) > ORDER.indexOf(best)) best = bump;
  }
  return best;
}
