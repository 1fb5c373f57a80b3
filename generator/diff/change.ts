import type { SourceLocation } from '../model/ir.js';
import type { Level, Rule } from './rules.js';

/** One difference between two specs, as users of the client see it. */
export interface Change {
  rule: string;
  level: Level;
  /** The REST method it concerns. */
  method: string;
  /** Where in the method: `params.fields.command`, `result.bot.id`, `errors.BOT_NOT_FOUND`; empty for the method itself. */
  path: string;
  message: string;
  /** The value before and after, as short text, when the change has them. */
  base?: string;
  head?: string;
  /** Where to point a reviewer: the head spec's place, or the base's for removals. */
  at?: SourceLocation;
}

export function change(rule: Rule, method: string, path: string, message: string, extra: Partial<Change> = {}): Change {
  return { rule: rule.id, level: rule.level, method, path, message, ...extra };
}
