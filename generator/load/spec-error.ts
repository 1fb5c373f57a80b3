import type { SourceLocation } from '../model/ir.js';

/** One problem in the spec, located at `file:line:col`. */
export interface SpecProblem extends SourceLocation {
  message: string;
}

export function formatProblem(p: SpecProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/**
 * Thrown when the spec cannot be turned into an IR (or the IR into code). Carries every problem
 * found, sorted by place, so a maintainer fixes them in one pass instead of one per run.
 */
export class SpecError extends Error {
  readonly problems: SpecProblem[];

  constructor(problems: SpecProblem[]) {
    const sorted = [...problems].sort(compareProblems);
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'SpecError';
    this.problems = sorted;
  }
}

function compareProblems(a: SpecProblem, b: SpecProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Collects problems while a stage runs; `throwIfAny` ends the stage when something was wrong. */
export class ProblemList {
  readonly items: SpecProblem[] = [];

  add(at: SourceLocation, message: string): void {
    this.items.push({ file: at.file, line: at.line, col: at.col, message });
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new SpecError(this.items);
  }
}

/** "a" or "b" -> `"a" or "b"`: how two places are named in collision messages. */
export function describePlace(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.col}`;
}
