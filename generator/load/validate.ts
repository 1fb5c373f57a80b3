import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ProblemList } from './spec-error.js';
import { SPEC_SCHEMA } from '../paths.js';
import { formatPath, type DataPath, type YamlSource } from './yaml-source.js';

let compiled: ValidateFunction | undefined;

/** The JSON Schema of a spec file (`spec/spec.schema.json`), compiled once per process. */
function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(SPEC_SCHEMA, 'utf8')) as object;
    // Required when first needed: a load whose files all come from the load cache never needs it.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    compiled = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/**
 * Checks one parsed file against the JSON Schema. Every violation becomes a located problem
 * with a message written for a maintainer (what is wrong, and what would be right).
 * Returns whether the file is valid.
 */
export function validateAgainstSchema(source: YamlSource, problems: ProblemList): boolean {
  const validate = validator();
  if (validate(source.data)) return true;
  const errors = relevantErrors(validate.errors ?? []);
  const seen = new Set<string>();
  for (const err of errors) {
    const path = toDataPath(err.instancePath);
    const { message, atKey, keyPath } = describe(err, path, source);
    const at = atKey ? source.keyAt(keyPath) : source.at(path);
    const line = `${at.line}:${at.col}: ${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    problems.add(at, message);
  }
  return false;
}

/**
 * Drops the noise ajv reports around the real violation: the `if` that selected a branch, and
 * the per-branch errors under an `anyOf` (the `anyOf` error itself says it better).
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = errors
    .filter((e) => e.keyword === 'anyOf')
    .map((e) => ({ schema: e.schemaPath, instance: e.instancePath }));
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    return !anyOfPaths.some(
      (a) => e.keyword !== 'anyOf' && e.instancePath === a.instance && e.schemaPath.startsWith(a.schema + '/'),
    );
  });
}

function toDataPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

const METHOD_ONLY_KEYS = ['summary', 'docs', 'scope', 'extraScopes', 'access', 'idempotent', 'notIdempotentWhen', 'params', 'result', 'statuses', 'errors'];

interface Described {
  message: string;
  atKey: boolean;
  keyPath: DataPath;
}

function describe(err: ErrorObject, path: DataPath, source: YamlSource): Described {
  const where = path.length === 0 ? 'the file' : formatPath(path);
  const plain = (message: string): Described => ({ message, atKey: false, keyPath: path });
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'type': {
      const types = ([] as string[]).concat(params.type as string | string[]);
      return plain(`${where} must be ${types.map(withArticle).join(' or ')}`);
    }
    case 'required':
      return plain(`${where} is missing the required key "${String(params.missingProperty)}"`);
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(err);
      const guess = closest(key, allowed);
      const hint = guess ? `; did you mean "${guess}"?` : allowed.length ? ` (known keys: ${allowed.join(', ')})` : '';
      return { message: `${formatPath([...path, key])}: unknown key "${key}"${hint}`, atKey: true, keyPath: [...path, key] };
    }
    case 'enum':
      return plain(`${where} must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`);
    case 'pattern':
      return plain(`${where} ${patternHint(path)} (got ${JSON.stringify(valueAt(source.data, path))})`);
    case 'minimum':
    case 'maximum':
      return plain(`${where} must be ${err.keyword === 'minimum' ? '>=' : '<='} ${String(params.limit)}`);
    case 'minLength':
      return plain(params.limit === 1 ? `${where} must not be empty` : `${where} must be at least ${String(params.limit)} characters`);
    case 'minItems':
      return plain(`${where} must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`);
    case 'anyOf':
      return plain(`${where} must be true, false or a type (a map with \`type\` or \`$ref\`)`);
    case 'not': {
      const data = isRecord(source.data) ? source.data : {};
      if ('event' in data) {
        const extra = METHOD_ONLY_KEYS.filter((k) => k in data && !EVENT_KEYS.has(k));
        return {
          message: `${extra.join(', ')} belong${extra.length === 1 ? 's' : ''} to a method file; an event file has event, summary, description, docs and data`,
          atKey: true,
          keyPath: [extra[0] ?? ''],
        };
      }
      const present = METHOD_ONLY_KEYS.filter((k) => k in data);
      if (present.length === 0 && 'data' in data) {
        return { message: 'data belongs to an event file: add `event:` or move it to one', atKey: true, keyPath: ['data'] };
      }
      return {
        message: `${present.join(', ')} belong${present.length === 1 ? 's' : ''} to a method file: add \`method:\` or move ${present.length === 1 ? 'it' : 'them'} to one`,
        atKey: true,
        keyPath: [present[0] ?? ''],
      };
    }
    default:
      return plain(`${where} ${err.message ?? 'is invalid'}`);
  }
}

/** Keys an event file shares with method files. */
const EVENT_KEYS = new Set(['summary', 'description', 'docs']);

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function patternHint(path: DataPath): string {
  const last = path[path.length - 1];
  if (path.length === 1 && last === 'method') return 'must be a dotted REST method name such as imbot.v2.Chat.Message.send';
  if (last === 'docs') return 'must be an https:// link to the official page';
  return 'does not have the expected form';
}

function allowedKeys(err: ErrorObject): string[] {
  const schema = err.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return schema?.properties ? Object.keys(schema.properties) : [];
}

/** The allowed key a typo most likely meant (edit distance at most 2), if any. */
function closest(key: string, allowed: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(data: unknown, path: DataPath): unknown {
  let v = data;
  for (const seg of path) v = (v as Record<string | number, unknown> | undefined)?.[seg];
  return v;
}
