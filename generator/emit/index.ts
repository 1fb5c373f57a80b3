import { checkEventStreamContract } from './stream-contract.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Api } from '../model/ir.js';
import { REDIS_DIR, RUNTIME_DIR, TESTING_DIR } from '../paths.js';
import { planClientFile } from './client-file.js';
import { planEnumsFile } from './enums-file.js';
import { planErrorsFile } from './errors-file.js';
import { planEventsFile } from './events-file.js';
import { planMethodFile } from './method-file.js';
import { formatTexts } from './format.js';
import { NameTable, checkNames, methodNames } from './names.js';
import { GENERATED_HEADER, printPlannedFile, type PlannedFile } from './source-file.js';
import { planTestingSpecFile } from './testing-file.js';
import { planTypesFile } from './types-file.js';

/**
 * emit: IR -> the files of generated/src, as path -> text in byte order of paths. Every file is
 * planned first (ts-morph structures; names claimed, collisions refused with located messages);
 * only a clean plan is printed by ts-morph and formatted by prettier. Nothing here touches the
 * disk except reading the hand-written runtime and the format cache.
 */
export async function emit(api: Api): Promise<Map<string, string>> {
  const planned = [...planOutput(api), planTestingSpecFile(api)];
  const texts = await formatTexts(planned.map(printPlannedFile));
  const files = new Map(planned.map((file, i) => [file.path, texts[i]!]));
  for (const [path, text] of runtimeFiles()) files.set(path, text);
  for (const [path, text] of testingFiles()) files.set(path, text);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The same files as `emit` (the testing kit left out: it needs Node's types, and nothing a
 * docs example uses is in it), printed but not formatted by prettier: the same declarations, for
 * a compiler to check against (docs-diff type-checks the docs' examples with them). Not for
 * writing: only `emit`'s output is the generated client.
 */
export function emitUnformatted(api: Api): Map<string, string> {
  const files = new Map(planOutput(api).map((file) => [file.path, printPlannedFile(file)]));
  for (const [path, text] of runtimeFiles()) files.set(path, text);
  return files;
}

/** Every output file, planned: throws a SpecError (every name clash, located) before anything prints. */
export function planOutput(api: Api): PlannedFile[] {
  const table = new NameTable();
  checkNames(api, table);
  checkEventStreamContract(api, table.problems);
  const events = planEventsFile(api, table);
  const files: PlannedFile[] = [
    planEnumsFile(api),
    planTypesFile(api, table),
    planErrorsFile(api),
    ...api.methods.map((m) => planMethodFile(m, api, table)),
    ...(events ? [events] : []),
    ...planClientFile(api),
    planIndexFile(api),
  ];
  table.problems.throwIfAny();
  return files;
}

function planIndexFile(api: Api): PlannedFile {
  return {
    path: 'index.ts',
    statements: [
      "export * from './runtime/index.js';",
      "export * from './enums.js';",
      "export * from './types.js';",
      "export * from './errors.js';",
      "export * from './client.js';",
      ...(api.events.length > 0 ? ["export * from './events.js';"] : []),
      ...api.methods.map((m) => `export * from './${methodNames(m).module}.js';`),
    ],
  };
}

/**
 * The hand-written folders, copied as is (with the generated-file header): the runtime into
 * src/runtime/, the Redis stores (the `./redis` subpath) into src/redis/.
 */
function runtimeFiles(): [string, string][] {
  return [...copiedFiles(RUNTIME_DIR, 'runtime'), ...copiedFiles(REDIS_DIR, 'redis')];
}

/** The hand-written testing kit (the portal in a box), copied the same way into src/testing/. */
function testingFiles(): [string, string][] {
  return copiedFiles(TESTING_DIR, 'testing');
}

function copiedFiles(dir: string, folder: string): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => [
      `${folder}/${f}`,
      GENERATED_HEADER.replace('from spec/', `from generator/${folder}/`).replace('change the spec', `edit generator/${folder}/${f}`) +
        readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n'),
    ]);
}
