import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diskCache, printerVersions, type DiskCache } from '../cache.js';
import type { Api, MethodSpec, SourceLocation } from '../model/ir.js';
import { irJson, irJsonOf, placeFromIrJson } from '../model/ir-json.js';
import type { FacadeGroup, NameTable, Owner } from './names.js';
import type { PlannedFile } from './source-file.js';

/**
 * After a small spec change most output files come out the same, yet planning, hashing and
 * looking up 2,000 method files is most of a regeneration. A method file is a function of its
 * method's IR, the spec's shared declarations (named types, system errors) and the generator's
 * own code, and a facade module of its group's methods and the same; so the `plan` disk cache
 * (../cache.ts) keeps, under a hash of those inputs, the file's final text and the names its
 * planning claimed. A hit replays the claims into the name table, so a clash with a changed
 * file is still refused naming both places, and skips planning, printing and formatting.
 *
 * The salt holds the inputs every entry shares: the shared declarations, every generator source
 * file (any change to the generator invalidates all entries) and the printers' versions.
 */
export class PlanMemo {
  /** Entries planned this run, stored once their text is known (`save`). */
  private readonly pending: { key: string; path: string; claims: Claim[] }[] = [];

  private constructor(private readonly disk: DiskCache | undefined) {}

  static open(api: Api): PlanMemo {
    return new PlanMemo(diskCache('plan', salt(api)));
  }

  /**
   * The file planned by `plan` for inputs `key`, or its text from an earlier run. `table`: the
   * name table `plan` claims in (claims are recorded and replayed); none when it claims nothing.
   * `anchor`: a place in the spec file the claims' places are in (they are kept as data paths,
   * so a file edited only where the key does not see, a comment say, is still shown right).
   */
  file(key: string, table: NameTable | undefined, plan: () => PlannedFile, anchor?: SourceLocation): PlannedFile {
    if (!this.disk) return plan();
    const stored = this.disk.get(key);
    const entry = stored === undefined ? undefined : parseEntry(stored);
    // An entry with claims and no table to replay them into, or a place not in the file, is planned again.
    const claims = entry && (table || entry.claims.length === 0) ? replayable(entry.claims, anchor) : undefined;
    if (entry && claims) {
      for (const [name, owner] of claims) table!.claim(name, owner);
      return { path: entry.path, statements: [], text: entry.text };
    }
    const since = table?.journal.length ?? 0;
    const planned = plan();
    this.pending.push({ key, path: planned.path, claims: table ? table.journal.slice(since) : [] });
    return planned;
  }

  /** Stores the files planned this run, given every file's final text. */
  save(texts: Map<string, string>): void {
    if (!this.disk) return;
    for (const { key, path, claims } of this.pending) {
      const text = texts.get(path);
      if (text !== undefined) this.disk.set(key, irJsonOf({ path, claims, text } satisfies Entry));
    }
  }
}

type Claim = [name: string, owner: Owner];

interface Entry {
  path: string;
  claims: Claim[];
  text: string;
}

/** The claims of an entry with their places in the file of `anchor`; undefined when one is not there. */
function replayable(claims: Claim[], anchor: SourceLocation | undefined): Claim[] | undefined {
  const out: Claim[] = [];
  for (const [name, owner] of claims) {
    if (owner.at === undefined) {
      out.push([name, owner]);
      continue;
    }
    const at = placeFromIrJson(anchor, owner.at);
    if (!at) return undefined;
    out.push([name, { ...owner, at }]);
  }
  return out;
}

function parseEntry(stored: string): Entry | undefined {
  try {
    const entry = JSON.parse(stored) as Entry;
    return typeof entry.path === 'string' && typeof entry.text === 'string' && Array.isArray(entry.claims) ? entry : undefined;
  } catch {
    return undefined; // a damaged entry: plan again
  }
}

/** The inputs of one method's file besides the shared ones: its IR, as JSON. */
export function methodKey(method: MethodSpec): string {
  return `method\0${irJson(method)}`;
}

/** The inputs of a facade module besides the shared ones: its group, its methods' IR, which are bound. */
export function facadeKey(group: FacadeGroup, methods: MethodSpec[], bound: MethodSpec[]): string {
  const digest = (m: MethodSpec) => createHash('sha256').update(methodKey(m)).digest('base64');
  return JSON.stringify(['facade', group, methods.map(digest), bound.map((m) => m.name)]);
}

function salt(api: Api): string {
  return [irJsonOf([api.types, api.systemErrors]), generatorHash(), ...printerVersions()].join('\0');
}

/**
 * A hash of every generator source file's path and text, read once per process: the code that
 * runs is the code that was loaded, whatever is edited later.
 */
let sourcesHash: string | undefined;

function generatorHash(): string {
  if (sourcesHash !== undefined) return sourcesHash;
  const dir = fileURLToPath(new URL('../', import.meta.url));
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|mjs|json)$/.test(f) && !f.includes('node_modules'))
    .sort();
  for (const f of files) hash.update(f).update('\0').update(readFileSync(dir + f)).update('\0');
  return (sourcesHash = hash.digest('hex'));
}
