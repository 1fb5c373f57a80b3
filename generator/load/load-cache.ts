import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diskCache, packageVersion, type DiskCache } from '../cache.js';
import { FilePlaces } from './places.js';
import { SpecFile } from './spec-file.js';

/**
 * Most spec files do not change between runs. A file that parsed and passed the JSON Schema is
 * kept in the `load` disk cache (../cache.ts) under the hash of its text: its data. The next run
 * takes the data from there and skips parsing and schema validation (its places are found from
 * the text when one is shown, as for a parsed file: places.ts); the cross-file checks and the IR
 * are built every run.
 *
 * The salt holds everything the entry depends on besides the text: the schema, the code that
 * parses and validates, and the versions of js-yaml, yaml and ajv.
 */
function loadSalt(): string {
  const here = (rel: string) => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');
  return [
    here('../../spec/spec.schema.json'),
    here('./spec-file.ts'),
    here('./fast-yaml.ts'),
    here('./yaml-source.ts'),
    here('./validate.ts'),
    here('./load-cache.ts'),
    packageVersion('js-yaml'),
    packageVersion('yaml'),
    packageVersion('ajv'),
  ].join('\0');
}

interface Entry {
  data: unknown;
}

export class LoadCache {
  private constructor(private readonly disk: DiskCache) {}

  static open(): LoadCache | undefined {
    const disk = diskCache('load', loadSalt());
    return disk && new LoadCache(disk);
  }

  /** The file as a source, when this text parsed and validated before. */
  get(file: string, text: string): SpecFile | undefined {
    const stored = this.disk.get(text);
    return stored === undefined ? undefined : fileFromEntry(file, text, stored);
  }

  /** Keeps a file that parsed and validated; data JSON cannot carry exactly is not kept. */
  set(text: string, source: SpecFile): void {
    const entry = entryText(source);
    if (entry !== undefined) this.disk.set(text, entry);
  }
}

/** What is kept of a file that parsed and validated: its data as JSON text; undefined when JSON cannot carry the data exactly. */
export function entryText(source: SpecFile): string | undefined {
  return jsonExact(source.data) ? JSON.stringify({ data: source.data } satisfies Entry) : undefined;
}

/** The file `text` is, answered from its entry: the same data as the file it was made of; undefined for a damaged entry. */
export function fileFromEntry(file: string, text: string, entry: string): SpecFile | undefined {
  try {
    const parsed = JSON.parse(entry) as Partial<Entry> | null;
    if (parsed === null || typeof parsed !== 'object' || !('data' in parsed)) return undefined;
    return new SpecFile(file, parsed.data, new FilePlaces(file, text));
  } catch {
    return undefined; // a damaged entry: parse again
  }
}

/** Whether JSON round-trips `value` unchanged (no NaN, Infinity, -0, undefined, or non-plain objects). */
function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(jsonExact);
  return false;
}
