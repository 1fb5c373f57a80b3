import { readSpecDir } from '../../load/index.js';
import type { DataPath } from '../../load/yaml-source.js';
import { YamlText } from './yaml-text.js';

/** A place in the spec: a file (relative to the spec folder) and a data path inside it. */
export interface SpecPlace {
  file: string;
  path: DataPath;
}

/**
 * The spec folder's files as text, edited in memory: docs-sync works on these and writes the
 * changed ones only at the end (never with --dry-run). Knows where each method, event and named
 * type is declared, re-read after every edit.
 */
export class SpecFiles {
  readonly original = new Map<string, string>();
  private readonly files = new Map<string, YamlText>();
  /** Files docs-sync deleted (a method gone from the docs). */
  private readonly removed = new Set<string>();

  constructor(readonly dir: string) {
    for (const { path, text } of readSpecDir(dir)) {
      this.original.set(path, text);
      this.files.set(path, new YamlText(text));
    }
  }

  file(path: string): YamlText {
    const f = this.files.get(path);
    if (!f) throw new Error(`no spec file ${path}`);
    return f;
  }

  texts(): { path: string; text: string }[] {
    return [...this.files].map(([path, f]) => ({ path, text: f.text }));
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** A new file (a method the docs added). */
  create(path: string, text: string): void {
    if (this.files.has(path)) throw new Error(`${path} exists already`);
    this.files.set(path, new YamlText(text));
    this.removed.delete(path);
  }

  /** Deletes a file (a method gone from the docs). */
  remove(path: string): void {
    this.files.delete(path);
    if (this.original.has(path)) this.removed.add(path);
  }

  /** Every file whose text differs from the folder's; `after` undefined for a deleted file. */
  changed(): { path: string; before: string; after?: string }[] {
    const out: { path: string; before: string; after?: string }[] = [...this.files].filter(([p, f]) => this.original.get(p) !== f.text).map(([path, f]) => ({ path, before: this.original.get(path) ?? '', after: f.text }));
    for (const path of this.removed) out.push({ path, before: this.original.get(path)! });
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** The file declaring `method:` or `event:` `name`. */
  fileOf(name: string): string | undefined {
    for (const [path, f] of this.files) {
      const top = f.doc.contents;
      const data = (top && (top as { toJSON?: () => unknown }).toJSON?.()) as Record<string, unknown> | undefined;
      if (data?.method === name || data?.event === name) return path;
    }
    return undefined;
  }

  /** Where named type `name` is declared (`types.<name>` in some file). */
  typePlace(name: string): SpecPlace | undefined {
    for (const [path, f] of this.files) if (f.has(['types', name])) return { file: path, path: ['types', name] };
    return undefined;
  }

  get(place: SpecPlace): unknown {
    return this.file(place.file).get(place.path);
  }

  /** Follows `$ref`s and array `items` from a type node to the node that holds members or values. */
  deref(place: SpecPlace, into: 'members' | 'enum'): SpecPlace {
    let at = place;
    for (let guard = 0; guard < 20; guard++) {
      const node = this.get(at) as Record<string, unknown> | undefined;
      if (!node || typeof node !== 'object') return at;
      if (into === 'enum' && node.enum) return at;
      if (into === 'members' && (node.properties || node.type === 'object')) return at;
      if (typeof node.$ref === 'string') {
        const target = this.typePlace(node.$ref);
        if (!target) return at;
        at = target;
      } else if (node.items) {
        at = { file: at.file, path: [...at.path, 'items'] };
      } else if (Array.isArray(node.oneOf)) {
        const i = (node.oneOf as Record<string, unknown>[]).findIndex((v) => v.type === 'object' || v.$ref !== undefined || v.items !== undefined);
        if (i < 0) return at;
        at = { file: at.file, path: [...at.path, 'oneOf', i] };
      } else {
        return at;
      }
    }
    return at;
  }
}
