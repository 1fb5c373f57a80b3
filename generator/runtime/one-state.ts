/**
 * One process, one state. A process may load this package twice: the ESM build and the
 * CommonJS one (an app `import`s it, a dependency `require`s it), or two installed versions.
 * Module-level state would then exist twice: two rate-limit buckets per portal (twice the
 * portal's limit let through) and two sets of error classes (`instanceof` failing for an error
 * made by the other copy). So:
 *
 * - process-wide objects live on `globalThis` under a `Symbol.for` key (`processWide`), the
 *   same key in every copy;
 * - `instanceof` on the error classes also accepts an error of another copy whose class has the
 *   same identity: a generated class's own `code` (one class per code), a runtime class's
 *   ERROR_CLASS_ID, set below.
 *
 * This module is reached through the rate limiter (rate-limit.ts), which every client has; the
 * lean transport alone does not load it (keeping its bundle small: a bundle holds one copy).
 */
import { Bitrix24AbortError, Bitrix24Error, Bitrix24NetworkError, Bitrix24RefreshError, Bitrix24ResponseError, Bitrix24StoreError, Bitrix24TimeoutError } from './errors.js';

/** The key of a runtime error class's identity across copies of the package. */
export const ERROR_CLASS_ID = Symbol.for('@b24gen/imbot-v2:errorClassId');

/**
 * The object stored on `globalThis` under `Symbol.for(key)`, created by `create` the first
 * time any copy of the package asks. Not enumerable, not writable: it does not show in
 * listings of `globalThis` and cannot be swapped by accident.
 */
export function processWide<T extends object>(key: string, create: () => T, usable: (found: unknown) => boolean): T {
  const symbol = Symbol.for(key);
  const registry = globalThis as unknown as Record<symbol, unknown>;
  const found = registry[symbol];
  if (found !== undefined && usable(found)) return found as T;
  const value = create();
  Object.defineProperty(registry, symbol, { value, enumerable: false, writable: false, configurable: true });
  return value;
}

/** A class's identity: its own `code` (a generated class) or its own ERROR_CLASS_ID (a runtime class). */
function classId(C: unknown): unknown {
  if (typeof C !== 'function') return undefined;
  if (Object.hasOwn(C, 'code')) return (C as { code?: unknown }).code;
  return Object.hasOwn(C, ERROR_CLASS_ID) ? (C as unknown as Record<symbol, unknown>)[ERROR_CLASS_ID] : undefined;
}

for (const [C, id] of [
  [Bitrix24Error, 'Bitrix24Error'],
  [Bitrix24NetworkError, 'Bitrix24NetworkError'],
  [Bitrix24TimeoutError, 'Bitrix24TimeoutError'],
  [Bitrix24AbortError, 'Bitrix24AbortError'],
  [Bitrix24ResponseError, 'Bitrix24ResponseError'],
  [Bitrix24RefreshError, 'Bitrix24RefreshError'],
  [Bitrix24StoreError, 'Bitrix24StoreError'],
] as const) {
  if (!Object.hasOwn(C, ERROR_CLASS_ID)) Object.defineProperty(C, ERROR_CLASS_ID, { value: id });
}

if (!Object.hasOwn(Bitrix24Error, Symbol.hasInstance)) {
  Object.defineProperty(Bitrix24Error, Symbol.hasInstance, {
    /**
     * `err instanceof X` (X this class or a subclass, generated ones included): the prototype
     * chain holds X, or a class with X's identity from another copy of the package.
     */
    value(this: unknown, value: unknown): boolean {
      if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
      const id = classId(this);
      if (id === undefined || value === null || typeof value !== 'object') return false;
      for (let proto = Object.getPrototypeOf(value) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
        if (Object.hasOwn(proto, 'constructor') && classId((proto as { constructor: unknown }).constructor) === id) return true;
      }
      return false;
    },
  });
}
