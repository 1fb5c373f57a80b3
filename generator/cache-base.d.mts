/** The caches' folder, or undefined when they are off (or there is no node_modules to hold them). */
export function cacheBase(): string | undefined;
/** Whether an earlier run left planned files in the caches (see cache-base.mjs). */
export function cachesLookWarm(): boolean;
