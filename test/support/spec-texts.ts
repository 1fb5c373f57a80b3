import type { SpecText } from '../../generator/load/index.js';

/** A small valid method file; tests change one thing in it and check the loader's message. */
export const VALID_METHOD = `method: imbot.v2.Test.ping
summary: Ping.
docs: https://apidocs.bitrix24.com/test.html
scope: imbot
access: anyone
idempotent: true
params:
  botId:
    $ref: BotId
    required: true
  duration:
    type: integer
    minimum: 1
    maximum: 600
result:
  type: object
  properties:
    result:
      type: boolean
      required: true
statuses: [200]
errors:
  - code: BOT_NOT_FOUND
    status: 400
    message: Bot not found
`;

export const COMMON_TYPES = `types:
  BotId:
    type: integer
    minimum: 1
`;

/** The valid method plus the shared types, with `method` replaced by `text` when given. */
export function specWith(method: string = VALID_METHOD, extra: SpecText[] = []): SpecText[] {
  return [
    { path: 'common/types.yaml', text: COMMON_TYPES },
    { path: 'imbot.v2/Test.ping.yaml', text: method },
    ...extra,
  ];
}
