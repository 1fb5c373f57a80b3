import ts from 'typescript';

/** Compiler options of a strict consumer project (what a bot developer's tsconfig would have). */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: false,
};

export interface Problem {
  file: string;
  line: number;
  code: number;
  message: string;
}

/**
 * Type-checks `rootFiles` (real files on disk) in one program, like `tsc --strict --noEmit`,
 * and returns every diagnostic with its file and 1-based line.
 */
export function typecheck(rootFiles: string[], options: ts.CompilerOptions = STRICT_OPTIONS): Problem[] {
  const program = ts.createProgram(rootFiles, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return {
      file: d.file?.fileName ?? '',
      line: pos ? pos.line + 1 : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });
}
