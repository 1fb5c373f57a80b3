import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskCache, packageVersion, type DiskCache } from '../cache.js';
import { PROJECT_DIR, SPEC_SCHEMA } from '../paths.js';
import type { ProblemList } from './spec-error.js';
import { validateAgainstSchema } from './validate.js';
import { YamlSource } from './yaml-source.js';

/**
 * The `load` cache: for each spec file that parsed and passed the schema, its data and the
 * positions the load asked for, under its text. An unchanged file is then neither parsed (yaml,
 * with positions, is most of loading: about 0.3 s on the real spec, 1.2 ms per method file) nor
 * checked against the schema again (ajv is not even compiled when every file is found). The
 * salt holds what decides both: the schema, yaml-source.ts, and the versions of yaml and ajv.
 */
export class LoadCache {
  private readonly cache: DiskCache | undefined;
  private readonly fresh: YamlSource[] = [];

  constructor() {
    // yaml-source.ts decides where a position is: an edit to it must not meet older entries.
    const locating = readFileSync(join(PROJECT_DIR, 'generator', 'load', 'yaml-source.ts'), 'utf8');
    this.cache = diskCache('load', `${readFileSync(SPEC_SCHEMA, 'utf8')}\0${locating}\0yaml ${packageVersion('yaml')}\0ajv ${packageVersion('ajv')}`);
  }

  /** A sound file (from the cache, or parsed and checked now), or undefined with its problems added. */
  load(file: string, text: string, problems: ProblemList): YamlSource | undefined {
    const hit = this.cache?.get(text);
    if (hit !== undefined) {
      try {
        return YamlSource.remembered(file, text, JSON.parse(hit) as ReturnType<YamlSource['remembered']>);
      } catch {
        // A damaged entry only costs the parse below.
      }
    }
    const source = YamlSource.parse(file, text, problems);
    if (!source || !validateAgainstSchema(source, problems)) return undefined;
    this.fresh.push(source);
    return source;
  }

  /** Keeps the files parsed in this load, with every position it asked for (call after building the IR). */
  save(): void {
    for (const source of this.fresh) this.cache?.set(source.text, JSON.stringify(source.remembered()));
  }
}
