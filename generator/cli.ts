import { UsageError, type CliIo, type Command } from './commands/command.js';
import { commands } from './commands/index.js';
import { SpecError } from './load/spec-error.js';

/**
 * The `b24gen` command line: picks the command, maps failures to exit codes and messages;
 * the work happens in commands/. Exit codes: 0 done, 1 the input or output is wrong (the
 * messages say where), 2 usage errors.
 */

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `Usage: b24gen <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Run \`b24gen <command> --help\` for a command's options.
`;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
};

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return 2;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.out(usage());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`b24gen: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  return runCommand(command, rest, io);
}

async function runCommand(command: Command, args: string[], io: CliIo): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`b24gen ${command.name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof SpecError) {
      const n = err.problems.length;
      io.err(`${err.message}\n${n} problem${n === 1 ? '' : 's'} in the spec; nothing was written.\n`);
      return 1;
    }
    // Anything else is a bug in b24gen: say so plainly; the stack only on request.
    const detail = process.env.B24GEN_DEBUG ? String((err as Error)?.stack ?? err) : String((err as Error)?.message ?? err);
    io.err(`b24gen ${command.name}: internal error: ${detail}\nNothing was written. Set B24GEN_DEBUG=1 for the stack.\n`);
    return 1;
  }
}
