import type { FlatMember } from './types.js';

export interface Move {
  from: FlatMember;
  to: FlatMember;
}

/**
 * Pairs params that disappeared with params that appeared under the same name elsewhere
 * (`command` -> `fields.command`) and the same type: one move each, not a removal plus an
 * addition. Closest paths pair first (fewest differing segments), so a reshuffle of several
 * same-named params pairs them the obvious way; each side is used at most once.
 */
export function matchMoves(removed: FlatMember[], added: FlatMember[], sameType: (from: FlatMember, to: FlatMember) => boolean): Move[] {
  const candidates: (Move & { distance: number })[] = [];
  for (const from of removed) {
    for (const to of added) {
      if (from.name === to.name && from.path !== to.path && sameType(from, to)) candidates.push({ from, to, distance: distance(from.path, to.path) });
    }
  }
  candidates.sort((a, b) => a.distance - b.distance || (a.to.path < b.to.path ? -1 : a.to.path > b.to.path ? 1 : 0));
  const usedFrom = new Set<string>();
  const usedTo = new Set<string>();
  const moves: Move[] = [];
  for (const c of candidates) {
    if (usedFrom.has(c.from.path) || usedTo.has(c.to.path)) continue;
    // A member of a moved container moves with it; only the container is reported.
    if (moves.some((m) => c.from.path.startsWith(`${m.from.path}.`) && c.to.path.startsWith(`${m.to.path}.`))) {
      usedFrom.add(c.from.path);
      usedTo.add(c.to.path);
      continue;
    }
    usedFrom.add(c.from.path);
    usedTo.add(c.to.path);
    moves.push({ from: c.from, to: c.to });
  }
  return moves;
}

function distance(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  let common = 0;
  while (common < x.length && common < y.length && x[common] === y[common]) common++;
  return x.length - common + (y.length - common);
}

/**
 * Pairs a param that disappeared with one that appeared in the same object (same parent) with the
 * same type under another name: a rename, one change. Only an unambiguous pair counts (the one
 * removed and the one added of that type in that object); anything else stays a removal and an
 * addition.
 */
export function matchRenames(removed: FlatMember[], added: FlatMember[], sameType: (from: FlatMember, to: FlatMember) => boolean): Move[] {
  const removedPaths = new Set(removed.map((x) => x.path));
  const addedPaths = new Set(added.map((x) => x.path));
  // Members of a removed or added container go with it.
  const top = (list: FlatMember[], paths: Set<string>) => list.filter((x) => !paths.has(x.parent));
  const from = top(removed, removedPaths);
  const to = top(added, addedPaths);
  const renames: Move[] = [];
  for (const x of from) {
    const ys = to.filter((y) => y.parent === x.parent && y.name !== x.name && sameType(x, y));
    if (ys.length !== 1) continue;
    const y = ys[0]!;
    const xs = from.filter((z) => z.parent === y.parent && sameType(z, y));
    if (xs.length === 1) renames.push({ from: x, to: y });
  }
  return renames;
}
