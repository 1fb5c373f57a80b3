import type { Command } from './command.js';
import { buildCommand } from './build.js';
import { changelogCommand } from './changelog.js';
import { diffCommand } from './diff.js';
import { docsDiffCommand } from './docs-diff.js';
import { docsSyncCommand } from './docs-sync.js';
import { generateCommand } from './generate.js';
import { openapiCommand } from './openapi.js';
import { releaseCommand } from './release.js';

/** Every `b24gen` command, in the order `--help` lists them. Add a command here. */
export const commands: Command[] = [generateCommand, buildCommand, diffCommand, changelogCommand, docsDiffCommand, docsSyncCommand, openapiCommand, releaseCommand];
