import { StructureKind, type StatementStructures } from 'ts-morph';
import type { Api, MethodSpec } from '../model/ir.js';
import { memberName, objectKey } from './escape.js';
import { methodNames } from './names.js';
import { importStatement, type PlannedFile } from './source-file.js';
import { methodDoc, timeTypeOf } from './method-file.js';

/** The facade as a tree: `imbot` > `v2` > `Chat` > `InputAction` > method `notify`. */
interface FacadeNode {
  children: Map<string, FacadeNode>;
  method?: MethodSpec;
}

function facadeTree(api: Api): FacadeNode {
  const root: FacadeNode = { children: new Map() };
  for (const m of api.methods) {
    let node = root;
    for (const seg of [...m.namespace.split('.'), ...m.path]) {
      let child = node.children.get(seg);
      if (!child) node.children.set(seg, (child = { children: new Map() }));
      node = child;
    }
    node.method = m;
  }
  return root;
}

/**
 * `createClient(options)` and the `Client` interface: every method under its REST name
 * (`client.imbot.v2.Chat.InputAction.notify(...)`), so a name read in the official docs is
 * found at the same path.
 */
export function planClientFile(api: Api): PlannedFile {
  const tree = facadeTree(api);
  const time = timeTypeOf(api);

  const typeOf = (node: FacadeNode): string => {
    const members = [...node.children].map(([seg, child]) => {
      if (child.method) {
        const n = methodNames(child.method);
        const doc = docBlock(child.method, api);
        return `${doc}${memberName(seg)}(params: ${n.params}, options?: CallOptions): ResponsePromise<${n.result}, ${time}>;`;
      }
      return `readonly ${memberName(seg)}: ${typeOf(child)};`;
    });
    return `{\n${members.join('\n')}\n}`;
  };

  const valueOf = (node: FacadeNode): string => {
    const members = [...node.children].map(([seg, child]) => {
      if (child.method) {
        const n = methodNames(child.method);
        return `${objectKey(seg)}: (params: ${n.params}, options?: CallOptions) => ${n.fn}(transport, params, options),`;
      }
      return `${objectKey(seg)}: ${valueOf(child)},`;
    });
    return `{\n${members.join('\n')}\n}`;
  };

  const imports: string[] = [];
  for (const m of api.methods) {
    const n = methodNames(m);
    imports.push(...importStatement([n.fn], `./${n.module}.js`, false));
    imports.push(...importStatement([n.params, n.result], `./${n.module}.js`, true));
  }

  const statements: (StatementStructures | string)[] = [
    "import { createTransport, type CallOptions, type ClientOptions, type ResponsePromise } from './runtime/index.js';",
    "import { errorClassesByCode } from './errors.js';",
    ...(time === 'Time' ? ["import type { Time } from './types.js';"] : []),
    ...imports,
    `/** The client: every REST method at its documented name. Create one with {@link createClient}. */\nexport interface Client ${typeOf(tree)}`,
    {
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
      statements: ['const transport = createTransport(options, errorClassesByCode);', `return ${valueOf(tree)};`],
    },
  ];
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
