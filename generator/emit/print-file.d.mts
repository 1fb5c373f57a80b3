/**
 * Prints planned files (each one's statement structures as JSON) with ts-morph and formats them
 * with prettier (prettier-options.mjs), several in one call when they can share it; the texts
 * in order.
 */
export function printFiles(statementsList: string[]): Promise<string[]>;
