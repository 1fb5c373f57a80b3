import type { StatementStructures } from 'ts-morph';
import { StructureKind } from './ts-morph.js';
import type { Api, MethodSpec } from '../model/ir.js';
import { docText, memberName, objectKey, stringLiteral } from './escape.js';
import { facadeGroup, methodNames, type FacadeGroup } from './names.js';
import { importStatement, type PlannedFile } from './source-file.js';
import { timeTypeOf } from './method-file.js';
import { BOUND, FULL, facadeTree, facadeType, facadeValue, groupDoc, groupInterfaceName, methodMapEntry, planFacadeFile, type FacadeNode } from './facade-file.js';

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
export function planClientFile(api: Api): PlannedFile[] {
  const time = timeTypeOf(api);
  const bound = boundMethods(api);
  const boundSet = new Set(bound);

  // Group modules: every method below a group goes to facade/<namespace>.<Group>.ts.
  const groups = new Map<string, { group: FacadeGroup; methods: MethodSpec[] }>();
  for (const m of api.methods) {
    const group = facadeGroup(m);
    if (!group) continue;
    const entry = groups.get(group.module) ?? { group, methods: [] };
    entry.methods.push(m);
    groups.set(group.module, entry);
  }
  const groupFiles = [...groups.values()].map(({ group, methods }) => {
    const groupBound = methods.filter((m) => boundSet.has(m));
    return planFacadeFile(group, methods, groupBound, api);
  });
  const groupAt = (namespace: string, seg: string) => groups.get(`facade/${namespace}.${seg}`)?.group;
  const hasBoundGroup = (seg: string) => bound.some((m) => m.path.length > 1 && m.path[0] === seg);

  const fullTree = facadeTree(api.methods.map((m) => ({ method: m, path: [...m.namespace.split('.'), ...m.path] })));
  const botTree = facadeTree(bound.map((m) => ({ method: m, path: m.path })));
  // The namespace levels (`imbot` > `v2`) are written here; below them, a group is its module's type.
  const namespaces = new Set(api.methods.map((m) => m.namespace));
  const nsType = (prefix: string[]): string => {
    const node = prefix.reduce<FacadeNode | undefined>((n, seg) => n?.children.get(seg), fullTree)!;
    const ns = prefix.join('.');
    if (namespaces.has(ns)) {
      return facadeType(
        node,
        api,
        FULL,
        (seg) => {
          const g = groupAt(ns, seg);
          return g && `${g.alias}.${groupInterfaceName(g)}`;
        },
        (seg) => {
          const g = groupAt(ns, seg);
          return g ? groupDoc(node.children.get(seg)!, g, api) : '';
        },
      );
    }
    // A namespace level (`imbot`, `imbot.v2`): what it holds, so completing `client.` says it.
    const levelDoc = (seg: string) => {
      const below = [...prefix, seg].join('.');
      const inside = api.methods.filter((m) => m.namespace === below || m.namespace.startsWith(`${below}.`));
      const groupsBelow = [...new Set(inside.filter((m) => m.namespace === below).map((m) => m.path[0]))];
      return namespaces.has(below)
        ? `/** The \`${docText(below)}.*\` methods, each at its REST name: ${groupsBelow.map((g) => `\`${docText(g)}\``).join(', ')}. */\n`
        : `/** The \`${docText(below)}.*\` namespaces: ${[...new Set(inside.map((m) => `\`${docText(m.namespace)}\``))].join(', ')}. */\n`;
    };
    return `{\n${[...node.children.keys()].map((seg) => `${levelDoc(seg)}readonly ${memberName(seg)}: ${nsType([...prefix, seg])};`).join('\n')}\n}`;
  };
  const nsValue = (prefix: string[]): string => {
    const node = prefix.reduce<FacadeNode | undefined>((n, seg) => n?.children.get(seg), fullTree)!;
    const ns = prefix.join('.');
    if (namespaces.has(ns)) {
      return facadeValue(node, FULL, (seg) => {
        const g = groupAt(ns, seg);
        return g && `${g.alias}.createFacade(transport)`;
      });
    }
    return `{\n${[...node.children.keys()].map((seg) => `${objectKey(seg)}: ${nsValue([...prefix, seg])},`).join('\n')}\n}`;
  };
  const boundGroupType = (seg: string) => (hasBoundGroup(seg) ? `${groupAt('imbot.v2', seg)!.alias}.BoundFacade` : undefined);
  const boundGroupValue = (seg: string) => (hasBoundGroup(seg) ? `${groupAt('imbot.v2', seg)!.alias}.createBoundFacade(transport, auth)` : undefined);

  const methodImports: string[] = [];
  // A grouped method's entries (MethodMap, descriptors) live in its group module; client.ts imports
  // only ungrouped methods, and Event.get's function for the bound bot's event stream.
  const ungrouped = api.methods.filter((m) => !facadeGroup(m));
  for (const m of api.methods) {
    const n = methodNames(m);
    const here = !facadeGroup(m);
    const streamed = m.name === 'imbot.v2.Event.get' && boundSet.has(m);
    if (!here && !streamed) continue;
    methodImports.push(...importStatement(`./${n.module}.js`, here ? { values: [n.fn, n.descriptor], types: [n.params, n.result, n.error] } : { values: [n.fn] }));
  }
  for (const { group } of groups.values()) methodImports.push(`import * as ${group.alias} from './${group.module}.js';`);
  const hasBound = bound.length > 0;
  const eventGet = bound.find((m) => m.name === 'imbot.v2.Event.get');
  const hasStream = hasBound && eventGet !== undefined && api.events.length > 0;
  // Types a method written out here needs (one right below its namespace has no group module).
  const inline = ungrouped.length > 0;
  const refTypes = [...(time === 'Time' && inline ? ['Time'] : []), ...(hasBound ? ['BotId', 'BotToken'].filter((t) => api.types.some((x) => x.name === t)) : [])];
  const idType = api.types.some((t) => t.name === 'BotId') ? 'BotId' : 'number';
  const tokenType = api.types.some((t) => t.name === 'BotToken') ? 'BotToken' : 'string';

  const statements: (StatementStructures | string)[] = [
    ...importStatement('./runtime/index.js', {
      values: ['createTransport', ...(hasStream ? ['eventStreamWith'] : [])],
      types: [
        'Bitrix24Error',
        'BatchOptions',
        'BatchOutcome',
        'ClientOptions',
        'MethodDescriptor',
        'OAuthTokens',
        ...(inline || hasBound ? ['CallOptions'] : []),
        ...(inline ? ['ResponsePromise'] : []),
        ...(hasStream ? ['EventStream', 'EventStreamOptions'] : []),
      ],
    }),
    ...importStatement('./errors.js', { values: ['errorClassesByCode'] }),
    ...importStatement('./types.js', { types: refTypes }),
    ...(hasStream ? importStatement('./events.js', { values: ['fromFetched'], types: ['AnyEvent'] }) : []),
    ...methodImports,
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
      `/** A group of the bound bot's methods: each takes its params without \`botId\` and \`botToken\`, and keeps its JSDoc. */
export type BoundGroup<T> = {
  readonly [K in keyof T]: T[K] extends (params: infer P, options?: CallOptions) => infer R
    ? (params: BoundParams<P>, options?: CallOptions) => R
    : BoundGroup<T[K]>;
};`,
      `/**
 * The imbot.v2 methods that act as one bot, with \`botId\` and \`botToken\` filled in:
 * \`client.bot({ botId: 456, botToken: 'tok' }).Chat.Message.send({ dialogId: 'chat5', ... })\`.
 */
export interface BoundBot ${facadeType(botTree, api, BOUND, boundGroupType, (seg) => {
        const g = groupAt('imbot.v2', seg);
        return g && hasBoundGroup(seg) ? groupDoc(fullTree.children.get('imbot')!.children.get('v2')!.children.get(seg)!, g, api, false) : '';
      }).replace(
        /\n}$/,
        hasStream
          ? `\n/**
 * The bot's events (fetch mode), as an async iterator over \`Event.get\` pages. Resumes from
 * \`startOffset\`; store \`stream.offset\` after handling each event to lose and repeat nothing
 * across restarts, or pass a \`cursor\` (\`RedisEventCursor\`) that stores it and lets one
 * process at a time consume the bot's events. An event is confirmed to the portal only after your loop body for it
 * returned. Never polls faster than the docs advise (2 s after a page with \`hasMore\`,
 * \`idleDelay\` of at least 5 s otherwise); keeps going through outages, reporting each failed
 * poll to \`onError\` and waiting 2 s, doubling up to \`maxRetryDelay\`, until \`signal\` aborts.
 * Throws (ending the loop) for errors waiting cannot fix and for a page that breaks the docs'
 * rules (ids not integers in ascending order, \`nextOffset\` not above them), confirming nothing
 * of that page.
 */\nevents(options?: EventStreamOptions): EventStream<AnyEvent>;\n}`
          : '\n}',
      )}`,
    );
  }
  // Batch: every method by its REST name, so each entry's params, result and errors are typed.
  statements.push(
    `/** Every method by its REST name: its params, result and error types (see {@link Client.batch}). */
export interface MethodMap${groups.size > 0 ? ` extends ${[...groups.values()].map(({ group }) => `${group.alias}.Methods`).join(', ')}` : ''} {
${ungrouped.map((m) => methodMapEntry(m)).join('\n')}
}`,
    `/** One call in a batch: the method's REST name and its params, \`['imbot.v2.Chat.Message.send', { ... }]\`. */
export type BatchEntry = { [M in keyof MethodMap]: readonly [M, MethodMap[M]['params']] }[keyof MethodMap];`,
    `/** How each call of a batch ended, typed by its method. */
export type BatchResults<T extends Record<string, BatchEntry>> = {
  [K in keyof T]: BatchOutcome<MethodMap[T[K][0]]['result'], MethodMap[T[K][0]]['error'] | Bitrix24Error>;
};`,
    `const methodDescriptors: Readonly<Record<keyof MethodMap, MethodDescriptor>> = {
${[...[...groups.values()].map(({ group }) => `...${group.alias}.descriptors,`), ...ungrouped.map((m) => `${stringLiteral(m.name)}: ${methodNames(m).descriptor},`)].join('\n')}
};`,
  );
  const batchDoc = `/**
 * Sends several calls in one request (\`batch\`; more than 50 are split into several requests,
 * each through the rate limit). Each entry is \`[method name, params]\`; each outcome is typed by
 * its method: \`fulfilled\` (\`value\`), \`rejected\` (\`reason\`: the method's error class; a
 * call's own error has no HTTP status), \`skipped\` (not run: after a failure with \`halt\`, an
 * abort or a request that failed) or \`unknown\` (may have run: its request got no usable answer).
 * Never rejects for the portal or the network: outcomes of requests that ran are kept, so a
 * re-run can send only the calls that are not \`fulfilled\` (check the \`unknown\` ones first).
 * @see {@link BatchOutcome}
 */\n`;
  const clientBody = nsType([]).replace(
    /\n}$/,
    `\n${batchDoc}batch<const T extends Record<string, BatchEntry>>(entries: T, options?: BatchOptions): Promise<BatchResults<T>>;` +
      `\n/**\n * Gives an OAuth client new tokens (obtained by the application itself, e.g. after the user\n * authorised it again). A refused refresh (\`invalid_grant\`) is remembered and every call fails\n * with its \`Bitrix24RefreshError\` until this is called. Throws a \`TypeError\` for a client made\n * with a webhook URL.\n */\nsetTokens(tokens: OAuthTokens): void;` +
      (hasBound ? `\n/** The imbot.v2 methods acting as one bot: \`botId\` and \`botToken\` are filled in for every call. */\nbot(binding: BotBinding): BoundBot;\n}` : '\n}'),
  );
  statements.push(`/** The client: every REST method at its documented name. Create one with {@link createClient}. */\nexport interface Client ${clientBody}`);

  const clientValue = nsValue([]).replace(
    /\n}$/,
    `\nsetTokens: (tokens: OAuthTokens): void => transport.setTokens(tokens),` +
    `\nbatch: <const T extends Record<string, BatchEntry>>(entries: T, options?: BatchOptions): Promise<BatchResults<T>> =>
  transport.batch(
    Object.fromEntries(Object.entries(entries).map(([key, [name, params]]) => [key, { method: methodDescriptors[name], params }])),
    options,
  ) as Promise<BatchResults<T>>,` +
    (hasBound
      ? `\nbot: (binding: BotBinding): BoundBot => {
  // Explicit keys only: a binding object with extra keys must not leak them into calls.
  const auth: BotBinding = binding.botToken === undefined ? { botId: binding.botId } : { botId: binding.botId, botToken: binding.botToken };
  return ${facadeValue(botTree, BOUND, boundGroupValue).replace(
  /\n}$/,
  hasStream
    ? `\nevents: (options?: EventStreamOptions): EventStream<AnyEvent> =>
  eventStreamWith(
    (offset, limit, signal) =>
      ${methodNames(eventGet!).fn}(transport, { ...auth, ...(offset === undefined ? {} : { offset }), limit, ...(options?.withUserEvents ? { withUserEvents: true } : {}) }, { signal }),
    fromFetched,
    options,
    // The cursor's key: the portal and the bot, never a token.
    { key: \`\${transport.stores.portal}|bot:\${String(auth.botId)}\`, guard: transport.stores.guard },
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
  return [{ path: 'client.ts', statements }, ...groupFiles];
}
