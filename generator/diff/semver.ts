import type { Change } from './change.js';
import { ALL_RULES, type Bump } from './rules.js';

const ORDER: (Bump | 'none')[] = ['none', 'patch', 'minor', 'major'];
const BUMP_OF = new Map(ALL_RULES.map((r) => [r.id, r.bump]));

/** The version bump the changes need: major for breaking, minor for additions, patch otherwise. */
export function bumpOf(changes: Change[]): Bump | 'none' {
  let best: Bump | 'none' = 'none';
  for (const c of changes) {
    const bump = BUMP_OF.get(c.rule) ?? 'patch';
    if (ORDER.indexOf(bump) > ORDER.indexOf(best)) best = bump;
  }
  return best;
}
