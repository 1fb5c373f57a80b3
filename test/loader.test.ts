import { describe, expect, it } from 'vitest';
import { emit } from '../generator/emit/index.js';
import { loadSpec, loadSpecTexts, SpecError, type SpecText } from '../generator/load/index.js';
import { specWith, VALID_METHOD } from './support/spec-texts.js';

const FILE = 'spec/imbot.v2/Test.ping.yaml';

/** Runs load + emit planning (where name collisions are found) and returns the error text. */
async function problemsOf(texts: SpecText[]): Promise<string> {
  try {
    await emit(loadSpecTexts(texts, 'spec'));
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).message;
  }
  throw new Error('expected the spec to be refused');
}

const edit = (from: string, to: string) => {
  expect(VALID_METHOD).toContain(from);
  return specWith(VALID_METHOD.replace(from, to));
};

describe('a valid spec', () => {
  it('loads the fixture method and the real spec without problems', async () => {
    const api = loadSpecTexts(specWith(), 'spec');
    expect(api.methods.map((m) => m.name)).toEqual(['imbot.v2.Test.ping']);
    expect(api.methods[0].params.properties.map((p) => [p.name, p.required])).toEqual([
      ['botId', true],
      ['duration', false],
    ]);
    expect(loadSpec('spec').methods.length).toBeGreaterThan(0);
  });
});

describe('every problem is reported at file:line:col', () => {
  const cases: [string, SpecText[], string][] = [
    ['a YAML syntax error', edit('summary: Ping.', 'summary: [Ping.'), `${FILE}:3:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`],
    ['a duplicate key', edit('scope: imbot', 'scope: imbot\nscope: im'), `${FILE}:5:1: YAML: duplicate key (each key may appear once in a map)`],
    ['a value of the wrong type', edit('maximum: 600', 'maximum: many'), `${FILE}:14:14: params.duration.maximum must be a number`],
    ['a mistyped key', edit('    required: true\n  duration', '    requird: true\n  duration'), `${FILE}:10:5: params.botId.requird: unknown key "requird"; did you mean "required"?`],
    ['a missing required key', edit('summary: Ping.\n', ''), `${FILE}:1:1: the file is missing the required key "summary"`],
    ['an unknown type reference', edit('$ref: BotId', '$ref: BotID'), `${FILE}:9:11: params.botId.$ref: unknown type "BotID"; did you mean "BotId"?`],
    ['an unnamed enum', edit('    minimum: 1\n    maximum: 600', '    enum:\n      - value: 1'), `${FILE}:13:5: params.duration.enum: enums must be named so users can import them; declare it under \`types:\` and use \`$ref\``],
    ['a type declared twice', specWith(VALID_METHOD + 'types:\n  BotId:\n    type: string\n'), `${FILE}:27:3: type BotId is declared twice: here and at spec/common/types.yaml:2:3`],
    ['a method in the wrong file', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\n' }, { path: 'imbot.v2/Test.pong.yaml', text: VALID_METHOD }], 'spec/imbot.v2/Test.pong.yaml:1:9: method imbot.v2.Test.ping must be specified in spec/imbot.v2/Test.ping.yaml, not in spec/imbot.v2/Test.pong.yaml'],
    ['an error code listed twice', specWith(VALID_METHOD + '  - code: BOT_NOT_FOUND\n    status: 404\n    message: x\n'), `${FILE}:26:5: errors[1]: code BOT_NOT_FOUND is already listed at ${FILE}:23:5`],
    ['an empty range', edit('minimum: 1\n    maximum: 600', 'minimum: 700\n    maximum: 600'), `${FILE}:13:14: params.duration.minimum (700) is greater than maximum (600)`],
    ['an array without items', edit('    type: integer\n    minimum: 1\n    maximum: 600', '    type: array'), `${FILE}:12:5: params.duration is an array and needs \`items\` (the type of its elements)`],
    ['an error with a success status', edit('status: 400', 'status: 200'), `${FILE}:24:13: errors[0].status must be an error status (400-599), got 200`],
    ['an invalid pattern', edit('    type: integer\n    minimum: 1\n    maximum: 600', '    type: string\n    pattern: "([a-z"'), `${FILE}:13:14: params.duration.pattern is not a valid regular expression: Invalid regular expression: /([a-z/u: Unterminated character class`],
    ['method keys in a shared file', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\nsummary: x\n' }], 'spec/common/types.yaml:4:1: summary belongs to a method file: add `method:` or move it to one'],
    ['an error status among the success statuses', edit('statuses: [200]', 'statuses: [404]'), `${FILE}:21:12: statuses[0] must be a success status (200-299), got 404; errors go under \`errors\``],
    ['a malformed method name', edit('method: imbot.v2.Test.ping', 'method: imbot v2'), `${FILE}:1:9: method must be a dotted REST method name such as imbot.v2.Chat.Message.send (got "imbot v2")`],
    ['a constraint next to $ref', edit('    $ref: BotId\n', '    $ref: BotId\n    minimum: 3\n'), `${FILE}:10:5: params.botId.minimum cannot go with $ref; put it on the named type BotId`],
    ['a constraint that does not fit the type', edit('    minimum: 1\n    maximum: 600', '    maxLength: 3'), `${FILE}:13:5: params.duration.maxLength does not apply to type integer`],
    ['two codes that map to one class', specWith(VALID_METHOD + '  - code: bot_not_found\n    status: 400\n    message: x\n'), `${FILE}:26:5: error code bot_not_found would be generated as BotNotFoundError, the same name as error code BOT_NOT_FOUND at ${FILE}:23:5; rename one of them`],
    ['a type named like a generated symbol', specWith(VALID_METHOD + 'types:\n  ImbotV2TestPingParams:\n    type: string\n'), `${FILE}:1:9: method imbot.v2.Test.ping would be generated as ImbotV2TestPingParams, the same name as type ImbotV2TestPingParams at ${FILE}:27:3; rename one of them`],
    ['a type named like a runtime export', specWith(VALID_METHOD + 'types:\n  Bitrix24Error:\n    type: string\n'), `${FILE}:27:3: type Bitrix24Error would be generated as Bitrix24Error, the same name as exported by the runtime (generator/runtime); rename one of them`],
    ['an event in the wrong file', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\n' }, { path: 'imbot.v2/ONIMBOTV2PING.yaml', text: 'event: ONIMBOTV2PING\nsummary: Pinged.\ndocs: https://apidocs.bitrix24.com/x.html\ndata:\n  type: object\n  properties:\n    botId: { $ref: BotId, required: true }\n' }], 'spec/imbot.v2/ONIMBOTV2PING.yaml:1:8: event ONIMBOTV2PING must be specified in spec/<namespace>/events/ONIMBOTV2PING.yaml (such as spec/imbot.v2/events/ONIMBOTV2PING.yaml), not in spec/imbot.v2/ONIMBOTV2PING.yaml'],
    ['method keys in an event file', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\n' }, { path: 'imbot.v2/events/ONIMBOTV2PING.yaml', text: 'event: ONIMBOTV2PING\nsummary: Pinged.\ndocs: https://apidocs.bitrix24.com/x.html\ndata:\n  type: object\n  properties:\n    botId: { $ref: BotId, required: true }\nscope: imbot\n' }], 'spec/imbot.v2/events/ONIMBOTV2PING.yaml:8:1: scope belongs to a method file; an event file has event, summary, description, docs and data'],
    ['event data in a shared file', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\ndata: { type: object }\n' }], 'spec/common/types.yaml:4:1: data belongs to an event file: add `event:` or move it to one'],
    ['an event with an unknown type', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\n' }, { path: 'imbot.v2/events/ONIMBOTV2PING.yaml', text: 'event: ONIMBOTV2PING\nsummary: Pinged.\ndocs: https://apidocs.bitrix24.com/x.html\ndata:\n  type: object\n  properties:\n    botId: { $ref: BotId, required: true }\n'.replace('BotId', 'BotID') }], 'spec/imbot.v2/events/ONIMBOTV2PING.yaml:7:20: data.properties.botId.$ref: unknown type "BotID"; did you mean "BotId"?'],
    ['a malformed event name', [{ path: 'imbot.v2/events/onPing.yaml', text: 'event: ONIMBOTV2PING\nsummary: Pinged.\ndocs: https://apidocs.bitrix24.com/x.html\ndata:\n  type: object\n  properties:\n    botId: { $ref: BotId, required: true }\n'.replace('event: ONIMBOTV2PING', 'event: onPing').replace('$ref: BotId', 'type: integer') }], 'spec/imbot.v2/events/onPing.yaml:1:8: event does not have the expected form (got "onPing")'],
    ['notIdempotentWhen naming no param', edit('idempotent: true\n', 'idempotent: true\nnotIdempotentWhen:\n  - param: fields.botToken\n'), `${FILE}:8:12: notIdempotentWhen[0].param: imbot.v2.Test.ping has no param \`fields\` (its params: \`botId\`, \`duration\`); name a param as a path of names joined by \`.\`, such as fields.botToken`],
    ['notIdempotentWhen going into a param that has no members', edit('idempotent: true\n', 'idempotent: true\nnotIdempotentWhen:\n  - param: botId.value\n'), `${FILE}:8:12: notIdempotentWhen[0].param: \`botId\` of imbot.v2.Test.ping is not an object with properties, so \`botId.value\` names no param`],
    ['notIdempotentWhen on a method that is not idempotent', edit('idempotent: true\n', 'idempotent: false\nnotIdempotentWhen:\n  - param: duration\n'), `${FILE}:7:1: notIdempotentWhen only applies to a method marked \`idempotent: true\` (the client never repeats the others); remove it or mark the method idempotent`],
    ['an extra scope that is the method scope', edit('scope: imbot\n', 'scope: imbot\nextraScopes:\n  - { scope: imbot, when: duration }\n'), `${FILE}:6:14: extraScopes[0].scope: imbot is already the method's \`scope\`; list only further scopes`],
    ['notIdempotentWhen in an event file', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\n' }, { path: 'imbot.v2/events/ONIMBOTV2PING.yaml', text: 'event: ONIMBOTV2PING\nsummary: Pinged.\ndocs: https://apidocs.bitrix24.com/x.html\ndata:\n  type: object\n  properties:\n    botId: { $ref: BotId, required: true }\nnotIdempotentWhen:\n  - param: botId\n' }], 'spec/imbot.v2/events/ONIMBOTV2PING.yaml:8:1: notIdempotentWhen belongs to a method file; an event file has event, summary, description, docs and data'],
    ['a method named like a prototype key', [{ path: 'common/types.yaml', text: 'types:\n  BotId:\n    type: integer\n' }, { path: 'imbot.v2/Test.constructor.yaml', text: VALID_METHOD.replace('method: imbot.v2.Test.ping', 'method: imbot.v2.Test.constructor') }], 'spec/imbot.v2/Test.constructor.yaml:1:9: method: "constructor" in "imbot.v2.Test.constructor" cannot be a client property; each part after the namespace must be a plain identifier other than __proto__, constructor or prototype'],
    ['open on a type that is not an enum', specWith(VALID_METHOD + 'types:\n  Kind:\n    type: string\n    open: true\n'), `${FILE}:29:5: types.Kind.open applies only to a named enum (a type under \`types:\` with \`enum:\`); remove it here`],
    ['a result example of the wrong type', edit('      required: true\nstatuses', '      required: true\n  example:\n    result: "yes"\nstatuses'), `${FILE}:22:5: result example, result: expected a boolean, got string; make the example match the result type (or remove \`example\` and let docs-sync copy the docs' example again)`],
    ['a result example without a required member', edit('      required: true\nstatuses', '      required: true\n  example: {}\nstatuses'), `${FILE}:21:12: result example, result: is required; make the example match the result type (or remove \`example\` and let docs-sync copy the docs' example again)`],
    ['a result example with a member the result lacks', edit('      required: true\nstatuses', '      required: true\n  example: { result: true, extra: 1 }\nstatuses'), `${FILE}:21:12: result example, extra: is not in the result type; make the example match the result type (or remove \`example\` and let docs-sync copy the docs' example again)`],
    ['open next to $ref', specWith(VALID_METHOD.replace('    $ref: BotId\n', '    $ref: BotId\n    open: true\n')), `${FILE}:10:5: params.botId.open cannot go with $ref; put it on the named type BotId`],
    ['open that is not a boolean', specWith(VALID_METHOD + 'types:\n  Kind:\n    type: string\n    open: yes\n    enum: [{ value: a }]\n'), `${FILE}:29:11: types.Kind.open must be a boolean`],
    [
      'a type with an open enum used in params and in a result',
      specWith(
        VALID_METHOD.replace('  duration:\n', '  where: { $ref: Place }\n  duration:\n').replace('      required: true\nstatuses', '      required: true\n    place: { $ref: Place }\nstatuses') +
          'types:\n  Kind:\n    type: string\n    open: true\n    enum: [{ value: a }]\n  Place:\n    type: object\n    properties:\n      kind: { $ref: Kind }\n',
      ),
      `${FILE}:33:3: type Place reaches the open enum Kind and is used both in params (${FILE}:11:10) and in a result or event (${FILE}:22:12); an open enum is closed in params and open in what users read, so one declaration cannot serve both: declare a separate type for each side`,
    ],
    ['eventOf in params', edit('  duration:\n', '  events:\n    type: object\n    eventOf: { namespaces: [imbot.v2], nameProperty: type, dataProperty: data }\n  duration:\n'), `${FILE}:13:5: eventOf describes events users read, so it may only appear in a method's result, not in params`],
    ['eventOf on a type that is not an object', edit('      type: boolean\n', '      type: boolean\n      eventOf: { namespaces: [imbot.v2], nameProperty: type, dataProperty: data }\n'), `${FILE}:20:7: result.properties.result.eventOf does not apply to type boolean`],
    ['eventOf with a key missing', edit('      type: boolean\n      required: true\n', '      type: object\n      required: true\n      eventOf: { namespaces: [imbot.v2], nameProperty: type }\n'), `${FILE}:21:16: result.properties.result.eventOf is missing the required key "dataProperty"`],
    [
      'eventOf naming a namespace without events, and members it lacks',
      edit('      type: boolean\n      required: true\n', '      type: object\n      required: true\n      eventOf: { namespaces: [imbot.v3], nameProperty: type, dataProperty: data }\n      properties:\n        type: { type: integer }\n'),
      [
        `${FILE}:21:7: eventOf.dataProperty: the object needs a property "data" of \`type: object\` without properties (each event's data type comes from its event file)`,
        `${FILE}:21:7: eventOf.namespaces: "imbot.v3" has no events (spec/imbot.v3/events/*.yaml)`,
        `${FILE}:23:9: eventOf.nameProperty: the object needs a property "type" of \`type: string\` (each event narrows it to its own name)`,
      ].join('\n'),
    ],
  ];

  it.each(cases)('%s', async (_name, texts, expected) => {
    expect(await problemsOf(texts)).toBe(expected);
  });

  it('reports every problem of every file in one run, sorted by place', async () => {
    const broken = VALID_METHOD.replace('maximum: 600', 'maximum: many');
    const rename = (name: string) => VALID_METHOD.replace('imbot.v2.Test.ping', `imbot.v2.Test.${name}`);
    const others = [
      { path: 'imbot.v2/Test.other.yaml', text: rename('other').replace('scope: imbot', 'scope: 5') },
      { path: 'imbot.v2/Test.third.yaml', text: rename('third').replace('$ref: BotId', '$ref: Nope') },
    ];
    const message = await problemsOf(specWith(broken, others));
    expect(message.split('\n')).toEqual([
      'spec/imbot.v2/Test.other.yaml:4:8: scope must be a string',
      `${FILE}:14:14: params.duration.maximum must be a number`,
      'spec/imbot.v2/Test.third.yaml:9:11: params.botId.$ref: unknown type "Nope"; declare it under `types:` (in spec/common/types.yaml when shared)',
    ]);
  });

  it('refuses a client path that is both a method and a group', async () => {
    const group = { path: 'imbot.v2/Test.ping.deeper.yaml', text: VALID_METHOD.replace('imbot.v2.Test.ping', 'imbot.v2.Test.ping.deeper') };
    expect(await problemsOf(specWith(VALID_METHOD, [group]))).toBe(
      `spec/imbot.v2/Test.ping.deeper.yaml:1:9: client path client.imbot.v2.Test.ping would be both a method and a group: method imbot.v2.Test.ping.deeper clashes with imbot.v2.Test.ping at ${FILE}:1:9`,
    );
  });

  it.each(['bot', 'batch', 'setTokens'])('refuses a namespace named like the client member %s', async (member) => {
    const text = VALID_METHOD.replace('imbot.v2.Test.ping', `${member}.v2.Test.ping`);
    const texts = specWith(VALID_METHOD, [{ path: `${member}.v2/Test.ping.yaml`, text }]);
    expect(await problemsOf(texts)).toMatch(new RegExp(`^spec/${member}\\.v2/Test\\.ping\\.yaml:1:9: method ${member}\\.v2\\.Test\\.ping: the namespace cannot start with "${member}" \\(client\\.${member} is `));
  });

  it('names the spec folder when it cannot be read', () => {
    expect(() => loadSpec('no/such/folder')).toThrowError('no/such/folder:1:1: cannot read the spec folder (does it exist?)');
  });
});
