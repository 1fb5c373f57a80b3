import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VALID_METHOD } from './support/spec-texts.js';

const BIN = resolve('generator/bin/b24gen.mjs');
const SPEC = resolve('spec');
const temp = mkdtempSync(join(tmpdir(), 'b24gen-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function b24gen(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, B24GEN_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file under `dir` with its bytes, for byte-for-byte comparisons. */
function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(dir, f)).isFile())
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

describe('b24gen generate', () => {
  const out = join(temp, 'out');

  it('writes the client and says what it did', () => {
    const r = b24gen(['generate', '--spec', SPEC, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^generated \d+ methods? into .*out: \d+ added, 0 changed, 0 removed, 0 unchanged \(\d+ ms\)\n$/);
    expect(existsSync(join(out, 'index.ts'))).toBe(true);
    expect(existsSync(join(out, 'imbot.v2', 'Chat.InputAction.notify.ts'))).toBe(true);
  });

  it('--check passes on fresh output and lists stale files with exit 1', () => {
    expect(b24gen(['generate', '--spec', SPEC, '--out', out, '--check']).code).toBe(0);
    writeFileSync(join(out, 'enums.ts'), '// edited by hand\n');
    rmSync(join(out, 'types.ts'));
    writeFileSync(join(out, 'leftover.ts'), 'export {};\n');
    const r = b24gen(['generate', '--spec', SPEC, '--out', out, '--check']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is stale: it differs from what the spec produces.');
    expect(r.err).toContain('  missing  types.ts');
    expect(r.err).toContain('  changed  enums.ts');
    expect(r.err).toContain('  extra    leftover.ts');
    expect(r.err).toContain('Run `npm run generate` and commit the result.');
    // --check writes nothing.
    expect(readFileSync(join(out, 'enums.ts'), 'utf8')).toBe('// edited by hand\n');
  });

  it('brings stale output back, touching only what changed', () => {
    const r = b24gen(['generate', '--spec', SPEC, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: 1 added, 1 changed, 1 removed, \d+ unchanged/);
    expect(existsSync(join(out, 'leftover.ts'))).toBe(false);
    expect(b24gen(['generate', '--spec', SPEC, '--out', out, '--check']).code).toBe(0);
  });

  it('writes nothing for a broken spec, and says where it is broken', () => {
    const spec = join(temp, 'broken-spec');
    cpSync(SPEC, spec, { recursive: true });
    writeFileSync(join(spec, 'imbot.v2', 'Test.ping.yaml'), VALID_METHOD.replace('maximum: 600', 'maximum: many'));
    const before = snapshotDir(out);
    const r = b24gen(['generate', '--spec', spec, '--out', out], temp);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'broken-spec/imbot.v2/Test.ping.yaml:14:14: params.duration.maximum must be a number\n1 problem in the spec; nothing was written.\n',
    );
    expect(r.out).toBe('');
    expect(snapshotDir(out)).toEqual(before);
  });

  it('produces byte-identical output whatever the file order and working directory', () => {
    // Two copies of the spec created in opposite orders, generated from different folders.
    const files = readdirSync(SPEC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort();
    const copy = (name: string, order: string[]) => {
      const dir = join(temp, name);
      for (const f of order) cpSync(join(SPEC, f), join(dir, f));
      return dir;
    };
    const a = copy('order-a', files);
    const b = copy('order-b', [...files].reverse());
    expect(b24gen(['generate', '--spec', a, '--out', join(temp, 'out-a')], temp).code).toBe(0);
    expect(b24gen(['generate', '--spec', b, '--out', join(temp, 'out-b')], '/').code).toBe(0);
    const outA = snapshotDir(join(temp, 'out-a'));
    expect(Object.keys(outA).length).toBeGreaterThan(5);
    expect(snapshotDir(join(temp, 'out-b'))).toEqual(outA);
    for (const text of Object.values(outA)) expect(text).not.toContain('\r');
  });
});

describe('b24gen usage', () => {
  it('prints help with exit 0', () => {
    const r = b24gen(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: b24gen <command> [options]');
    expect(r.out).toContain('generate');
    const sub = b24gen(['generate', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.out).toContain('--check');
    for (const name of ['B24GEN_CACHE=0', 'B24GEN_CACHE_DIR=DIR']) expect(sub.out).toContain(name);
  });

  it('refuses an unknown command with exit 2 and the usage', () => {
    const r = b24gen(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^b24gen: unknown command "frobnicate"\n\nUsage: b24gen/);
  });

  it('refuses an unknown option with exit 2', () => {
    const r = b24gen(['generate', '--fast']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("b24gen generate: Unknown option '--fast'");
  });

  it('exits 2 with the usage when no command is given', () => {
    const r = b24gen([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: b24gen');
  });

  it('names a missing spec folder without a stack trace', () => {
    const r = b24gen(['generate', '--spec', join(temp, 'nope'), '--out', join(temp, 'never')], temp);
    expect(r.code).toBe(1);
    expect(r.err).toBe('nope:1:1: cannot read the spec folder (does it exist?)\n1 problem in the spec; nothing was written.\n');
    expect(existsSync(join(temp, 'never'))).toBe(false);
  });
});

describe('the b24gen executable', () => {
  it('runs the compiled generator, compiled again after a source edit (never stale) and refusing to run one that does not compile', () => {
    // A copy of the project's generator and its configuration with links to the real packages,
    // so the copy's build (dist/generator) is its own.
    const project = join(temp, 'bin-project');
    cpSync(resolve('generator'), join(project, 'generator'), { recursive: true });
    cpSync(resolve('spec/spec.schema.json'), join(project, 'spec/spec.schema.json'));
    cpSync(resolve('tsconfig.json'), join(project, 'tsconfig.json'));
    writeFileSync(join(project, 'package.json'), '{"type":"module"}');
    mkdirSync(join(project, 'node_modules'));
    for (const pkg of readdirSync(resolve('node_modules'))) {
      if (!pkg.startsWith('.')) symlinkSync(resolve('node_modules', pkg), join(project, 'node_modules', pkg));
    }
    const run = () => spawnSync(process.execPath, [join(project, 'generator/bin/b24gen.mjs'), '--help'], { encoding: 'utf8' });

    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Generate the client in generated/src from the spec in spec/');
    expect(existsSync(join(project, 'dist/generator/cli.js'))).toBe(true);

    const command = join(project, 'generator/commands/generate.ts');
    const source = readFileSync(command, 'utf8');
    writeFileSync(command, source.replace('Generate the client in generated/src', 'Generate (edited) the client'));
    const edited = run();
    expect(edited.status).toBe(0);
    expect(edited.stdout).toContain('Generate (edited) the client');

    writeFileSync(command, `${source}\nconst broken: number = 'not a number';\n`);
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('compiling the generator (tsc -p generator/tsconfig.json) failed');
    expect(broken.stderr).toContain("Type 'string' is not assignable to type 'number'");
  }, 60_000);
});
