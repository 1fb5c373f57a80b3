import { readJson, type FoundCall } from './js-literal.js';
import { UnreadableLiteral } from './literal.js';

/**
 * The curl commands of a bash block: the method is the last path segment of a REST URL (one with `/rest/` in its path)
 * (`.../rest/1/secret/imbot.v2.Chat.Message.send`), the params the JSON body given with
 * `-d`/`--data`/`--data-raw`/`--data-binary` in single quotes (shell quoting undone, `'\''`
 * included) or in double quotes without `$`/backtick substitutions. A body that is not JSON is
 * unreadable, at its line.
 */

interface ShellWord {
  text: string;
  /** Page line where the word starts. */
  line: number;
  /** Page line where its quoted part starts (the JSON body), when it was quoted. */
  quotedLine?: number;
  /** Why the word cannot be taken as plain text (a `$` substitution in double quotes). */
  problem?: string;
}

/** Splits shell text into words (quotes, backslash-newline continuations); stops at `;`, `|`, `&&` and newlines between commands. */
function shellCommands(code: string, firstLine: number): ShellWord[][] {
  const commands: ShellWord[][] = [];
  let words: ShellWord[] = [];
  let line = firstLine;
  let i = 0;
  const endCommand = (): void => {
    if (words.length > 0) commands.push(words);
    words = [];
  };
  while (i < code.length) {
    const c = code[i]!;
    if (c === '\\' && code[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '|' || c === '&') {
      if (c === '\n') line++;
      i++;
      endCommand();
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' ) {
      const end = code.indexOf('\n', i);
      i = end < 0 ? code.length : end;
      continue;
    }
    const word: ShellWord = { text: '', line };
    while (i < code.length && !/[\s;|&]/.test(code[i]!)) {
      const ch = code[i]!;
      if (ch === "'") {
        const end = code.indexOf("'", i + 1);
        if (end < 0) {
          word.problem = `the quote opened at line ${line} is never closed`;
          i = code.length;
          break;
        }
        word.quotedLine ??= line;
        const part = code.slice(i + 1, end);
        word.text += part;
        line += part.split('\n').length - 1;
        i = end + 1;
      } else if (ch === '"') {
        word.quotedLine ??= line;
        i++;
        while (i < code.length && code[i] !== '"') {
          if (code[i] === '\\' && /["\\$`\n]/.test(code[i + 1] ?? '')) {
            if (code[i + 1] === '\n') line++;
            else word.text += code[i + 1];
            i += 2;
            continue;
          }
          if (code[i] === '$' || code[i] === '`') word.problem ??= `a shell substitution (\`${code.slice(i, i + 12)}\`) in double quotes at line ${line}`;
          if (code[i] === '\n') line++;
          word.text += code[i];
          i++;
        }
        if (i >= code.length) word.problem ??= `the quote opened at line ${word.quotedLine} is never closed`;
        i++;
      } else if (ch === '\\' && i + 1 < code.length) {
        if (code[i + 1] === '\n') line++;
        else word.text += code[i + 1];
        i += 2;
      } else {
        word.text += ch;
        i++;
      }
    }
    words.push(word);
  }
  endCommand();
  return commands;
}

const DATA_FLAGS = new Set(['-d', '--data', '--data-raw', '--data-binary']);

/** Every curl command that sends a body, with the method its URL names. */
export function readCurlCalls(code: string, firstLine: number): FoundCall[] {
  const calls: FoundCall[] = [];
  for (const words of shellCommands(code, firstLine)) {
    if (words[0]?.text !== 'curl') continue;
    const url = words.find((w) => /^https?:\/\//.test(w.text));
    const method = url ? /\/rest\/(?:[^?#]*\/)?([a-z][a-z0-9]*(?:\.[A-Za-z0-9_]+)+)(?:[?#].*)?$/.exec(url.text)?.[1] : undefined;
    const flag = words.findIndex((w) => DATA_FLAGS.has(w.text) || /^(-d|--data(-raw|-binary)?=)./.test(w.text));
    if (!method) continue;
    const line = words[0]!.line;
    // No body: the call passes no params.
    if (flag < 0) {
      calls.push({ method, line, params: { kind: 'object', line, entries: [] } });
      continue;
    }
    let body: ShellWord | undefined;
    if (DATA_FLAGS.has(words[flag]!.text)) body = words[flag + 1];
    else {
      const w = words[flag]!;
      const value = w.text.replace(/^(-d|--data(-raw|-binary)?=)/, '');
      body = { ...w, text: value };
    }
    if (!body) {
      calls.push({ method, line, unreadable: new UnreadableLiteral(words[flag]!.line, `${words[flag]!.text} has no value`) });
      continue;
    }
    if (body.problem) {
      calls.push({ method, line, unreadable: new UnreadableLiteral(body.line, body.problem) });
      continue;
    }
    try {
      calls.push({ method, line, params: readJson(body.text, body.quotedLine ?? body.line) });
    } catch (err) {
      if (!(err instanceof UnreadableLiteral)) throw err;
      calls.push({ method, line, unreadable: err });
    }
  }
  return calls;
}
