import { codeBlocks, headingId, type CodeBlock, type HeadingRef } from './code-blocks.js';
import { readCurlCalls } from './curl.js';
import { readJsBareLiteral, readJsCalls, readJson, type FoundCall } from './js-literal.js';
import { UnreadableLiteral, type Literal } from './literal.js';
import { readPhpBareLiteral, readPhpCalls } from './php-array.js';

/**
 * Every example of a page: each ```json block, the JSON body of each curl command, and the
 * params of each REST call in the JS and PHP tabs. An example that cannot be read is kept, as
 * unreadable with its line; nothing found is dropped.
 */

export type ExampleForm = 'json' | 'curl' | 'js' | 'php';

export interface DocsExample {
  /**
   * Stable id, used by the allowlist: `<page>#<section>/<tab or form>/<n>`, the page relative to
   * the chat-bot docs folder, the section the nearest heading's `{#anchor}` (else its text as a
   * slug), the tab's name as a slug (else the form), n counting from 1 within that section and
   * tab. Adding a tab, a block of another form or a section elsewhere leaves the id as it was.
   */
  id: string;
  /** Where the example's code is (relative to the docs root) and its first line there. */
  file: string;
  line: number;
  /** The page it is on (differs from `file` for an included file). */
  page: string;
  form: ExampleForm;
  tab?: string;
  headings: HeadingRef[];
  /** For curl/js/php: the REST method the code calls. */
  calls?: string;
  /** A JS/PHP block that is one literal on its own (a fragment such as an attachment block), not a call. */
  bare?: boolean;
  value?: Literal;
  unreadable?: { line: number; message: string };
}

/** Code blocks that are not examples, by language (Go tabs, shell without curl, ...): counted, not read. */
export interface PageExamples {
  examples: DocsExample[];
  notRead: Map<string, number>;
}

const JS_LANGS = new Set(['js', 'javascript', 'ts', 'typescript', 'mjs']);
const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'curl', 'console']);

/** The examples of one page. `pageId` is the page relative to the chat-bot folder (for ids). */
export function pageExamples(
  text: string,
  page: string,
  pageId: string,
  readInclude?: (fromFile: string, href: string) => { file: string; text: string } | undefined,
): PageExamples {
  const examples: DocsExample[] = [];
  const notRead = new Map<string, number>();
  const counters = new Map<string, number>();
  const add = (block: CodeBlock, form: ExampleForm, fields: Partial<DocsExample> & { line: number }): void => {
    const section = headingId(block.headings.at(-1));
    const slot = block.tab ? block.tab.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || form : form;
    const key = `${section}/${slot}`;
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    examples.push({
      id: `${pageId}#${key}/${n}`,
      file: block.file,
      page,
      form,
      headings: block.headings,
      ...(block.tab !== undefined ? { tab: block.tab } : {}),
      ...fields,
    });
  };
  const fromCalls = (block: CodeBlock, form: ExampleForm, calls: FoundCall[]): void => {
    for (const c of calls) {
      add(block, form, {
        line: c.params?.line ?? c.line,
        calls: c.method,
        ...(c.params ? { value: c.params } : {}),
        ...(c.unreadable ? { unreadable: { line: c.unreadable.line, message: c.unreadable.message } } : {}),
      });
    }
  };
  const notExample = (lang: string): void => {
    notRead.set(lang || 'plain', (notRead.get(lang || 'plain') ?? 0) + 1);
  };

  for (const block of codeBlocks(text, page, readInclude)) {
    const form: ExampleForm | undefined =
      block.lang === 'json' ? 'json' : SHELL_LANGS.has(block.lang) ? 'curl' : JS_LANGS.has(block.lang) ? 'js' : block.lang === 'php' ? 'php' : undefined;
    if (form && block.unterminated) {
      // The rest of the page would be read as code: report the block instead of guessing where it ends.
      add(block, form, { line: block.line, unreadable: { line: block.fenceLine, message: `the code block opened at line ${block.fenceLine} is never closed` } });
      continue;
    }
    if (block.lang === 'json') {
      try {
        add(block, 'json', { line: block.line, value: readJson(block.code, block.line) });
      } catch (err) {
        if (!(err instanceof UnreadableLiteral)) throw err;
        add(block, 'json', { line: block.line, unreadable: { line: err.line, message: err.message } });
      }
    } else if (SHELL_LANGS.has(block.lang)) {
      const calls = readCurlCalls(block.code, block.line);
      if (calls.length === 0) notExample(block.lang);
      fromCalls(block, 'curl', calls);
    } else if (JS_LANGS.has(block.lang)) {
      const read = readJsCalls(block.code, block.line);
      if (read.calls.length === 0) {
        const bare = readJsBareLiteral(block.code, block.line);
        if (bare) add(block, 'js', { line: bare.line, value: bare, bare: true });
        else notExample(block.lang);
        continue;
      }
      // A syntax error makes the calls the parser recovered doubtful: the block is unreadable as a whole.
      if (read.syntaxError) add(block, 'js', { line: block.line, calls: read.calls[0]!.method, unreadable: read.syntaxError });
      else fromCalls(block, 'js', read.calls);
    } else if (block.lang === 'php') {
      const calls = readPhpCalls(block.code, block.line);
      if (calls.length === 0) {
        const bare = readPhpBareLiteral(block.code, block.line);
        if (bare) add(block, 'php', { line: bare.line, value: bare, bare: true });
        else notExample(block.lang);
      }
      fromCalls(block, 'php', calls);
    } else {
      notExample(block.lang);
    }
  }
  return { examples, notRead };
}
