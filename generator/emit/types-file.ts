import type { StatementStructures } from 'ts-morph';
import { StructureKind } from './ts-morph.js';
import type { Api } from '../model/ir.js';
import { declarationPosition, namedTypeUses } from '../model/positions.js';
import { isEnumName } from './enums-file.js';
import { jsDoc, typeFacts } from './jsdoc.js';
import type { NameTable } from './names.js';
import { importStatement, type PlannedFile } from './source-file.js';
import { TypeWriter } from './type-text.js';

/** Named non-enum types (spec `types:`): interfaces for objects, aliases for the rest. */
export function planTypesFile(api: Api, names: NameTable): PlannedFile {
  const writer = new TypeWriter(api, names);
  const uses = namedTypeUses(api);
  const aliases: StatementStructures[] = [];
  for (const t of api.types) {
    if (t.type.kind === 'enum') continue;
    // One declaration per named type: written for the side that uses it (open enums differ).
    const position = declarationPosition(t.name, uses);
    if (t.type.kind === 'object') {
      writer.declare(t.name, t.type, t.at, position, jsDoc([t.description]));
    } else {
      const { description, facts } = typeFacts(t.type, api);
      aliases.push({
        kind: StructureKind.TypeAlias,
        isExported: true,
        name: t.name,
        docs: jsDoc([description, facts.join(' ')]),
        type: writer.text(t.type, t.name, t.at, position),
      });
    }
  }
  const enums = [...writer.refs].filter((n) => isEnumName(api, n));
  return {
    path: 'types.ts',
    statements: [...importStatement('./enums.js', { types: enums }), ...writer.hoisted, ...aliases],
  };
}
