import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A fleet of bot processes for the multi-process tests: each worker is a real Node process
 * (test/support/fleet-worker.mjs) running the BUILT package (generated/dist, as users install
 * it) with its own Redis connection. The test process talks to them over IPC: it sends commands,
 * collects what they report, and kills them (SIGKILL: no cleanup, as a crash or an OOM kill).
 * Every wait has a deadline that fails the test with what the worker printed, never a hang.
 */

const WORKER = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url));

export function builtPackageSkipMessage(file: string): string {
  return `${file}: skipped, generated/dist/esm/redis/index.js is missing (run npm run generate first: the fleet runs the built package)`;
}

const GENERATED = fileURLToPath(new URL('../../generated/', import.meta.url));

/** Every generated/src module's path without extension, relative to src (what dist/esm must hold as .js). */
function sourceModules(dir = join(GENERATED, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceModules(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(join(GENERATED, 'src'), join(dir, e.name)).replace(/\.ts$/, '')] : [],
  );
}

/** Whether generated/dist/esm holds a .js for every source module now. */
function distComplete(dir = join(GENERATED, 'dist/esm'), modules = sourceModules()): boolean {
  return modules.every((m) => existsSync(join(dir, `${m}.js`)));
}

/**
 * Whether the built package (with its redis subpath) is there: `npm run generate` builds it.
 * Waits up to 30 s for it when it is not complete, as while test/package.test.ts rebuilds it in
 * place; false after that (the fleet tests then skip, saying to run npm run generate).
 */
export async function builtPackageReady(): Promise<boolean> {
  const modules = sourceModules();
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (distComplete(undefined, modules)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

let snapshot: Promise<string> | undefined;

/**
 * A private copy of the built ESM package (generated/dist/esm) for this test file's workers.
 * test/package.test.ts rebuilds generated/dist in place (it removes it first), maybe while a
 * fleet test runs: a worker importing it then would find it half there. The copy is taken once
 * dist/esm holds a .js for every source module, and checked again after copying (a rebuild that
 * started meanwhile makes it try again), within 120 s. Removed when the process exits.
 */
export function builtPackage(): Promise<string> {
  return (snapshot ??= (async () => {
    const modules = sourceModules();
    const esm = join(GENERATED, 'dist/esm');
    const complete = (dir: string) => distComplete(dir, modules);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (complete(esm)) {
        const dir = mkdtempSync(join(tmpdir(), 'b24gen-fleet-pkg-'));
        try {
          cpSync(esm, dir, { recursive: true, filter: (src) => !src.endsWith('.map') });
          // The copy sits outside generated/, whose package.json makes these .js files ESM.
          writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
          if (complete(dir)) {
            process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
            return dir;
          }
        } catch {
          // dist was being removed while we copied: try again
        }
        rmSync(dir, { recursive: true, force: true });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('generated/dist/esm did not hold the built package within 120 s (run npm run generate; is a build failing?)');
  })());
}

export interface WorkerConfig {
  id: number;
  /** The built package the worker imports (builtPackage()); set by FleetWorker.spawn. */
  packageDir?: string;
  redisUrl: string;
  redisLib: 'node-redis' | 'ioredis';
  /** createClient's auth options: { webhookUrl } or { portalUrl, accessToken, refreshToken, clientId, clientSecret, oauthUrl }. */
  auth: Record<string, string>;
  rateLimit?: { limit: number; drainPerSecond: number };
  lockTtlMs?: number;
  onStoreError?: 'throw' | 'local';
  storeTimeout?: number;
  /** 'memory': each process keeps its own bucket (the control case, no shared store). */
  bucket?: 'redis' | 'memory';
  maxRetries?: number;
}

export interface WorkerMessage {
  type: string;
  worker: number;
  [key: string]: unknown;
}

export class FleetWorker {
  readonly messages: WorkerMessage[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output = '';
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly id: number,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-4000)));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-4000)));
    child.on('message', (m) => {
      this.messages.push(m as WorkerMessage);
      for (const l of this.listeners) l();
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        for (const l of this.listeners) l();
        resolve({ code, signal });
      }),
    );
  }

  /** Starts a worker and waits until it reports `ready` (its Redis connected, its client built). */
  static async spawn(config: WorkerConfig, readyWithinMs = 20_000): Promise<FleetWorker> {
    const packageDir = config.packageDir ?? (await builtPackage());
    const child = fork(WORKER, [JSON.stringify({ ...config, packageDir })], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    const worker = new FleetWorker(config.id, child);
    try {
      await worker.next('ready', readyWithinMs);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(command: { type: string; [key: string]: unknown }): void {
    this.child.send(command);
  }

  /**
   * The first message of `type` not returned before (messages are consumed in order), waiting up
   * to `withinMs`; fails naming the worker and its last output when it does not come or the
   * worker exits first.
   */
  next(type: string, withinMs: number): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.messages.findIndex((m) => m.type === type);
        if (i !== -1) {
          done();
          resolve(this.messages.splice(i, 1)[0]!);
        } else if (!this.alive) {
          done();
          reject(new Error(`fleet worker ${this.id} exited (${this.child.exitCode ?? this.child.signalCode}) before reporting '${type}':\n${this.output}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`fleet worker ${this.id} did not report '${type}' within ${withinMs} ms:\n${this.output}`));
      }, withinMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** SIGKILL, as a crash: no cleanup, its Redis lease or lock is left to expire. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Asks the worker to close its Redis connection and exit; kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    try {
      this.child.send({ type: 'exit' });
    } catch {
      // its IPC channel is already closed: it is exiting
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * How many processes a fleet test runs: `fallback` (the numbers), or
 * `B24GEN_FLEET_PROCESSES` to run the same tests with more (`B24GEN_FLEET_PROCESSES=8 npx vitest
 * run test/fleet-*.test.ts`): the events test then kills all but one consumer, one by one.
 */
export function fleetSize(fallback: number): number {
  const raw = process.env.B24GEN_FLEET_PROCESSES;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2 || n > 32) throw new Error(`B24GEN_FLEET_PROCESSES must be an integer from 2 to 32 (processes per fleet test), got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * The store deadline of the tests where Redis stays up: a slow moment of the shared test machine
 * (its load average passes 20 when several suites run) must not fail a call there; the fault
 * tests use the default (2000 ms), and every wait of a test is bounded on its own.
 */
export const LOADED_MACHINE_STORE_TIMEOUT_MS = 20_000;

/** Starts `count` workers in parallel, ids 1..count, each with `config(id)`. */
export async function spawnFleet(count: number, config: (id: number) => WorkerConfig): Promise<FleetWorker[]> {
  const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => FleetWorker.spawn(config(i + 1))));
  const workers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map((w) => w.kill()));
    throw failed.reason;
  }
  return workers;
}

/** `promise`, or a rejection saying `what` did not finish within `ms`: a bound that fails the test instead of hanging it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
