import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareApis } from '../generator/diff/index.js';
import type { ProbeOutcome } from '../generator/diff/probe-compile.js';
import { ALL_RULES, type Rule } from '../generator/diff/rules.js';
import { loadSpecTexts, readSpecDir } from '../generator/load/index.js';
import { before2026 } from './fixtures/diff/history-2026.js';
import { renderRulesMd, RULES_MD } from './fixtures/diff/render-rules-md.js';
import { methodYaml, RULE_PAIRS } from './fixtures/diff/rule-pairs.js';
import { describeFailure, pairSpec, probeRulePairs, verdict, type RuleProbe } from './fixtures/diff/rule-probes.js';

/**
 * The spec diff's levels, proven by the compiler: for every rule's example pair (rule-pairs.ts,
 * any pair added later included) the base's probe (generator/diff/probe.ts: code using the whole
 * client) is compiled against the head's client, and the rule's level must be what the compiler
 * says (breaking exactly when ordinary code stops compiling, unless the rule documents a run-time
 * break; warning when only exhaustive code does; info when all compiles). The same for the 2026
 * history on the real spec, method by method. Every probe compiles against its own spec's client,
 * which proves the probe sound. All of it is one tsc run.
 */
const RULE_BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]));
const real = loadSpecTexts(readSpecDir(resolve('spec')), 'spec');
const before = loadSpecTexts(before2026(), 'before');
/** Wire names and enum values that are not identifiers, reserved words, `*\/`, quotes, `${`: the probe must still be valid code. */
const awkward = loadSpecTexts(
  [
    {
      path: 'imbot.v2/Demo.run.yaml',
      text: methodYaml({
        params: `  botId: { type: integer, required: true }\n  'a-b': { type: string }\n  class: { $ref: Odd, required: true }\n  __proto__: { type: object, properties: { '*/': { type: boolean } } }\n`,
        result: `  type: object\n  properties:\n    'x y': { $ref: Odd, required: true }\n    "it's": { type: array, items: { type: object, properties: { '\${x}': { type: string, required: true } } } }\n`,
        types: `  Odd:\n    type: string\n    enum: [{ value: "it's" }, { value: '*/' }, { value: 'a-b' }, { value: '1abc' }, { value: '\${x}' }, { value: '__proto__' }]\n`,
      }),
    },
  ],
  'awkward',
);

let rules: Map<string, RuleProbe>;
let history: Map<string, ProbeOutcome>;
beforeAll(() => {
  const run = probeRulePairs([
    { id: 'history against', probeOf: before, clientOf: real },
    { id: 'real self', probeOf: real, clientOf: real },
    { id: 'before self', probeOf: before, clientOf: before },
    { id: 'awkward self', probeOf: awkward, clientOf: awkward },
  ]);
  rules = run.rules;
  history = run.extra;
}, 120_000);

function problems(outcome: ProbeOutcome): string[] {
  return outcome.failures.map(describeFailure);
}

describe('every probe compiles against its own spec\'s client', () => {
  it('the real spec, and the real spec as it was before the 2026 changes', () => {
    expect(problems(history.get('real self')!)).toEqual([]);
    expect(problems(history.get('before self')!)).toEqual([]);
  });

  it('a spec whose names are not identifiers (`a-b`, `class`, `__proto__`, `*/`, `${x}`, quotes): every name is escaped', () => {
    expect(problems(history.get('awkward self')!)).toEqual([]);
    const text = history.get('awkward self')!.text;
    expect(text).toContain('["a-b"]: \'x\',');
    expect(text).toContain('case Odd["*\\/"]:');
    expect(text).not.toContain('*/');
  });

  it.each(RULE_PAIRS.map((p) => p.rule))('both sides of the %s example (an unchanged pair compiles cleanly)', (rule) => {
    expect(problems(rules.get(rule)!.baseSelf)).toEqual([]);
    expect(problems(rules.get(rule)!.headSelf)).toEqual([]);
  });
});

/** What is wrong with `rule`'s level given what the compiler says, or undefined. */
function disagreement(rule: Rule, outcome: ProbeOutcome): string | undefined {
  const said = verdict(outcome.failures);
  const first = outcome.failures.find((f) => f.kind === 'use') ?? outcome.failures[0];
  const where = first ? `; first: ${describeFailure(first)}` : '';
  const at = `rule ${rule.id} is ${rule.level}, but the base's probe against the head's client`;
  if (said === 'breaking' && rule.level !== 'breaking') return `${at} stops compiling${where}`;
  if (said !== 'breaking' && rule.level === 'breaking' && !rule.runtimeBreak)
    return `${at} ${said === 'compiles' ? 'compiles' : 'fails only in exhaustive code'}${where} (make it a warning or info, or document the run-time break in rules.ts: runtimeBreak)`;
  if (said === 'exhaustive-only' && rule.level === 'info') return `${at} fails in exhaustive code${where}: that is a warning`;
  return undefined;
}

describe('each rule\'s level agrees with the compiler', () => {
  it.each(RULE_PAIRS.map((p) => p.rule))('%s', (id) => {
    const rule = RULE_BY_ID.get(id);
    expect(rule, `${id} has a pair but no rule`).toBeDefined();
    expect(disagreement(rule!, rules.get(id)!.against)).toBeUndefined();
  });

  it('the checker itself notices a level the compiler contradicts', () => {
    const removed = rules.get('response-property-removed')!.against;
    expect(disagreement({ id: 'x', level: 'warning', bump: 'minor', title: '' }, removed)).toMatch(/^rule x is warning, but the base's probe against the head's client stops compiling; first: probe line \d+ \(use\): `const v\d+: number \| undefined = r\.count;` TS2339/);
    const compiles = rules.get('response-property-added')!.against;
    expect(disagreement({ id: 'y', level: 'breaking', bump: 'major', title: '' }, compiles)).toMatch(/compiles \(make it a warning or info, or document the run-time break/);
    expect(disagreement({ id: 'y', level: 'breaking', bump: 'major', title: '', runtimeBreak: 'it now fails' }, compiles)).toBeUndefined();
    const exhaustive = rules.get('response-property-enum-value-added')!.against;
    expect(disagreement({ id: 'z', level: 'info', bump: 'minor', title: '' }, exhaustive)).toMatch(/fails in exhaustive code; first: .*`const unhandled: never = s\d+;` TS2322/);
  });

  it('the rules the compiler corrected fail where their messages say', () => {
    const texts = (id: string) => rules.get(id)!.against.failures.filter((f) => f.kind === 'use').map((f) => `${f.text} ${f.code}`);
    expect(texts('response-error-code-removed')).toContain("import { BotLimitExceededError } from '@b24gen/imbot-v2'; TS2305");
    expect(texts('response-error-code-renamed')).toContain("import { FolderError } from '@b24gen/imbot-v2'; TS2305");
    expect(texts('response-property-enum-value-removed')).toContain('case Mode.push: TS2339');
    expect(texts('response-property-became-optional')).toContainEqual(expect.stringMatching(/^const v\d+: boolean = r\.result; TS2322$/));
    expect(texts('response-error-code-removed-class-kept')).toEqual([]);
  });

  it('their messages name what stops compiling, in the words of the client', () => {
    const messages = (id: string) => {
      const pair = RULE_PAIRS.find((p) => p.rule === id)!;
      return compareApis(pairSpec(pair, 'base'), pairSpec(pair, 'head')).map((c) => c.message);
    };
    const one = (id: string) => {
      const all = messages(id);
      expect(all, id).toHaveLength(1);
      return all[0];
    };
    expect(one('response-error-code-removed')).toMatch(/BotLimitExceededError is no longer exported.*imports and instanceof checks of it stop compiling/);
    expect(one('response-error-code-renamed')).toMatch(/FOLDER_ERROR is now FILE_FOLDER_ERROR.*FileFolderError.*FolderError is no longer exported/);
    expect(one('response-property-enum-value-removed')).toMatch(/Mode\.push no longer exists/);
    expect(one('response-property-became-optional')).toMatch(/may now be missing.*strict/);
    expect(one('x-scope-changed')).toMatch(/needs scope im instead of imbot.*insufficient_scope/);
  });
});

describe('the 2026 history on the real spec, method by method', () => {
  it('a method or event stops compiling exactly when the diff reports a breaking change on it (or a documented run-time break)', () => {
    // Per method or event: a type's change counts at every place it reaches, with that place's level.
    const changes = compareApis(before, real).flatMap((c) =>
      c.kind === 'type' ? (c.reaches ?? []).map((r) => ({ method: r.name, rule: r.rule, level: r.level })) : [{ method: c.subject, rule: c.rule, level: c.level }],
    );
    const outcome = history.get('history against')!;
    const broken = new Map<string, string>();
    for (const f of outcome.failures) if (f.kind === 'use') for (const o of f.owners.length > 0 ? f.owners : ['(no owner)']) if (!broken.has(o)) broken.set(o, describeFailure(f));
    const breaking = new Set(changes.filter((c) => c.level === 'breaking').map((c) => c.method));
    const mustBreak = new Set(changes.filter((c) => c.level === 'breaking' && !RULE_BY_ID.get(c.rule)?.runtimeBreak).map((c) => c.method));
    const wrong: string[] = [];
    for (const [owner, first] of broken) if (!breaking.has(owner)) wrong.push(`${owner} stops compiling but has no breaking change: ${first}`);
    for (const m of mustBreak) if (!broken.has(m)) wrong.push(`${m} has breaking changes (${changes.filter((c) => c.method === m && c.level === 'breaking').map((c) => c.rule).join(', ')}) but its probe still compiles`);
    const noted = new Set(changes.filter((c) => c.level !== 'info').map((c) => c.method));
    for (const f of outcome.failures) if (f.kind === 'exhaustive' && !f.owners.some((o) => noted.has(o))) wrong.push(`${f.owners.join(', ')} fails in exhaustive code but has no warning: ${describeFailure(f)}`);
    expect(wrong).toEqual([]);
    // The replay is not vacuous: the real breaks are seen by the compiler.
    expect([...broken.keys()].sort()).toEqual(expect.arrayContaining(['imbot.v2.Chat.leave', 'imbot.v2.Command.register', 'imbot.v2.Command.update']));
  });
});

describe('RULES.md', () => {
  it('is what render-rules-md.ts writes from the rules, the pairs and these probes (run it after a change: npx tsx test/fixtures/diff/render-rules-md.ts)', () => {
    expect(readFileSync(RULES_MD, 'utf8')).toBe(renderRulesMd(rules));
  });
});
