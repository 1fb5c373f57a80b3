import type { StatementStructures } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from './ts-morph.js';
import { allErrorCodes, compareStrings, type Api, type ErrorSpec } from '../model/ir.js';
import { objectKey, stringLiteral } from './escape.js';
import { jsDoc } from './jsdoc.js';
import { NO_MESSAGE } from './method-file.js';
import { SYSTEM_ERRORS, errorClassName } from './names.js';
import type { PlannedFile } from './source-file.js';

/**
 * One class per error code, whoever documents it (system errors and methods' own), and the
 * code -> class map the transport uses. A code documented with different messages (a system
 * code a method overrides) lists each documented meaning in its JSDoc.
 */
export function planErrorsFile(api: Api): PlannedFile {
  const statements: (StatementStructures | string)[] = [
    "import { Bitrix24Error, type ErrorClass } from './runtime/index.js';",
  ];
  const codes = allErrorCodes(api);
  for (const code of codes) {
    const name = errorClassName(code);
    const literal = stringLiteral(code);
    statements.push({
      kind: StructureKind.Class,
      name,
      isExported: true,
      extends: 'Bitrix24Error',
      docs: jsDoc(meanings(api, code)),
      properties: [
        { name: 'code', isStatic: true, isReadonly: true, initializer: literal, docs: jsDoc(['The `error` code this class stands for.']) },
        { name: 'code', hasDeclareKeyword: true, isReadonly: true, type: literal },
        { name: 'name', hasOverrideKeyword: true, initializer: stringLiteral(name) },
      ],
    });
  }
  if (api.systemErrors.length > 0) {
    statements.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: SYSTEM_ERRORS,
      docs: jsDoc([
        'The system errors: codes any method can answer with (authentication, access, rate limits, portal state). Every method\'s error union includes them.',
      ]),
      type: [...new Set(api.systemErrors.map((e) => errorClassName(e.code)))].sort(compareStrings).join(' | '),
    });
  }
  statements.push({
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: jsDoc(['Every documented error code and the class the client throws for it.']),
    declarations: [
      {
        name: 'errorClassesByCode',
        type: 'Readonly<Record<string, ErrorClass>>',
        initializer: `{\n${codes.map((c) => `${objectKey(c)}: ${errorClassName(c)},`).join('\n')}\n}`,
      },
    ],
  });
  return { path: 'errors.ts', statements };
}

/**
 * The code's documented meanings, each once: methods that document the same status, message and
 * description share one line (a code most methods answer alike costs one line, not one per method).
 */
function meanings(api: Api, code: string): string[] {
  const describe = (e: ErrorSpec) => `HTTP ${e.status}, ${e.message === undefined ? NO_MESSAGE : `"${e.message}"`}${e.description ? `: ${e.description}` : ''}`;
  const system = api.systemErrors.find((e) => e.code === code);
  const methodsByMeaning = new Map<string, string[]>();
  for (const m of api.methods) {
    const e = m.errors.find((x) => x.code === code);
    if (!e) continue;
    const meaning = describe(e);
    const list = methodsByMeaning.get(meaning) ?? [];
    list.push(m.name);
    methodsByMeaning.set(meaning, list);
  }
  const lines = [`\`${code}\``];
  if (system) lines.push(`Any method (system error): ${describe(system)}`);
  for (const [meaning, methods] of methodsByMeaning) {
    if (system && meaning === describe(system)) continue;
    lines.push(`${methods.length <= 3 ? methods.join(', ') : `${methods.slice(0, 3).join(', ')} and ${methods.length - 3} more`}: ${meaning}`);
  }
  return lines;
}
