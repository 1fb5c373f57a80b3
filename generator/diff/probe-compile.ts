import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { emitUnformatted } from '../emit/index.js';
import type { Api } from '../model/ir.js';
import { tscDiagnostics } from '../package/tsc-diagnostics.js';
import { probeProgram, type ProbeKind } from './probe.js';

/**
 * Compiles probes (probe.ts) against generated clients: "does code written against spec A still
 * compile against the client of spec B?", for many (A, B) at once in ONE run of TypeScript 7's
 * tsc under `strict`. Each distinct client is printed from its IR (`emitUnformatted`, as the
 * docs' example check does) into its own folder of a temporary directory (clients that print
 * the same are written once); the hand-written
 * runtime, the same bytes for every client, is written once and linked into each (tsc follows
 * the link to one file and checks it once). Each probe is one file importing its client.
 */

export interface ProbeCase {
  /** A name for the case, unique in the run. */
  id: string;
  /** The spec whose users' code is probed (the base of a diff). */
  probeOf: Api;
  /** The spec whose client it is compiled against (the head). The same object twice is printed once. */
  clientOf: Api;
}

export interface ProbeFailure {
  /** 1-based line in the probe. */
  line: number;
  /** The probe's line, trimmed: `case Mode.push:`. */
  text: string;
  kind: ProbeKind;
  /** The methods or events the line exercises. */
  owners: string[];
  /** `TS2339`. */
  code: string;
  /** The first line of TypeScript's message. */
  message: string;
}

export interface ProbeOutcome {
  id: string;
  /** The probe's text (for showing excerpts). */
  text: string;
  /** Every diagnostic in the probe, in line order. */
  failures: ProbeFailure[];
}

/** The name probes import the client by (generated/package.json's). */
export const PACKAGE_NAME = '@b24gen/imbot-v2';

export const PROBE_COMPILER_OPTIONS = {
  strict: true,
  noEmit: true,
  target: 'es2022',
  module: 'esnext',
  moduleResolution: 'bundler',
  lib: ['es2022', 'dom'],
  types: [],
  skipLibCheck: true,
  // A small spec's client can have an empty enums.ts or types.ts, which would be a script otherwise.
  moduleDetection: 'force',
};

export function compileProbes(cases: ProbeCase[]): Map<string, ProbeOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-probe-'));
  try {
    const clients = new Map<Api, string>();
    // Clients printed the same (many examples share a side) are written and checked once.
    const byContent = new Map<string, string>();
    let runtime: Map<string, string> | undefined;
    const clientDir = (api: Api): string => {
      const known = clients.get(api);
      if (known) return known;
      const files = [...emitUnformatted(api)];
      const digest = createHash('sha256');
      for (const [path, text] of files) if (!path.startsWith('runtime/')) digest.update(`${path}\0${text}\0`);
      const key = digest.digest('hex');
      const same = byContent.get(key);
      if (same) {
        clients.set(api, same);
        return same;
      }
      const name = `client${byContent.size}`;
      byContent.set(key, name);
      clients.set(api, name);
      for (const [path, text] of files) {
        if (path.startsWith('runtime/')) {
          runtime ??= new Map();
          const seen = runtime.get(path);
          if (seen === undefined) {
            runtime.set(path, text);
            write(join(dir, 'shared', path), text);
          } else if (seen !== text) {
            throw new Error(`probe: the runtime file ${path} differs between two clients; it cannot be shared`);
          }
          continue;
        }
        write(join(dir, name, path), text);
      }
      symlinkSync(join(dir, 'shared', 'runtime'), join(dir, name, 'runtime'), 'dir');
      writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name: PACKAGE_NAME, type: 'module', types: './index.ts' }));
      return name;
    };
    const files = new Map<string, { id: string; probe: ReturnType<typeof probeProgram> }>();
    cases.forEach((c, i) => {
      const client = clientDir(c.clientOf);
      // Each probe imports the package by its name, as users do; its node_modules links to the client.
      const probe = probeProgram(c.probeOf, PACKAGE_NAME);
      const file = resolve(dir, `case${i}`, 'probe.ts');
      write(file, probe.text);
      mkdirSync(join(dir, `case${i}`, 'node_modules', dirname(PACKAGE_NAME)), { recursive: true });
      symlinkSync(join(dir, client), join(dir, `case${i}`, 'node_modules', PACKAGE_NAME), 'dir');
      files.set(file, { id: c.id, probe });
    });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: PROBE_COMPILER_OPTIONS, files: [...files.keys()] }));
    const outcomes = new Map<string, ProbeOutcome>();
    for (const { id, probe } of files.values()) outcomes.set(id, { id, text: probe.text, failures: [] });
    const texts = new Map([...files].map(([f, x]) => [f, x.probe.text.split('\n')]));
    for (const d of tscDiagnostics(dir, 'probe')) {
      const entry = files.get(d.file);
      if (!entry) throw new Error(`probe: a generated client does not compile under strict: ${d.file}(${d.line}): ${d.code}: ${d.message}`);
      let tagLine = d.line;
      while (tagLine > 0 && !entry.probe.lines.has(tagLine)) tagLine--;
      const tag = entry.probe.lines.get(tagLine) ?? { kind: 'use' as const, owners: [] };
      outcomes.get(entry.id)!.failures.push({ line: d.line, text: texts.get(d.file)![d.line - 1]!.trim(), kind: tag.kind, owners: tag.owners, code: d.code, message: d.message });
    }
    return outcomes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

