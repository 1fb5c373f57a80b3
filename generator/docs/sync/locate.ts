import type { SpecFiles, SpecPlace } from './spec-files.js';

/** Which part of a method or event a difference's path walks: params, `result`, or an event's `data`. */
export type Side = 'param' | 'result' | 'event';

/** `fields.properties.name` / `result.events[].eventId` -> names, the `[]` dropped (deref goes through items). */
export function segments(path: string): string[] {
  return path.split('.').map((s) => s.replace(/\[\]$/, ''));
}

/**
 * Where the member at a difference's path is declared in the spec: in the subject's own file,
 * or, once the path goes through a `$ref`, in the file declaring that named type (a shared type
 * in spec/common is edited there, once for every method reaching it).
 */
export function memberPlace(files: SpecFiles, file: string, side: Side, path: string): SpecPlace {
  const segs = segments(path);
  let place: SpecPlace = side === 'param' ? { file, path: ['params', segs[0]!] } : { file, path: [side === 'result' ? 'result' : 'data'] };
  for (const name of segs.slice(1)) {
    const container = files.deref(place, 'members');
    place = { file: container.file, path: [...container.path, 'properties', name] };
  }
  return place;
}

/**
 * The map a new member at `path` goes into: `params` for a top-level param, else the
 * `properties` of the type its parent path stands for (`properties` itself may not exist yet).
 */
export function containerOf(files: SpecFiles, file: string, side: Side, path: string): { type?: SpecPlace; map: SpecPlace } {
  const segs = segments(path);
  if (side === 'param' && segs.length === 1) return { map: { file, path: ['params'] } };
  const parentPath = path.slice(0, path.length - segs[segs.length - 1]!.length - 1).replace(/\[\]$/, '');
  const parent = files.deref(memberPlace(files, file, side, parentPath), 'members');
  return { type: parent, map: { file: parent.file, path: [...parent.path, 'properties'] } };
}

/** The last name of a path: `name` of `fields.properties.name`. */
export function leaf(path: string): string {
  const segs = segments(path);
  return segs[segs.length - 1]!;
}
