import { resolve } from 'node:path';
import { pruneCaches } from '../cache.js';
import { parseOptions, type Command } from './command.js';

/** docs-sync's descriptions still left for a person: a warning (stderr), never a failure. */
async function warnPending(specDir: string, io: { err: (t: string) => void }): Promise<void> {
  const { findPending } = await import('../load/pending.js');
  const { readSpecDir, displayPath } = await import('../load/index.js');
  const pending = findPending(readSpecDir(specDir), displayPath(specDir));
  if (pending.length === 0) return;
  io.err(
    `warning: ${pending.length} description(s) left for a person (written by docs-sync; release refuses until each is written):\n` +
      pending.map((p) => `  ${p.file}:${p.line}  ${p.text}\n`).join(''),
  );
}

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
    await warnPending(specDir, io);

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
