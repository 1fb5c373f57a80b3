import fc from 'fast-check';
// TypeScript's parser as a JS API: ts-morph's bundled compiler (TypeScript 7 has none).
import { ts } from 'ts-morph';
import { stringify } from 'yaml';
import { format } from 'prettier';
import { emit } from '../../generator/emit/index.js';
import { PRETTIER_OPTIONS } from '../../generator/emit/format.js';
import { errorClassName, facadeGroup, methodNames } from '../../generator/emit/names.js';
import { pascalCase } from '../../generator/emit/escape.js';
import { boundMethods } from '../../generator/emit/client-file.js';
import { loadSpecTexts, type SpecText } from '../../generator/load/index.js';
import { formatProblem, SpecError } from '../../generator/load/spec-error.js';
import type { Api } from '../../generator/model/ir.js';

/**
 * Property-based hardening: whole spec files built from hostile text (arbitrary Unicode, `*\/`,
 * backticks, `${`, quotes, line separators, names that are reserved words, start with digits,
 * contain `-`, `.`, spaces, or are `__proto__`/`constructor`). For each case the generator must
 * either refuse with located messages, or emit files that parse, declare exactly the symbols the
 * IR implies, and keep every enum value and error code byte for byte.
 */
const HOSTILE = ['*/', '/*', '`', '${x}', "'", '"', '\\', '\u2028', '\u2029', '\u0000', '@param', '</script>', '\r\n', '#!', '\uFEFF', '\uD800', '${', '}`;'];
const NAMES = ['__proto__', 'constructor', 'prototype', 'class', 'default', 'await', 'enum', '1abc', 'a-b', 'a.b', 'a b', "it's", 'ünïcode', 'toString', 'hasOwnProperty', 'then', ''];

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...HOSTILE),
  fc.tuple(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 10 }), fc.constantFrom(...HOSTILE)).map((p) => p.join('')),
);
// Mostly names a spec may have, sometimes hostile ones (then a refusal is the right answer).
const hostileName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/), weight: 4 },
  { arbitrary: fc.constantFrom(...NAMES), weight: 2 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);
const segment = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Z][a-z]{1,6}$/), weight: 8 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'class', '1st', 'a-b', 'Chat', 'then'), weight: 1 },
);

export interface HostileCase {
  texts: SpecText[];
}

/** A spec: shared types (an enum with hostile values and texts) and one to three methods. */
export const hostileSpec: fc.Arbitrary<HostileCase> = fc
  .record({
    enumValues: fc.uniqueArray(hostileText, { minLength: 1, maxLength: 4 }),
    enumTexts: fc.array(hostileText, { minLength: 4, maxLength: 4 }),
    enumName: fc.oneof(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,8}$/), fc.constantFrom('Client', 'Bitrix24Error', 'Object', '__proto__')),
    methods: fc.array(
      fc.record({
        group: segment,
        name: segment,
        summary: hostileText,
        description: fc.option(hostileText, { nil: undefined }),
        params: fc.dictionary(hostileName, fc.constantFrom('string', 'integer', 'boolean', 'enum', 'object'), { maxKeys: 4 }),
        errors: fc.uniqueArray(fc.record({ code: hostileText, message: hostileText }), { maxLength: 3, selector: (e) => e.code }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ enumValues, enumTexts, enumName, methods }) => {
    const texts: SpecText[] = [
      {
        path: 'common/types.yaml',
        text: stringify({ types: { [enumName]: { type: 'string', description: enumTexts[0], enum: enumValues.map((value, i) => ({ value, text: enumTexts[i % 4] })) } } }),
      },
    ];
    for (const m of methods) {
      const method = `imbot.v2.${m.group}.${m.name}`;
      const params: Record<string, unknown> = {};
      for (const [name, kind] of Object.entries(m.params)) {
        params[name] =
          kind === 'enum' ? { $ref: enumName } : kind === 'object' ? { type: 'object', properties: { [name]: { type: 'string', description: m.summary } } } : { type: kind, description: m.summary };
      }
      const hazard = Object.keys(m.params).find((name) => name !== '' && !name.includes('.'));
      const doc = {
        method,
        summary: m.summary,
        ...(m.description !== undefined ? { description: m.description } : {}),
        docs: 'https://apidocs.bitrix24.com/x.html',
        scope: 'imbot',
        access: m.summary || 'anyone',
        idempotent: true,
        // The first param (when a path can name it) makes calls unsafe to repeat and asks for
        // another scope: its name reaches the descriptor, and the texts the JSDoc.
        ...(hazard !== undefined
          ? {
              notIdempotentWhen: [{ param: hazard, description: m.summary }],
              extraScopes: [{ scope: 'im', when: hazard, ...(m.description !== undefined ? { description: m.description } : {}) }],
            }
          : {}),
        params,
        result: { type: 'object', properties: { result: { type: 'boolean', required: true } } },
        statuses: [200],
        errors: m.errors.map((e) => ({ code: e.code, status: 400, message: e.message })),
      };
      texts.push({ path: `imbot.v2/${m.group}.${m.name}.yaml`, text: stringify(doc) });
    }
    return { texts };
  });

export type Outcome =
  | { kind: 'refused'; messages: string[] }
  | { kind: 'generated'; api: Api; files: Map<string, string> };

const LOCATED = /^spec\/[^\n]*\.yaml:\d+:\d+: \S/;

/** Runs the generator on a case; anything but a located SpecError is a crash (thrown). */
export async function generateCase(c: HostileCase): Promise<Outcome> {
  try {
    const api = loadSpecTexts(c.texts, 'spec');
    return { kind: 'generated', api, files: await emit(api) };
  } catch (err) {
    if (err instanceof SpecError) {
      const messages = err.problems.map(formatProblem);
      const unlocated = messages.filter((m) => !LOCATED.test(m));
      if (unlocated.length > 0) throw new Error(`refusal without a place: ${unlocated[0]}`);
      return { kind: 'refused', messages };
    }
    throw err;
  }
}

/**
 * The generated files prettier would change if run on them again: the output must be prettier's
 * fixed point (what a maintainer's editor or a format check on the package would leave alone),
 * including the short doc comments emit/format.ts joins onto one line after formatting.
 */
export async function formattingDifferences(files: Map<string, string>): Promise<string[]> {
  const differences: string[] = [];
  for (const [path, text] of files) {
    // Hand-written, copied as is (testing/spec.ts alone is generated).
    if (path.startsWith('runtime/') || path.startsWith('redis/') || (path.startsWith('testing/') && path !== 'testing/spec.ts')) continue;
    if ((await format(text, PRETTIER_OPTIONS)) !== text) differences.push(`${path}: prettier would change it`);
  }
  return differences;
}

/**
 * Checks generated files: each parses without syntax errors; the exported names are exactly
 * the ones the IR implies; enum values and error codes read back from the emitted literals equal
 * the spec's strings. Returns the problems found (empty: sound).
 */
export function checkGenerated(api: Api, files: Map<string, string>): string[] {
  const problems: string[] = [];
  const parsed = new Map<string, ts.SourceFile>();
  for (const [path, text] of files) {
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
    if (diags.length > 0) problems.push(`${path}: syntax error: ${ts.flattenDiagnosticMessageText(diags[0].messageText, ' ')}`);
    if (!text.endsWith('\n') || text.includes('\r')) problems.push(`${path}: line endings are not \\n`);
    parsed.set(path, sf);
  }

  // Symbols: every method module exports exactly its params/result/error types, descriptor and function (plus hoisted interfaces named after them).
  for (const m of api.methods) {
    const n = methodNames(m);
    const sf = parsed.get(`${n.module}.ts`);
    if (!sf) {
      problems.push(`${m.name}: no module ${n.module}.ts`);
      continue;
    }
    const exported = exportedNames(sf);
    for (const name of [n.params, n.result, n.error, n.fn, n.descriptor]) if (!exported.includes(name)) problems.push(`${n.module}.ts does not export ${name}`);
    for (const name of exported) if (!name.startsWith(n.base) && name !== n.fn && name !== n.descriptor) problems.push(`${n.module}.ts exports an unexpected ${name}`);
    const literal = findNameLiteral(sf, n.descriptor);
    if (literal !== m.name) problems.push(`${n.module}.ts: method name reads back as ${JSON.stringify(literal)}, spec has ${JSON.stringify(m.name)}`);
  }

  // Facade modules: one per group, exporting exactly the fixed names client.ts imports, one
  // `<Namespace><Group>[<Sub>...]Group` interface per level of the group (a name two levels
  // would share is numbered), and `GroupErrors` when its methods' docs link to error classes.
  const groups = new Map<string, { hasBound: boolean; levels: Set<string>; errors: boolean }>();
  const bound = new Set(boundMethods(api));
  for (const m of api.methods) {
    const g = facadeGroup(m);
    if (!g) continue;
    const entry = groups.get(g.module) ?? { hasBound: false, levels: new Set<string>(), errors: api.systemErrors.length > 0 };
    entry.hasBound ||= bound.has(m);
    entry.errors ||= m.errors.length > 0;
    for (let depth = 1; depth < m.path.length; depth++) entry.levels.add(JSON.stringify([m.namespace, ...m.path.slice(0, depth)]));
    groups.set(g.module, entry);
  }
  for (const [module, { hasBound, levels, errors }] of groups) {
    const sf = parsed.get(`${module}.ts`);
    const interfaces = new Set<string>();
    for (const level of levels) {
      const base = `${pascalCase((JSON.parse(level) as string[]).join('.'))}Group`;
      let name = base;
      for (let n = 2; interfaces.has(name); n++) name = `${base}${n}`;
      interfaces.add(name);
    }
    const expected = [...interfaces, ...(errors ? ['GroupErrors'] : []), 'createFacade', 'Methods', 'descriptors', ...(hasBound ? ['BoundFacade', 'createBoundFacade'] : [])].sort();
    const exported = sf ? exportedNames(sf).sort() : undefined;
    if (JSON.stringify(exported) !== JSON.stringify(expected)) problems.push(`${module}.ts exports ${JSON.stringify(exported)}, expected ${JSON.stringify(expected)}`);
  }
  const facadeFiles = [...parsed.keys()].filter((p) => p.startsWith('facade/'));
  if (facadeFiles.length !== groups.size) problems.push(`${facadeFiles.length} facade modules for ${groups.size} groups`);

  // Enum values round-trip.
  const enums = parsed.get('enums.ts');
  for (const t of api.types) {
    if (t.type.kind !== 'enum') continue;
    const values = enums ? constObjectValues(enums, t.name) : undefined;
    const expected = t.type.values.map((v) => v.value);
    if (!values || JSON.stringify(values) !== JSON.stringify(expected)) problems.push(`enum ${t.name}: values read back as ${JSON.stringify(values)}, spec has ${JSON.stringify(expected)}`);
  }

  // Error codes round-trip, one class each.
  const errors = parsed.get('errors.ts');
  const codes = new Set<string>([...api.systemErrors.map((e) => e.code), ...api.methods.flatMap((m) => m.errors.map((e) => e.code))]);
  const byCode = errors ? constObjectKeys(errors, 'errorClassesByCode') : undefined;
  if (!byCode || JSON.stringify([...byCode].sort()) !== JSON.stringify([...codes].sort())) problems.push(`errorClassesByCode keys read back as ${JSON.stringify(byCode)}, spec has ${JSON.stringify([...codes])}`);
  const errorExports = errors ? exportedNames(errors) : [];
  for (const code of codes) if (!errorExports.includes(errorClassName(code))) problems.push(`errors.ts does not export ${errorClassName(code)} for ${JSON.stringify(code)}`);
  return problems;
}

function exportedNames(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) out.push(d.name.getText(sf));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) out.push(st.name.text);
  }
  return out;
}

function variable(sf: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) if (d.name.getText(sf) === name && d.initializer) return d.initializer;
  }
  return undefined;
}

function objectLiteral(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  let cur = e;
  while (cur && (ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur) || ts.isParenthesizedExpression(cur))) cur = cur.expression;
  return cur && ts.isObjectLiteralExpression(cur) ? cur : undefined;
}

function keyText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function constObjectValues(sf: ts.SourceFile, name: string): (string | number)[] | undefined {
  const obj = objectLiteral(variable(sf, name));
  return obj?.properties.map((p) => {
    if (!ts.isPropertyAssignment(p)) return '?';
    const init = p.initializer;
    if (ts.isStringLiteralLike(init)) return init.text;
    if (ts.isNumericLiteral(init)) return Number(init.text);
    return '?';
  });
}

function constObjectKeys(sf: ts.SourceFile, name: string): string[] | undefined {
  const obj = objectLiteral(variable(sf, name));
  return obj?.properties.map((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? (keyText(p.name) ?? '?') : '?'));
}

function findNameLiteral(sf: ts.SourceFile, descriptor: string): string | undefined {
  const obj = objectLiteral(variable(sf, descriptor));
  for (const p of obj?.properties ?? []) {
    if (ts.isPropertyAssignment(p) && keyText(p.name) === 'name' && ts.isStringLiteralLike(p.initializer)) return p.initializer.text;
  }
  return undefined;
}
