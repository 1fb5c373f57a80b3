import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseOptions, UsageError, type Command } from './command.js';

export const openapiCommand: Command = {
  name: 'openapi',
  summary: 'Export the spec as an OpenAPI 3.1 document (JSON, or YAML for .yaml/.yml)',
  usage: `Usage: b24gen openapi --out FILE [--spec DIR] [--format json|yaml]

  --out FILE       where to write; \`-\` writes to stdout
  --spec DIR       spec folder (default: spec)
  --format KIND    json or yaml (default: from the file extension, json for stdout)

One POST operation per method at /<method name>, operationId = the method name, params as the
JSON request body, 200 as {result, time}, each error status as {error, error_description} with
the method's codes for that status. Every operation accepts an OAuth access token as \`auth\`
(with the method's scope) or the webhook URL alone; tags are the spec's groups, described.
The version is generated/package.json's.
Exit 0 written, 1 a bad spec or an unwritable FILE (nothing written), 2 usage errors.
`,
  async run(args, io) {
    const { values } = parseOptions(args, {
      out: { type: 'string' },
      spec: { type: 'string' },
      format: { type: 'string' },
    });
    if (values.out === undefined || values.out === '') throw new UsageError('--out FILE is required (or `--out -` for stdout)');
    const format = values.format ?? (/\.ya?ml$/i.test(values.out) ? 'yaml' : 'json');
    if (format !== 'json' && format !== 'yaml') throw new UsageError(`--format must be json or yaml, not "${format}"`);
    const { loadSpec } = await import('../load/index.js');
    const { renderDocument } = await import('../openapi/index.js');
    const { readPackageVersion } = await import('../package/version.js');
    const api = loadSpec(resolve(values.spec ?? 'spec'));
    const { text, schemas } = renderDocument(api, format, readPackageVersion(resolve('generated/package.json')) ?? '0.0.0');
    if (values.out === '-') {
      io.out(text);
      return 0;
    }
    const target = resolve(values.out);
    const temp = `${target}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(temp, text, 'utf8');
      renameSync(temp, target);
    } catch (err) {
      rmSync(temp, { force: true });
      io.err(`b24gen openapi: cannot write ${values.out}: ${(err as Error).message}\n`);
      return 1;
    }
    io.out(`wrote ${values.out}: OpenAPI 3.1, ${api.methods.length} operations, ${schemas} schemas (${format})\n`);
    return 0;
  },
};
