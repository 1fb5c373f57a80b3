#!/usr/bin/env node
// Entry point of the `b24gen` command: the generator is TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
