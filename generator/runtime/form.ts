/**
 * Reading what the portal posts to a webhook: `application/x-www-form-urlencoded` built by PHP's
 * `http_build_query`, with bracketed keys (`data[bot][id]=456`, `data[user][departments][0]=1`).
 * Keys that would reach an object's prototype (`__proto__`, `constructor`, `prototype`) are
 * dropped: no body can change how objects behave.
 *
 * Anyone who can reach the bot can post anything, so parsing is linear in the body's length
 * (each `a[]` append is O(1): the next list index of every object is kept, never searched) and
 * bounded: at most `maxParams` parameters (counted before anything is parsed) and keys at most
 * `maxDepth` levels deep.
 */

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Bounds on what one form body may hold. */
export interface FormLimits {
  /** Most parameters (`key=value` pairs, or leaves of an object already parsed); default 10,000. */
  maxParams?: number;
  /** Most levels of a key (`data[a][b]` has 3); default 32. */
  maxDepth?: number;
}

export const DEFAULT_MAX_PARAMS = 10_000;
export const DEFAULT_MAX_DEPTH = 32;

/** A malformed webhook body; the message says what is wrong. */
export class WebhookBodyError extends Error {
  override name = 'WebhookBodyError';
}

/**
 * The nested structure of a form body. Values are strings, objects of them, or arrays (`a[]=`).
 * Also takes a body a framework already parsed (Express's `express.urlencoded()`, Fastify's and
 * Koa's body parsers): flat keys (`{ 'data[bot][id]': '456' }`, the `querystring` shape) and
 * nested objects (the `qs` shape, including keys `qs` left bracketed past its depth) come out the
 * same as the raw text would.
 */
export function parseForm(body: string | URLSearchParams | Record<string, unknown>, limits: FormLimits = {}): Record<string, unknown> {
  const builder = new FormBuilder(limits);
  if (typeof body === 'string') {
    const count = countParams(body);
    if (count > builder.maxParams) throw tooMany(builder.maxParams, count);
    for (const [key, value] of new URLSearchParams(body)) builder.add([], key, value);
  } else if (body instanceof URLSearchParams) {
    for (const [key, value] of body) builder.add([], key, value);
  } else {
    builder.addParsed([], body, 0);
  }
  return builder.root;
}

/** How many `&`-separated parameters a form text holds, counted without parsing it. */
export function countParams(body: string): number {
  if (body === '') return 0;
  let count = 1;
  for (let i = body.indexOf('&'); i !== -1; i = body.indexOf('&', i + 1)) count++;
  return count;
}

/**
 * The value of one top-level-or-nested key (`auth[application_token]`) in form text, found by a
 * single scan without building anything (the last occurrence wins, as in PHP). Lets a handler
 * check the token before it spends any work on the rest of an unauthenticated body.
 */
export function formField(body: string, key: string): string | undefined {
  let found: string | undefined;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('&', start);
    if (end === -1) end = body.length;
    const eq = body.indexOf('=', start);
    const keyEnd = eq !== -1 && eq < end ? eq : end;
    // Only keys of the right length, once decoded, can match: skip the rest without decoding.
    if (keyEnd - start >= key.length && decode(body.slice(start, keyEnd)) === key) found = keyEnd < end ? decode(body.slice(keyEnd + 1, end)) : '';
    start = end + 1;
  }
  return found;
}

function decode(text: string): string {
  // The same decoding URLSearchParams applies (`+` is a space; a broken `%` escape stays as is).
  return new URLSearchParams(`k=${text}`).get('k') ?? '';
}

function tooMany(max: number, count: number): WebhookBodyError {
  return new WebhookBodyError(`the body has ${count} parameters, more than the ${max} allowed (maxParams)`);
}

/** Builds the nested object, keeping each object's next list index so `a[]` is O(1). */
class FormBuilder {
  readonly root: Record<string, unknown> = {};
  readonly maxParams: number;
  private readonly maxDepth: number;
  private readonly nextIndex = new Map<object, number>();
  private params = 0;

  constructor(limits: FormLimits) {
    this.maxParams = limits.maxParams ?? DEFAULT_MAX_PARAMS;
    this.maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  /** One `key=value` pair under `prefix` (the path of the object it was found in). */
  add(prefix: string[], key: string, value: unknown): void {
    if (++this.params > this.maxParams) throw tooMany(this.maxParams, this.params);
    const path = prefix.concat(splitKey(key, prefix.length > 0));
    if (path.length === prefix.length || path.some((p) => FORBIDDEN.has(p))) return;
    if (path.length > this.maxDepth) throw new WebhookBodyError(`a key is nested deeper than ${this.maxDepth} levels (maxDepth): ${path.slice(0, 4).join('][')}...`);
    this.assign(path, value);
  }

  /** An object a framework parsed: walks it, re-splitting keys that still hold brackets. */
  addParsed(prefix: string[], value: Record<string, unknown> | unknown[], depth: number): void {
    if (depth > this.maxDepth) throw new WebhookBodyError(`the body is nested deeper than ${this.maxDepth} levels (maxDepth)`);
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object' && !isBytes(child)) {
        const path = prefix.concat(splitKey(key, prefix.length > 0));
        if (path.length === prefix.length || path.some((p) => FORBIDDEN.has(p))) continue;
        if (path.length > this.maxDepth) throw new WebhookBodyError(`a key is nested deeper than ${this.maxDepth} levels (maxDepth)`);
        this.addParsed(path, child as Record<string, unknown>, depth + 1);
      } else {
        this.add(prefix, key, child === undefined ? '' : child);
      }
    }
  }

  private assign(path: string[], value: unknown): void {
    let node: Record<string, unknown> = this.root;
    for (let i = 0; i < path.length; i++) {
      const last = i === path.length - 1;
      let key = path[i];
      if (key === '') key = String(this.nextIndex.get(node) ?? 0);
      if (key.length < 16 && /^(?:0|[1-9]\d*)$/.test(key)) this.nextIndex.set(node, Math.max(this.nextIndex.get(node) ?? 0, Number(key) + 1));
      if (last) {
        define(node, key, value);
        return;
      }
      const existing = Object.hasOwn(node, key) ? node[key] : undefined;
      if (existing === undefined || typeof existing !== 'object' || existing === null) {
        const child: Record<string, unknown> = {};
        define(node, key, child);
        node = child;
      } else {
        node = existing as Record<string, unknown>;
      }
    }
  }
}

function isBytes(v: object): boolean {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

/**
 * `data[bot][id]` -> ['data', 'bot', 'id']; `a[]` -> ['a', '']. Inside an object (`nested`), a
 * key that starts with a bracket is what `qs` left past its depth: `[g][h]` -> ['g', 'h'].
 */
function splitKey(key: string, nested: boolean): string[] {
  const open = key.indexOf('[');
  if (open === -1 || (open === 0 && !nested)) return key === '' ? [] : [key];
  const parts = open > 0 ? [key.slice(0, open)] : [];
  const re = /\[([^\]]*)\]/gy;
  re.lastIndex = open;
  let m: RegExpExecArray | null;
  let end = open;
  while ((m = re.exec(key)) !== null) {
    parts.push(m[1]);
    end = re.lastIndex;
  }
  if (parts.length === 0) return [key];
  // PHP keeps a malformed tail as part of the last key; so do we.
  if (end < key.length) parts[parts.length - 1] += key.slice(end);
  return parts;
}

/** An own, plain data property, whatever the key. */
function define(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}
