import { parseOptions, UsageError, type Command } from './command.js';

export const docsDiffCommand: Command = {
  name: 'docs-diff',
  summary: 'Compare the spec with the official docs pages: every structural difference, and every example checked',
  usage: `Usage: b24gen docs-diff --docs DIR [--spec DIR] [--json] [--no-examples]

  --docs DIR   docs root: the folder holding api-reference/ (such as ../shared/upstream-docs)
  --spec DIR   spec folder (default: spec); deliberate differences are listed in
               DIR/docs-diff-allow.yaml, each with a reason
  --json       print the result as JSON (shape: generator/docs/README.md)
  --no-examples  skip checking the pages' examples (JSON, curl, JS, PHP) against the spec's
               schemas and the generated types (the slow part: one tsc run)

Exit codes: 0 no unexplained differences or examples, 1 unexplained differences or examples
or stale allowlist entries (or a bad spec/allowlist), 2 usage errors or an unreadable docs folder.
`,
  async run(args, io) {
    const { values } = parseOptions(args, {
      docs: { type: 'string' },
      spec: { type: 'string' },
      json: { type: 'boolean' },
      'no-examples': { type: 'boolean' },
    });
    if (values.docs === undefined || values.docs === '') throw new UsageError('--docs DIR is required (the docs root, such as ../shared/upstream-docs)');
    // Loaded on use, like generate: --help needs none of it.
    const { DocsFolderError, exitCodeOf, reportJson, reportText, runDocsDiff } = await import('../docs/index.js');
    let result;
    try {
      result = await runDocsDiff({ docsDir: values.docs, specDir: values.spec ?? 'spec', examples: values['no-examples'] !== true });
    } catch (err) {
      if (err instanceof DocsFolderError) {
        io.err(`b24gen docs-diff: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    io.out(values.json ? reportJson(result) : reportText(result));
    if (!values.json) {
      const { followsLine } = await import('../docs/sync/record.js');
      const line = followsLine(values.docs, values.spec ?? 'spec', result.files);
      if (line) io.out(`${line}\n`);
    }
    return exitCodeOf(result);
  },
};
