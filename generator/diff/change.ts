import type { SourceLocation } from '../model/ir.js';
import type { Level, Rule } from './rules.js';

/** What a change is about: a REST method, an event, or a named type of `spec/common` shared by several. */
export type SubjectKind = 'method' | 'event' | 'type';

/** A method or event a named type's change reaches, and what the change does there. */
export interface Reach {
  kind: 'method' | 'event';
  name: string;
  /** The rule and level of the change at this place (a type used in params and results differs by side). */
  rule: string;
  level: Level;
  /** Where in the method or event the type sits: `params.botToken`, `result.bots[]`. */
  paths: string[];
}

/** One difference between two specs, as users of the client see it. */
export interface Change {
  rule: string;
  level: Level;
  kind: SubjectKind;
  /** The REST method, the event name, or the named type the change was made in. */
  subject: string;
  /** Where in the subject: `params.fields.command`, `result.bot.id`, `errors.BOT_NOT_FOUND`, `appId` of a type; empty for the subject itself. */
  path: string;
  message: string;
  /** The value before and after, as short text, when the change has them. */
  base?: string;
  head?: string;
  /** Where to point a reviewer: the head spec's place, or the base's for removals. */
  at?: SourceLocation;
  /** For a change to a named type (`kind: 'type'`): every method and event it reaches, by name. */
  reaches?: Reach[];
}

/** Where a change was found while walking a method or event. */
export interface Subject {
  kind: 'method' | 'event';
  name: string;
  /** The subject's own spec file: named types declared there are the subject's own. */
  file: string;
}

/**
 * The named type of `spec/common` (or another subject's file) a change was made in, and the
 * path inside it. A change found with an owner is reported once under the type (group.ts).
 */
export interface Owner {
  type: string;
  path: string;
}

/** A change as the walk finds it: at a subject, maybe inside a shared named type. */
export interface FoundChange extends Change {
  owner?: Owner;
  /** The path in the subject where it was found (`path` is the owner's when there is one). */
  subjectPath: string;
  found: Subject;
}

export function change(rule: Rule, subject: Subject, path: string, message: string, extra: Partial<Change> & { owner?: Owner } = {}): FoundChange {
  const { owner, ...rest } = extra;
  return {
    rule: rule.id,
    level: rule.level,
    kind: subject.kind,
    subject: subject.name,
    path: owner ? owner.path : path,
    message,
    ...rest,
    ...(owner ? { owner } : {}),
    subjectPath: path,
    found: subject,
  };
}
