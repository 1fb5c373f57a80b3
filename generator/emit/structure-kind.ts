import type { StructureKind as Kinds, VariableDeclarationKind as DeclarationKinds } from 'ts-morph';

/**
 * The ts-morph enum values the planners put into structures, as constants. Planning runs on the
 * main thread, which then never loads ts-morph (importing it loads TypeScript's compiler, about
 * a quarter of a second); structures are printed where ts-morph is loaded anyway (the print
 * worker, ./print-pool.ts). test/structure-kind.test.ts checks each value against ts-morph's own.
 */
export const StructureKind = {
  Class: 2 as Kinds.Class,
  Function: 13 as Kinds.Function,
  Interface: 19 as Kinds.Interface,
  SourceFile: 36 as Kinds.SourceFile,
  TypeAlias: 38 as Kinds.TypeAlias,
  VariableStatement: 41 as Kinds.VariableStatement,
} as const;

export const VariableDeclarationKind = {
  Const: 'const' as DeclarationKinds.Const,
} as const;
