import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../model/ir.js';
import type { ProblemList } from './spec-error.js';

/** A path into a parsed file: map keys and sequence indexes. */
export type DataPath = readonly (string | number)[];

/**
 * One YAML spec file, parsed with positions kept, so that any later stage can turn a data path
 * (`['params', 'duration', 'maximum']`) back into `file:line:col`. A file can also come from the
 * load cache (./load-cache.ts): its data and the positions an earlier load asked for, without
 * parsing; a position not among them parses the text then.
 */
export class YamlSource {
  /** Positions asked for so far: `k` or `v` (key or value) + the path as JSON -> [line, col]. */
  private readonly positions: Map<string, [number, number]>;

  private constructor(
    readonly file: string,
    readonly text: string,
    readonly data: unknown,
    positions: [string, [number, number]][],
    private parsed?: { doc: Document; lines: LineCounter },
  ) {
    this.positions = new Map(positions);
  }

  /** Parses `text`; syntax errors (including duplicate keys) go to `problems` and give `undefined`. */
  static parse(file: string, text: string, problems: ProblemList): YamlSource | undefined {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = lines.linePos(err.pos[0]);
        problems.add({ file, line: pos.line, col: pos.col }, `YAML: ${yamlMessage(err.code, err.message)}`);
      }
      return undefined;
    }
    try {
      return new YamlSource(file, text, doc.toJS({ maxAliasCount: 100 }), [], { doc, lines });
    } catch (err) {
      // toJS fails only on alias bombs and similar abuse.
      problems.add({ file, line: 1, col: 1 }, `YAML: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** A file as `remembered()` gave it for the same text. */
  static remembered(file: string, text: string, memory: { data: unknown; positions: [string, [number, number]][] }): YamlSource {
    return new YamlSource(file, text, memory.data, memory.positions);
  }

  /** The data and every position asked for so far (what a later load of the same text needs). */
  remembered(): { data: unknown; positions: [string, [number, number]][] } {
    return { data: this.data, positions: [...this.positions] };
  }

  /** Where the value at `path` is; falls back to the nearest ancestor that exists. */
  at(path: DataPath): SourceLocation {
    return this.locate(path, false);
  }

  /** Where the key of the map entry at `path` is (for "unknown key" messages). */
  keyAt(path: DataPath): SourceLocation {
    return this.locate(path, true);
  }

  private locate(path: DataPath, wantKey: boolean): SourceLocation {
    const key = (wantKey ? 'k' : 'v') + JSON.stringify(path);
    let pos = this.positions.get(key);
    if (!pos) {
      pos = this.find(path, wantKey);
      this.positions.set(key, pos);
    }
    return { file: this.file, line: pos[0], col: pos[1] };
  }

  private find(path: DataPath, wantKey: boolean): [number, number] {
    this.parsed ??= (() => {
      const lines = new LineCounter();
      return { doc: parseDocument(this.text, { lineCounter: lines }), lines };
    })();
    let node: unknown = this.parsed.doc.contents;
    let found: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        found = last && wantKey ? pair.key : (pair.value ?? pair.key);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        node = node.items[seg];
        found = node;
      } else {
        break;
      }
    }
    const range = (found as Node | null)?.range;
    const pos = this.parsed.lines.linePos(range ? range[0] : 0);
    return [pos.line, pos.col];
  }
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key (each key may appear once in a map)';
  return message.replace(/\s+/g, ' ').trim();
}

/** `['params', 'a b', 0]` -> `params["a b"][0]`: how a data path is shown in messages. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
