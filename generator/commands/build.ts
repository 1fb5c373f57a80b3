import { resolve } from 'node:path';
import { parseOptions, type Command } from './command.js';

export const buildCommand: Command = {
  name: 'build',
  summary: 'Compile the generated package (generated/) to dist/esm and dist/cjs',
  usage: `Usage: b24gen build [--package DIR]

  --package DIR   the package folder (default: generated)

Runs TypeScript 7's tsc twice (ESM and CommonJS, each with .d.ts files) after removing the old dist/.
Exit 1 when the compiler reports errors.
`,
  async run(args, io) {
    const { values } = parseOptions(args, { package: { type: 'string' } });
    const dir = values.package ?? 'generated';
    const { buildPackage, BuildError } = await import('../package/build.js');
    try {
      const { ms } = await buildPackage(resolve(dir));
      io.out(`built ${dir}/dist/esm and ${dir}/dist/cjs (${ms} ms)\n`);
      return 0;
    } catch (err) {
      if (err instanceof BuildError) {
        io.err(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
