import type { StatementStructures } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from './ts-morph.js';
import type { Api, MethodSpec } from '../model/ir.js';
import { stringLiteral } from './escape.js';
import { isEnumName } from './enums-file.js';
import { jsDoc } from './jsdoc.js';
import { SYSTEM_ERRORS, errorClassName, methodNames, type NameTable } from './names.js';
import { importStatement, type PlannedFile } from './source-file.js';
import { TypeWriter } from './type-text.js';

/** The `time` block type: the spec's named type `Time` when it declares one. */
export function timeTypeOf(api: Api): string {
  return api.types.some((t) => t.name === 'Time') ? 'Time' : 'Record<string, unknown>';
}

/** The text shown for a method wherever it is documented (function, facade member). */
export function methodDoc(method: MethodSpec, api: Api) {
  // The method's own codes one by one; the system codes (the same for every method) as one link.
  const system = api.systemErrors.length > 0;
  return jsDoc(
    [
      method.summary,
      method.description,
      `REST method \`${method.name}\`. Scope: ${scopeText(method)}. Who may call it: ${method.access}. ${repeatText(method)}`,
      ...method.extraScopes.filter((x) => x.description).map((x) => `With \`${x.when.join('.')}\`: ${x.description}`),
    ],
    [
      // The code comes first: TypeScript reads `@throws {...}` as a type expression, so a
      // `{@link}` right after the tag is no link in editors; later in the text it is.
      ...method.errors.map((e) => ({ tagName: 'throws', text: `\`${e.code}\` ({@link ${errorClassName(e.code)}}, HTTP ${e.status}): ${e.message ?? NO_MESSAGE}` })),
      ...(system ? [{ tagName: 'throws', text: `a system error ({@link ${SYSTEM_ERRORS}}: authentication, access, rate limits, portal state)` }] : []),
      ...(method.deprecated ? [{ tagName: 'deprecated' }] : []),
      { tagName: 'see', text: `{@link ${method.docs}}` },
    ],
  );
}

/** What the generated docs say for an error code whose message the docs do not give. */
export const NO_MESSAGE = 'no documented message';

/** `\`imbot\``, or `\`imbot\` (and \`im\` with \`withUserEvents\`)` when a param asks for more. */
function scopeText(method: MethodSpec): string {
  const extra = method.extraScopes.map((x) => `\`${x.scope}\` with \`${x.when.join('.')}\``);
  return `\`${method.scope}\`${extra.length ? ` (and ${extra.join(', ')})` : ''}`;
}

/** Whether the client may repeat a call, as the JSDoc says it. */
function repeatText(method: MethodSpec): string {
  if (!method.idempotent) return 'Not safe to repeat: a retry after a lost response may run it twice.';
  if (method.notIdempotentWhen.length === 0) return 'Safe to repeat (idempotent).';
  const when = method.notIdempotentWhen.map((h) => `\`${h.path.join('.')}\` is given${h.description ? ` (${h.description.replace(/[.\s]+$/, '')})` : ''}`);
  return `Safe to repeat, except when ${when.join(' or ')}: the client never re-sends such a call after a lost response.`;
}

/**
 * One module per method: its params and result types (nested objects hoisted), the union of
 * the errors it can throw, its descriptor and a standalone function over a Transport (the
 * per-method entry point a bundler can keep alone).
 */
export function planMethodFile(method: MethodSpec, api: Api, table: NameTable): PlannedFile {
  const n = methodNames(method);
  const writer = new TypeWriter(api, table);
  const depth = n.module.split('/').length - 1;
  const up = depth === 0 ? './' : '../'.repeat(depth);

  writer.declare(n.params, method.params, method.at, 'input', jsDoc([`Parameters of \`${method.name}\`.`]));
  const aliases: StatementStructures[] = [];
  if (method.result.kind === 'object' && method.result.eventOf) {
    writer.declareEventUnion(n.result, method.result, 'output');
  } else if (method.result.kind === 'object') {
    writer.declare(n.result, method.result, method.at, 'output', jsDoc([method.result.description ?? `The \`result\` of \`${method.name}\`.`]));
  } else {
    aliases.push({
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: n.result,
      docs: jsDoc([method.result.description ?? `The \`result\` of \`${method.name}\`.`]),
      type: writer.text(method.result, n.result, method.at, 'output'),
    });
  }

  // Own classes, then the system union (a class both lists name is the same class: one per code).
  const errorClasses = [...new Set(method.errors.map((e) => errorClassName(e.code)))];
  if (api.systemErrors.length > 0) errorClasses.push(SYSTEM_ERRORS);
  aliases.push({
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: n.error,
    docs: jsDoc([`Every documented error \`${method.name}\` can throw (its own codes and the system ones).`]),
    type: errorClasses.length > 0 ? errorClasses.join(' | ') : 'never',
  });

  const time = timeTypeOf(api);
  const refs = [...writer.refs];
  if (time === 'Time') refs.push('Time');
  const statements: (StatementStructures | string)[] = [
    ...importStatement(`${up}enums.js`, { types: refs.filter((r) => isEnumName(api, r)) }),
    ...importStatement(`${up}types.js`, { types: refs.filter((r) => !isEnumName(api, r)) }),
    ...importStatement(`${up}events.js`, { types: [...writer.eventRefs] }),
    ...importStatement(`${up}errors.js`, { types: errorClasses }),
    ...importStatement(`${up}runtime/index.js`, { types: ['CallOptions', 'MethodDescriptor', 'ResponsePromise', 'Transport'] }),
    ...writer.hoisted,
    ...aliases,
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: jsDoc([`What the transport needs to know about \`${method.name}\`.`]),
      declarations: [
        {
          name: n.descriptor,
          type: 'MethodDescriptor',
          initializer: descriptorText(method),
        },
      ],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: n.fn,
      docs: methodDoc(method, api),
      parameters: [
        { name: 'transport', type: 'Transport' },
        { name: 'params', type: n.params },
        { name: 'options', type: 'CallOptions', hasQuestionToken: true },
      ],
      returnType: `ResponsePromise<${n.result}, ${time}>`,
      statements: [`return transport.call<${n.result}, ${time}>(${n.descriptor}, params, options);`],
    },
  ];
  return { path: `${n.module}.ts`, statements };
}

/** The descriptor object: name, idempotent, and the params that make a call unsafe to repeat. */
function descriptorText(method: MethodSpec): string {
  const hazards = method.notIdempotentWhen.map((h) => `[${h.path.map(stringLiteral).join(', ')}]`);
  const unsafe = hazards.length ? `, notIdempotentWhen: [${hazards.join(', ')}]` : '';
  return `{ name: ${stringLiteral(method.name)}, idempotent: ${method.idempotent}${unsafe} }`;
}
