import { parseArgs } from 'node:util';

/** Where a command writes: stdout and stderr in the CLI, buffers in tests. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (colour allowed). */
  isTTY?: boolean;
}

/** One `b24gen <name>` command. `run` returns the exit code; it never calls process.exit. */
export interface Command {
  name: string;
  /** One line for the command list in `b24gen --help`. */
  summary: string;
  /** The command's own help (`b24gen <name> --help`): usage line and options. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Wrong arguments: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {}

/** node:util parseArgs, with its errors turned into UsageError. */
export function parseOptions<const T extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
