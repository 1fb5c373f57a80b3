import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A synthetic spec of `count` methods for benchmarks: the real spec's shared files, and its
 * method files cloned round-robin under new names (`imbot.v2.Synth17.Chat.Message.send`), so the
 * shapes are real (keyboards, attachments, entities) and only the size changes.
 */
export function writeSyntheticSpec(dir: string, count: number): string {
  const real = resolve('spec');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'imbot.v2'), { recursive: true });
  cpSync(join(real, 'common'), join(dir, 'common'), { recursive: true });
  const methods: { rest: string; text: string }[] = [];
  for (const ns of ['imbot.v2', 'im.v2']) {
    for (const f of readdirSync(join(real, ns)).filter((n) => n.endsWith('.yaml')).sort()) {
      methods.push({ rest: (ns === 'im.v2' ? 'Im.' : '') + f.replace(/\.yaml$/, ''), text: readFileSync(join(real, ns, f), 'utf8').replace(/^method: \S+$/m, '') });
    }
  }
  for (let i = 0; i < count; i++) {
    const m = methods[i % methods.length];
    const group = `Synth${Math.floor(i / methods.length)}`;
    const name = `imbot.v2.${group}.${m.rest}`;
    // Types declared inside a method file (enums such as StatusMessageCode) get a unique name.
    const text = `method: ${name}\n${m.text}`.replace(/\bStatusMessageCode\b/g, `StatusMessageCode${group}`);
    writeFileSync(join(dir, 'imbot.v2', `${group}.${m.rest}.yaml`), text);
  }
  // The real spec describes every group it uses (spec/common/groups.yaml); so does this one.
  const groups = [...new Set(Array.from({ length: count }, (_, i) => `Synth${Math.floor(i / methods.length)}`))];
  writeFileSync(join(dir, 'common', 'groups.yaml'), `groups:\n${groups.map((g) => `  imbot.v2.${g}:\n    description: Clones of the real methods, group ${g}.\n`).join('')}`);
  return dir;
}
