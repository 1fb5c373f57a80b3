import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The GitHub workflows parse and say what the project relies on (actionlint is not available
 * offline): triggers, the smallest permissions each needs, and the commands each runs.
 */
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  id?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix: Record<string, unknown[]> }; steps: Step[] }>;
}

function workflow(name: string): Workflow {
  const doc = parse(readFileSync(`.github/workflows/${name}`, 'utf8'), { uniqueKeys: true }) as Workflow;
  expect(Object.keys(doc.jobs)).toHaveLength(1);
  return doc;
}
const steps = (w: Workflow) => Object.values(w.jobs)[0]!.steps;
const runs = (w: Workflow) => steps(w).flatMap((s) => (s.run ? [s.run.trim()] : []));

describe('.github/workflows', () => {
  it('ci.yml runs .ci/run\'s commands (the redis-server install included), in its order, on push and pull request with Node 20, 22 and 24', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(ci.jobs.test!.strategy!.matrix.node).toEqual([20, 22, 24]);
    expect(steps(ci).find((s) => s.uses?.startsWith('actions/setup-node@'))!.with!['node-version']).toBe('${{ matrix.node }}');
    const script = readFileSync('.ci/run', 'utf8')
      .split('\n')
      .filter((l) => /^(npm|npx|scripts\/)/.test(l));
    expect(runs(ci)).toEqual(script);
    expect(script).toEqual(['scripts/ensure-redis-server.sh', 'npm ci', 'npx b24gen generate --check', 'npm run generate', 'npm test']);
  });

  it('release.yml tests and publishes the pushed imbot-v2@ tag through b24gen release --from-tag, with provenance', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { tags: ['imbot-v2@*'] } });
    expect(release.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const setup = steps(release).find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(setup.with).toMatchObject({ 'node-version': 20, 'registry-url': 'https://registry.npmjs.org' });
    expect(runs(release)).toEqual(['npm ci', 'npx b24gen generate --check', 'npm run generate', 'npm test', 'npx b24gen release --from-tag']);
    const publish = steps(release).at(-1)!;
    expect(publish.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}', NPM_CONFIG_PROVENANCE: 'true' });
    // The flag it relies on exists.
    expect(readFileSync('generator/commands/release.ts', 'utf8')).toContain("'from-tag': { type: 'boolean' }");
  });

  it('docs-sync.yml runs weekly and by hand, checks out the docs with their REVISION, runs the script, then opens or updates the PR', () => {
    const sync = workflow('docs-sync.yml');
    expect(Object.keys(sync.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const cron = (sync.on.schedule as { cron: string }[])[0]!.cron.split(' ');
    expect(cron).toHaveLength(5);
    expect(cron[4]).toMatch(/^[0-6]$/); // one day of the week
    expect(sync.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const all = steps(sync);
    const docs = all.find((s) => s.with?.repository === 'bitrix-tools/b24-rest-docs')!;
    expect(docs.with!.path).toBe('docs');
    expect(runs(sync)).toContain('git -C docs rev-parse HEAD > docs/REVISION');
    expect(all.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with!['node-version']).toBe(20);
    const script = all.find((s) => s.run?.includes('scripts/docs-sync-pr.sh'))!;
    expect(script.id).toBe('sync');
    expect(script.run).toContain('scripts/docs-sync-pr.sh docs origin "$RUNNER_TEMP/docs-sync-pr.md"');
    const pr = all.at(-1)!;
    expect(pr.if).toBe("steps.sync.outputs.changed == 'true'");
    expect(pr.run).toContain('gh pr edit "$number" --body-file "$RUNNER_TEMP/docs-sync-pr.md"');
    expect(pr.run).toContain('gh pr create --head docs-sync');
    // The script writes the output the PR step reads.
    expect(readFileSync('scripts/docs-sync-pr.sh', 'utf8')).toContain('echo "changed=$1" >>"$GITHUB_OUTPUT"');
  });

  it('spec-diff.yml still comments on pull requests that touch spec/', () => {
    const diff = workflow('spec-diff.yml');
    expect(diff.on).toEqual({ pull_request: { paths: ['spec/**'] } });
    expect(diff.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(runs(diff).some((r) => r.includes('npx b24gen diff --base-ref'))).toBe(true);
  });
});
