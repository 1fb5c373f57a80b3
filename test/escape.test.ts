// TypeScript's parser and checker as a JS API: ts-morph's bundled compiler (TypeScript 7 has none).
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { camelCase, docText, memberName, objectKey, pascalCase, stringLiteral } from '../generator/emit/escape.js';
import { errorClassName, RUNTIME_EXPORTS } from '../generator/emit/names.js';

/** Evaluates a JS expression the way the generated code would hold it. */
const evaluate = (code: string): unknown => new Function(`return (${code});`)();

describe('the escaping layer', () => {
  const hostile = ['plain', 'it\'s "quoted"', 'back\\slash', '${x}', '`tick`', '*/', 'line\nbreak\r\n', '\u2028\u2029', '\u0000\u001f', '\ud800 lone', 'emoji 🤖', ''];

  it('string literals round-trip every string byte for byte', () => {
    for (const s of hostile) expect(evaluate(stringLiteral(s))).toBe(s);
  });

  it('object keys define own properties, never a prototype', () => {
    for (const key of [...hostile, '__proto__', 'constructor', 'class', '2fa', 'a-b']) {
      const obj = evaluate(`{ ${objectKey(key)}: 1 }`) as object;
      expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
      expect(Object.keys(obj)).toEqual([key]);
    }
  });

  it('member names are valid in a type literal', () => {
    for (const name of [...hostile, '__proto__', 'class', '2fa', 'a-b', 'ok']) {
      const source = ts.createSourceFile('t.ts', `type T = { ${memberName(name)}: string };`, ts.ScriptTarget.ES2022);
      expect((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    }
  });

  it('JSDoc text cannot end the comment or start a tag', () => {
    const text = docText('a */ b /* c\n@deprecated d\r\ne @param f\u0007');
    expect(text).not.toContain('*/');
    expect(text).not.toMatch(/(^|\s)@/);
    expect(text).not.toContain('\r');
    expect(text).not.toContain('\u0007');
    const source = ts.createSourceFile('t.ts', `/** ${text} */\nexport const x = 1;`, ts.ScriptTarget.ES2022, true);
    expect(source.statements).toHaveLength(1);
    expect(ts.getJSDocTags(source.statements[0])).toEqual([]);
  });

  it('derives identifiers predictably', () => {
    expect(pascalCase('imbot.v2.Chat.InputAction.notify')).toBe('ImbotV2ChatInputActionNotify');
    expect(camelCase('imbot.v2.Chat.InputAction.notify')).toBe('imbotV2ChatInputActionNotify');
    expect(pascalCase('2fa')).toBe('N2fa');
    expect(errorClassName('BOT_NOT_FOUND')).toBe('BotNotFoundError');
    expect(errorClassName('BOT_OWNERSHIP_ERROR')).toBe('BotOwnershipError');
    expect(errorClassName('insufficient_scope')).toBe('InsufficientScopeError');
    expect(errorClassName('INTERNAL_SERVER_ERROR')).toBe('InternalServerError');
    expect(errorClassName('***')).toBe('UnnamedError');
  });
});

describe('the runtime export list the name checker protects', () => {
  it('matches what generator/runtime/index.ts exports', () => {
    const program = ts.createProgram(['generator/runtime/index.ts'], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, types: [] });
    const checker = program.getTypeChecker();
    const file = program.getSourceFile('generator/runtime/index.ts')!;
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!).map((s) => s.name).sort();
    expect([...RUNTIME_EXPORTS].sort()).toEqual(exported);
  });
});
