import type { Command } from './command.js';
import { docsDiffCommand } from './docs-diff.js';
import { generateCommand } from './generate.js';

/** Every `b24gen` command, in the order `--help` lists them. Add a command here. */
export const commands: Command[] = [generateCommand, docsDiffCommand];
