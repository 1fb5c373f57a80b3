import { StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';
import { allErrorCodes, type Api, type ErrorSpec } from '../model/ir.js';
import { objectKey, stringLiteral } from './escape.js';
import { jsDoc } from './jsdoc.js';
import { errorClassName } from './names.js';
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

function meanings(api: Api, code: string): string[] {
  const system = api.systemErrors.find((e) => e.code === code);
  const byMethod = new Map<string, ErrorSpec>();
  for (const m of api.methods) {
    const e = m.errors.find((x) => x.code === code);
    if (e) byMethod.set(m.name, e);
  }
  const lines = [`\`${code}\``];
  const describe = (e: ErrorSpec) => `HTTP ${e.status}, "${e.message}"${e.description ? `: ${e.description}` : ''}`;
  if (system) lines.push(`Any method (system error): ${describe(system)}`);
  for (const [method, e] of byMethod) lines.push(`${method}: ${describe(e)}`);
  return lines;
}
