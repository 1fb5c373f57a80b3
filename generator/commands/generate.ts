import { resolve } from 'node:path';
import { pruneCaches } from '../cache.js';
import { parseOptions, type Command } from './command.js';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate the client in generated/src from the spec in spec/',
  usage: `Usage: b24gen generate [--spec DIR] [--out DIR] [--readme FILE] [--check]

  --spec DIR      spec folder (default: spec)
  --out DIR       output folder (default: generated/src)
  --readme FILE   the package README (default: generated/README.md when --out is not given;
                  with --out, only written when asked for)
  --check         write nothing; exit 1 and list the files that differ when the output is stale

Environment:
  B24GEN_CACHE=0          no caches: every spec file is parsed and every output file
                          formatted again
  B24GEN_CACHE_DIR=DIR    keep the cache in DIR (default: node_modules/.cache/b24gen);
                          deleting it is always safe
`,
  async run(args, io) {
    const { values } = parseOptions(args, {
      spec: { type: 'string' },
      out: { type: 'string' },
      readme: { type: 'string' },
      check: { type: 'boolean' },
    });
    const outName = values.out ?? 'generated/src';
    const specDir = resolve(values.spec ?? 'spec');
    const outDir = resolve(outName);
    const readmeName = values.readme ?? (values.out === undefined ? 'generated/README.md' : undefined);
    const started = performance.now();
    // Loaded on use: ts-morph and prettier take a while to import, and --help needs neither.
    const { generateFiles } = await import('../generate.js');
    const { diffOutput, readOutput, writeOutput, fileDiffers, writeFileIfChanged } = await import('../output.js');
    const { api, files, readme } = await generateFiles(specDir);
    const onDisk = readOutput(outDir);

    if (values.check) {
      const diff = diffOutput(outDir, files, onDisk);
      const stale = [
        ...diff.added.map((f) => `  missing  ${f}`),
        ...diff.changed.map((f) => `  changed  ${f}`),
        ...diff.removed.map((f) => `  extra    ${f}`),
        ...(readmeName !== undefined && fileDiffers(resolve(readmeName), readme) ? [`  changed  ${readmeName}`] : []),
      ];
      if (stale.length > 0) {
        io.err(`${outName} is stale: it differs from what the spec produces.\n${stale.join('\n')}\nRun \`npm run generate\` and commit the result.\n`);
        return 1;
      }
      io.out(`${outName} is up to date (${files.size} files, ${api.methods.length} methods).\n`);
      return 0;
    }

    const diff = writeOutput(outDir, files, onDisk);
    const readmeChanged = readmeName !== undefined && writeFileIfChanged(resolve(readmeName), readme);
    const ms = Math.round(performance.now() - started);
    const unchanged = files.size - diff.added.length - diff.changed.length;
    io.out(
      `generated ${api.methods.length} method${api.methods.length === 1 ? '' : 's'} into ${outName}: ` +
        `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${unchanged} unchanged` +
        `${readmeName === undefined ? '' : `; ${readmeName} ${readmeChanged ? 'written' : 'unchanged'}`} (${ms} ms)\n`,
    );
    pruneCaches();
    return 0;
  },
};
