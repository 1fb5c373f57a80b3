import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { DataPath } from '../../load/yaml-source.js';

/**
 * One spec file's text, edited in place by splicing: yaml's document API finds the nodes and
 * their ranges, and only the lines of the node being changed are rewritten. (Stringifying the
 * whole document would re-fold block scalars and re-space flow maps on lines nobody touched:
 * 38 of the spec's files do not survive a parse + toString round trip byte for byte.)
 */
export class YamlText {
  private parsed?: Document;

  constructor(public text: string) {}

  get doc(): Document {
    this.parsed ??= parseDocument(this.text);
    return this.parsed;
  }

  /** The plain data at `path` (undefined when absent). */
  get(path: DataPath): unknown {
    const node = this.doc.getIn(path, true) as Node | undefined;
    return node && typeof (node as { toJSON?: unknown }).toJSON === 'function' ? (node as Node).toJSON() : isScalar(node) ? node.value : node;
  }

  has(path: DataPath): boolean {
    return this.doc.hasIn(path);
  }

  /** Sets a scalar value (the key must exist and hold a scalar), keeping everything else on the line. */
  setScalar(path: DataPath, value: string | number | boolean): void {
    const node = this.doc.getIn(path, true);
    if (!isScalar(node) || !node.range) throw new Error(`${show(path)} is not a scalar`);
    this.splice(node.range[0], node.range[1], renderScalar(value));
  }

  /** Removes a map entry with its lines (and the comment lines right above it). */
  removePair(path: DataPath): void {
    const { pair, map } = this.pairAt(path);
    if (map.flow) return this.replaceCollection(path.slice(0, -1), (data) => { delete (data as Record<string, unknown>)[String(path[path.length - 1])]; });
    // The last entry: the map becomes `{}` (an empty block map would read as null).
    if (map.items.length === 1 && path.length > 1) return this.replaceValue(path.slice(0, -1), {});
    const start = this.withCommentsAbove(lineStart(this.text, (pair.key as Node).range![0]));
    this.splice(start, this.endOfEntry(pair), '');
  }

  /** Removes the item of a block sequence at `path` (last segment an index). */
  removeItem(path: DataPath): void {
    const seq = this.doc.getIn(path.slice(0, -1), true);
    const index = path[path.length - 1] as number;
    if (!isSeq(seq)) throw new Error(`${show(path.slice(0, -1))} is not a sequence`);
    if (seq.flow) return this.replaceCollection(path.slice(0, -1), (data) => { (data as unknown[]).splice(index, 1); });
    if (seq.items.length === 1 && path.length > 1) return this.replaceValue(path.slice(0, -1), []);
    const item = seq.items[index] as Node;
    const start = this.withCommentsAbove(lineStart(this.text, item.range![0]));
    this.splice(start, lineAfter(this.text, contentEnd(this.text, item.range![1])), '');
  }

  /** Adds `key: value` at the end of the map at `mapPath` (block or flow), in the siblings' style. */
  addPair(mapPath: DataPath, key: string, value: unknown): void {
    const map = mapPath.length === 0 ? this.doc.contents : this.doc.getIn(mapPath, true);
    if (!isMap(map)) throw new Error(`${show(mapPath)} is not a map`);
    if (map.flow || map.items.length === 0) {
      if (map.items.length === 0 && !map.flow) throw new Error(`${show(mapPath)} is an empty map`);
      return this.replaceCollection(mapPath, (data) => { (data as Record<string, unknown>)[key] = value; });
    }
    const last = map.items[map.items.length - 1] as Pair;
    const at = this.endOfEntry(last);
    const indent = columnOf(this.text, (map.items[0] as Pair<Node>).key.range![0]);
    // A map of one-line flow entries (event data) gets a one-line flow entry.
    const flowSiblings = map.items.every((p) => isPair(p) && (isScalar(p.value) || ((isMap(p.value) || isSeq(p.value)) && p.value.flow)));
    const valueFlow = flowSiblings && map.items.some((p) => isPair(p) && isMap(p.value));
    this.splice(at, at, renderPair(key, value, indent, valueFlow));
  }

  /** Adds an item at the end of the block sequence at `seqPath`. */
  addItem(seqPath: DataPath, value: unknown): void {
    const seq = this.doc.getIn(seqPath, true);
    if (!isSeq(seq)) throw new Error(`${show(seqPath)} is not a sequence`);
    if (seq.flow || seq.items.length === 0) return this.replaceCollection(seqPath, (data) => { (data as unknown[]).push(value); });
    const last = seq.items[seq.items.length - 1] as Node;
    const at = lineAfter(this.text, contentEnd(this.text, last.range![1]));
    const dash = lineStart(this.text, last.range![0]);
    const indent = /^ */.exec(this.text.slice(dash))![0].length;
    const body = stringify([value], { lineWidth: 100 }).trimEnd().split('\n');
    this.splice(at, at, body.map((l) => ' '.repeat(indent) + l).join('\n') + '\n');
  }

  /** Replaces the value of a map entry (its key line kept in place, its lines re-rendered). */
  replaceValue(path: DataPath, value: unknown): void {
    const { pair, map } = this.pairAt(path);
    const key = String(path[path.length - 1]);
    if (map.flow) return this.replaceCollection(path.slice(0, -1), (data) => { (data as Record<string, unknown>)[key] = value; });
    const keyStart = (pair.key as Node).range![0];
    const start = lineStart(this.text, keyStart);
    const flow = isMap(pair.value) && pair.value.flow;
    this.splice(start, this.endOfEntry(pair), renderPair(key, value, keyStart - start, flow === true));
  }

  /** Re-renders one flow collection from its data after `change` (only that collection's text changes). */
  private replaceCollection(path: DataPath, change: (data: unknown) => void): void {
    const node = this.doc.getIn(path, true) as YAMLMap | YAMLSeq;
    const data = node.toJSON() as unknown;
    change(data);
    const text = stringify(data, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
    this.splice(node.range![0], node.range![1], text);
  }

  private pairAt(path: DataPath): { pair: Pair; map: YAMLMap } {
    const map = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    if (!isMap(map)) throw new Error(`${show(path.slice(0, -1))} is not a map`);
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]));
    if (!pair) throw new Error(`${show(path)} does not exist`);
    return { pair, map };
  }

  /** Offset just after the last line of a block map entry (its value's last non-blank character's line). */
  private endOfEntry(pair: Pair): number {
    const node = (pair.value ?? pair.key) as Node;
    return lineAfter(this.text, contentEnd(this.text, node.range![1]));
  }

  /** Moves `start` (a line start) up over the comment lines directly above it at the same indentation. */
  private withCommentsAbove(start: number): number {
    const indent = /^ */.exec(this.text.slice(start))![0];
    let s = start;
    while (s > 0) {
      const prev = lineStart(this.text, s - 1);
      const line = this.text.slice(prev, s - 1);
      if (!line.startsWith(`${indent}#`)) break;
      s = prev;
    }
    return s;
  }

  private splice(start: number, end: number, insert: string): void {
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    this.parsed = undefined;
  }
}

function show(path: DataPath): string {
  return path.join('.');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after the one holding `offset - 1`. */
function lineAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', Math.max(0, offset - 1));
  return nl < 0 ? text.length : nl + 1;
}

/** Backs `end` over trailing blank space, so it ends on the node's last character. */
function contentEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  return e;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function renderScalar(value: string | number | boolean): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** `key: value` as lines at `indent` spaces, ending in a newline. */
function renderPair(key: string, value: unknown, indent: number, flow: boolean): string {
  const text = flow
    ? `${stringify({ [key]: value }, { collectionStyle: 'flow', lineWidth: 0 }).trim().replace(/^\{ ?|\ ?}$/g, '')}\n`
    : stringify({ [key]: value }, { lineWidth: 100 });
  return text
    .trimEnd()
    .split('\n')
    .map((l) => ' '.repeat(indent) + l)
    .join('\n') + '\n';
}
