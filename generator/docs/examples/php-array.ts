import type { FoundCall } from './js-literal.js';
import { UnreadableLiteral, type Literal } from './literal.js';

/**
 * A small reader of the PHP the docs' code tabs use: the calls `$b24Service->core->call('method',
 * [...])` and `CRest::call('method', [...])`, and their params as data. Values are PHP literals
 * only: `[...]` / `array(...)` (keyed -> object, a list -> array, as json_encode gives them),
 * strings ('...' and "..." without interpolation), numbers, true/false/null. A variable, a
 * concatenation or a function call makes the params unreadable, with the line.
 */

type Token =
  | { t: 'str'; value: string; line: number }
  | { t: 'num'; value: number; line: number }
  | { t: 'word'; value: string; line: number }
  | { t: 'var'; value: string; line: number }
  | { t: 'punct'; value: string; line: number }
  | { t: 'bad'; value: string; line: number };

/** PHP source -> tokens (comments and whitespace dropped); `firstLine` is the page line of the first line. */
export function tokenizePhp(code: string, firstLine: number): Token[] {
  const tokens: Token[] = [];
  let line = firstLine;
  let i = 0;
  const advance = (to: number): void => {
    for (let k = i; k < to; k++) if (code[k] === '\n') line++;
    i = to;
  };
  while (i < code.length) {
    const c = code[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      advance(i + 1);
      continue;
    }
    if (code.startsWith('//', i) || (c === '#' && code[i + 1] !== '[')) {
      const end = code.indexOf('\n', i);
      advance(end < 0 ? code.length : end);
      continue;
    }
    if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2);
      if (end < 0) {
        tokens.push({ t: 'bad', value: 'a comment that is never closed', line });
        return tokens;
      }
      advance(end + 2);
      continue;
    }
    const at = line;
    if (c === "'" || c === '"') {
      const read = readString(code, i);
      if (!read) {
        tokens.push({ t: 'bad', value: 'a string that is never closed', line: at });
        return tokens;
      }
      tokens.push(read.interpolated ? { t: 'bad', value: `the interpolating string ${code.slice(i, Math.min(read.end, i + 40))}`, line: at } : { t: 'str', value: read.value, line: at });
      advance(read.end);
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)/.exec(code.slice(i));
    if (num && (/\d/.test(c) || (c === '.' && /\d/.test(code[i + 1] ?? '')))) {
      const text = num[0].replace(/_/g, '');
      tokens.push({ t: 'num', value: /^0[bB]/.test(text) ? parseInt(text.slice(2), 2) : Number(/^0\d+$/.test(text) ? parseInt(text, 8) : text), line: at });
      advance(i + num[0].length);
      continue;
    }
    const word = /^\$?[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*/.exec(code.slice(i));
    if (word) {
      tokens.push(word[0].startsWith('$') ? { t: 'var', value: word[0], line: at } : { t: 'word', value: word[0], line: at });
      advance(i + word[0].length);
      continue;
    }
    const punct = ['=>', '->', '::', '??', '...'].find((p) => code.startsWith(p, i)) ?? c;
    tokens.push({ t: 'punct', value: punct, line: at });
    advance(i + punct.length);
  }
  return tokens;
}

/** A quoted PHP string starting at `start`: its value, where it ends, and whether it interpolates (`"$x"`, `"{$x}"`). */
function readString(code: string, start: number): { value: string; end: number; interpolated: boolean } | undefined {
  const quote = code[start]!;
  let value = '';
  let interpolated = false;
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i]!;
    if (c === quote) return { value, end: i + 1, interpolated };
    if (c === '\\' && i + 1 < code.length) {
      const n = code[i + 1]!;
      if (quote === "'") {
        // Single quotes: only \' and \\ are escapes; any other backslash stays.
        value += n === "'" || n === '\\' ? n : `\\${n}`;
        i++;
        continue;
      }
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', e: '\x1b', f: '\f', '\\': '\\', $: '$', '"': '"' };
      if (n in simple) {
        value += simple[n];
        i++;
        continue;
      }
      const unicode = /^u\{([0-9a-fA-F]+)\}/.exec(code.slice(i + 1));
      if (unicode) {
        value += String.fromCodePoint(parseInt(unicode[1]!, 16));
        i += unicode[0].length;
        continue;
      }
      const hex = /^x([0-9a-fA-F]{1,2})/.exec(code.slice(i + 1));
      if (hex) {
        value += String.fromCharCode(parseInt(hex[1]!, 16));
        i += hex[0].length;
        continue;
      }
      const octal = /^[0-7]{1,3}/.exec(code.slice(i + 1));
      if (octal) {
        value += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
        i += octal[0].length;
        continue;
      }
      value += c;
      continue;
    }
    if (quote === '"' && c === '$' && /[A-Za-z_{]/.test(code[i + 1] ?? '')) interpolated = true;
    if (quote === '"' && c === '{' && code[i + 1] === '$') interpolated = true;
    value += c;
  }
  return undefined;
}

/** Reads one PHP value from `tokens` at `pos`; returns it and the position after it. */
export function readPhpValue(tokens: Token[], pos: number, lastLine: number): { value: Literal; next: number } {
  const tok = tokens[pos];
  if (!tok) throw new UnreadableLiteral(lastLine, 'the code ends inside a value');
  const unreadable = (t: Token, what: string): never => {
    throw new UnreadableLiteral(t.line, `${what} is not a literal`);
  };
  if (tok.t === 'bad') throw new UnreadableLiteral(tok.line, tok.value.startsWith('the interpolating') ? `${tok.value} is not a literal` : tok.value);
  let value: Literal;
  let next: number;
  if (tok.t === 'str') [value, next] = [{ kind: 'string', line: tok.line, value: tok.value }, pos + 1];
  else if (tok.t === 'num') [value, next] = [{ kind: 'number', line: tok.line, value: tok.value }, pos + 1];
  else if (tok.t === 'punct' && (tok.value === '-' || tok.value === '+') && tokens[pos + 1]?.t === 'num') {
    const n = tokens[pos + 1] as { value: number };
    [value, next] = [{ kind: 'number', line: tok.line, value: tok.value === '-' ? -n.value : n.value }, pos + 2];
  } else if (tok.t === 'punct' && tok.value === '[') return readArray(tokens, pos + 1, ']', tok.line, lastLine);
  else if (tok.t === 'word' && tok.value.toLowerCase() === 'array' && tokens[pos + 1]?.value === '(') return readArray(tokens, pos + 2, ')', tok.line, lastLine);
  else if (tok.t === 'word' && /^(true|false)$/i.test(tok.value)) [value, next] = [{ kind: 'boolean', line: tok.line, value: tok.value.toLowerCase() === 'true' }, pos + 1];
  else if (tok.t === 'word' && /^null$/i.test(tok.value)) [value, next] = [{ kind: 'null', line: tok.line }, pos + 1];
  else if (tok.t === 'var') return unreadable(tok, `the variable \`${tok.value}\``);
  else if (tok.t === 'word' && tokens[pos + 1]?.value === '(') return unreadable(tok, `the call \`${tok.value}(...)\``);
  else return unreadable(tok, `\`${tok.value}\``);
  // A value followed by an operator (`'a' . $b`, `1 + 2`, `$x ?? 0`) is an expression, not data.
  const after = tokens[next];
  if (after && after.t === 'punct' && ['.', '+', '-', '*', '/', '??', '?', '->', '::', '('].includes(after.value)) {
    throw new UnreadableLiteral(after.line, `an expression with \`${after.value}\` is not a literal`);
  }
  return { value, next };
}

function readArray(tokens: Token[], pos: number, close: string, line: number, lastLine: number): { value: Literal; next: number } {
  const entries: { key: string | undefined; line: number; value: Literal }[] = [];
  let i = pos;
  for (;;) {
    const tok = tokens[i];
    if (!tok) throw new UnreadableLiteral(lastLine, `the array opened at line ${line} is never closed with \`${close}\``);
    if (tok.t === 'punct' && tok.value === close) {
      i++;
      break;
    }
    const first = readPhpValue(tokens, i, lastLine);
    if (tokens[first.next]?.value === '=>') {
      const key = first.value;
      if (key.kind !== 'string' && key.kind !== 'number') throw new UnreadableLiteral(key.line, 'an array key must be a string or an integer');
      const val = readPhpValue(tokens, first.next + 1, lastLine);
      entries.push({ key: String(key.value), line: key.line, value: val.value });
      i = val.next;
    } else {
      entries.push({ key: undefined, line: first.value.line, value: first.value });
      i = first.next;
    }
    const sep = tokens[i];
    if (sep?.t === 'punct' && sep.value === ',') i++;
    else if (!(sep?.t === 'punct' && sep.value === close)) {
      throw new UnreadableLiteral(sep?.line ?? lastLine, sep ? `expected \`,\` or \`${close}\` in the array opened at line ${line}, found \`${sep.value}\`` : `the array opened at line ${line} is never closed with \`${close}\``);
    }
  }
  const keyed = entries.filter((e) => e.key !== undefined).length;
  if (keyed > 0 && keyed < entries.length) throw new UnreadableLiteral(line, `the array at line ${line} mixes \`key => value\` entries and plain values`);
  // A list is what json_encode writes as an array; `[]` is an empty list.
  const value: Literal =
    keyed === 0 ? { kind: 'array', line, items: entries.map((e) => e.value) } : { kind: 'object', line, entries: entries.map((e) => ({ key: e.key!, line: e.line, value: e.value })) };
  return { value, next: i };
}

/**
 * The REST calls in a PHP block: `->call('method', [...])` and `::call('method', [...])`. A call
 * without params has `{}`; a block whose code ends inside a call is reported at that call.
 */
export function readPhpCalls(code: string, firstLine: number): FoundCall[] {
  const tokens = tokenizePhp(code, firstLine);
  const lastLine = firstLine + code.split('\n').length - 1;
  const calls: FoundCall[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [arrow, name, open] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (!(arrow.t === 'punct' && (arrow.value === '->' || arrow.value === '::') && name.t === 'word' && name.value === 'call' && open.value === '(')) continue;
    const methodTok = tokens[i + 3];
    if (methodTok?.t !== 'str' || !/^[a-z][a-z0-9]*(?:\.[A-Za-z0-9_]+)+$/.test(methodTok.value)) continue;
    const method = methodTok.value;
    const after = tokens[i + 4];
    if (after?.value === ')') {
      calls.push({ method, line: name.line, params: { kind: 'object', line: name.line, entries: [] } });
      continue;
    }
    try {
      if (after?.value !== ',') throw new UnreadableLiteral(after?.line ?? lastLine, 'expected `,` and the params after the method name');
      const read = readPhpValue(tokens, i + 5, lastLine);
      // Params `[]`: no params (an empty PHP array is a list only to json_encode; the call sends nothing).
      const params: Literal = read.value.kind === 'array' && read.value.items.length === 0 ? { kind: 'object', line: read.value.line, entries: [] } : read.value;
      calls.push({ method, line: name.line, params });
    } catch (err) {
      if (!(err instanceof UnreadableLiteral)) throw err;
      calls.push({ method, line: name.line, unreadable: err });
    }
  }
  return calls;
}

/** A PHP block that is one array literal and nothing else (`[ 'DELIMITER' => [...] ]`, optionally with `;`), or undefined. */
export function readPhpBareLiteral(code: string, firstLine: number): Literal | undefined {
  const tokens = tokenizePhp(code, firstLine);
  if (tokens[0]?.value !== '[' && String(tokens[0]?.value).toLowerCase() !== 'array') return undefined;
  try {
    const read = readPhpValue(tokens, 0, firstLine + code.split('\n').length - 1);
    const rest = tokens.slice(read.next);
    return rest.length === 0 || (rest.length === 1 && rest[0]!.value === ';') ? read.value : undefined;
  } catch (err) {
    if (err instanceof UnreadableLiteral) return undefined;
    throw err;
  }
}
