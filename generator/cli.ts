import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateFiles } from './generate.js';
import { SpecError } from './load/index.js';
import { diffOutput, writeOutput } from './output.js';

/**
 * The `b24gen` command: arguments, exit codes and output; the work happens elsewhere.
 * Exit codes: 0 done, 1 the spec or the output is wrong (messages say where), 2 usage.
 */

const USAGE = `Usage: b24gen <command> [options]

Commands:
  generate            Generate the client in generated/src from the spec in spec/
    --spec DIR          spec folder (default: spec)
    --out DIR           output folder (default: generated/src)
    --check             write nothing; exit 1 and list the files that differ when the
                        output is stale

Options:
  -h, --help          Show this help
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

class UsageError extends Error {}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      (command === undefined ? io.err : io.out)(USAGE);
      return command === undefined ? 2 : 0;
    }
    switch (command) {
      case 'generate':
        return await generateCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`b24gen: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof SpecError) {
      io.err(`${err.message}\n${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in the spec; nothing was written.\n`);
      return 1;
    }
    // Anything else is a bug in b24gen: say so plainly; the stack only on request.
    const detail = process.env.B24GEN_DEBUG ? String((err as Error).stack) : String((err as Error)?.message ?? err);
    io.err(`b24gen: internal error: ${detail}\nnothing was written. Set B24GEN_DEBUG=1 for details.\n`);
    return 1;
  }
}

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function generateCommand(args: string[], io: CliIo): Promise<number> {
  const values = parse(args, {
    spec: { type: 'string' },
    out: { type: 'string' },
    check: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const specDir = resolve(String(values.spec ?? 'spec'));
  const outDir = resolve(String(values.out ?? 'generated/src'));
  const started = performance.now();
  const { api, files } = await generateFiles(specDir);

  if (values.check) {
    const diff = diffOutput(outDir, files);
    const stale = [
      ...diff.added.map((f) => `  missing  ${f}`),
      ...diff.changed.map((f) => `  changed  ${f}`),
      ...diff.removed.map((f) => `  extra    ${f}`),
    ];
    if (stale.length > 0) {
      io.err(`${String(values.out ?? 'generated/src')} is stale: it differs from what the spec produces.\n${stale.join('\n')}\nRun \`npm run generate\` and commit the result.\n`);
      return 1;
    }
    io.out(`${String(values.out ?? 'generated/src')} is up to date (${files.size} files, ${api.methods.length} methods).\n`);
    return 0;
  }

  const diff = writeOutput(outDir, files);
  const ms = Math.round(performance.now() - started);
  io.out(
    `generated ${api.methods.length} method${api.methods.length === 1 ? '' : 's'} into ${String(values.out ?? 'generated/src')}: ` +
      `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ` +
      `${files.size - diff.added.length - diff.changed.length} unchanged (${ms} ms)\n`,
  );
  return 0;
}
