// `npm run build:schema`: writes spec-schema.validator.cjs, the validation code of
// spec/spec.schema.json that every run requires instead of compiling the schema
// (./schema-validator.ts). Run it after editing the schema or upgrading ajv; the tests fail
// until the file is current.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { writeFileIfChanged } from '../output.js';
import { PRECOMPILED_VALIDATOR, SPEC_SCHEMA, validatorSource } from './schema-validator.js';

const shown = relative(process.cwd(), PRECOMPILED_VALIDATOR);

let text: string;
try {
  text = validatorSource(readFileSync(SPEC_SCHEMA, 'utf8'));
} catch (err) {
  // A schema ajv refuses (strict mode) or cannot read: say so, write nothing.
  process.stderr.write(`${relative(process.cwd(), SPEC_SCHEMA)}: cannot compile the schema: ${(err as Error).message}\n`);
  process.exit(1);
}
// Through a temporary file, so a reader never sees half a module.
if (writeFileIfChanged(PRECOMPILED_VALIDATOR, text)) process.stdout.write(`wrote ${shown} (${text.length.toLocaleString('en')} bytes)\n`);
else process.stdout.write(`${shown} is up to date\n`);
