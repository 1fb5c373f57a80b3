/**
 * Prints planned files and formats them with prettier (prettier-options.mjs), several in one
 * call when they can share it; the texts in order. Each job is a file's statement structures as
 * a JSON array (printed with ts-morph, loaded on first use) or `{ text }` as JSON, its text
 * written for prettier without ts-morph (prettier-input.ts).
 */
export function printFiles(jobs: string[]): Promise<string[]>;
