import { parseOptions, UsageError, type Command } from './command.js';

export const docsSyncCommand: Command = {
  name: 'docs-sync',
  summary: 'Apply the differences docs-diff finds to the spec files (descriptions left marked for a person)',
  usage: `Usage: b24gen docs-sync --docs DIR [--spec DIR] [--dry-run]

  --docs DIR   docs root: the folder holding api-reference/ (such as ../shared/upstream-docs)
  --spec DIR   spec folder (default: spec); differences explained in DIR/docs-diff-allow.yaml
               are left alone
  --dry-run    print the edits as a unified diff and write nothing

Edits the YAML text in place (only the lines of what changes), records the docs revision and
page hashes in DIR/docs-sync.yaml, and ends with a summary: edits, items awaiting a description
(marked TODO(docs-sync): generate warns, release refuses), differences left for a person, pages
that changed since the last sync.

Exit codes: 0 every difference applied, 1 some left for a person (listed) or a bad spec,
2 usage errors or an unreadable docs folder.
`,
  async run(args, io) {
    const { values } = parseOptions(args, { docs: { type: 'string' }, spec: { type: 'string' }, 'dry-run': { type: 'boolean' } });
    if (values.docs === undefined || values.docs === '') throw new UsageError('--docs DIR is required (the docs root, such as ../shared/upstream-docs)');
    const { DocsFolderError } = await import('../docs/docs-root.js');
    const { runDocsSync, syncSummary } = await import('../docs/sync/index.js');
    const dryRun = values['dry-run'] === true;
    let result;
    try {
      result = runDocsSync({ docsDir: values.docs, specDir: values.spec ?? 'spec', dryRun });
    } catch (err) {
      if (err instanceof DocsFolderError) {
        io.err(`b24gen docs-sync: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    if (dryRun) io.out(result.patch === '' ? 'no changes\n' : result.patch);
    io.out(`${dryRun ? '\n' : ''}${syncSummary(result, dryRun)}`);
    return result.left.length > 0 ? 1 : 0;
  },
};
