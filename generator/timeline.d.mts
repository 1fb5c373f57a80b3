/** Writes `ms since the process started  thread: what` to stderr when B24GEN_TIMELINE=1. */
export function mark(what: string): void;
