import { afterEach } from 'vitest';
import { createTestPortal, type TestPortal, type TestPortalOptions } from '../../generated/src/testing/index.js';

/**
 * A test file's portals: `portal(options)` starts one (without the portal's bucket unless the
 * options set one, so a test's pace is its own) and every portal started is closed after each test.
 */
export function testPortals(): (options?: TestPortalOptions) => Promise<TestPortal> {
  const open: TestPortal[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
  });
  return async (options = {}) => {
    const p = await createTestPortal({ rateLimit: false, ...options });
    open.push(p);
    return p;
  };
}
