import type { Api, GroupSpec, MethodSpec } from '../model/ir.js';
import { docText, memberName, objectKey, pascalCase, stringLiteral } from './escape.js';
import { methodDoc, timeTypeOf } from './method-file.js';
import { SYSTEM_ERRORS, errorClassName, methodNames, type FacadeGroup } from './names.js';
import { importStatement, type PlannedFile } from './source-file.js';

/**
 * The facade (`client.imbot.v2.Chat.InputAction.notify`) is split into one module per group —
 * the first path segment below the namespace, `facade/imbot.v2.Chat.ts` — so a change to one
 * method re-prints its group's module, not one file holding every method's JSDoc. Each module
 * exports fixed names (`Facade`, `createFacade`, and `BoundFacade`/`createBoundFacade` for the
 * bound bot); client.ts imports each module under `facade_<group>` (an underscore no
 * spec-derived name contains, so no import can clash).
 */

/** The facade as a tree: `Chat` > `InputAction` > method `notify`. */
export interface FacadeNode {
  children: Map<string, FacadeNode>;
  method?: MethodSpec;
}

export function facadeTree(methods: { method: MethodSpec; path: string[] }[]): FacadeNode {
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

/** How a facade tree is written: its params type per method and the params expression passed on. */
export interface FacadeFlavour {
  paramsOf: (m: MethodSpec) => string;
  argument: string;
}

export const FULL: FacadeFlavour = { paramsOf: (m) => methodNames(m).params, argument: 'params' };
export const BOUND: FacadeFlavour = { paramsOf: (m) => `BoundParams<${methodNames(m).params}>`, argument: '{ ...params, ...auth }' };

/**
 * The interface body for a facade tree. `groupType` names the type of a child that lives in a
 * group module (client.ts's top levels); below a group every level is written out.
 */
export function facadeType(
  node: FacadeNode,
  api: Api,
  flavour: FacadeFlavour,
  groupType?: (seg: string) => string | undefined,
  groupDoc?: (seg: string) => string,
): string {
  const time = timeTypeOf(api);
  const members = [...node.children].map(([seg, child]) => {
    if (child.method) {
      const n = methodNames(child.method);
      return `${docBlock(child.method, api)}${memberName(seg)}(params: ${flavour.paramsOf(child.method)}, options?: CallOptions): ResponsePromise<${n.result}, ${time}>;`;
    }
    return `${groupDoc?.(seg) ?? ''}readonly ${memberName(seg)}: ${groupType?.(seg) ?? facadeType(child, api, flavour)};`;
  });
  // Methods carry long JSDoc: a blank line between members keeps them apart.
  const documented = [...node.children.values()].some((child) => child.method);
  return `{\n${members.join(documented ? '\n\n' : '\n')}\n}`;
}

/** The object literal for a facade tree; `groupValue` as `groupType` above. */
export function facadeValue(node: FacadeNode, flavour: FacadeFlavour, groupValue?: (seg: string) => string | undefined): string {
  const members = [...node.children].map(([seg, child]) => {
    if (child.method) {
      const n = methodNames(child.method);
      return `${objectKey(seg)}: (params: ${flavour.paramsOf(child.method)}, options?: CallOptions) => ${n.fn}(transport, ${flavour.argument}, options),`;
    }
    return `${objectKey(seg)}: ${groupValue?.(seg) ?? facadeValue(child, flavour)},`;
  });
  return `{\n${members.join('\n')}\n}`;
}

/**
 * `facade/<namespace>.<Group>.ts`: the group's part of `Client` (and of `BoundBot` when some
 * of its methods take `botId`), as interfaces with each method's JSDoc and the functions that
 * build them over a transport.
 */
export function planFacadeFile(group: FacadeGroup, methods: MethodSpec[], bound: MethodSpec[], api: Api): PlannedFile {
  const time = timeTypeOf(api);
  // Method names are alphanumeric segments (the schema's pattern); still, spec text reaches JSDoc only through docText.
  const path = docText(`${group.namespace}.${group.segment}`);
  const segment = docText(group.segment);
  const tree = facadeTree(methods.map((m) => ({ method: m, path: m.path.slice(1) })));
  const interfaces = groupInterfaces(tree, group, api);
  const top = interfaces.nameOf(tree);
  // The methods' JSDoc links to their error classes and SystemErrors: imported (as types) so
  // each {@link} leads somewhere in an editor.
  const linked = [...new Set(methods.flatMap((m) => m.errors.map((e) => errorClassName(e.code))))].sort();
  if (api.systemErrors.length > 0) linked.push(SYSTEM_ERRORS);
  const header = [
    ...importStatement('../runtime/index.js', { types: ['CallOptions', 'MethodDescriptor', 'ResponsePromise', 'Transport'] }),
    ...importStatement('../types.js', { types: time === 'Time' ? ['Time'] : [] }),
    ...importStatement('../errors.js', { types: linked }),
    ...importStatement('../client.js', { types: bound.length > 0 ? ['BotBinding', 'BoundGroup', 'BoundParams'] : [] }),
    ...methods.flatMap((m) => {
      const n = methodNames(m);
      return importStatement(`../${n.module}.js`, { values: [n.fn, n.descriptor], types: [n.params, n.result, n.error] });
    }),
  ];
  const body = [
    ...interfaces.statements,
    ...(linked.length > 0
      ? [`/** Every error a method of \`client.${path}\` may throw (the classes its methods' \`@throws\` link to). */\nexport type GroupErrors = ${linked.join(' | ')};`]
      : []),
    `/** Builds \`client.${path}\` over a transport. */\nexport function createFacade(transport: Transport): ${top} {\nreturn ${facadeValue(tree, FULL)};\n}`,
    `/** The group's methods by REST name: params, result and error types (part of \`MethodMap\` in client.ts). */\nexport interface Methods {\n${methods.map(methodMapEntry).join('\n')}\n}`,
    `/** The group's method descriptors by REST name (for batch). */\nexport const descriptors: Readonly<Record<keyof Methods, MethodDescriptor>> = {\n${methods
      .map((m) => `${stringLiteral(m.name)}: ${methodNames(m).descriptor},`)
      .join('\n')}\n};`,
  ];
  if (bound.length > 0) {
    const boundTree = facadeTree(bound.map((m) => ({ method: m, path: m.path.slice(1) })));
    body.push(
      `/** \`client.bot(...).${segment}\`: the group's methods with \`botId\` and \`botToken\` filled in. */\nexport type BoundFacade = ${boundType(boundTree, [], top, (sub) => interfaces.memberDoc(tree, sub))};`,
      `/** Builds \`client.bot(...).${segment}\` over a transport for one bot. */\nexport function createBoundFacade(transport: Transport, auth: BotBinding): BoundFacade {\nreturn ${facadeValue(boundTree, BOUND)};\n}`,
    );
  }
  return { path: `${group.module}.ts`, statements: [...header, ...body] };
}

/**
 * The bound bot's type for a part of the group: its methods picked from `Facade` at the same
 * path and passed through `BoundGroup` (client.ts), which drops `botId`/`botToken` from the
 * params and keeps each method's JSDoc (a mapped type over the picked members keeps their
 * declarations), so the docs are written once per method, not twice.
 */
function boundType(node: FacadeNode, path: string[], top: string, docOf: (path: string[]) => string): string {
  const at = `${top}${path.map((seg) => `[${stringLiteral(seg)}]`).join('')}`;
  const methods = [...node.children].filter(([, child]) => child.method).map(([seg]) => stringLiteral(seg));
  const groups = [...node.children].filter(([, child]) => !child.method);
  const parts: string[] = [];
  if (methods.length > 0) parts.push(`BoundGroup<Pick<${at}, ${methods.join(' | ')}>>`);
  if (groups.length > 0) {
    parts.push(`{\n${groups.map(([seg, child]) => `${docOf([...path, seg])}readonly ${memberName(seg)}: ${boundType(child, [...path, seg], top, docOf)};`).join('\n')}\n}`);
  }
  return parts.join(' & ');
}

/**
 * One interface per level of a group, `ImbotV2ChatGroup` > `ImbotV2ChatMessageGroup` >
 * `ImbotV2ChatMessageReactionGroup`, so an editor completing `client.imbot.v2.` shows a named
 * type with JSDoc (what the level holds, the group's overview page) instead of an anonymous
 * object. The names are module-local (client.ts reaches them through the module's alias); a
 * name two paths would share gets a number, never merging two interfaces.
 */
function groupInterfaces(tree: FacadeNode, group: FacadeGroup, api: Api) {
  const spec = api.groups.find((g) => g.name === `${group.namespace}.${group.segment}`);
  const names = new Map<FacadeNode, string>();
  const paths = new Map<FacadeNode, string[]>();
  const taken = new Set<string>();
  const walk = (node: FacadeNode, path: string[]) => {
    let name = path.length === 0 ? groupInterfaceName(group) : `${pascalCase([group.namespace, group.segment, ...path].join('.'))}Group`;
    for (let n = 2; taken.has(name); n++) name = `${pascalCase([group.namespace, group.segment, ...path].join('.'))}Group${n}`;
    taken.add(name);
    names.set(node, name);
    paths.set(node, path);
    for (const [seg, child] of node.children) if (!child.method) walk(child, [...path, seg]);
  };
  walk(tree, []);
  const nodeAt = (path: string[]) => path.reduce<FacadeNode>((n, seg) => n.children.get(seg)!, tree);
  const docOf = (node: FacadeNode) => levelDoc(node, [group.namespace, group.segment, ...paths.get(node)!], spec);
  const statements = [...names].map(([node, name]) => {
    const body = facadeType(node, api, FULL, (seg) => names.get(node.children.get(seg)!), (seg) => docOf(node.children.get(seg)!));
    return `${docOf(node)}export interface ${name} ${body}`;
  });
  return {
    statements,
    nameOf: (node: FacadeNode) => names.get(node)!,
    /** The JSDoc of the sub-group at `path` below the group (for the bound bot's members). */
    memberDoc: (_tree: FacadeNode, path: string[]) => docOf(nodeAt(path)),
  };
}

/** The name of a group's top interface in its module (`ImbotV2ChatGroup`); see groupInterfaces. */
export function groupInterfaceName(group: FacadeGroup): string {
  return `${pascalCase(`${group.namespace}.${group.segment}`)}Group`;
}

/**
 * The JSDoc of a group's member in `Client` (the same as its interface's) and, without the list
 * of what it holds (the bound bot has only the methods that take `botId`), in `BoundBot`.
 */
export function groupDoc(node: FacadeNode, group: FacadeGroup, api: Api, listMembers = true): string {
  return levelDoc(node, [group.namespace, group.segment], api.groups.find((g) => g.name === `${group.namespace}.${group.segment}`), listMembers);
}

/**
 * A level's JSDoc: the group's description (spec/common/groups.yaml) at the top level, what the
 * level holds (its methods with their summaries, its sub-groups), and the overview page.
 */
function levelDoc(node: FacadeNode, path: string[], spec: GroupSpec | undefined, listMembers = true): string {
  const lines: string[] = [];
  const name = docText(path.join('.'));
  const isTop = path.length === 2;
  lines.push(isTop && spec ? `\`client.${name}\`: ${docText(spec.description)}` : `\`client.${name}\`.`);
  const methods = listMembers ? [...node.children].filter(([, child]) => child.method) : [];
  const groups = listMembers ? [...node.children].filter(([, child]) => !child.method) : [];
  if (methods.length > 0) {
    lines.push('', 'Methods:');
    for (const [seg, child] of methods) lines.push(`- \`${docText(seg)}\`: ${docText(child.method!.summary)}`);
  }
  if (groups.length > 0) lines.push('', `Groups: ${groups.map(([seg]) => `\`${docText(seg)}\``).join(', ')}.`);
  if (spec?.docs) lines.push('', `@see {@link ${docText(spec.docs)} | ${docText(`${path[0]}.${path[1]}`)} overview}`);
  return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}

/** The method's JSDoc (the same as on its standalone function) as a comment block. */
function docBlock(method: MethodSpec, api: Api): string {
  const [doc] = methodDoc(method, api);
  const lines: string[] = [];
  if (doc?.description) lines.push(...String(doc.description).split('\n'));
  const n = methodNames(method);
  // Before the other tags, so an editor shows them while the arguments are typed.
  lines.push(`@param params The params of \`${docText(method.name)}\` ({@link ${n.params}}).`);
  lines.push('@param options Per call: `signal` (cancels the call and its waits), `timeout`, `maxRetries`.');
  for (const tag of doc?.tags ?? []) lines.push(`@${tag.tagName}${tag.text ? ` ${String(tag.text)}` : ''}`);
  return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}

/** A method's entry in `MethodMap` (client.ts) or in its group's `Methods` (facade-file.ts). */
export function methodMapEntry(m: MethodSpec): string {
  const n = methodNames(m);
  return `${stringLiteral(m.name)}: { params: ${n.params}; result: ${n.result}; error: ${n.error} };`;
}
