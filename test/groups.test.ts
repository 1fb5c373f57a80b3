import { describe, expect, it } from 'vitest';
import { loadSpec, loadSpecTexts, SpecError, type SpecText } from '../generator/load/index.js';
import { emitReadme } from '../generator/emit/readme-file.js';
import { eventsGroupOf, groupOf } from '../generator/model/ir.js';
import { specWith, VALID_METHOD } from './support/spec-texts.js';

/**
 * `groups:` in spec/common/: what each group of methods and each namespace's events are about
 * (the OpenAPI tags' descriptions). Loaded into the IR; once a spec describes any group, a group
 * in use without a description, or a description of a group nobody is in, is refused at
 * file:line:col.
 */

const GROUPS = 'spec/common/groups.yaml';
const EVENT = {
  path: 'imbot.v2/events/ONIMBOTV2PING.yaml',
  text: 'event: ONIMBOTV2PING\nsummary: Pinged.\ndocs: https://apidocs.bitrix24.com/x.html\ndata:\n  type: object\n  properties:\n    botId: { $ref: BotId, required: true }\n',
};
const groups = (text: string, path = 'common/groups.yaml'): SpecText => ({ path, text });
const BOTH = `groups:
  imbot.v2.Test:
    description: Methods to test with.
    docs: https://apidocs.bitrix24.com/test/index.html
  imbot.v2.events:
    description: What the bot hears.
`;

function problemsOf(texts: SpecText[]): string {
  try {
    loadSpecTexts(texts, 'spec');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).message;
  }
  throw new Error('expected the spec to be refused');
}

describe('group descriptions', () => {
  it('are loaded into the IR, sorted by name, with their index page', () => {
    const api = loadSpecTexts(specWith(VALID_METHOD, [EVENT, groups(BOTH)]), 'spec');
    expect(api.groups.map(({ name, description, docs }) => ({ name, description, docs }))).toEqual([
      { name: 'imbot.v2.Test', description: 'Methods to test with.', docs: 'https://apidocs.bitrix24.com/test/index.html' },
      { name: 'imbot.v2.events', description: 'What the bot hears.', docs: undefined },
    ]);
    expect(api.groups[0].at).toEqual({ file: GROUPS, line: 2, col: 3 });
  });

  it('are optional for a spec that describes no group (test fixtures, small specs)', () => {
    expect(loadSpecTexts(specWith(VALID_METHOD, [EVENT]), 'spec').groups).toEqual([]);
  });

  it('cover every group of the real spec', () => {
    const api = loadSpec('spec');
    const inUse = new Set([...api.methods.map(groupOf), ...api.events.map((e) => eventsGroupOf(e.namespace))]);
    expect(api.groups.map((g) => g.name)).toEqual([...inUse].sort());
    for (const g of api.groups) {
      expect(g.description.length, g.name).toBeGreaterThan(20);
      expect(g.docs, g.name).toMatch(/^https:\/\/apidocs\.bitrix24\.com\/api-reference\/chat-bots\/chat-bots-v2\/.+\.html$/);
    }
  });

  const cases: [string, SpecText[], string[]][] = [
    [
      'a method group without a description, at the method',
      specWith(VALID_METHOD, [EVENT, groups('groups:\n  imbot.v2.events:\n    description: What the bot hears.\n')]),
      ['spec/imbot.v2/Test.ping.yaml:1:9: group imbot.v2.Test (of method imbot.v2.Test.ping) has no description; add `imbot.v2.Test: { description: ..., docs: ... }` under `groups:` in spec/common/groups.yaml'],
    ],
    [
      "a namespace's events without a description, at the first event",
      specWith(VALID_METHOD, [EVENT, groups('groups:\n  imbot.v2.Test:\n    description: Methods to test with.\n')]),
      ['spec/imbot.v2/events/ONIMBOTV2PING.yaml:1:8: group imbot.v2.events (of event ONIMBOTV2PING) has no description; add `imbot.v2.events: { description: ..., docs: ... }` under `groups:` in spec/common/groups.yaml'],
    ],
    [
      'a described group nobody is in, with the likely intended name',
      specWith(VALID_METHOD, [groups('groups:\n  imbot.v2.Tset:\n    description: Methods to test with.\n')]),
      [
        'spec/common/groups.yaml:2:3: groups: no method or event is in group imbot.v2.Tset; did you mean imbot.v2.Test?',
        'spec/imbot.v2/Test.ping.yaml:1:9: group imbot.v2.Test (of method imbot.v2.Test.ping) has no description; add `imbot.v2.Test: { description: ..., docs: ... }` under `groups:` in spec/common/groups.yaml',
      ],
    ],
    [
      'a group described twice',
      specWith(VALID_METHOD, [groups('groups:\n  imbot.v2.Test:\n    description: One.\n'), groups('groups:\n  imbot.v2.Test:\n    description: Two.\n', 'common/more.yaml')]),
      ['spec/common/more.yaml:2:3: group imbot.v2.Test is already described at spec/common/groups.yaml:2:3'],
    ],
    [
      'groups outside spec/common/',
      specWith(VALID_METHOD + 'groups:\n  imbot.v2.Test:\n    description: Here.\n'),
      ['spec/imbot.v2/Test.ping.yaml:26:1: groups may only be declared in spec/common/ (such as spec/common/groups.yaml)'],
    ],
    [
      'an empty description',
      specWith(VALID_METHOD, [groups('groups:\n  imbot.v2.Test:\n    description: ""\n')]),
      ['spec/common/groups.yaml:3:18: groups["imbot.v2.Test"].description must not be empty'],
    ],
    [
      'a missing description',
      specWith(VALID_METHOD, [groups('groups:\n  imbot.v2.Test:\n    docs: https://apidocs.bitrix24.com/test/index.html\n')]),
      ['spec/common/groups.yaml:3:5: groups["imbot.v2.Test"] is missing the required key "description"'],
    ],
    [
      'docs that are not an https link, and an unknown key',
      specWith(VALID_METHOD, [groups('groups:\n  imbot.v2.Test:\n    description: Methods.\n    docs: apidocs.bitrix24.com/test\n    summary: x\n')]),
      [
        'spec/common/groups.yaml:4:11: groups["imbot.v2.Test"].docs must be an https:// link to the official page (got "apidocs.bitrix24.com/test")',
        'spec/common/groups.yaml:5:5: groups["imbot.v2.Test"].summary: unknown key "summary" (known keys: description, docs)',
      ],
    ],
  ];

  it.each(cases)('refuses %s', (_name, texts, expected) => {
    expect(problemsOf(texts).split('\n')).toEqual(expected);
  });
});

describe('the generated README', () => {
  const other = { path: 'imbot.v2/Other.pong.yaml', text: VALID_METHOD.replace('imbot.v2.Test.ping', 'imbot.v2.Other.pong') };
  const hostile = `groups:
  imbot.v2.Test:
    description: "Pipes | and <b>tags</b> # [links](javascript:alert(1))"
    docs: https://apidocs.bitrix24.com/test/index.html
  imbot.v2.Other:
    description: Others.
    docs: "https://apidocs.bitrix24.com/a page (x)"
`;

  it('puts each group under its heading, with its description as text and its page as a link', () => {
    const readme = emitReadme(loadSpecTexts(specWith(VALID_METHOD, [other, groups(hostile)]), 'spec'));
    const methods = readme.slice(readme.indexOf('## Methods'), readme.indexOf('## License'));
    const lines = methods.split('\n').filter((l) => l.startsWith('#') || l.startsWith('| [') || /\(\[overview\]/.test(l));
    expect(lines).toEqual([
      '## Methods',
      '### imbot.v2',
      '#### imbot.v2.Other',
      'Others. ([overview](https://apidocs.bitrix24.com/a%20page%20%28x%29))',
      '| [imbot.v2.Other.pong](https://apidocs.bitrix24.com/test.html) | Ping. | yes |',
      '#### imbot.v2.Test',
      'Pipes \\| and \\<b\\>tags\\</b\\> \\# \\[links\\]\\(javascript:alert\\(1\\)\\) ([overview](https://apidocs.bitrix24.com/test/index.html))',
      '| [imbot.v2.Test.ping](https://apidocs.bitrix24.com/test.html) | Ping. | yes |',
    ]);
  });

  it('keeps one table per namespace for a spec without group descriptions', () => {
    const readme = emitReadme(loadSpecTexts(specWith(VALID_METHOD, [other]), 'spec'));
    expect(readme).not.toContain('####');
    expect(readme).toContain('### imbot.v2\n\n| Method | What it does | Repeat-safe |');
  });
});
