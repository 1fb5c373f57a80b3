import type { StatementStructures } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from './ts-morph.js';
import type { Api, EnumType, NamedType } from '../model/ir.js';
import { objectKey, stringLiteral } from './escape.js';
import { commentBlock, jsDoc } from './jsdoc.js';
import type { PlannedFile } from './source-file.js';

/**
 * Named enums: `export const X = { VALUE: 'VALUE' } as const` plus `type X` = union of values. An
 * open enum is declared the same (its known values); type-text.ts widens it where users read it.
 */
export function planEnumsFile(api: Api): PlannedFile {
  const statements: StatementStructures[] = [];
  for (const t of enumTypes(api)) {
    const type = t.type as EnumType;
    const members = type.values.map((v) => {
      const literal = typeof v.value === 'string' ? stringLiteral(v.value) : String(v.value);
      const doc = commentBlock([v.text && `Shown as: ${v.text}`, v.description, v.deprecated && '@deprecated']);
      return `${doc}${objectKey(String(v.value))}: ${literal},`;
    });
    const open = type.open
      ? `The list is open: results and events may carry values not listed here (there the type reads \`${t.name} | (${type.base === 'integer' ? 'number' : 'string'} & {})\`); params take only these.`
      : undefined;
    const docs = jsDoc([t.description, open]);
    statements.push({
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs,
      declarations: [{ name: t.name, initializer: `{\n${joinMembers(members)}\n} as const` }],
    });
    statements.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: t.name,
      docs,
      type: `(typeof ${t.name})[keyof typeof ${t.name}]`,
    });
  }
  return { path: 'enums.ts', statements };
}

/** Object members, with a blank line on either side of a documented one: a doc reads with its member, a bare list stays compact. */
function joinMembers(members: string[]): string {
  return members.map((member, i) => (i === 0 ? '' : member.startsWith('/**') || members[i - 1]!.startsWith('/**') ? '\n\n' : '\n') + member).join('');
}

export function enumTypes(api: Api): NamedType[] {
  return api.types.filter((t) => t.type.kind === 'enum');
}

export function isEnumName(api: Api, name: string): boolean {
  return api.types.some((t) => t.name === name && t.type.kind === 'enum');
}
