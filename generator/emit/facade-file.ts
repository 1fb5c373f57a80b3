import type { Api, MethodSpec } from '../model/ir.js';
import { docText, memberName, objectKey, stringLiteral } from './escape.js';
import { boundTypeText, descriptorsText, facadeFunctionText, facadeInterfaceText, methodsInterfaceText, type BoundLayoutNode, type FacadeLayoutNode } from './facade-layout.js';
import { methodDoc, timeTypeOf } from './method-file.js';
import { methodNames, type FacadeGroup } from './names.js';
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
export function facadeType(node: FacadeNode, api: Api, flavour: FacadeFlavour, groupType?: (seg: string) => string | undefined): string {
  const time = timeTypeOf(api);
  const members = [...node.children].map(([seg, child]) => {
    if (child.method) {
      const n = methodNames(child.method);
      return `${docBlock(child.method, api)}${memberName(seg)}(params: ${flavour.paramsOf(child.method)}, options?: CallOptions): ResponsePromise<${n.result}, ${time}>;`;
    }
    return `readonly ${memberName(seg)}: ${groupType?.(seg) ?? facadeType(child, api, flavour)};`;
  });
  return `{\n${members.join('\n')}\n}`;
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
  const imports: string[] = [];
  for (const m of methods) {
    const n = methodNames(m);
    imports.push(...importStatement([n.fn, n.descriptor], `../${n.module}.js`, false));
    imports.push(...importStatement([n.params, n.result, n.error], `../${n.module}.js`, true));
  }
  const header = [
    ...importStatement(['CallOptions', 'MethodDescriptor', 'ResponsePromise', 'Transport'], '../runtime/index.js', true),
    ...importStatement([...(time === 'Time' ? ['Time'] : [])], '../types.js', true),
    ...importStatement(bound.length > 0 ? ['BotBinding', 'BoundGroup', 'BoundParams'] : [], '../client.js', true),
    ...imports,
  ];
  // Each statement as planned text, and as laid out by facade-layout.ts for direct-print.ts
  // (undefined where that layout is not sure to be prettier's).
  const doc = {
    facade: `/** \`client.${path}\`. */`,
    create: `/** Builds \`client.${path}\` over a transport. */`,
    methods: "/** The group's methods by REST name: params, result and error types (part of `MethodMap` in client.ts). */",
    descriptors: "/** The group's method descriptors by REST name (for batch). */",
    bound: `/** \`client.bot(...).${segment}\`: the group's methods with \`botId\` and \`botToken\` filled in. */`,
    createBound: `/** Builds \`client.bot(...).${segment}\` over a transport for one bot. */`,
  };
  const createHead = 'export function createFacade(transport: Transport): Facade {';
  const descriptorsHead = 'export const descriptors: Readonly<Record<keyof Methods, MethodDescriptor>> = {';
  const body: [string, string | undefined][] = [
    [`${doc.facade}\nexport interface Facade ${facadeType(tree, api, FULL)}`, facadeInterfaceText(doc.facade, layoutNodes(tree, api, FULL))],
    [`${doc.create}\n${createHead}\nreturn ${facadeValue(tree, FULL)};\n}`, facadeFunctionText(doc.create, createHead, layoutNodes(tree, api, FULL))],
    [
      `${doc.methods}\nexport interface Methods {\n${methods.map(methodMapEntry).join('\n')}\n}`,
      methodsInterfaceText(doc.methods, methods.map((m) => ({ name: stringLiteral(m.name), ...methodNames(m) }))),
    ],
    [
      `${doc.descriptors}\n${descriptorsHead}\n${methods.map((m) => `${stringLiteral(m.name)}: ${methodNames(m).descriptor},`).join('\n')}\n};`,
      descriptorsText(doc.descriptors, descriptorsHead, methods.map((m) => ({ name: stringLiteral(m.name), descriptor: methodNames(m).descriptor }))),
    ],
  ];
  if (bound.length > 0) {
    const boundTree = facadeTree(bound.map((m) => ({ method: m, path: m.path.slice(1) })));
    const createBoundHead = 'export function createBoundFacade(transport: Transport, auth: BotBinding): BoundFacade {';
    body.push(
      [`${doc.bound}\nexport type BoundFacade = ${boundType(boundTree, [])};`, boundTypeText(doc.bound, boundLayout(boundTree, []))],
      [`${doc.createBound}\n${createBoundHead}\nreturn ${facadeValue(boundTree, BOUND)};\n}`, facadeFunctionText(doc.createBound, createBoundHead, layoutNodes(boundTree, api, BOUND))],
    );
  }
  return {
    path: `${group.module}.ts`,
    statements: [...header, ...body.map(([text]) => text)],
    laidOut: [...header.map(() => undefined), ...body.map(([, laidOut]) => laidOut)],
  };
}

/** A facade tree with the keys and texts facadeType and facadeValue write, for facade-layout.ts. */
function layoutNodes(node: FacadeNode, api: Api, flavour: FacadeFlavour): FacadeLayoutNode[] {
  const time = timeTypeOf(api);
  return [...node.children].map(([seg, child]) => {
    const m = child.method;
    const n = m && methodNames(m);
    return {
      typeKey: memberName(seg),
      valueKey: objectKey(seg),
      method: m && n && { doc: docBlock(m, api).trimEnd(), params: flavour.paramsOf(m), returns: `ResponsePromise<${n.result}, ${time}>`, call: { callee: n.fn, args: ['transport', flavour.argument, 'options'] } },
      children: layoutNodes(child, api, flavour),
    };
  });
}

/**
 * The bound bot's type for a part of the group: its methods picked from `Facade` at the same
 * path and passed through `BoundGroup` (client.ts), which drops `botId`/`botToken` from the
 * params and keeps each method's JSDoc (a mapped type over the picked members keeps their
 * declarations), so the docs are written once per method, not twice.
 */
function boundType(node: FacadeNode, path: string[]): string {
  const { methods, groups } = boundLayout(node, path);
  const parts: string[] = [];
  if (methods !== undefined) parts.push(methods);
  if (groups.length > 0) parts.push(`{\n${groups.map(({ key, seg }) => `readonly ${key}: ${boundType(node.children.get(seg)!, [...path, seg])};`).join('\n')}\n}`);
  return parts.join(' & ');
}

/** A level of the bound type: `BoundGroup<Pick<...>>` for its methods, and its groups (what boundType joins). */
interface BoundLevel extends BoundLayoutNode {
  groups: { seg: string; key: string; node: BoundLevel }[];
}

function boundLayout(node: FacadeNode, path: string[]): BoundLevel {
  const at = `Facade${path.map((seg) => `[${stringLiteral(seg)}]`).join('')}`;
  const methods = [...node.children].filter(([, child]) => child.method).map(([seg]) => stringLiteral(seg));
  const groups = [...node.children].filter(([, child]) => !child.method);
  return {
    methods: methods.length > 0 ? `BoundGroup<Pick<${at}, ${methods.join(' | ')}>>` : undefined,
    groups: groups.map(([seg, child]) => ({ seg, key: memberName(seg), node: boundLayout(child, [...path, seg]) })),
  };
}

/** The method's JSDoc (the same as on its standalone function) as a comment block. */
function docBlock(method: MethodSpec, api: Api): string {
  const [doc] = methodDoc(method, api);
  const lines: string[] = [];
  if (doc?.description) lines.push(...String(doc.description).split('\n'));
  for (const tag of doc?.tags ?? []) lines.push(`@${tag.tagName}${tag.text ? ` ${String(tag.text)}` : ''}`);
  return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}

/** A method's entry in `MethodMap` (client.ts) or in its group's `Methods` (facade-file.ts). */
export function methodMapEntry(m: MethodSpec): string {
  const n = methodNames(m);
  return `${stringLiteral(m.name)}: { params: ${n.params}; result: ${n.result}; error: ${n.error} };`;
}
