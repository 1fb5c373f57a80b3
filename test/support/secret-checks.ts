import { expect } from 'vitest';
import { Bitrix24Error } from '../../generated/src/index.js';

/**
 * Checks for a suite whose calls hold `secrets` (webhook code, tokens): `expectNoSecrets` looks
 * at every way an error can be shown to a person or a log; `failure` gives the Bitrix24Error a
 * call fails with, checked the same way.
 */
export function secretChecks(secrets: readonly string[]) {
  function expectNoSecrets(err: unknown): void {
    const e = err as Error;
    const shown = [String(e), e.message, e.stack ?? '', JSON.stringify(e), JSON.stringify((e as { cause?: unknown }).cause ?? null), String((e as { description?: string }).description)];
    for (const text of shown) for (const secret of secrets) expect(text).not.toContain(secret);
  }

  async function failure(promise: Promise<unknown>): Promise<Bitrix24Error> {
    try {
      await promise;
    } catch (err) {
      expect(err).toBeInstanceOf(Bitrix24Error);
      expectNoSecrets(err);
      return err as Bitrix24Error;
    }
    throw new Error('expected the call to fail');
  }

  return { expectNoSecrets, failure };
}
