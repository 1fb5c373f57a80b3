import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A real npm registry (Verdaccio) on 127.0.0.1, its storage in a temp folder, no uplinks (it
 * serves only what is published to it). `stop()` kills it and removes the folder; call it in
 * afterAll so the registry never outlives the test run, whatever happened.
 */
export class LocalRegistry {
  private log = '';

  private constructor(
    readonly url: string,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
  }

  static async start(): Promise<LocalRegistry> {
    const dir = mkdtempSync(join(tmpdir(), 'b24gen-registry-'));
    const port = await freePort();
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `storage: ${JSON.stringify(join(dir, 'storage'))}
auth:
  htpasswd:
    file: ${JSON.stringify(join(dir, 'htpasswd'))}
    max_users: 10
uplinks: {}
packages:
  '**':
    access: $all
    publish: $authenticated
log: { type: stdout, format: pretty, level: warn }
`,
    );
    const bin = resolve('node_modules/verdaccio/bin/verdaccio');
    const child = spawn(process.execPath, [bin, '-c', config, '-l', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const registry = new LocalRegistry(`http://127.0.0.1:${port}/`, dir, child);
    try {
      await registry.waitUntilUp();
    } catch (err) {
      await registry.stop();
      throw err;
    }
    return registry;
  }

  private async waitUntilUp(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`verdaccio exited (${this.child.exitCode}):\n${this.log}`);
      try {
        if ((await fetch(`${this.url}-/ping`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`verdaccio did not answer within 30 s:\n${this.log}`);
  }

  /** Creates a user and returns an npm userconfig file that authenticates as them. */
  async npmrc(): Promise<string> {
    const res = await fetch(`${this.url}-/user/org.couchdb.user:releaser`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'releaser', password: 'release-test-password' }),
    });
    const { token } = (await res.json()) as { token?: string };
    if (!token) throw new Error(`verdaccio did not create a user (HTTP ${res.status})`);
    const file = join(this.dir, '.npmrc');
    writeFileSync(file, `registry=${this.url}\n${this.url.replace(/^http:/, '')}:_authToken=${token}\n`);
    return file;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
