import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { PRECOMPILED_VALIDATOR, schemaValidator, SPEC_SCHEMA, validatorSource } from '../generator/load/schema-validator.js';
import { VALID_METHOD } from './support/spec-texts.js';

const require = createRequire(import.meta.url);
const schemaText = readFileSync(SPEC_SCHEMA, 'utf8');
// Inside the project: validation code requires ajv's runtime helpers from node_modules.
mkdirSync(resolve('test/.tmp'), { recursive: true });
const temp = mkdtempSync(join(resolve('test/.tmp'), 'schema-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Method files the schema refuses, each for another reason. */
const BROKEN = [
  VALID_METHOD.replace('scope: imbot', 'scope: [imbot]'),
  VALID_METHOD.replace('    type: integer\n', '    type: intger\n'),
  VALID_METHOD.replace('summary: Ping.\n', 'summary: Ping.\nsumary: typo\n'),
  VALID_METHOD.replace('statuses: [200]', 'statuses: 200'),
  VALID_METHOD.replace('    status: 400\n', '    status: "400"\n'),
  VALID_METHOD.replace('method: imbot.v2.Test.ping\n', ''),
].map((text) => parse(text) as unknown);
const VALID = parse(VALID_METHOD) as unknown;

/** A schema that refuses every method file the real one accepts (a method file has more than one key). */
const otherSchemaText = JSON.stringify({ ...(JSON.parse(schemaText) as object), maxProperties: 1 });

describe('the spec schema validation code (generator/load/spec-schema.validator.cjs)', () => {
  it('is what `npm run build:schema` writes for the current schema and ajv', () => {
    expect(readFileSync(PRECOMPILED_VALIDATOR, 'utf8'), 'generator/load/spec-schema.validator.cjs is stale: run `npm run build:schema` and commit it').toBe(validatorSource(schemaText));
  });

  it('`npm run build:schema` leaves a current file as it is and says so', () => {
    const before = statSync(PRECOMPILED_VALIDATOR).mtimeMs;
    const run = spawnSync('npm', ['run', '--silent', 'build:schema'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('generator/load/spec-schema.validator.cjs is up to date\n');
    expect(statSync(PRECOMPILED_VALIDATOR).mtimeMs).toBe(before);
  }, 30_000);

  it('is what a run uses, and reports exactly the errors a fresh compile of the schema reports', () => {
    const committed = schemaValidator(schemaText);
    expect(committed).toBe((require(PRECOMPILED_VALIDATOR) as { default: unknown }).default);
    const compiled = schemaValidator(schemaText, join(temp, 'missing.cjs'));
    expect(compiled).not.toBe(committed);
    expect(committed(VALID)).toBe(true);
    expect(compiled(VALID)).toBe(true);
    for (const data of BROKEN) {
      expect(committed(data)).toBe(false);
      expect(compiled(data)).toBe(false);
      expect(committed.errors).toEqual(compiled.errors);
    }
  });

  it('code made from another schema text is not used: the schema given is compiled instead', () => {
    const otherFile = join(temp, 'other.cjs');
    writeFileSync(otherFile, validatorSource(otherSchemaText));
    const other = schemaValidator(otherSchemaText, otherFile);
    expect(other).toBe((require(otherFile) as { default: unknown }).default);
    expect(other(VALID)).toBe(false);
    // The real schema with that file: the file's code would refuse a valid method file.
    const validate = schemaValidator(schemaText, otherFile);
    expect(validate).not.toBe(other);
    expect(validate(VALID)).toBe(true);
    expect(validate(BROKEN[0])).toBe(false);
  });

  it('a missing or damaged file: the schema is compiled instead', () => {
    const damaged = join(temp, 'damaged.cjs');
    writeFileSync(damaged, 'module.exports = function (', 'utf8');
    for (const file of [join(temp, 'missing.cjs'), damaged]) {
      const validate = schemaValidator(schemaText, file);
      expect(validate(VALID)).toBe(true);
      expect(validate(BROKEN[2])).toBe(false);
    }
  });

  it('a generate run loads the committed code and never ajv itself', () => {
    // A preloaded script lists, as the process exits, the CommonJS modules it loaded.
    const probe = join(temp, 'probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n");
    const run = spawnSync(process.execPath, ['--require', probe, resolve('generator/bin/b24gen.mjs'), 'generate', '--check'], {
      encoding: 'utf8',
      env: { ...process.env, B24GEN_CACHE: '0' }, // every spec file validated
    });
    expect(run.status).toBe(0);
    const loaded = JSON.parse(/^LOADED (.*)$/m.exec(run.stderr)![1]) as string[];
    expect(loaded).toContain(PRECOMPILED_VALIDATOR);
    expect(loaded.filter((path) => /[\\/]ajv[\\/]dist[\\/](ajv|core|compile[\\/].*)\.js$/.test(path))).toEqual([]);
  }, 30_000);
});
