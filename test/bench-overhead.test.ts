import { describe, expect, it } from 'vitest';
import { NODE_VERSIONS, otherNodeVersions } from './bench/node-versions.js';
import { type OverheadResult, perCallOverhead, perCallOverheadUnder, SIDES } from './bench/overhead.js';

/**
 * The per-call overhead bench (`npm run bench -- overhead`) with a few calls: what its section
 * is built from, so that a change to the client or the bench that breaks it shows here rather
 * than in a maintainer's 10-minute run. The numbers themselves are the bench's business.
 */
function expectWellFormed(r: OverheadResult, rounds: number, perRound: number): void {
  expect(r).toMatchObject({ rounds, perRound, calls: rounds * perRound });
  expect(Object.keys(r.sides).sort()).toEqual(Object.keys(SIDES).sort());
  // Bare fetch is the yardstick: every ratio of its own is 1.
  expect(r.sides.fetch).toMatchObject({ minRatio: 1, medianRatio: 1, totalRatio: 1, medianCallRatio: 1 });
  expect(r.sides.fetch.roundRatios).toEqual(Array(rounds).fill(1));
  for (const side of Object.values(r.sides)) {
    expect(side.roundMs).toHaveLength(rounds);
    expect(side.roundRatios).toHaveLength(rounds);
    for (const x of [...side.roundMs, ...side.roundRatios, side.totalRatio, side.medianCallRatio, side.medianCallUs]) {
      expect(Number.isFinite(x) && x > 0).toBe(true);
    }
    expect(side.minRatio).toBeLessThanOrEqual(side.medianRatio);
  }
}

describe('per-call overhead bench', () => {
  it('times every side, call by call, in paired rounds against bare fetch', async () => {
    expectWellFormed(await perCallOverhead(2, 20), 2, 20);
  }, 60_000);

  it('runs in a process of its own under a given Node executable and hands its result back', () => {
    expectWellFormed(perCallOverheadUnder(process.execPath, 1, 10), 1, 10);
  }, 60_000);

  it('measures the other Node lines, never the one running the bench', () => {
    const running = `${process.versions.node.split('.')[0]}.`;
    const others = otherNodeVersions();
    for (const version of NODE_VERSIONS) {
      if (version.startsWith(running)) expect(others).not.toContain(version);
      else expect(others).toContain(version);
    }
  });
});
