import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { compareStrings } from '../model/ir.js';
import { scanMarkdown, sectionsOf, type ScannedPage, type Section } from './markdown.js';

/** Where the chat-bot API's pages live inside a docs root. */
export const CHAT_BOTS_DIR = 'api-reference/chat-bots/chat-bots-v2';

/** The host of the spec's `docs` URLs; `https://apidocs.bitrix24.com/<path>.html` is `<root>/<path>.md`. */
export const DOCS_SITE = 'https://apidocs.bitrix24.com/';

/** A REST method named in a page's H1: `# Send Message imbot.v2.Chat.Message.send`. */
const METHOD_IN_TITLE = /(?:^|[\s(`'"])((?:imbot|im)\.v2(?:\.[A-Za-z0-9_]+)+)/;

/** The docs folder cannot be used (missing, not a folder, no chat-bot pages). */
export class DocsFolderError extends Error {}

export interface LoadedPage {
  /** `/`-separated, relative to the docs root. */
  file: string;
  scanned: ScannedPage;
  sections: Section[];
  /** `{#anchor}` id -> its section. */
  anchors: Map<string, Section>;
}

export interface MethodPageRef {
  method: string;
  file: string;
  titleLine: number;
}

/** Reads docs pages on demand (each once) and resolves links between them. */
export class DocsRoot {
  private readonly cache = new Map<string, LoadedPage | null>();

  private constructor(readonly dir: string) {}

  /** Checks that `dir` is a docs root holding the chat-bot pages. */
  static open(dir: string): DocsRoot {
    let isDir: boolean;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      throw new DocsFolderError(`cannot read the docs folder ${dir} (does it exist?)`);
    }
    if (!isDir) throw new DocsFolderError(`${dir} is not a folder`);
    try {
      if (!statSync(join(dir, CHAT_BOTS_DIR)).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new DocsFolderError(`${dir} has no ${CHAT_BOTS_DIR}/ folder; pass the docs root (the folder that holds api-reference/), such as ../shared/upstream-docs`);
    }
    return new DocsRoot(dir);
  }

  /** Every page under CHAT_BOTS_DIR whose H1 names an `imbot.v2.*` or `im.v2.*` method, by file. */
  methodPages(): MethodPageRef[] {
    const files = readdirSync(join(this.dir, CHAT_BOTS_DIR), { recursive: true, encoding: 'utf8' })
      .map((f) => `${CHAT_BOTS_DIR}/${f.split(sep).join('/')}`)
      .filter((f) => f.endsWith('.md'))
      .sort(compareStrings);
    const found: MethodPageRef[] = [];
    for (const file of files) {
      const page = this.page(file);
      const title = page?.scanned.blocks.find((b) => b.kind === 'heading' && b.level === 1);
      if (!title || title.kind !== 'heading') continue;
      const method = METHOD_IN_TITLE.exec(title.text)?.[1];
      if (method) found.push({ method, file, titleLine: title.line });
    }
    return found;
  }

  /** The page at `file` (relative to the root), or undefined when it cannot be read. */
  page(file: string): LoadedPage | undefined {
    const cached = this.cache.get(file);
    if (cached !== undefined) return cached ?? undefined;
    let loaded: LoadedPage | null = null;
    try {
      const scanned = scanMarkdown(readFileSync(join(this.dir, file), 'utf8'));
      const sections = sectionsOf(scanned);
      const anchors = new Map<string, Section>();
      for (const s of sections) if (s.heading.anchor && !anchors.has(s.heading.anchor)) anchors.set(s.heading.anchor, s);
      loaded = { file, scanned, sections, anchors };
    } catch {
      loaded = null;
    }
    this.cache.set(file, loaded);
    return loaded ?? undefined;
  }

  /**
   * The section an anchor link points at: `#fields` on the same page, or `../index.md#bot-types`
   * on another page of the root. Undefined for other links and for targets that do not exist.
   */
  linkedSection(fromFile: string, href: string): { page: LoadedPage; section: Section } | undefined {
    const hash = href.indexOf('#');
    if (hash < 0) return undefined;
    const pathPart = href.slice(0, hash);
    const anchor = href.slice(hash + 1);
    let file = fromFile;
    if (pathPart !== '') {
      if (!pathPart.endsWith('.md') || pathPart.startsWith('/')) return undefined;
      file = posix.normalize(posix.join(posix.dirname(fromFile), pathPart));
      if (file.startsWith('../')) return undefined;
    }
    const page = this.page(file);
    const section = page?.anchors.get(anchor);
    return page && section ? { page, section } : undefined;
  }

  /** The page file a spec `docs` URL names, or undefined when it is not a docs-site URL. */
  static fileForUrl(url: string): string | undefined {
    if (!url.startsWith(DOCS_SITE)) return undefined;
    const path = url.slice(DOCS_SITE.length).replace(/[?#].*$/, '');
    if (!path.endsWith('.html') || path.includes('..')) return undefined;
    return `${path.slice(0, -'.html'.length)}.md`;
  }
}
