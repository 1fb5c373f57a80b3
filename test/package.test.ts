import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { getLibFiles } from '@ts-morph/common';
import { ts as ts6 } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../generator/load/index.js';
import { buildPackage } from '../generator/package/build.js';
import { json, TestServer, TIME } from './support/http-server.js';
import { readmeTypeScript } from './support/readme-code.js';
import { tsc } from './support/typecheck.js';

/**
 * The package as users get it: built by `b24gen build`, `npm pack`ed, installed from the tarball
 * into fresh projects (one `"type": "module"`, one CommonJS), then used from Node ESM, Node
 * CommonJS, TypeScript under `nodenext` and `bundler`, and a browser bundle made by esbuild.
 * Every consumer calls a real HTTP server on 127.0.0.1.
 */
const GENERATED = resolve('generated');
const ATTW = resolve('node_modules/@arethetypeswrong/cli/dist/index.js');
const NOTIFY = 'imbot.v2/Chat.InputAction.notify';
const temp = mkdtempSync(join(tmpdir(), 'b24gen-pack-'));
const esm = join(temp, 'esm-consumer');
const cjs = join(temp, 'cjs-consumer');
const execFileAsync = promisify(execFile);
let tarball: string;
let packedFiles: string[];
let server: TestServer;
const seen: { path: string; body: unknown }[] = [];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a consumer script asynchronously: the loopback server lives in this process. */
async function node(cwd: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [...args, server.url], { cwd, encoding: 'utf8', timeout: 30_000 });
}

function tsconfig(dir: string, name: string, compilerOptions: Record<string, unknown>, files: string[]): void {
  const base = { strict: true, target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false, skipDefaultLibCheck: true };
  writeFileSync(join(dir, name), JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, files }, null, 2));
}

/**
 * A consumer's call (JavaScript, or TypeScript with `ts`): notify through the client, then a
 * BOT_NOT_FOUND failure through a bound bot. Wrapped in an async function so the same text runs
 * in CommonJS, which has no top-level await.
 */
function callBody(ts = false): string {
  return `(async () => {
const client = createClient({ webhookUrl: URL_ARG + '/rest/1/pack-secret-code/' });
const r = await client.imbot.v2.Chat.InputAction.notify({ botId: 456, botToken: 'pack-bot-token', dialogId: 'chat5', statusMessageCode: StatusMessageCode.IMBOT_AGENT_ACTION_THINKING, duration: 30 });
let failure${ts ? ': any' : ''};
try { await client.bot({ botId: 404, botToken: 'pack-bot-token' }).Chat.InputAction.notify({ dialogId: 'chat5' }); } catch (e) { failure = e; }
console.log(JSON.stringify({ result: r, isClass: failure instanceof BotNotFoundError, isBase: failure instanceof Bitrix24Error, code: failure.code, json: JSON.stringify(failure), stack: failure.stack }));
})();
`;
}

function expectCallOutput(stdout: string): void {
  const out = JSON.parse(stdout);
  expect(out).toMatchObject({ result: { result: true }, isClass: true, isBase: true, code: 'BOT_NOT_FOUND' });
  for (const text of [out.json, out.stack, stdout]) {
    expect(text).not.toContain('pack-secret-code');
    expect(text).not.toContain('pack-bot-token');
  }
}

beforeAll(async () => {
  await buildPackage(GENERATED);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', temp], GENERATED)) as { filename: string; files: { path: string }[] }[];
  tarball = join(temp, packed[0].filename);
  packedFiles = packed[0].files.map((f) => f.path).sort();
  for (const [dir, type] of [[esm, 'module'], [cjs, 'commonjs']] as const) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${type}`, private: true, type }));
  }
  await Promise.all(
    [esm, cjs].map((dir) => execFileAsync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: dir, encoding: 'utf8' })),
  );
  server = await TestServer.start();
  server.handle((req, res) => {
    seen.push({ path: req.path, body: req.json });
    const body = req.json as { botId: number };
    if (body.botId === 404) json(res, 400, { error: 'BOT_NOT_FOUND', error_description: 'Bot not found' });
    else json(res, 200, { result: { result: true }, time: TIME });
  });
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds both builds, the sources, the README and the licence facts, and nothing of the build setup', () => {
    for (const f of ['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json', `dist/esm/${NOTIFY}.js`, `dist/cjs/${NOTIFY}.d.ts`, 'src/index.ts', 'dist/esm/testing/index.js', 'dist/esm/testing/index.d.ts', 'dist/cjs/testing/index.js', 'dist/cjs/testing/index.d.ts', 'dist/esm/testing/spec.js']) {
      expect(packedFiles).toContain(f);
    }
    expect(packedFiles.filter((f) => /tsconfig|scripts\/|\.test\./.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(GENERATED, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@b24gen/imbot-v2', license: 'MIT', type: 'module', sideEffects: false, engines: { node: '>=20' } });
    expect(manifest.dependencies ?? {}).toEqual({});
    // The Redis stores' client libraries are the user's choice: optional peers, never installed by us.
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['ioredis', 'redis']);
    expect(manifest.peerDependenciesMeta).toEqual({ ioredis: { optional: true }, redis: { optional: true } });
    for (const f of ['dist/esm/redis/index.js', 'dist/esm/redis/index.d.ts', 'dist/cjs/redis/index.js', 'dist/cjs/redis/index.d.ts', 'src/redis/index.ts']) expect(packedFiles).toContain(f);
    expect(readdirSync(join(esm, 'node_modules')).sort()).toEqual(['.package-lock.json', '@b24gen']);
  });

  it('publint finds no problem, not even a suggestion', async () => {
    const { messages, pkg } = await publint({ pkgDir: GENERATED, level: 'suggestion', strict: true, pack: false });
    expect(messages.map((m) => formatMessage(m, pkg, { color: false }))).toEqual([]);
  });

  it('@arethetypeswrong/cli finds no problem for the root, runtime, errors, testing, redis and a per-method entry', async () => {
    // attw exits non-zero on any problem; the JSON report groups problems by kind.
    const r = await execFileAsync(process.execPath, [ATTW, tarball, '--format', 'json', '--entrypoints', '.', './runtime', './errors', './testing', './redis', `./${NOTIFY}`, './im.v2/File.upload'], { encoding: 'utf8' }).catch((e) => e);
    const report = JSON.parse(r.stdout);
    expect(report.problems).toEqual({});
    expect(r.code ?? 0).toBe(0);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './errors', './im.v2/File.upload', `./${NOTIFY}`, './redis', './runtime', './testing']);
    for (const entry of Object.values(report.analysis.entrypoints) as { resolutions: Record<string, { resolution?: { fileName: string } }> }[]) {
      // node10 and node16-cjs get the CommonJS types, node16-esm and bundler the ESM ones.
      expect(entry.resolutions.node10.resolution?.fileName).toMatch(/\/dist\/cjs\//);
      expect(entry.resolutions['node16-cjs'].resolution?.fileName).toMatch(/\/dist\/cjs\//);
      expect(entry.resolutions['node16-esm'].resolution?.fileName).toMatch(/\/dist\/esm\//);
      expect(entry.resolutions.bundler.resolution?.fileName).toMatch(/\/dist\/esm\//);
    }
  });
});

describe('Node consumers', () => {
  it('an ESM import calls the loopback server and leaks no secret', async () => {
    writeFileSync(
      join(esm, 'call.mjs'),
      `import { createClient, StatusMessageCode, BotNotFoundError, Bitrix24Error } from '@b24gen/imbot-v2';\nconst URL_ARG = process.argv[2];\n` +
        callBody(),
    );
    seen.length = 0;
    const r = await node(esm, 'call.mjs');
    expect(r.stderr).toBe('');
    expectCallOutput(r.stdout);
    expect(seen[0]).toEqual({
      path: '/rest/1/pack-secret-code/imbot.v2.Chat.InputAction.notify',
      body: { botId: 456, botToken: 'pack-bot-token', dialogId: 'chat5', statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 30 },
    });
  });

  it('a CommonJS require gets the CommonJS build and works the same', async () => {
    writeFileSync(
      join(cjs, 'call.cjs'),
      `const { createClient, StatusMessageCode, BotNotFoundError, Bitrix24Error } = require('@b24gen/imbot-v2');
const { imbotV2ChatInputActionNotifyMethod } = require('@b24gen/imbot-v2/${NOTIFY}');
console.error(require.resolve('@b24gen/imbot-v2'));
const URL_ARG = process.argv[2];
${callBody()}`,
    );
    const r = await node(cjs, 'call.cjs');
    expect(r.stderr.trim()).toMatch(/node_modules\/@b24gen\/imbot-v2\/dist\/cjs\/index\.js$/);
    expectCallOutput(r.stdout);
  });

  it('@b24gen/imbot-v2/redis loads from ESM and CommonJS without redis or ioredis installed, and refuses a value that is no Redis client', async () => {
    const probe = (load: string) => `${load}
const names = Object.keys(redis).sort();
let refused;
try { new redis.RedisBucketStore({}); } catch (e) { refused = e.name + ': ' + e.message; }
console.log(JSON.stringify({ names, refused }));`;
    writeFileSync(join(esm, 'redis.mjs'), probe(`import * as redis from '@b24gen/imbot-v2/redis';`));
    writeFileSync(join(cjs, 'redis.cjs'), probe(`const redis = require('@b24gen/imbot-v2/redis');\nconsole.error(require.resolve('@b24gen/imbot-v2/redis'));`));
    const [a, b] = await Promise.all([node(esm, 'redis.mjs'), node(cjs, 'redis.cjs')]);
    expect(b.stderr.trim()).toMatch(/node_modules\/@b24gen\/imbot-v2\/dist\/cjs\/redis\/index\.js$/);
    for (const out of [JSON.parse(a.stdout), JSON.parse(b.stdout)]) {
      expect(out.names).toEqual(['RedisBucketStore', 'RedisEventCursor', 'RedisTokenStore', 'redisAdapter']);
      expect(out.refused).toMatch(/^TypeError: RedisBucketStore: expected a connected node-redis client/);
    }
  });

  it('ESM and CommonJS see one set of error classes per build, each complete', async () => {
    writeFileSync(
      join(cjs, 'classes.cjs'),
      `const pkg = require('@b24gen/imbot-v2');
console.log(JSON.stringify(Object.keys(pkg.errorClassesByCode).sort()));`,
    );
    writeFileSync(join(esm, 'classes.mjs'), `import { errorClassesByCode } from '@b24gen/imbot-v2';\nconsole.log(JSON.stringify(Object.keys(errorClassesByCode).sort()));`);
    const [a, b] = await Promise.all([node(cjs, 'classes.cjs'), node(esm, 'classes.mjs')]);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    expect(JSON.parse(a.stdout)).toContain('BOT_NOT_FOUND');
  });
});

describe('the testing kit (@b24gen/imbot-v2/testing)', () => {
  // A bot developer's test: the kit's portal, the package's client, both from the installed tarball.
  const KIT_CALL = `const portal = await createTestPortal({ bots: [{ id: 7, code: 'pack', botToken: 'kit-bot-token' }] });
try {
  const client = createClient({ webhookUrl: portal.webhookUrl });
  const sent = await client.bot({ botId: 7, botToken: 'kit-bot-token' }).Chat.Message.send({ dialogId: 'chat5', fields: { message: 'hello' } });
  portal.fail('imbot.v2.Chat.Message.send', 'EMPTY_MESSAGE');
  let failure;
  try { await client.bot({ botId: 7, botToken: 'kit-bot-token' }).Chat.Message.send({ dialogId: 'chat5', fields: { message: 'x' } }); } catch (e) { failure = e; }
  console.log(JSON.stringify({ sent, isClass: failure instanceof EmptyMessageError, status: failure.status, texts: portal.calls.of('imbot.v2.Chat.Message.send').map((c) => c.params.fields.message) }));
} finally {
  await portal.close();
}`;

  function expectKitOutput(stdout: string): void {
    expect(JSON.parse(stdout)).toEqual({ sent: { id: 1, uuidMap: {} }, isClass: true, status: 400, texts: ['hello', 'x'] });
  }

  it('an ESM import and a CommonJS require each start a portal and answer the client', async () => {
    writeFileSync(join(esm, 'kit.mjs'), `import { createClient, EmptyMessageError } from '@b24gen/imbot-v2';\nimport { createTestPortal } from '@b24gen/imbot-v2/testing';\n${KIT_CALL}\n`);
    writeFileSync(
      join(cjs, 'kit.cjs'),
      `const { createClient, EmptyMessageError } = require('@b24gen/imbot-v2');\nconst { createTestPortal } = require('@b24gen/imbot-v2/testing');\nconsole.error(require.resolve('@b24gen/imbot-v2/testing'));\n(async () => {\n${KIT_CALL}\n})();\n`,
    );
    const [a, b] = await Promise.all([node(esm, 'kit.mjs'), node(cjs, 'kit.cjs')]);
    expect(a.stderr).toBe('');
    expectKitOutput(a.stdout);
    expect(b.stderr.trim()).toMatch(/node_modules\/@b24gen\/imbot-v2\/dist\/cjs\/testing\/index\.js$/);
    expectKitOutput(b.stdout);
  });

  it('compiles under strict nodenext with Node types, and types on/fail/calls by the method', () => {
    writeFileSync(
      join(esm, 'kit.mts'),
      `import { createTestPortal } from '@b24gen/imbot-v2/testing';
const portal = await createTestPortal();
portal.on('imbot.v2.Chat.Message.send', (params, ctx) => (params.fields?.message ? { id: 1, uuidMap: {} } : ctx.error('EMPTY_MESSAGE')));
portal.fail('imbot.v2.Bot.register', 'BOT_CODE_ALREADY_TAKEN');
const texts: (string | undefined)[] = portal.calls.of('imbot.v2.Chat.Message.send').map((c) => c.params.fields?.message);
// @ts-expect-error: a code Chat.Message.send does not document
portal.fail('imbot.v2.Chat.Message.send', 'BOT_CODE_ALREADY_TAKEN');
// @ts-expect-error: a result of the wrong shape
portal.on('imbot.v2.Chat.Message.send', () => ({ id: 'one' }));
void texts;
await portal.close();
`,
    );
    tsconfig(esm, 'tsconfig.kit.json', { module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, types: ['node'], typeRoots: [resolve('node_modules/@types')] }, ['kit.mts']);
    expect(tsc(esm, 'tsconfig.kit.json')).toEqual({ status: 0, problems: [] });
  });

  it('is not in the main entry: a bundle of createClient holds no module of testing/ and no Node built-in', async () => {
    writeFileSync(join(esm, 'main-entry.mjs'), `import { createClient } from '@b24gen/imbot-v2';\nexport const client = createClient({ webhookUrl: location.href });\n`);
    const result = await build({ entryPoints: [join(esm, 'main-entry.mjs')], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('/dist/esm/index.js'))).toBe(true);
    expect(inputs.filter((i) => i.includes('/testing/') || i.startsWith('node:'))).toEqual([]);
  });
});

describe('one process, both builds (an app imports the package, a dependency requires it)', () => {
  it('they share one rate-limit bucket per portal, and errors of one are instanceof the classes of the other', async () => {
    writeFileSync(
      join(esm, 'dual.mjs'),
      `import { createRequire } from 'node:module';
import * as fromImport from '@b24gen/imbot-v2';
const fromRequire = createRequire(import.meta.url)('@b24gen/imbot-v2');
const URL_ARG = process.argv[2];
const waits = [];
const options = { webhookUrl: URL_ARG + '/rest/1/dual-secret/', rateLimit: { limit: 10, drainPerSecond: 1 }, logger: (e) => e.type === 'wait' && waits.push(e.reason) };
const calls = [fromImport, fromRequire].flatMap((pkg) => Array.from({ length: 6 }, () => pkg.createClient(options).imbot.v2.Revision.get({})));
await Promise.all(calls);
const burstWaits = waits.filter((r) => r === 'rate-limit').length;
const failures = {};
for (const [name, pkg] of [['import', fromImport], ['require', fromRequire]]) {
  try { await pkg.createClient(options).bot({ botId: 404, botToken: 'dual-bot-token' }).Chat.InputAction.notify({ dialogId: 'chat5' }); } catch (e) { failures[name] = e; }
}
const fromCjs = failures.require;
const fromEsm = failures.import;
console.log(JSON.stringify({
  twoCopies: fromImport.createClient !== fromRequire.createClient && fromImport.BotNotFoundError !== fromRequire.BotNotFoundError,
  sameStore: fromImport.sharedBucketStore === fromRequire.sharedBucketStore,
  burstWasHeldBack: burstWaits > 0,
  cjsErrorIsEsmClass: fromCjs instanceof fromImport.BotNotFoundError && fromCjs instanceof fromImport.Bitrix24Error,
  esmErrorIsCjsClass: fromEsm instanceof fromRequire.BotNotFoundError && fromEsm instanceof fromRequire.Bitrix24Error,
  notOtherClasses: !(fromCjs instanceof fromImport.ChatNotFoundError) && !(fromCjs instanceof fromImport.Bitrix24NetworkError) && !(new Error('x') instanceof fromImport.Bitrix24Error),
  runtimeClasses: new fromRequire.Bitrix24NetworkError({ code: 'NETWORK_ERROR', description: '' }) instanceof fromImport.Bitrix24NetworkError,
}));
`,
    );
    const r = await node(esm, 'dual.mjs');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      twoCopies: true,
      sameStore: true,
      // 12 calls at once against a bucket of 10 with a tenth kept free: some must wait. Two
      // buckets (one per build, 6 calls each) let all 12 go at once, past the portal's limit.
      burstWasHeldBack: true,
      cjsErrorIsEsmClass: true,
      esmErrorIsCjsClass: true,
      notOtherClasses: true,
      runtimeClasses: true,
    });
  });
});

describe('TypeScript consumers', () => {
  const TS_CALL = `import { createClient, StatusMessageCode, BotNotFoundError, Bitrix24Error } from '@b24gen/imbot-v2';
import type { ImbotV2ChatInputActionNotifyResult } from '@b24gen/imbot-v2/${NOTIFY}';
declare const process: { argv: string[] };
const URL_ARG = process.argv[2];
export const typed: Promise<ImbotV2ChatInputActionNotifyResult> = Promise.resolve({ result: true });
${callBody(true)}`;

  for (const [resolution, module] of [
    ['nodenext', 'nodenext'],
    ['bundler', 'esnext'],
  ] as const) {
    it(`moduleResolution ${resolution}: compiles under strict, runs, and calls the server`, async () => {
      const dir = join(esm, resolution);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'call.mts'), TS_CALL);
      tsconfig(esm, `tsconfig.${resolution}.json`, { module, moduleResolution: resolution, rootDir: resolution, outDir: `out-${resolution}` }, [`${resolution}/call.mts`]);
      expect(tsc(esm, `tsconfig.${resolution}.json`)).toEqual({ status: 0, problems: [] });
      expectCallOutput((await node(esm, `out-${resolution}/call.mjs`)).stdout);
    });
  }

  it('moduleResolution nodenext from a CommonJS project gets the CommonJS types and runs', async () => {
    writeFileSync(join(cjs, 'call.ts'), TS_CALL);
    tsconfig(cjs, 'tsconfig.json', { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' }, ['call.ts']);
    expect(tsc(cjs, 'tsconfig.json')).toEqual({ status: 0, problems: [] });
    expect(readFileSync(join(cjs, 'out/call.js'), 'utf8')).toContain("require(\"@b24gen/imbot-v2\")");
    expectCallOutput((await node(cjs, 'out/call.js')).stdout);
  });

  it('rejects a mistyped call under both resolutions', () => {
    writeFileSync(
      join(esm, 'bad.mts'),
      `import { createClient } from '@b24gen/imbot-v2';
const client = createClient({ webhookUrl: 'https://portal.bitrix24.com/rest/1/code/' });
void client.imbot.v2.Chat.InputAction.notify({ botId: 1, dialogId: 'chat5', statusMessageCode: 'IMBOT_AGENT_ACTION_NAPPING' });
`,
    );
    for (const [resolution, module] of [
      ['nodenext', 'nodenext'],
      ['bundler', 'esnext'],
    ]) {
      tsconfig(esm, `tsconfig.bad-${resolution}.json`, { module, moduleResolution: resolution, noEmit: true }, ['bad.mts']);
      const r = tsc(esm, `tsconfig.bad-${resolution}.json`);
      expect(r.status).not.toBe(0);
      expect(r.problems).toMatchObject([{ file: join(esm, 'bad.mts'), line: 3, code: 2820 }]);
      expect(r.problems[0].message).toMatch(/^Type '"IMBOT_AGENT_ACTION_NAPPING"' is not assignable to type 'StatusMessageCode \| undefined'/);
    }
  });

  it('TypeScript 6 and 5 users compile the same ESM and CommonJS calls under strict (the .d.ts are from TypeScript 7)', () => {
    // Two older compilers that are installed anyway, each checking both consumers in one program
    // (the package's .d.ts included: skipLibCheck is off): ts-morph's bundled TypeScript 6 and the
    // TypeScript 5 @arethetypeswrong/core depends on. TypeScript 6 through its own createProgram,
    // not a ts-morph Project, whose host reads the .mts as CommonJS and gives it dist/cjs's types;
    // ts-morph keeps its lib files in memory, so they are written out here.
    const roots = [join(esm, 'older/call.mts'), join(cjs, 'older/call.cts')];
    for (const file of roots) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, TS_CALL);
    }
    const ts6Lib = join(temp, 'ts6-lib');
    mkdirSync(ts6Lib);
    for (const lib of getLibFiles()) writeFileSync(join(ts6Lib, lib.fileName), lib.text);
    const ts5 = createRequire(createRequire(import.meta.url).resolve('@arethetypeswrong/core'))('typescript') as typeof ts6;
    const check = (ts: typeof ts6, libDir?: string) => {
      const { options } = ts.convertCompilerOptionsFromJson({ strict: true, noEmit: true, target: 'es2022', module: 'nodenext', lib: ['es2022', 'dom'], types: [], skipDefaultLibCheck: true }, temp);
      const host = ts.createCompilerHost(options);
      if (libDir) {
        host.getDefaultLibLocation = () => libDir;
        host.getDefaultLibFileName = (o) => join(libDir, ts.getDefaultLibFileName(o));
      }
      const program = ts.createProgram(roots, options, host);
      return {
        version: ts.versionMajorMinor.split('.')[0],
        problems: ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
        // Which of the package's type trees the two consumers got.
        types: program.getSourceFiles().flatMap((f) => /\/imbot-v2\/dist\/(esm|cjs)\/index\.d\.ts$/.exec(f.fileName)?.[1] ?? []).sort(),
      };
    };
    expect(check(ts6, ts6Lib)).toEqual({ version: '6', problems: [], types: ['cjs', 'esm'] });
    expect(check(ts5)).toEqual({ version: '5', problems: [], types: ['cjs', 'esm'] });
  });

  it("the README's TypeScript examples compile against the installed package", () => {
    const readme = readFileSync(join(GENERATED, 'README.md'), 'utf8');
    // "Running more than one instance" uses the Redis client libraries, the optional peer
    // dependencies a user installs beside the package: the repository's copies, linked in.
    for (const lib of ['redis', 'ioredis']) {
      const link = join(esm, 'node_modules', lib);
      if (!existsSync(link)) symlinkSync(resolve('node_modules', lib), link, 'dir');
    }
    writeFileSync(join(esm, 'readme.mts'), readmeTypeScript(readme));
    tsconfig(esm, 'tsconfig.readme.json', { module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, types: ['node'], typeRoots: [resolve('node_modules/@types')] }, ['readme.mts']);
    expect(tsc(esm, 'tsconfig.readme.json')).toEqual({ status: 0, problems: [] });
  });
});

describe('a browser bundle of one method', () => {
  it('esbuild bundles it with no Node built-ins and without the other methods, and the bundle works', async () => {
    writeFileSync(
      join(esm, 'browser.mjs'),
      `import { createTransport } from '@b24gen/imbot-v2/runtime';
import { errorClassesByCode } from '@b24gen/imbot-v2/errors';
import { imbotV2ChatInputActionNotify } from '@b24gen/imbot-v2/${NOTIFY}';
export function notify(url) {
  const transport = createTransport({ webhookUrl: url + '/rest/1/browser-secret/' }, errorClassesByCode);
  return imbotV2ChatInputActionNotify(transport, { botId: 7, dialogId: 'chat5', duration: 5 });
}
`,
    );
    const out = join(esm, 'browser.bundle.mjs');
    const result = await build({ entryPoints: [join(esm, 'browser.mjs')], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: out, metafile: true, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => /^node:|^(fs|path|http|https|crypto|stream|buffer|url|util)$/.test(i))).toEqual([]);
    const code = readFileSync(out, 'utf8');
    const others = loadSpec(resolve('spec')).methods.filter((m) => m.name !== 'imbot.v2.Chat.InputAction.notify');
    expect(others.filter((m) => code.includes(JSON.stringify(m.name)))).toEqual([]);
    const bytes = Buffer.byteLength(code);
    const gzipped = gzipSync(code).length;
    // Reported for the record; `npm run bench` tracks it over time.
    console.log(`one-method browser bundle: ${bytes} bytes minified, ${gzipped} bytes gzipped (${inputs.length} modules)`);
    const mod = await import(pathToFileURL(out).href);
    seen.length = 0;
    await expect(mod.notify(server.url)).resolves.toEqual({ result: true });
    expect(seen[0].path).toBe('/rest/1/browser-secret/imbot.v2.Chat.InputAction.notify');
  });
});
