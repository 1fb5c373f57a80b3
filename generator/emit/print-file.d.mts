/** Prints one planned file (its statement structures as JSON) with ts-morph and formats it with prettier. */
export function printFile(statements: string, options: object): Promise<string>;
