/** Whether prettier only re-indents this JSDoc comment (see doc-comment-layout.mjs). */
export function onlyReindented(comment: string): boolean;
/** The comment as prettier prints it at `indent`, for a comment `onlyReindented` accepts. */
export function reindentDocComment(comment: string, indent: string): string;
