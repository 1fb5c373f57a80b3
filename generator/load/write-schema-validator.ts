// `npm run build:schema`: writes spec-schema.validator.cjs, the validation code of
// spec/spec.schema.json that every run requires instead of compiling the schema
// (./schema-validator.ts). Run it after editing the schema or upgrading ajv; the tests fail
// until the file is current.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRECOMPILED_VALIDATOR, validatorSource } from './schema-validator.js';

const schemaPath = fileURLToPath(new URL('../../spec/spec.schema.json', import.meta.url));
const shown = relative(process.cwd(), PRECOMPILED_VALIDATOR);

let text: string;
try {
  text = validatorSource(readFileSync(schemaPath, 'utf8'));
} catch (err) {
  // A schema ajv refuses (strict mode) or cannot read: say so, write nothing.
  process.stderr.write(`${relative(process.cwd(), schemaPath)}: cannot compile the schema: ${(err as Error).message}\n`);
  process.exit(1);
}
let current: string | undefined;
try {
  current = readFileSync(PRECOMPILED_VALIDATOR, 'utf8');
} catch {
  current = undefined;
}
if (current === text) {
  process.stdout.write(`${shown} is up to date\n`);
} else {
  // Through a temporary file, so a reader never sees half a module.
  writeFileSync(`${PRECOMPILED_VALIDATOR}.tmp`, text);
  renameSync(`${PRECOMPILED_VALIDATOR}.tmp`, PRECOMPILED_VALIDATOR);
  process.stdout.write(`wrote ${shown} (${text.length.toLocaleString('en')} bytes)\n`);
}
