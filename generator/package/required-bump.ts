import type { Bump } from './version.js';

/**
 * What the spec changes since the last release require. Until the spec diff (generator/diff/)
 * lands, the bump is unknown and `b24gen release` asks for --bump.
 */
export async function requiredBump(_lastTag: string): Promise<{ bump: Bump | 'none'; changelog: string } | undefined> {
  return undefined;
}
