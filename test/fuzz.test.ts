import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emit } from '../generator/emit/index.js';
import { loadSpecTexts, readSpecDir } from '../generator/load/index.js';
import { withEnv } from './support/cache-dir.js';
import { formattingDifferences, checkGenerated, generateCase, hostileSpec, type Outcome } from './support/hostile-spec.js';
import { typecheck } from './support/typecheck.js';

/**
 * Hostile specs (see support/hostile-spec.ts): a few hundred generated cases per run. Each is
 * refused with located messages or generates sound code; none crashes. `npm run fuzz -- --count N`
 * runs more (test/fuzz/run.ts).
 */
const CASES = 300;

describe('hostile specs', () => {
  it(`${CASES} cases: a located refusal or sound output, never a crash`, async () => {
    const counts = { refused: 0, generated: 0 };
    const typecheckable: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(hostileSpec, async (c) => {
        const outcome = await generateCase(c);
        counts[outcome.kind] += 1;
        if (outcome.kind === 'generated') {
          expect(checkGenerated(outcome.api, outcome.files)).toEqual([]);
          expect(await formattingDifferences(outcome.files)).toEqual([]);
          if (typecheckable.length < 25) typecheckable.push(outcome);
        }
      }),
      { numRuns: CASES, seed: 20261124 },
    );
    console.log(`fuzz: ${CASES} cases, ${counts.refused} refused with located messages, ${counts.generated} generated`);
    expect(counts.generated).toBeGreaterThan(CASES / 10);
    expect(counts.refused).toBeGreaterThan(0);

    // A sample of the generated outputs type-checks under strict, all in one program.
    const root = resolve('test/.tmp/fuzz');
    rmSync(root, { recursive: true, force: true });
    const entries: string[] = [];
    typecheckable.forEach((o, i) => {
      if (o.kind !== 'generated') return;
      for (const [path, text] of o.files) {
        const target = join(root, String(i), path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, text);
      }
      entries.push(join(root, String(i), 'index.ts'));
      // The testing kit's data (hostile enum values, patterns, messages as literals) type-checks too.
      entries.push(join(root, String(i), 'testing', 'spec.ts'));
    });
    expect(typecheck(entries)).toEqual([]);
  }, 240_000);

  it('the same spec read in shuffled orders, from another directory, gives byte-identical output', async () => {
    const texts = readSpecDir(resolve('spec'));
    const first = await emit(loadSpecTexts(texts, 'spec'));
    const shuffled = fc.sample(fc.shuffledSubarray(texts, { minLength: texts.length, maxLength: texts.length }), { numRuns: 2, seed: 7 });
    const before = process.cwd();
    try {
      process.chdir(resolve('test'));
      for (const order of shuffled) {
        const again = await emit(loadSpecTexts(order, 'spec'));
        expect([...again.keys()]).toEqual([...first.keys()]);
        for (const [path, text] of first) expect(again.get(path), path).toBe(text);
      }
    } finally {
      process.chdir(before);
    }
    for (const text of first.values()) expect(text.includes('\r')).toBe(false);
  }, 120_000);
});

describe('name collisions the spec makes possible are refused, naming both places', () => {
  const method = (name: string) => `method: ${name}\nsummary: x\ndocs: https://a.b/c.html\nscope: imbot\naccess: x\nidempotent: true\nparams: {}\nresult: { type: boolean }\nstatuses: [200]\nerrors: []\n`;
  const refusal = async (names: string[]) => {
    try {
      await emit(loadSpecTexts(names.map((n) => ({ path: `imbot.v2/${n.slice('imbot.v2.'.length)}.yaml`, text: method(n) })), 'spec'));
      return 'generated';
    } catch (err) {
      return (err as Error).message.split('\n')[0];
    }
  };

  it('a method that would also be a group of the client', async () => {
    expect(await refusal(['imbot.v2.Chat.add', 'imbot.v2.Chat.add.x'])).toBe(
      'spec/imbot.v2/Chat.add.x.yaml:1:9: client path client.imbot.v2.Chat.add would be both a method and a group: method imbot.v2.Chat.add.x clashes with imbot.v2.Chat.add at spec/imbot.v2/Chat.add.yaml:1:9',
    );
  });

  it('two groups whose facade modules differ only in case', async () => {
    expect(await refusal(['imbot.v2.Chat.x', 'imbot.v2.chat.y'])).toBe(
      'spec/imbot.v2/chat.y.yaml:1:9: method imbot.v2.chat.y: its client group imbot.v2.chat would share the facade module of group imbot.v2.Chat (method imbot.v2.Chat.x at spec/imbot.v2/Chat.x.yaml:1:9); rename one group',
    );
  });

  it('two methods whose generated names are the same', async () => {
    expect(await refusal(['imbot.v2.Chat.Add.x', 'imbot.v2.ChatAdd.x'])).toBe(
      'spec/imbot.v2/ChatAdd.x.yaml:1:9: method imbot.v2.ChatAdd.x would be generated as ImbotV2ChatAddXError, the same name as method imbot.v2.Chat.Add.x at spec/imbot.v2/Chat.Add.x.yaml:1:9; rename one of them',
    );
  });
});

describe('cases the 10,000-case fuzz run found', () => {
  it.each(['/*\\', '/*tdQ{Q. =C5\\', 'a\\"b//c', '*/ /* \\\\'])('an enum value %j no longer breaks the printed file', async (value) => {
    const types = { path: 'common/types.yaml', text: `types:\n  Level:\n    type: string\n    enum:\n      - value: ${JSON.stringify(value)}\n` };
    const method = {
      path: 'imbot.v2/Test.ping.yaml',
      text: 'method: imbot.v2.Test.ping\nsummary: x\ndocs: https://a.b/c.html\nscope: imbot\naccess: x\nidempotent: true\nparams:\n  level: { $ref: Level }\nresult: { type: boolean }\nstatuses: [200]\nerrors: []\n',
    };
    const outcome = await generateCase({ texts: [types, method] });
    expect(outcome.kind).toBe('generated');
    if (outcome.kind === 'generated') expect(checkGenerated(outcome.api, outcome.files)).toEqual([]);
  });
});
