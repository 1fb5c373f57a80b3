import { StructureKind as TsMorphKind, VariableDeclarationKind as TsMorphDeclarationKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { StructureKind, VariableDeclarationKind } from '../generator/emit/structure-kind.js';

// The planners use these constants so the main thread never loads ts-morph; the printer reads
// them as ts-morph's own enums, so a ts-morph upgrade that renumbers them must fail here.
describe("the planners' structure kinds", () => {
  it("equal ts-morph's StructureKind values", () => {
    for (const [name, value] of Object.entries(StructureKind)) expect(value, name).toBe(TsMorphKind[name as keyof typeof TsMorphKind]);
  });
  it("equal ts-morph's VariableDeclarationKind values", () => {
    for (const [name, value] of Object.entries(VariableDeclarationKind)) expect(value, name).toBe(TsMorphDeclarationKind[name as keyof typeof TsMorphDeclarationKind]);
  });
});
