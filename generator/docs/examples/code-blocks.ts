/**
 * A docs page -> its fenced code blocks, each with where it sits: the headings above it (with
 * `{#anchor}` ids), the tab of a `{% list tabs %}` it is in (`cURL (OAuth)`, `PHP CRest`), and
 * the page line of its first line of code. The fence's indentation (blocks inside a tab are
 * indented) is removed from the code. `{% include %}` of a page's `_includes` is followed: its
 * blocks count as the including page's, located in the included file.
 */

export interface HeadingRef {
  level: number;
  text: string;
  anchor?: string;
  line: number;
}

export interface CodeBlock {
  /** The info string's first word, lower-cased: `json`, `bash`, `js`, `php`, `go`, or ''. */
  lang: string;
  /** The code, without the fence lines and without the fence's indentation. */
  code: string;
  /** The file the block is written in (the page, or an included file), relative to the docs root. */
  file: string;
  /** Page line of the code's first line (the line after the opening fence). */
  line: number;
  /** Page line of the opening fence. */
  fenceLine: number;
  /** The headings the block is under, outermost first. */
  headings: HeadingRef[];
  tab?: string;
  /** Set when the page ends before the closing fence. */
  unterminated?: boolean;
}

const FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^\s`]*)/;
const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t]*$/;
const INCLUDE = /\{%\s*include\s+(?:notitle\s+)?\[[^\]]*\]\(([^)]+)\)\s*%\}/;

/**
 * The blocks of one page's text. `readInclude(path)` gives the text of an included file (a path
 * relative to the page, as written) and its docs-relative name, or undefined when it cannot be
 * read; includes nest up to 3 deep.
 */
export function codeBlocks(
  text: string,
  file: string,
  readInclude: (fromFile: string, href: string) => { file: string; text: string } | undefined = () => undefined,
  depth = 0,
  outer: { headings: HeadingRef[]; tab?: string } = { headings: [] },
): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  let headings: HeadingRef[] = [...outer.headings];
  let tab: string | undefined = outer.tab;
  let inTabs = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      const [, indent, marker, info] = fence;
      let end = i + 1;
      const closing = new RegExp(`^[ \\t]*${marker![0] === '`' ? '`' : '~'}{${marker!.length},}[ \\t]*$`);
      while (end < lines.length && !closing.test(lines[end]!)) end++;
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart()));
      blocks.push({
        lang: (info ?? '').toLowerCase(),
        code: body.join('\n'),
        file,
        line: i + 2,
        fenceLine: i + 1,
        headings,
        ...(tab !== undefined ? { tab } : {}),
        ...(end >= lines.length ? { unterminated: true } : {}),
      });
      i = end;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const anchor = /\s*\{#([^}\s]+)\}$/.exec(heading[2]!);
      const ref: HeadingRef = { level: heading[1]!.length, text: anchor ? heading[2]!.slice(0, anchor.index).trim() : heading[2]!, line: i + 1, ...(anchor ? { anchor: anchor[1] } : {}) };
      headings = [...headings.filter((h) => h.level < ref.level), ref];
      tab = undefined;
      inTabs = false;
      continue;
    }
    if (/\{%\s*list\s+tabs\b/.test(line)) {
      inTabs = true;
      continue;
    }
    if (/\{%\s*endlist\s*%\}/.test(line)) {
      inTabs = false;
      tab = undefined;
      continue;
    }
    const item = inTabs ? /^[ \t]{0,3}-[ \t]+(.+?)[ \t]*$/.exec(line) : null;
    if (item) {
      tab = item[1];
      continue;
    }
    const include = depth < 3 ? INCLUDE.exec(line) : null;
    if (include) {
      const target = readInclude(file, include[1]!);
      if (target) blocks.push(...codeBlocks(target.text, target.file, readInclude, depth + 1, { headings, ...(tab !== undefined ? { tab } : {}) }));
    }
  }
  return blocks;
}

/** A heading as a stable id: its `{#anchor}`, else its text in lower case with runs of other characters as `-`. */
export function headingId(h: HeadingRef | undefined): string {
  if (!h) return 'top';
  if (h.anchor) return h.anchor;
  return h.text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';
}
