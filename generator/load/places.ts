import type { SourceLocation } from '../model/ir.js';
import { writingIrJson } from '../model/ir-json.js';
import { ProblemList } from './spec-error.js';
import { YamlSource, type DataPath } from './yaml-source.js';

/**
 * Where the parts of one spec file are. Parsing with positions (`yaml`'s document) costs about
 * six times what parsing for the data does, and almost every place the IR keeps is never shown:
 * places are shown only in messages (a refusal, a name clash, a diff report). So a file is parsed
 * with positions the first time one of its places is asked for its line, and never otherwise.
 */
export class FilePlaces {
  #source: YamlSource | null | undefined;

  /** `source`: the file already parsed with positions (it did not parse the quick way). */
  constructor(
    readonly file: string,
    private readonly text: string,
    source?: YamlSource,
  ) {
    this.#source = source;
  }

  /** The place of the value at `path` (`key`: of the key of the map entry at `path`). */
  at(path: DataPath, key: boolean): Place {
    return new Place(this, path, key);
  }

  /** Line and column, as `YamlSource` finds them (the nearest ancestor that exists). */
  find(path: DataPath, key: boolean): SourceLocation {
    // undefined: not parsed yet; null: `yaml` refused a text the quick parser took, which the
    // tests of fast-yaml.ts never saw happen: the file's start is the best place left.
    if (this.#source === undefined) this.#source = YamlSource.parse(this.file, this.text, new ProblemList()) ?? null;
    if (this.#source === null) return { file: this.file, line: 1, col: 1 };
    return key ? this.#source.keyAt(path) : this.#source.at(path);
  }
}

/**
 * A place in a spec file, as the IR keeps it: the file, and the data path (and whether the key
 * or the value) that `line` and `col` are found from when first read. In IR JSON (the plan
 * memo's keys) it is written as that path, so keying a file needs no positions either; anywhere
 * else (reports) as `{file, line, col}`. Its state is private, so only `file` is an own property.
 */
export class Place implements SourceLocation {
  readonly file: string;
  readonly #places: FilePlaces;
  readonly #path: DataPath;
  readonly #key: boolean;
  #found: SourceLocation | undefined;

  constructor(places: FilePlaces, path: DataPath, key: boolean) {
    this.file = places.file;
    this.#places = places;
    this.#path = [...path]; // the caller's array may change after this
    this.#key = key;
  }

  get line(): number {
    return this.#find().line;
  }

  get col(): number {
    return this.#find().col;
  }

  toJSON(): PlaceRef | SourceLocation {
    return writingIrJson() ? { file: this.file, path: this.#path, key: this.#key } : { file: this.file, line: this.line, col: this.col };
  }

  /** Another place of this file, read back from IR JSON (`ref`: see model/ir-json.ts's placeFromIrJson). */
  sameFile(ref: unknown): Place | undefined {
    return Place.fromRef(this.#places, ref);
  }

  /** A place read back from IR JSON (`ref`), in the file `places` is of; undefined when `ref` is not one of its places. */
  static fromRef(places: FilePlaces, ref: unknown): Place | undefined {
    const r = ref as Partial<PlaceRef> | null;
    const ok = typeof r === 'object' && r !== null && r.file === places.file && typeof r.key === 'boolean' && Array.isArray(r.path) && r.path.every((s) => typeof s === 'string' || typeof s === 'number');
    return ok ? new Place(places, r.path!, r.key!) : undefined;
  }

  #find(): SourceLocation {
    return (this.#found ??= this.#places.find(this.#path, this.#key));
  }
}

/** How a place is written in IR JSON. */
interface PlaceRef {
  file: string;
  path: DataPath;
  key: boolean;
}
