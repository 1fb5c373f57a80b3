import type { Api } from '../model/ir.js';
import { KitSchemas } from '../model/kit-schema.js';
import { check } from '../testing/schema.js';
import type { ProblemList } from './spec-error.js';

/**
 * A method's `result.example` (the docs' example of a successful answer's `result`, written by
 * docs-sync) must conform to the result's type: the testing kit answers it as is. Checked with
 * the kit's own `check`, so an example that loads is one the kit's schema accepts.
 */
export function checkResultExamples(api: Api, problems: ProblemList): void {
  const schemas = new KitSchemas(api);
  const withExample = api.methods.filter((m) => m.resultExampleAt !== undefined);
  const results = withExample.map((m) => schemas.of(m.result));
  const defs = schemas.definitions();
  withExample.forEach((m, i) => {
    const problem = check(m.result.example, results[i]!, defs);
    if (!problem) return;
    const where = problem.path === '' ? 'the whole example' : problem.path;
    const message = problem.kind === 'unknown' ? 'is not in the result type' : problem.message;
    problems.add(
      m.resultExampleAt!,
      `result example, ${where}: ${message}; make the example match the result type (or remove \`example\` and let docs-sync copy the docs' example again)`,
    );
  });
}
