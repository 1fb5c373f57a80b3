import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Much of the suite waits on child processes and servers (npm pack and install, a registry,
    // tsc, the CLI): three test files at a time keep 2 cores busy (about 137 -> 78 s here).
    maxWorkers: 3,
  },
});
