import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Node.js release lines to run the per-call overhead under besides the one running the bench
 * (`otherNodeVersions`): the generated package supports Node >= 20, and the cost of fetch's
 * abort signal (what the client's timeout needs) depends on the undici each line bundles.
 * Pinned, so a re-run measures the same runtimes; raise them with the release lines.
 */
export const NODE_VERSIONS = ['20.20.2', '22.23.5', '24.22.3'];

/** NODE_VERSIONS but the release line running now. */
export function otherNodeVersions(): string[] {
  const major = process.versions.node.split('.')[0];
  return NODE_VERSIONS.filter((version) => version.split('.')[0] !== major);
}

/** Where the Node binaries are installed (git-ignored; deleting it is safe). */
const ROOT = resolve('test/bench/.node');

/**
 * The path of Node `version`'s executable, installed on first use from the npm registry's
 * per-platform binary package (`node-<platform>-<arch>`, the package the `node` package itself
 * installs; about 50 MB), or the reason it could not be had.
 */
export function nodeBinary(version: string): { path: string } | { unavailable: string } {
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const dir = join(ROOT, version);
  const path = join(dir, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(path)) {
    console.log(`installing Node ${version} (${pkg}) into test/bench/.node/${version} ...`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${version}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').at(-1) ?? '';
      return { unavailable: `npm could not install ${pkg}@${version}${stderr ? `: ${stderr}` : ''}` };
    }
  }
  try {
    const reported = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${version}`) return { unavailable: `${path} reports ${reported}, not v${version}` };
  } catch {
    return { unavailable: `${path} does not run on this machine` };
  }
  return { path };
}
