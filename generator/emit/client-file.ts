import { StructureKind, type StatementStructures } from 'ts-morph';
import type { Api, MethodSpec } from '../model/ir.js';
import { memberName, objectKey, stringLiteral } from './escape.js';
import { methodNames } from './names.js';
import { importStatement, type PlannedFile } from './source-file.js';
import { methodDoc, timeTypeOf } from './method-file.js';

/** The facade as a tree: `imbot` > `v2` > `Chat` > `InputAction` > method `notify`. */
interface FacadeNode {
  children: Map<string, FacadeNode>;
  method?: MethodSpec;
}

function facadeTree(methods: { method: MethodSpec; path: string[] }[]): FacadeNode {
  const root: FacadeNode = { children: new Map() };
  for (const { method, path } of methods) {
    let node = root;
    for (const seg of path) {
      let child = node.children.get(seg);
      if (!child) node.children.set(seg, (child = { children: new Map() }));
      node = child;
    }
    node.method = method;
  }
  return root;
}

/** Params a bound bot fills in; see `boundMethods`. */
const BOUND_PARAMS = ['botId', 'botToken'] as const;

/**
 * The methods a bound bot (`client.bot({ botId, botToken })`) offers: the imbot.v2 methods that
 * take `botId` at the top level. They sit at their path below the namespace
 * (`bot.Chat.Message.send`), and take their params without `botId` and `botToken`.
 */
export function boundMethods(api: Api): MethodSpec[] {
  return api.methods.filter((m) => m.namespace === 'imbot.v2' && m.params.properties.some((p) => p.name === 'botId'));
}

/**
 * `createClient(options)`, the `Client` interface and the bound bot: every method under its
 * REST name (`client.imbot.v2.Chat.InputAction.notify(...)`), so a name read in the official
 * docs is found at the same path.
 */
export function planClientFile(api: Api): PlannedFile {
  const time = timeTypeOf(api);
  const fullTree = facadeTree(api.methods.map((m) => ({ method: m, path: [...m.namespace.split('.'), ...m.path] })));
  const bound = boundMethods(api);
  const botTree = facadeTree(bound.map((m) => ({ method: m, path: m.path })));

  /** The interface body for a facade tree; `paramsOf` gives a method's params type. */
  const typeOf = (node: FacadeNode, paramsOf: (m: MethodSpec) => string): string => {
    const members = [...node.children].map(([seg, child]) => {
      if (child.method) {
        const n = methodNames(child.method);
        return `${docBlock(child.method, api)}${memberName(seg)}(params: ${paramsOf(child.method)}, options?: CallOptions): ResponsePromise<${n.result}, ${time}>;`;
      }
      return `readonly ${memberName(seg)}: ${typeOf(child, paramsOf)};`;
    });
    return `{\n${members.join('\n')}\n}`;
  };

  /** The object literal for a facade tree; `argOf` gives the expression passed as params. */
  const valueOf = (node: FacadeNode, paramsOf: (m: MethodSpec) => string, argOf: string): string => {
    const members = [...node.children].map(([seg, child]) => {
      if (child.method) {
        const n = methodNames(child.method);
        return `${objectKey(seg)}: (params: ${paramsOf(child.method)}, options?: CallOptions) => ${n.fn}(transport, ${argOf}, options),`;
      }
      return `${objectKey(seg)}: ${valueOf(child, paramsOf, argOf)},`;
    });
    return `{\n${members.join('\n')}\n}`;
  };

  const fullParams = (m: MethodSpec) => methodNames(m).params;
  const boundParams = (m: MethodSpec) => `BoundParams<${methodNames(m).params}>`;

  const imports: string[] = [];
  for (const m of api.methods) {
    const n = methodNames(m);
    imports.push(...importStatement([n.fn, n.descriptor], `./${n.module}.js`, false));
    imports.push(...importStatement([n.params, n.result, n.error], `./${n.module}.js`, true));
  }
  const hasBound = bound.length > 0;
  const eventGet = bound.find((m) => m.name === 'imbot.v2.Event.get');
  const hasStream = hasBound && eventGet !== undefined && api.events.length > 0;
  const refTypes = [...(time === 'Time' ? ['Time'] : []), ...(hasBound ? ['BotId', 'BotToken'].filter((t) => api.types.some((x) => x.name === t)) : [])];
  const idType = api.types.some((t) => t.name === 'BotId') ? 'BotId' : 'number';
  const tokenType = api.types.some((t) => t.name === 'BotToken') ? 'BotToken' : 'string';

  const statements: (StatementStructures | string)[] = [
    "import { createTransport, type Bitrix24Error, type BatchOptions, type BatchOutcome, type CallOptions, type ClientOptions, type MethodDescriptor, type ResponsePromise } from './runtime/index.js';",
    "import { errorClassesByCode } from './errors.js';",
    ...importStatement(refTypes, './types.js', true),
    ...imports,
    ...(hasStream
      ? [
          "import { eventStreamWith, type EventStream, type EventStreamOptions } from './runtime/index.js';",
          "import { fromFetched, type AnyEvent } from './events.js';",
        ]
      : []),
  ];
  if (hasBound) {
    statements.push(
      `/** The bot a bound client acts as (see {@link Client.bot}). */
export interface BotBinding {
  /** The bot's id. */
  botId: ${idType};
  /** The bot's token; needed with webhook auth, not with OAuth. */
  botToken?: ${tokenType};
}`,
      `/** A method's params without the ones a bound bot fills in. */
export type BoundParams<P> = Omit<P, ${BOUND_PARAMS.map((p) => `'${p}'`).join(' | ')}>;`,
      `/**
 * The imbot.v2 methods that act as one bot, with \`botId\` and \`botToken\` filled in:
 * \`client.bot({ botId: 456, botToken: 'tok' }).Chat.Message.send({ dialogId: 'chat5', ... })\`.
 */
export interface BoundBot ${typeOf(botTree, boundParams).replace(
        /\n}$/,
        hasStream
          ? `\n/**
 * The bot's events (fetch mode), as an async iterator over \`Event.get\` pages: waits between
 * empty polls, stops when \`signal\` aborts, and resumes from \`startOffset\`. Store
 * \`stream.offset\` after handling each event to lose and repeat nothing across restarts.
 */\nevents(options?: EventStreamOptions): EventStream<AnyEvent>;\n}`
          : '\n}',
      )}`,
    );
  }
  // Batch: every method by its REST name, so each entry's params, result and errors are typed.
  statements.push(
    `/** Every method by its REST name: its params, result and error types (see {@link Client.batch}). */
export interface MethodMap {
${api.methods
  .map((m) => {
    const n = methodNames(m);
    return `${stringLiteral(m.name)}: { params: ${n.params}; result: ${n.result}; error: ${n.error} };`;
  })
  .join('\n')}
}`,
    `/** One call in a batch: the method's REST name and its params, \`['imbot.v2.Chat.Message.send', { ... }]\`. */
export type BatchEntry = { [M in keyof MethodMap]: readonly [M, MethodMap[M]['params']] }[keyof MethodMap];`,
    `/** How each call of a batch ended, typed by its method. */
export type BatchResults<T extends Record<string, BatchEntry>> = {
  [K in keyof T]: BatchOutcome<MethodMap[T[K][0]]['result'], MethodMap[T[K][0]]['error'] | Bitrix24Error>;
};`,
    `const methodDescriptors: Readonly<Record<keyof MethodMap, MethodDescriptor>> = {
${api.methods.map((m) => `${stringLiteral(m.name)}: ${methodNames(m).descriptor},`).join('\n')}
};`,
  );
  const batchDoc = `/**
 * Sends several calls in one request (\`batch\`; more than 50 are split into several requests,
 * each through the rate limit). Each entry is \`[method name, params]\`; each outcome is typed by
 * its method. With \`halt\`, the calls after the first failure are \`skipped\`.
 */\n`;
  const clientBody = typeOf(fullTree, fullParams).replace(
    /\n}$/,
    `\n${batchDoc}batch<const T extends Record<string, BatchEntry>>(entries: T, options?: BatchOptions): Promise<BatchResults<T>>;` +
      (hasBound ? `\n/** The imbot.v2 methods acting as one bot: \`botId\` and \`botToken\` are filled in for every call. */\nbot(binding: BotBinding): BoundBot;\n}` : '\n}'),
  );
  statements.push(`/** The client: every REST method at its documented name. Create one with {@link createClient}. */\nexport interface Client ${clientBody}`);

  const clientValue = valueOf(fullTree, fullParams, 'params').replace(
    /\n}$/,
    `\nbatch: <const T extends Record<string, BatchEntry>>(entries: T, options?: BatchOptions): Promise<BatchResults<T>> =>
  transport.batch(
    Object.fromEntries(Object.entries(entries).map(([key, [name, params]]) => [key, { method: methodDescriptors[name], params }])),
    options,
  ) as Promise<BatchResults<T>>,` +
    (hasBound
      ? `\nbot: (binding: BotBinding): BoundBot => {
  // Explicit keys only: a binding object with extra keys must not leak them into calls.
  const auth = binding.botToken === undefined ? { botId: binding.botId } : { botId: binding.botId, botToken: binding.botToken };
  return ${valueOf(botTree, boundParams, '{ ...params, ...auth }').replace(
  /\n}$/,
  hasStream
    ? `\nevents: (options?: EventStreamOptions): EventStream<AnyEvent> =>
  eventStreamWith(
    (offset, limit, signal) =>
      ${methodNames(eventGet!).fn}(transport, { ...auth, ...(offset === undefined ? {} : { offset }), limit, ...(options?.withUserEvents ? { withUserEvents: true } : {}) }, { signal }),
    fromFetched,
    options,
  ),\n}`
    : '\n}',
)};
},\n}`
      : '\n}'),
  );
  statements.push({
    kind: StructureKind.Function,
    isExported: true,
    name: 'createClient',
    docs: [
      {
        description:
          'Creates a client for one portal, authenticated by an inbound webhook URL\n' +
          '(`{ webhookUrl }`) or by an OAuth access token (`{ portalUrl, accessToken }`).\n' +
          'Throws a TypeError for a missing or non-https URL (plain http only for loopback hosts).',
      },
    ],
    parameters: [{ name: 'options', type: 'ClientOptions' }],
    returnType: 'Client',
    statements: ['const transport = createTransport(options, errorClassesByCode);', `return ${clientValue};`],
  });
  return { path: 'client.ts', statements };
}

/** The method's JSDoc (the same as on its standalone function) as a comment block. */
function docBlock(method: MethodSpec, api: Api): string {
  const [doc] = methodDoc(method, api);
  const lines: string[] = [];
  if (doc?.description) lines.push(...String(doc.description).split('\n'));
  for (const tag of doc?.tags ?? []) lines.push(`@${tag.tagName}${tag.text ? ` ${String(tag.text)}` : ''}`);
  return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}
