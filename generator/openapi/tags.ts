import { compareStrings, eventsGroupOf, groupOf, type Api } from '../model/ir.js';

/**
 * The document's tags: one per group in use (`imbot.v2.Bot` for methods, `imbot.v2.events`
 * for a namespace's events), sorted, each with the spec's description of the group
 * (spec/common/groups.yaml) and its index page. The loader guarantees a description for every
 * group of a spec that describes any; a spec that describes none gets bare tags.
 */
export function tags(api: Api): Record<string, unknown>[] {
  const names = new Set([...api.methods.map(groupOf), ...api.events.map((e) => eventsGroupOf(e.namespace))]);
  const described = new Map(api.groups.map((g) => [g.name, g]));
  return [...names].sort(compareStrings).map((name) => {
    const group = described.get(name);
    return {
      name,
      ...(group !== undefined ? { description: group.description } : {}),
      ...(group?.docs !== undefined ? { externalDocs: { url: group.docs } } : {}),
    };
  });
}
