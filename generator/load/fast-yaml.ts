import jsyaml from 'js-yaml';

/**
 * A spec file's data without positions, about six times faster than `yaml` builds its document
 * (407 files: 0.1 s against 0.65 s): js-yaml, with the scalars resolved exactly as `yaml`
 * resolves them (YAML 1.2's core schema, below). Positions are needed only for messages, and
 * those parse the file again with `yaml` (places.ts); a file this cannot vouch for is parsed
 * with `yaml` from the start (spec-file.ts), so its data and its messages are `yaml`'s.
 *
 * Where the two parsers would not give the same data, `quickParse` answers undefined:
 * - js-yaml refuses the text (a syntax error, a duplicate key, an unknown tag, nesting deeper
 *   than 100): `yaml` then says what is wrong, with its own message and place;
 * - a `%` directive (`%YAML 1.1` switches `yaml` to another schema);
 * - an anchor (so no aliases: no shared or exploding data, no alias used as a key);
 * - an explicit key (`? `) or a flow collection used as a key (`[a]: b`): `yaml` turns such a
 *   key into its YAML text, js-yaml into its JavaScript string;
 * - a null key (`~:`, `null:`, an empty key): `yaml` makes it "", js-yaml "null";
 * - an empty document: `yaml` gives null, js-yaml undefined.
 * The text tests are coarse (a description holding `? ` or ` &x` also falls back): falling back
 * costs time, never a difference. test/fast-yaml.test.ts compares both parsers' data on the real
 * spec, the fixtures, hostile fuzz files and every YAML style.
 */
export function quickParse(text: string): { data: unknown } | undefined {
  if (NOT_QUICK.test(text)) return undefined;
  let data: unknown;
  try {
    data = jsyaml.load(text, { schema: CORE });
  } catch {
    return undefined;
  }
  // An empty document: `yaml` gives null, js-yaml undefined.
  return data === undefined ? undefined : { data: withNulls(data) };
}

/** A directive, an anchor, an explicit key, a flow collection followed by `:`, or an empty key. */
const NOT_QUICK = /^%|(?:^|[\s[{,])(?:&[^\s,[\]{}]|\?(?:\s|$))|[\]}][ \t]*:|(?:^|[[{,])[ \t]*:/m;

/**
 * What js-yaml is given for a null: as a map key it throws (js-yaml keeps an object with its own
 * `Symbol.toStringTag` and calls its `toString`), so a file with a null key falls back to `yaml`;
 * as a value `withNulls` turns it back into `null`.
 */
class NullScalar {
  get [Symbol.toStringTag](): string {
    return 'NullScalar';
  }
  toString(): string {
    throw new Error('a null map key');
  }
}
const NULL = new NullScalar();

function withNulls(value: unknown): unknown {
  if (value === NULL) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = withNulls(value[i]);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = withNulls(record[key]);
  }
  return value;
}

// YAML 1.2's core schema as yaml 2 resolves plain scalars (yaml/dist/schema/core): the same
// patterns and the same conversions, so a number or a boolean is the same value from either.
const NULL_PATTERN = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_PATTERN = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (s: string) => NULL_PATTERN.test(s),
      construct: () => NULL,
    }),
    new jsyaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (s: string) => BOOL_PATTERN.test(s),
      construct: (s: string) => s[0] === 't' || s[0] === 'T',
    }),
    new jsyaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string) => INT_DEC.test(s) || INT_OCT.test(s) || INT_HEX.test(s),
      construct: (s: string) => (INT_OCT.test(s) ? parseInt(s.slice(2), 8) : INT_HEX.test(s) ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
    }),
    new jsyaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string) => FLOAT_SPECIAL.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s),
      construct: (s: string) =>
        FLOAT_SPECIAL.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity) : parseFloat(s),
    }),
  ],
});
