/**
 * The catalogue of spec-diff rules. Each change the diff finds has one of these ids; the level is
 * judged from the generated client's users' side (does their code stop compiling, or behave
 * differently at run time?), and `bump` is what the change alone asks of the package version.
 * Ids follow oasdiff's names where one fits. RULES.md documents each with an example; a test
 * keeps the two in step.
 *
 * The levels are checked by the compiler (test/diff-probe.test.ts): the probe of each rule's
 * example base (diff/probe.ts: code using the whole client) is compiled against the example
 * head's client. `breaking` exactly when ordinary code stops compiling, or when `runtimeBreak`
 * says what existing code now does differently at run time that no type shows; `warning` when
 * only code relying on the exact set of values (exhaustive switches) stops compiling, or for a
 * run-time difference that hurts only some uses; `info` when everything still compiles.
 */
export type Level = 'breaking' | 'warning' | 'info';
export type Bump = 'major' | 'minor' | 'patch';

export interface Rule {
  id: string;
  level: Level;
  bump: Bump;
  title: string;
  /** Why the change breaks code that still compiles: what it now does differently at run time. */
  runtimeBreak?: string;
}

const R = (id: string, level: Level, bump: Bump, title: string, runtimeBreak?: string): Rule => ({ id, level, bump, title, ...(runtimeBreak ? { runtimeBreak } : {}) });

export const RULES = {
  // methods
  apiPathRemoved: R('api-path-removed', 'breaking', 'major', 'method removed'),
  apiPathAdded: R('api-path-added', 'info', 'minor', 'method added'),
  successStatusRemoved: R('response-success-status-removed', 'breaking', 'major', 'success status removed', 'answers with that status, which calls returned as results, now throw'),
  successStatusAdded: R('response-success-status-added', 'info', 'patch', 'success status added'),
  idempotentRemoved: R('x-idempotent-removed', 'warning', 'patch', 'no longer safe to repeat (the client stops retrying it)'),
  idempotentAdded: R('x-idempotent-added', 'info', 'patch', 'now safe to repeat'),
  notIdempotentWhenAdded: R('x-not-idempotent-when-added', 'warning', 'patch', 'calls giving a param no longer safe to repeat (the client stops retrying them)'),
  notIdempotentWhenRemoved: R('x-not-idempotent-when-removed', 'info', 'patch', 'calls giving a param safe to repeat again'),
  scopeChanged: R('x-scope-changed', 'breaking', 'major', 'required scope changed', 'calls from apps and webhooks without the new scope fail with insufficient_scope'),
  extraScopeAdded: R('x-extra-scope-added', 'breaking', 'major', 'calls giving a param need one more scope', 'calls giving the param from apps and webhooks without that scope fail with insufficient_scope'),
  extraScopeRemoved: R('x-extra-scope-removed', 'info', 'patch', 'calls giving a param need one scope less'),
  methodDeprecated: R('api-deprecated', 'warning', 'minor', 'method deprecated'),
  docsChanged: R('docs-changed', 'info', 'patch', 'description, summary, access or docs link changed'),
  // events
  eventRemoved: R('event-removed', 'breaking', 'major', 'event removed'),
  eventAdded: R('event-added', 'info', 'minor', 'event added'),
  // named types
  typeRemoved: R('type-removed', 'breaking', 'major', 'named type removed or renamed (the package no longer exports it)'),
  // request
  requestPropertyRemoved: R('request-property-removed', 'breaking', 'major', 'param removed'),
  requestPropertyRenamed: R('request-property-renamed', 'breaking', 'major', 'param renamed (same place, same type, new name)'),
  requestPropertyMoved: R('request-property-moved', 'breaking', 'major', 'param moved (renamed or nested elsewhere)'),
  newRequiredRequestProperty: R('new-required-request-property', 'breaking', 'major', 'new required param'),
  newOptionalRequestProperty: R('new-optional-request-property', 'info', 'minor', 'new optional param'),
  requestPropertyBecameRequired: R('request-property-became-required', 'breaking', 'major', 'param became required'),
  requestPropertyBecameOptional: R('request-property-became-optional', 'info', 'minor', 'param became optional'),
  requestPropertyTypeChanged: R('request-property-type-changed', 'breaking', 'major', 'param type changed or narrowed'),
  requestPropertyTypeWidened: R('request-property-type-widened', 'info', 'minor', 'param accepts more types'),
  requestPropertyEnumValueRemoved: R('request-property-enum-value-removed', 'breaking', 'major', 'enum value removed from a param'),
  requestPropertyEnumValueAdded: R('request-property-enum-value-added', 'info', 'minor', 'enum value added to a param'),
  requestPropertyRangeNarrowed: R('request-property-range-narrowed', 'breaking', 'major', 'param range or length narrowed', 'values the portal accepted are now refused; the types (number, string, arrays) cannot show a range'),
  requestPropertyRangeWidened: R('request-property-range-widened', 'info', 'minor', 'param range or length widened'),
  requestPropertyPatternChanged: R('request-property-pattern-changed', 'warning', 'patch', 'param pattern changed'),
  requestPropertyDefaultChanged: R('request-property-default-value-changed', 'info', 'patch', 'param default changed (the portal applies it)'),
  // response
  responseBodyTypeChanged: R('response-body-type-changed', 'breaking', 'major', 'result shape changed'),
  responsePropertyRemoved: R('response-property-removed', 'breaking', 'major', 'result field removed'),
  responsePropertyAdded: R('response-property-added', 'info', 'minor', 'result field added'),
  responsePropertyRenamed: R('response-property-renamed', 'breaking', 'major', 'result field renamed (same place, same type, new name)'),
  responsePropertyTypeChanged: R('response-property-type-changed', 'breaking', 'major', 'result field type changed'),
  responsePropertyBecameOptional: R('response-property-became-optional', 'breaking', 'major', 'result field became optional'),
  responsePropertyBecameRequired: R('response-property-became-required', 'info', 'patch', 'result field became always present'),
  responsePropertyBecameNullable: R('response-property-became-nullable', 'breaking', 'major', 'result field may now be null'),
  responsePropertyDefaultChanged: R('response-property-default-value-changed', 'info', 'patch', 'result field default changed'),
  responsePropertyEnumValueAdded: R('response-property-enum-value-added', 'warning', 'minor', 'enum value added to a result'),
  responsePropertyEnumValueRemoved: R('response-property-enum-value-removed', 'breaking', 'major', 'enum value removed from a result'),
  responsePropertyOpenEnumValueAdded: R('response-property-open-enum-value-added', 'info', 'minor', 'value added to an open enum in a result (or a plain string in a result typed as an open list)'),
  responsePropertyEnumOpened: R('response-property-enum-opened', 'breaking', 'major', 'enum in a result became open'),
  responsePropertyEnumClosed: R('response-property-enum-closed', 'warning', 'patch', 'open enum (or plain string) in a result became a closed list'),
  responseEventNamespaceAdded: R('response-event-namespace-added', 'info', 'minor', 'a result lists the events of one more namespace'),
  responseEventNamespaceRemoved: R(
    'response-event-namespace-removed',
    'breaking',
    'major',
    'a result no longer lists the events of a namespace',
    "those events no longer come, so the code handling them stops running (after a check of the name their data reads as the unknown event's, `never`, which the compiler cannot flag)",
  ),
  // errors
  errorCodeAdded: R('response-error-code-added', 'warning', 'minor', 'error code added'),
  errorCodeRemoved: R('response-error-code-removed', 'breaking', 'major', 'error code removed, and its class leaves the package'),
  errorCodeRemovedClassKept: R('response-error-code-removed-class-kept', 'warning', 'minor', 'error code removed from a method; other methods keep its class'),
  errorCodeRenamed: R('response-error-code-renamed', 'breaking', 'major', 'error code renamed, and the old class leaves the package'),
  errorCodeRenamedClassKept: R('response-error-code-renamed-class-kept', 'warning', 'minor', 'error code renamed in a method; other methods keep the old class'),
  errorStatusChanged: R('response-error-status-changed', 'info', 'patch', 'error HTTP status or message changed'),
} as const;

export const ALL_RULES: Rule[] = Object.values(RULES);

export const LEVELS: Level[] = ['breaking', 'warning', 'info'];
