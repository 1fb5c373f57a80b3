import type { Api, MethodSpec, SourceLocation } from '../model/ir.js';
import { allErrorCodes } from '../model/ir.js';
import { ProblemList, describePlace } from '../load/spec-error.js';
import { camelCase, pascalCase } from './escape.js';

/** Members of the client beside its namespaces (`client.imbot`, `client.im`), and what each is. */
const CLIENT_MEMBERS: Readonly<Record<string, string>> = {
  batch: 'the batch call',
  bot: 'the bound-bot factory',
  setTokens: 'how an OAuth client gets new tokens',
};

/**
 * Names the runtime exports from the package root. A spec-derived symbol with one of these
 * names would shadow it, so it is refused. test/runtime-exports.test.ts keeps this list honest.
 */
export const RUNTIME_EXPORTS = [
  'ApiResponse',
  'BATCH_LIMIT',
  'BatchCall',
  'BatchOptions',
  'BatchOutcome',
  'Bitrix24AbortError',
  'Bitrix24Error',
  'Bitrix24ErrorInit',
  'Bitrix24NetworkError',
  'Bitrix24RefreshError',
  'Bitrix24ResponseError',
  'Bitrix24StoreError',
  'Bitrix24TimeoutError',
  'CallOptions',
  'BucketStore',
  'EventEnvelope',
  'EventPage',
  'EventPageItem',
  'EventSchemas',
  'EventStream',
  'EventStreamOptions',
  'PollFailure',
  'NodeRequestLike',
  'NodeResponseLike',
  'TypeDefs',
  'TypeDesc',
  'UnknownEvent',
  'WebhookBodyError',
  'WebhookHandlerOptions',
  'WebhookRejection',
  'WebhookRejectReason',
  'FormLimits',
  'ClientOptions',
  'ErrorClass',
  'ERROR_CLASS_ID',
  'MemoryBucketStore',
  'MethodDescriptor',
  'OAuthOptions',
  'OAuthTokens',
  'RATE_LIMIT_PLANS',
  'RateLimit',
  'RefreshOptions',
  'ResponsePromise',
  'Transport',
  'TransportEvent',
  'WebhookOptions',
  'buildQuery',
  'coerce',
  'createTransport',
  'createWebhookHandlerWith',
  'decodeWebhookWith',
  'eventStreamWith',
  'fromFetchedWith',
  'parseForm',
  'timingSafeEqualStrings',
  'toNodeHandler',
  'sharedBucketStore',
  'CallState',
  'FullTransport',
  'LeanOptions',
  'LeanTransport',
  'RateLimiterOptions',
  'TransportContext',
  'TransportPlugin',
  'createLeanTransport',
  'logTo',
  'maskBatchCommand',
  'OAuthRefreshPlugin',
  'tokenEndpoint',
  'oauthRefresh',
  'rateLimiter',
  'repeatable',
  'sendBatch',
  'createStoreGuard',
  'DEFAULT_STORE_TIMEOUT_MS',
  'EventCursor',
  'EventCursorBinding',
  'EventLease',
  'LeaseChange',
  'MemoryEventCursor',
  'MemoryTokenStore',
  'storedPairReplaces',
  'StoreCallOptions',
  'StoreFallback',
  'StoreGuard',
  'StoreOptions',
  'TokenStore',
] as const;

/** Symbols the generator itself adds to the package root. */
const GENERATED_FIXED = [
  'AnyEvent',
  'BatchEntry',
  'BatchResults',
  'BotBinding',
  'BoundBot',
  'BoundGroup',
  'BoundParams',
  'Client',
  'EventDataMap',
  'EventHandlers',
  'EventOf',
  'KnownEvent',
  'MethodMap',
  'SystemErrors',
  'WebhookHandlerConfig',
  'createClient',
  'createWebhookHandler',
  'decodeWebhook',
  'errorClassesByCode',
  'eventSchemas',
  'fromFetched',
] as const;

/** The union of the system error classes, in errors.ts. */
export const SYSTEM_ERRORS = 'SystemErrors';

/** How each method's exported symbols are named. */
export interface MethodNames {
  /** `ImbotV2ChatInputActionNotify`: prefix of the method's types. */
  base: string;
  params: string;
  result: string;
  error: string;
  /** The standalone function, `imbotV2ChatInputActionNotify`. */
  fn: string;
  /** The descriptor constant, `imbotV2ChatInputActionNotifyMethod`. */
  descriptor: string;
  /** Module path inside src/, without extension: `imbot.v2/Chat.InputAction.notify`. */
  module: string;
}

/** Every emitter asks for a method's names, many times over; they are derived once per method. */
const namesOf = new WeakMap<MethodSpec, MethodNames>();

export function methodNames(method: MethodSpec): MethodNames {
  let names = namesOf.get(method);
  if (!names) namesOf.set(method, (names = deriveMethodNames(method)));
  return names;
}

function deriveMethodNames(method: MethodSpec): MethodNames {
  const base = pascalCase(method.name);
  const fn = camelCase(method.name);
  return {
    base,
    params: `${base}Params`,
    result: `${base}Result`,
    error: `${base}Error`,
    fn,
    descriptor: `${fn}Method`,
    module: `${method.namespace}/${method.path.join('.')}`,
  };
}

/** One group's module: where it is and how client.ts refers to it. */
export interface FacadeGroup {
  namespace: string;
  /** The path segment below the namespace: `Chat`. */
  segment: string;
  /** `facade/imbot.v2.Chat` (no extension). */
  module: string;
  /** client.ts's local name for the module: `facade_imbotV2Chat`. */
  alias: string;
}

export function facadeGroup(method: MethodSpec): FacadeGroup | undefined {
  // A method right below its namespace (`imbot.v2.ping`) has no group; client.ts holds it.
  if (method.path.length < 2) return undefined;
  const segment = method.path[0];
  return {
    namespace: method.namespace,
    segment,
    module: `facade/${method.namespace}.${segment}`,
    alias: `facade_${camelCase(`${method.namespace}.${segment}`)}`,
  };
}

/** `BOT_NOT_FOUND` -> `BotNotFoundError`; no doubled suffix for `BOT_OWNERSHIP_ERROR`. */
export function errorClassName(code: string): string {
  const base = pascalCase(code) || 'Unnamed';
  return base.endsWith('Error') ? base : `${base}Error`;
}

/** What a name is generated for, and where the spec says so (none for the generator's own names). */
export type Owner = { at: SourceLocation; what: string } | { at?: undefined; what: string };

function placeOf(owner: Owner): string {
  return owner.at ? `${owner.what} at ${describePlace(owner.at)}` : owner.what;
}

/**
 * Registers every exported symbol, module path and facade path the API would produce, and
 * refuses the spec when two things would get the same name, naming both places. Called before
 * any code is emitted, so nothing is written for a colliding spec.
 *
 * Nested type names (params.fields -> `...ParamsFields`) register through `claim` while the
 * types are planned; the same table catches their clashes.
 */
export class NameTable {
  private readonly symbols = new Map<string, Owner>();
  readonly problems = new ProblemList();

  claim(name: string, owner: Owner): void {
    const earlier = this.symbols.get(name);
    if (earlier) {
      const at = owner.at ?? earlier.at;
      const message = `${owner.what} would be generated as ${name}, the same name as ${placeOf(earlier)}; rename one of them`;
      this.problems.add(at ?? { file: 'spec', line: 1, col: 1 }, message);
      return;
    }
    this.symbols.set(name, owner);
  }
}

export function checkNames(api: Api, table: NameTable): void {
  for (const name of RUNTIME_EXPORTS) table.claim(name, { what: `exported by the runtime (generator/runtime)` });
  for (const name of GENERATED_FIXED) table.claim(name, { what: 'generated by b24gen itself' });
  for (const t of api.types) table.claim(t.name, { at: t.at, what: `type ${t.name}` });

  const codeAt = new Map<string, SourceLocation>();
  for (const e of api.systemErrors) codeAt.set(e.code, e.at);
  for (const m of api.methods) for (const e of m.errors) if (!codeAt.has(e.code)) codeAt.set(e.code, e.at);
  for (const code of allErrorCodes(api)) {
    table.claim(errorClassName(code), { at: codeAt.get(code), what: `error code ${code}` } as Owner);
  }

  const modules = new Map<string, MethodSpec>();
  const facade = new Map<string, { method: MethodSpec; leaf: boolean }>();
  const groups = new Map<string, { group: FacadeGroup; method: MethodSpec }>();
  for (const m of api.methods) {
    // The client's own members sit beside the namespaces, so no namespace may take their names.
    const first = m.namespace.split('.')[0]!;
    if (Object.hasOwn(CLIENT_MEMBERS, first)) {
      table.problems.add(m.at, `method ${m.name}: the namespace cannot start with "${first}" (client.${first} is ${CLIENT_MEMBERS[first]})`);
    }
    const n = methodNames(m);
    const what = `method ${m.name}`;
    for (const symbol of [n.params, n.result, n.error, n.fn, n.descriptor]) table.claim(symbol, { at: m.at, what });

    // Module files must stay distinct on case-insensitive file systems too.
    const moduleKey = n.module.toLowerCase();
    const clash = modules.get(moduleKey);
    if (clash) table.problems.add(m.at, `method ${m.name} would be written to the same file as ${clash.name} (${describePlace(clash.at)}) on a case-insensitive file system`);
    else modules.set(moduleKey, m);

    // Group modules must stay distinct on case-insensitive file systems, and their aliases in client.ts.
    const group = facadeGroup(m);
    if (group) {
      for (const key of [`file ${group.module.toLowerCase()}`, `alias ${group.alias}`]) {
        const other = groups.get(key);
        if (other && other.group.module !== group.module) {
          table.problems.add(m.at, `method ${m.name}: its client group ${group.namespace}.${group.segment} would share the facade module of group ${other.group.namespace}.${other.group.segment} (method ${other.method.name} at ${describePlace(other.method.at)}); rename one group`);
          break;
        }
        if (!other) groups.set(key, { group, method: m });
      }
    }

    // client.imbot.v2.Chat.get cannot be both a function and a group holding Chat.get.x.
    const segments = [...m.namespace.split('.'), ...m.path];
    for (let i = 1; i <= segments.length; i++) {
      const key = segments.slice(0, i).join('.');
      const leaf = i === segments.length;
      const other = facade.get(key);
      if (other && (other.leaf || leaf)) {
        table.problems.add(m.at, `client path client.${key} would be both a method and a group: method ${m.name} clashes with ${other.method.name} at ${describePlace(other.method.at)}`);
        break;
      }
      if (!other) facade.set(key, { method: m, leaf });
    }
  }
}
