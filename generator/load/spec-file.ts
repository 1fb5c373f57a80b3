import { quickParse } from './fast-yaml.js';
import { FilePlaces, type Place } from './places.js';
import type { ProblemList } from './spec-error.js';
import { YamlSource, type DataPath, type SpecSource } from './yaml-source.js';

/** A parsed spec file: its data, and its places (found when first read: places.ts). */
export class SpecFile implements SpecSource {
  constructor(
    readonly file: string,
    readonly data: unknown,
    readonly places: FilePlaces,
  ) {}

  at(path: DataPath): Place {
    return this.places.at(path, false);
  }

  keyAt(path: DataPath): Place {
    return this.places.at(path, true);
  }
}

/**
 * Parses one spec file: the quick way (fast-yaml.ts) when it vouches for the text, otherwise
 * with `yaml`, whose syntax errors (located) go to `problems` and give undefined.
 */
export function parseSpecFile(file: string, text: string, problems: ProblemList): SpecFile | undefined {
  const quick = quickParse(text);
  if (quick) return new SpecFile(file, quick.data, new FilePlaces(file, text));
  const parsed = YamlSource.parse(file, text, problems);
  return parsed && new SpecFile(file, parsed.data, new FilePlaces(file, text, parsed));
}
