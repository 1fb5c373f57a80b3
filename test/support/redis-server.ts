import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `redis-server` for the tests (never a mock): on 127.0.0.1, on a free port, in a temp
 * folder, with no persistence (`--save '' --appendonly no`), so a restart starts empty, as a
 * Redis that lost its memory does; or, with `start({ persistence: true })`, with the append-only
 * file synced on every write (`--appendonly yes --appendfsync always`), as a production Redis
 * is configured: a restart (even after SIGKILL) reloads every key from the same folder. `restart()` brings it back on the same port (clients that
 * reconnect find it again); `freeze()` stops the process without closing its port (connections
 * are accepted by the kernel and never answered: the "hung Redis" case), `thaw()` resumes it.
 *
 * Tests that need it check `haveRedisServer` and skip with `redisSkipMessage` printed, so a
 * machine without Redis says what to install instead of failing.
 */

/** Whether `redis-server` is on the PATH. */
export const haveRedisServer: boolean = (() => {
  const r = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
})();

/** What a test file prints when it skips for want of Redis. */
export function redisSkipMessage(file: string): string {
  return `${file}: skipped, redis-server is not on the PATH (install it: apt-get install -y redis-server; on macOS: brew install redis)`;
}

export class RedisServer {
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly persistence: boolean,
  ) {}

  /** Starts a server and waits until it answers PING (30 s at most). */
  static async start(options: { persistence?: boolean } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'b24gen-redis-')), options.persistence ?? false);
    try {
      await server.launch();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the process is running (false after stop() or a crash). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Kills the server and starts a new one on the same port and folder: empty without persistence, every key back with it. */
  async restart(): Promise<void> {
    await this.halt();
    await this.launch();
  }

  /** Kills the server and leaves the port closed: clients get "connection refused" until restart(). */
  async halt(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  /** Stops the process (SIGSTOP): the port stays open, nothing answers. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the server and removes its folder; call it in afterAll. */
  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    this.log = '';
    const persistence = this.persistence ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir, '--daemonize', 'no'];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-4000)));
    child.stderr?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-4000)));
    child.on('error', (err) => (this.log += `\n${err.message}`));
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) on port ${this.port}:\n${this.log}`);
      if (await ping(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer PING on port ${this.port} within 30 s:\n${this.log}`);
  }
}

/**
 * One command over RESP on a fresh connection (no client library: it never queues or
 * reconnects); the first line of the reply, or a bulk reply's payload (`$-1` for none).
 */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const wire = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis-server on port ${port} did not answer ${args[0]} within 5 s`));
    }, 5_000);
    socket.on('connect', () => socket.write(wire));
    socket.on('data', (d) => {
      answer += d.toString();
      const lines = answer.split('\r\n');
      // A bulk reply ($n) is complete with its payload line; any other with its first line.
      if (lines.length >= 2 && (!answer.startsWith('$') || answer.startsWith('$-1') || lines.length >= 3)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer.startsWith('$') && !answer.startsWith('$-1') ? lines[1]! : lines[0]!);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Sends PING over RESP on a fresh connection; true when the answer is +PONG (within 1 s). */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1_000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      answer += d.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/** A port nothing listens on now (the OS picks it); also what a test uses for "Redis unreachable". */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
