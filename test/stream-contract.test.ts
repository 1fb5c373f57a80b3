import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planOutput } from '../generator/emit/index.js';
import { loadSpecTexts, readSpecDir } from '../generator/load/index.js';

/**
 * The bound bot's events() stream reads imbot.v2.Event.get's answer as an EventPage. A spec whose
 * Event.get stops fitting it used to print a client.ts that did not compile
 * (`ResponsePromise<ImbotV2EventGetResult>` not assignable to `Promise<EventPage>`); the
 * generator refuses it, at the method's place, before anything prints.
 */
const FILE = 'imbot.v2/Event.get.yaml';

function planWith(edit: (text: string) => string): () => unknown {
  const texts = readSpecDir(resolve('spec')).map((t) => (t.path === FILE ? { ...t, text: edit(t.text) } : t));
  return () => planOutput(loadSpecTexts(texts, 'spec'));
}

describe("Event.get and the events() stream's contract", () => {
  it('the real spec fits it', () => {
    expect(planWith((t) => t)).not.toThrow();
  });

  it.each([
    ['nextOffset optional', (t: string) => t.replace(/(nextOffset:\n\s+type: integer\n) +required: true\n/, '$1'), 'result.nextOffset must be a required, non-null integer'],
    ['nextOffset nullable', (t: string) => t.replace(/(nextOffset:\n\s+type: integer\n)/, '$1      nullable: true\n'), 'result.nextOffset must be a required, non-null integer'],
    ['hasMore a string', (t: string) => t.replace(/(hasMore:\n\s+type: )boolean/, '$1string'), 'result.hasMore must be a required, non-null boolean'],
    ['offset required', (t: string) => t.replace(/(  offset:\n)/, '$1    required: true\n'), 'params.offset must be an optional integer'],
  ])('refuses a spec with %s, located, saying why', (_name, edit, message) => {
    const plan = planWith(edit);
    expect(plan).toThrow(message);
    expect(plan).toThrow(/^spec\/imbot\.v2\/Event\.get\.yaml:1:9: imbot\.v2\.Event\.get: /m);
    expect(plan).toThrow(/events\(\) stream/);
  });
});
