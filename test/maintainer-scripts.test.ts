import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * `npm run fuzz` and `npm run bench` as a maintainer types them: a mistyped option or section
 * must fail with a message and exit 2, never pass for a clean run that checked nothing.
 */
function script(path: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path, ...args], { encoding: 'utf8', env: { ...process.env, B24GEN_BENCH_WRITE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run fuzz', () => {
  it.each([
    [['--count', 'abc'], '--count must be a whole number from 1 to 10000000 (got "abc")'],
    [['--count', '0'], '--count must be a whole number from 1 to 10000000 (got "0")'],
    [['--count', '1.5'], '--count must be a whole number from 1 to 10000000 (got "1.5")'],
    [['--seed', 'x'], '--seed must be a whole number from -2147483648 to 2147483647 (got "x")'],
    [['--cnt', '5'], "Unknown option '--cnt'"],
  ])('refuses %j with a message, the usage and exit 2', (args, message) => {
    const r = script('test/fuzz/run.ts', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`fuzz: ${message}`);
    expect(r.stderr).toContain('Usage: npm run fuzz -- [--count N] [--seed N]');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('runs the count and seed it is given and prints the counts', () => {
    const r = script('test/fuzz/run.ts', '--count', '4', '--seed', '7');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const counts = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(counts).toMatchObject({ seed: 7, cases: 4, crashes: 0, injections: 0 });
    expect(counts.refused + counts.generated).toBe(4);
    expect(counts.compiled).toBe(counts.generated);
  }, 60_000);
});

describe('npm run bench', () => {
  it('refuses a section it does not have, naming it and the ones it has, before measuring anything', () => {
    const r = script('test/bench/run.ts', 'generaton', 'load');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bench: no section "generaton"');
    expect(r.stderr).toContain('Sections: load, generation, overhead, stores, typecheck, bundle');
    expect(r.stdout).toBe('');
  });

  it('prints its usage for --help', () => {
    const r = script('test/bench/run.ts', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run bench -- [section ...]');
  });
});
