/**
 * Redis key names: `b24gen:` + the user's prefix + the kind + the runtime's key (the portal's
 * origin, the application's client id, the bot id). Never a token or a secret: those are only
 * ever values.
 */
export interface RedisStoreOptions {
  /**
   * Put in every key after `b24gen:` (for example `myapp:prod:`), so that several applications
   * or environments share one Redis without sharing buckets, tokens or cursors. Default: none.
   */
  prefix?: string;
}

export function keyPrefix(options: RedisStoreOptions | undefined, who: string): string {
  const prefix = options?.prefix ?? '';
  if (typeof prefix !== 'string') throw new TypeError(`${who}: prefix must be a string, got ${typeof prefix}`);
  return `b24gen:${prefix}`;
}
