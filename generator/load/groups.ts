import { compareStrings, eventsGroupOf, groupOf, type EventSpec, type GroupSpec, type MethodSpec, type SourceLocation } from '../model/ir.js';
import { describePlace, type ProblemList } from './spec-error.js';
import { editDistance } from './validate.js';
import type { ValidFile } from './build-ir.js';

/** The schema-valid shape of one entry under `groups:` (spec/spec.schema.json `group`). */
interface RawGroup {
  description: string;
  docs?: string;
}

/**
 * `groups:` (only in spec/common/): what each group of methods and each namespace's events are
 * about. Collected here, then checked against the methods and events by `checkGroups`.
 */
export function collectGroups(files: ValidFile[], problems: ProblemList): GroupSpec[] {
  const groups = new Map<string, GroupSpec>();
  for (const { source, folder } of files) {
    const raw = (source.data as { groups?: Record<string, RawGroup> }).groups;
    if (raw === undefined) continue;
    if (folder !== 'common') {
      problems.add(source.keyAt(['groups']), 'groups may only be declared in spec/common/ (such as spec/common/groups.yaml)');
      continue;
    }
    for (const [name, group] of Object.entries(raw)) {
      const at = source.keyAt(['groups', name]);
      const earlier = groups.get(name);
      if (earlier) {
        problems.add(at, `group ${name} is already described at ${describePlace(earlier.at)}`);
        continue;
      }
      groups.set(name, { name, description: group.description, ...(group.docs !== undefined && { docs: group.docs }), at });
    }
  }
  return [...groups.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/**
 * Once the spec describes any group, it describes all of them: every group a method or event
 * is in needs an entry (reported at the group's first method or event, which is where a
 * maintainer who just added it is looking), and every entry needs a method or event (a typo or
 * a removed group). A spec without `groups:` (a test fixture, a small spec) is not held to it;
 * its OpenAPI tags then have no description.
 */
export function checkGroups(groups: GroupSpec[], methods: MethodSpec[], events: EventSpec[], problems: ProblemList): void {
  if (groups.length === 0) return;
  const where = groups[0].at.file;
  const described = new Set(groups.map((g) => g.name));
  // Each group in use, with the first member by name (methods and events arrive sorted).
  const used = new Map<string, { member: string; at: SourceLocation }>();
  for (const m of methods) if (!used.has(groupOf(m))) used.set(groupOf(m), { member: `method ${m.name}`, at: m.at });
  for (const e of events) {
    const name = eventsGroupOf(e.namespace);
    if (!used.has(name)) used.set(name, { member: `event ${e.name}`, at: e.at });
  }
  for (const [name, { member, at }] of [...used].sort(([a], [b]) => compareStrings(a, b))) {
    if (described.has(name)) continue;
    problems.add(at, `group ${name} (of ${member}) has no description; add \`${name}: { description: ..., docs: ... }\` under \`groups:\` in ${where}`);
  }
  for (const g of groups) {
    if (used.has(g.name)) continue;
    const guess = [...used.keys()].find((u) => editDistance(u.toLowerCase(), g.name.toLowerCase()) <= 2);
    problems.add(
      g.at,
      `groups: no method or event is in group ${g.name}${guess ? `; did you mean ${guess}?` : '; remove it, or name a group in use: <namespace>.<Group> (the start of a method name, such as imbot.v2.Bot) or <namespace>.events'}`,
    );
  }
}
