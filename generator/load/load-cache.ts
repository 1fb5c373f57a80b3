import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diskCache, packageVersion, type DiskCache } from '../cache.js';
import type { SourceLocation } from '../model/ir.js';
import { positionKey, type DataPath, type PositionIndex, type SpecSource, type YamlSource } from './yaml-source.js';

/**
 * Parsing YAML with positions is most of load's time on a big spec, and most spec files do not
 * change between runs. A file that parsed and passed the JSON Schema is kept in the `load` disk
 * cache (../cache.ts) under the hash of its text: its data and the position of every node. The
 * next run answers `at`/`keyAt` from that index (`IndexedSource`) with the same places, and skips
 * parsing and schema validation; the cross-file checks and the IR are built every run.
 *
 * The salt holds everything the entry depends on besides the text: the schema, the code that
 * parses, indexes and validates, and the versions of yaml and ajv.
 */
export function loadSalt(): string {
  const here = (rel: string) => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');
  return [
    here('../../spec/spec.schema.json'),
    here('./yaml-source.ts'),
    here('./validate.ts'),
    here('./load-cache.ts'),
    packageVersion('yaml'),
    packageVersion('ajv'),
  ].join('\0');
}

interface Entry {
  data: unknown;
  positions: PositionIndex;
}

export class LoadCache {
  private constructor(private readonly disk: DiskCache) {}

  static open(): LoadCache | undefined {
    const disk = diskCache('load', loadSalt());
    return disk && new LoadCache(disk);
  }

  /** The file as a source, when this text parsed and validated before. */
  get(file: string, text: string): SpecSource | undefined {
    const stored = this.disk.get(text);
    return stored === undefined ? undefined : sourceFromEntry(file, stored);
  }

  /** Keeps a file that parsed and validated; data JSON cannot carry exactly is not kept. */
  set(text: string, source: YamlSource): void {
    const entry = entryText(source);
    if (entry !== undefined) this.setEntry(text, entry);
  }

  /** Keeps the entry (`entryText`) a print worker made of a file (shared-load.ts). */
  setEntry(text: string, entry: string): void {
    this.disk.set(text, entry);
  }
}

/** What is kept of a file that parsed and validated: its data and positions as JSON text; undefined when JSON cannot carry the data exactly. */
export function entryText(source: YamlSource): string | undefined {
  return jsonExact(source.data) ? JSON.stringify({ data: source.data, positions: source.positions() } satisfies Entry) : undefined;
}

/** The file answered from an entry: the same data and places as the `YamlSource` it was made of; undefined for a damaged entry. */
export function sourceFromEntry(file: string, entry: string): SpecSource | undefined {
  try {
    const { data, positions } = JSON.parse(entry) as Entry;
    return new IndexedSource(file, data, positions);
  } catch {
    return undefined; // a damaged entry: parse again
  }
}

/**
 * Whether JSON round-trips `value` unchanged (no NaN, Infinity, -0, undefined, or non-plain
 * objects). With `optionalAbsent`, an object property that is undefined counts as absent, as
 * JSON leaves it (the IR's optional fields).
 */
export function jsonExact(value: unknown, optionalAbsent = false): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every((v) => jsonExact(v, optionalAbsent));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((v) => (optionalAbsent && v === undefined) || jsonExact(v, optionalAbsent));
  }
  return false;
}

/** A spec file answered from the load cache: the same data and places as `YamlSource`. */
export class IndexedSource implements SpecSource {
  constructor(
    readonly file: string,
    readonly data: unknown,
    private readonly positions: PositionIndex,
  ) {}

  at(path: DataPath): SourceLocation {
    return this.locate(path, false);
  }

  keyAt(path: DataPath): SourceLocation {
    return this.locate(path, true);
  }

  /** As `YamlSource.locate`: follow the path while it exists; a number also matches a map key. */
  private locate(path: DataPath, wantKey: boolean): SourceLocation {
    let prefix = '';
    let found = this.positions[''] ?? [1, 1];
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const asKey = positionKey(prefix, `.${String(seg)}`);
      const asIndex = typeof seg === 'number' ? positionKey(prefix, `#${seg}`) : undefined;
      const next = Object.hasOwn(this.positions, asKey) ? asKey : asIndex !== undefined && Object.hasOwn(this.positions, asIndex) ? asIndex : undefined;
      if (next === undefined) break;
      const entry = this.positions[next];
      found = i === path.length - 1 && wantKey && entry.length === 4 ? entry.slice(2) : entry;
      prefix = next;
    }
    return { file: this.file, line: found[0], col: found[1] };
  }
}
