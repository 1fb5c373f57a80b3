import type { SourceLocation } from '../model/ir.js';
import type { DocsPlace } from './page.js';

/**
 * The kinds of difference docs-diff reports. The ids are stable: the allowlist and `--json`
 * consumers use them. The order here is the order within a method in reports.
 */
export const DIFFERENCE_KINDS = {
  'method-missing': 'a docs page documents a method the spec does not have',
  'method-extra': 'the spec has a method no docs page documents',
  'docs-link': "the spec's `docs` URL does not lead to the page that documents the method",
  'param-missing': 'the docs list a parameter the spec does not have',
  'param-extra': 'the spec has a parameter the docs do not list',
  'param-type': 'a parameter has another type in the docs',
  'param-required': 'the docs and the spec disagree on whether a parameter is required',
  'enum-missing': 'the docs list allowed values, the spec type is not an enum',
  'enum-value-missing': 'the docs allow a value the spec enum lacks',
  'enum-value-extra': 'the spec enum has a value the docs do not list',
  'result-field-missing': 'the docs list a returned field the spec result does not have',
  'result-field-extra': 'the spec result has a field the docs do not list',
  'result-field-type': 'a returned field has another type in the docs',
  'result-example-missing': "the page shows a result example that conforms to the spec, the spec's `result.example` is not set",
  'result-example-changed': "the spec's `result.example` differs from the page's result example",
  'result-example-extra': "the spec has a `result.example`, the page shows no result example that conforms to the spec",
  'error-code-missing': 'the docs list an error code the spec method does not have',
  'error-code-extra': 'the spec method has an error code the docs do not list',
  'error-message': "an error's message differs from the docs",
  'error-status': "a system error's HTTP status differs from the docs",
  'event-missing': 'the event pages document an event the spec does not have',
  'event-extra': 'the spec has an event the event pages do not document',
  'event-field-missing': "the docs list a field of an event's data the spec does not have",
  'event-field-extra': "the spec has a field of an event's data the docs do not list",
  'event-field-type': "a field of an event's data has another type in the docs",
  'docs-unreadable': 'part of a docs page could not be read, so it was not compared',
} as const;

export type DifferenceKind = keyof typeof DIFFERENCE_KINDS;

export const KIND_ORDER: readonly DifferenceKind[] = Object.keys(DIFFERENCE_KINDS) as DifferenceKind[];

/** Kinds about a method as a whole: their `path` is empty. */
export const METHOD_LEVEL_KINDS: ReadonlySet<DifferenceKind> = new Set(['method-missing', 'method-extra', 'docs-link', 'event-missing', 'event-extra']);

/** The pseudo-method under which the shared system errors (`_includes/system-errors.md`) are compared. */
export const SYSTEM_ERRORS = 'systemErrors';

export interface Difference {
  /** The REST method, or `systemErrors`. */
  method: string;
  kind: DifferenceKind;
  /**
   * What inside the method: a parameter path (`fields.properties.name`), a result path
   * (`result.events[].eventId`), an enum value as `<path>=<value>`, an error code; empty for
   * method-level kinds. docs-unreadable uses `<file>:<line>`.
   */
  path: string;
  /** One line for people. */
  message: string;
  /** What the docs say (a type, `required`, a message), when there is something to show. */
  docs?: string;
  /** What the spec says. */
  spec?: string;
  docsAt?: DocsPlace;
  specAt?: SourceLocation;
}

export function compareDifferences(a: Difference, b: Difference): number {
  if (a.method !== b.method) return a.method < b.method ? -1 : 1;
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (k !== 0) return k;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
