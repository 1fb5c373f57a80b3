import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diskCache, type DiskCache } from '../cache.js';
import type { MethodSpec, SourceLocation, TypeNode } from '../model/ir.js';
import { irJson, parseIrJson } from '../model/ir-json.js';
import { jsonExact, loadSalt } from './load-cache.js';
import { FilePlaces, Place } from './places.js';
import type { DataPath, SpecSource } from './yaml-source.js';

/**
 * On a 2,000-method spec, reading every file's entry from the load cache and building its IR
 * is most of what is left of a regeneration after a one-method change. A method file's IR
 * depends only on its own text, where it is (path and how the spec folder is shown in
 * messages) and, through `$ref`, on which named types exist. So the `ir` disk cache keeps, for
 * each method file that declares nothing shared (no `types`, `systemErrors` or `event`), its
 * `MethodSpec` (places included) under its name and text, with the names of the types it was
 * built against. The next run takes it from there while the named types are the same, skipping
 * the load cache, the parser, the schema and the IR building for that file; the cross-file
 * checks still see every method.
 */
export class IrCache {
  private constructor(private readonly disk: DiskCache) {}

  static open(): IrCache | undefined {
    const disk = diskCache('ir', irSalt());
    return disk && new IrCache(disk);
  }

  /** The stored IR of this method file, and the type names it was built against. */
  get(file: string, text: string): StoredIr | undefined {
    const stored = this.disk.get(`${file}\0${text}`);
    // An entry: the type names' key (JSON, one line), a newline, the method's JSON.
    const split = stored?.indexOf('\n') ?? -1;
    if (split < 0) return undefined;
    try {
      const method = parseIrJson<MethodSpec>(stored!.slice(split + 1));
      if (typeof method?.name !== 'string' || !placesRead(method, new FilePlaces(file, text))) return undefined;
      return { typeNames: stored!.slice(0, split), method };
    } catch {
      return undefined; // a damaged entry: load the file again
    }
  }

  /** Keeps the IR of a method file that declares nothing shared; IR JSON cannot carry exactly is not kept. */
  set(file: string, text: string, typeNames: string, method: MethodSpec): void {
    if (!jsonExact(method, true)) return;
    this.disk.set(`${file}\0${text}`, `${typeNames}\n${irJson(method)}`);
  }
}

/**
 * Turns every place of a method read from IR JSON (written as its data path: places.ts) back
 * into a place in its file; false when one is not (a damaged entry).
 */
function placesRead(method: MethodSpec, places: FilePlaces): boolean {
  let ok = true;
  const read = (holder: { at: SourceLocation }): void => {
    const place = Place.fromRef(places, holder.at);
    if (place) holder.at = place;
    else ok = false;
  };
  const type = (node: TypeNode): void => {
    read(node);
    if (node.kind === 'object') {
      for (const p of node.properties) {
        read(p);
        type(p.type);
      }
      if (typeof node.additionalProperties === 'object') type(node.additionalProperties);
    } else if (node.kind === 'array') type(node.items);
    else if (node.kind === 'union') node.variants.forEach(type);
  };
  read(method);
  type(method.params);
  type(method.result);
  method.errors.forEach(read);
  return ok;
}

export interface StoredIr {
  /** `typeNamesKey` of the named types the method was built against. */
  typeNames: string;
  method: MethodSpec;
}

/** The key for the named types a method was built against: their names, sorted. */
export function typeNamesKey(names: Iterable<string>): string {
  return JSON.stringify([...new Set(names)].sort());
}

/** Whether a file's data is a method and nothing else another file's IR could depend on. */
export function declaresOnlyAMethod(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const raw = data as Record<string, unknown>;
  return raw.method !== undefined && raw.types === undefined && raw.systemErrors === undefined && raw.event === undefined;
}

/** What the IR depends on besides the file: the load cache's salt and the code that builds the IR. */
function irSalt(): string {
  const here = (rel: string) => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');
  return [loadSalt(), here('./build-ir.ts'), here('./ir-cache.ts'), here('./places.ts'), here('../model/ir.ts'), here('../model/ir-json.ts')].join('\0');
}

/**
 * The source of a method file whose IR came from the IR cache: buildApi sees a method file and
 * takes the IR as it is; a place asked for is the method's own.
 */
export class BuiltSource implements SpecSource {
  readonly file: string;
  readonly data: unknown;

  constructor(readonly method: MethodSpec) {
    this.file = method.at.file;
    this.data = { method: method.name };
  }

  at(_path: DataPath): SourceLocation {
    return this.method.at;
  }

  keyAt(_path: DataPath): SourceLocation {
    return this.method.at;
  }
}
