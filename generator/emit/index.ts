import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Api } from '../model/ir.js';
import { planClientFile } from './client-file.js';
import { planEnumsFile } from './enums-file.js';
import { planErrorsFile } from './errors-file.js';
import { planEventsFile } from './events-file.js';
import { planMethodFile } from './method-file.js';
import { PlanMemo, methodKey } from './plan-memo.js';
import { NameTable, checkNames, methodNames } from './names.js';
import type { PrintPool } from './print-pool.js';
import { GENERATED_HEADER, printFiles, type PlannedFile } from './source-file.js';
import { planTypesFile } from './types-file.js';

const runtimeDir = fileURLToPath(new URL('../runtime/', import.meta.url));

/**
 * emit: IR -> the files of generated/src, as path -> text. Every file is planned first (names
 * claimed, collisions refused with located messages); only a clean plan is printed, in `pool`
 * when the caller started one early (see ./print-pool.ts). Nothing here touches the disk except
 * reading the hand-written runtime and the caches.
 */
export async function emit(api: Api, pool?: PrintPool): Promise<Map<string, string>> {
  return printPlan(planOutput(api), pool);
}

/** Every output file, planned: throws a SpecError (every name clash, located) before anything prints. */
export interface OutputPlan {
  files: PlannedFile[];
  memo: PlanMemo;
}

export function planOutput(api: Api): OutputPlan {
  const table = new NameTable();
  checkNames(api, table);
  const memo = PlanMemo.open(api);
  const events = planEventsFile(api, table);
  const files: PlannedFile[] = [
    planEnumsFile(api),
    planTypesFile(api, table),
    planErrorsFile(api),
    ...api.methods.map((m) => memo.file(methodKey(m), table, () => planMethodFile(m, api, table), m.at)),
    ...(events ? [events] : []),
    ...planClientFile(api, memo),
    planIndexFile(api),
  ];
  table.problems.throwIfAny();
  return { files, memo };
}

/** Prints a plan (in `pool` when given), adds the runtime; path -> text in byte order of paths. */
export async function printPlan(plan: OutputPlan, pool?: PrintPool): Promise<Map<string, string>> {
  const files = await printFiles(plan.files, pool);
  plan.memo.save(files);
  for (const [path, text] of runtimeFiles()) files.set(path, text);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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

/** The hand-written runtime, copied as is (with the generated-file header) into src/runtime/. */
function runtimeFiles(): [string, string][] {
  return readdirSync(runtimeDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => [
      `runtime/${f}`,
      GENERATED_HEADER.replace('from spec/', 'from generator/runtime/').replace('change the spec', `edit generator/runtime/${f}`) +
        readFileSync(runtimeDir + f, 'utf8').replace(/\r\n/g, '\n'),
    ]);
}
