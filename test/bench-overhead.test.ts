import { describe, expect, it } from 'vitest';
import { CPU_SIDES, cpuPerCall, loopbackRatio } from './bench/overhead.js';

/**
 * The per-call overhead bench (`npm run bench -- overhead`) with a few calls, so that a change to
 * the client or the bench that breaks it shows here rather than in a maintainer's bench run. The
 * numbers themselves are the bench's business.
 */
describe('per-call overhead bench', () => {
  it('measures the CPU time per call of every side, round by round, and the loopback ratio', async () => {
    const cpu = await cpuPerCall(2, 50);
    expect(cpu).toMatchObject({ rounds: 2, calls: 50 });
    expect(Object.keys(cpu.sides).sort()).toEqual(Object.keys(CPU_SIDES).sort());
    for (const side of Object.values(cpu.sides)) {
      expect(side.roundUs).toHaveLength(2);
      for (const us of [...side.roundUs, side.medianUs]) expect(us).toBeGreaterThan(0);
      expect(Number.isFinite(side.ownUs)).toBe(true);
    }
    expect(cpu.sides.stub.ownUs).toBe(0);

    const loop = await loopbackRatio(20);
    expect(loop.calls).toBe(20);
    for (const x of [loop.fetchUs, loop.clientUs, loop.medianRatio, loop.totalRatio]) expect(x).toBeGreaterThan(0);
  });
});
