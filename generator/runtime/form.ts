/**
 * Reading what the portal posts to a webhook: `application/x-www-form-urlencoded` built by PHP's
 * `http_build_query`, with bracketed keys (`data[bot][id]=456`, `data[user][departments][0]=1`).
 * Keys that would reach an object's prototype (`__proto__`, `constructor`, `prototype`) are
 * dropped: no body can change how objects behave.
 */

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/** A malformed webhook body; the message says what is wrong. */
export class WebhookBodyError extends Error {
  override name = 'WebhookBodyError';
}

/** The nested structure of a form body. Values are strings, objects of them, or arrays (`a[]=`). */
export function parseForm(body: string | URLSearchParams): Record<string, unknown> {
  const params = typeof body === 'string' ? new URLSearchParams(body) : body;
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    const path = splitKey(key);
    if (path.length === 0 || path.some((p) => FORBIDDEN.has(p))) continue;
    if (path.length > MAX_DEPTH) throw new WebhookBodyError(`key nested deeper than ${MAX_DEPTH} levels: ${key.slice(0, 80)}`);
    assign(root, path, value);
  }
  return root;
}

/** `data[bot][id]` -> ['data', 'bot', 'id']; `a[]` -> ['a', '']. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return key === '' ? [] : [key];
  const parts = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/gy;
  re.lastIndex = open;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key)) !== null) parts.push(m[1]);
  // PHP keeps a malformed tail as part of the last key; so do we.
  if (re.lastIndex !== 0 && re.lastIndex < key.length) parts[parts.length - 1] += key.slice(re.lastIndex);
  return parts;
}

function assign(root: Record<string, unknown>, path: string[], value: string): void {
  let node: Record<string, unknown> = root;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    let key = path[i];
    if (key === '') key = String(nextIndex(node));
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

function nextIndex(node: Record<string, unknown>): number {
  let max = -1;
  for (const k of Object.keys(node)) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

/** An own, plain data property, whatever the key. */
function define(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}
