import { createRequire } from 'node:module';

/**
 * The ts-morph values the planners and the printer use. ts-morph is a CommonJS package of
 * several MB: required, it loads about 0.1 s faster than imported, since Node's ES module
 * loader first scans a CommonJS module's source for the names it exports. Types still come
 * from `import type ... from 'ts-morph'`.
 */
const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');

export const { printStructure, StructureKind, VariableDeclarationKind } = tsMorph;
