// Prints planned files with ts-morph (or takes their text written without it, prettier-input.ts)
// and formats them with prettier: the one place either runs, for the main thread (print-pool.ts
// loads it on demand) and the print workers (print-worker.mjs) alike, so a file gives the same
// bytes wherever it is printed. Plain JavaScript so that a worker starts without a TypeScript
// loader.
import { createRequire } from 'node:module';
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
import { format as formatWith } from 'prettier/standalone';
import { mark } from '../timeline.mjs';
import { onlyReindented, reindentDocComment } from './doc-comment-layout.mjs';
import { PRETTIER_OPTIONS } from './prettier-options.mjs';

mark('prettier loaded');

/**
 * ts-morph's printer, loaded on first use: files given as text ready for prettier
 * (prettier-input.ts) never need it, and loading it (TypeScript's compiler) takes about 0.25 s.
 * It is CommonJS: required, it loads about 60 ms faster than imported, since an import first
 * scans its 1 MB of source for the names it exports.
 */
let tsMorph;
function printStatements(statements) {
  if (tsMorph === undefined) {
    tsMorph = createRequire(import.meta.url)('ts-morph');
    mark('ts-morph loaded');
  }
  return tsMorph.printStructure({ kind: tsMorph.StructureKind.SourceFile, statements });
}

/** A job's text before formatting: a JSON array is a file's statements, a JSON object `{ text }` the text itself. */
function unformatted(job) {
  const parsed = JSON.parse(job);
  return Array.isArray(parsed) ? printStatements(parsed) : parsed.text;
}

/**
 * Prettier's formatting core with the two plugins TypeScript needs (parser babel-ts), rather
 * than its Node entry point: the same code formats, but the first call does not look for
 * configuration files and plugins first (15 ms of a small run).
 */
const OPTIONS = { ...PRETTIER_OPTIONS, plugins: [babel, estree] };
const format = (text) => formatWith(text, OPTIONS);

/** The line that separates files formatted in one prettier call. */
const BOUNDARY = '// @b24gen-file-boundary';

/** What the JSDoc comment number `n` of a file is replaced by while prettier formats the code around it. */
const docMarker = (n) => `/** d${n} */`;
/** A JSDoc comment as ts-morph prints it (doc text never holds `*` + `/`: escape.ts). */
const DOC_COMMENT = /\/\*\*[\s\S]*?\*\//g;
/** A marker on a line of its own, as prettier prints a leading comment: its indentation, and its number. */
const MARKER_LINE = /^( *)\/\*\* d(\d+) \*\/$/gm;
/** A marker anywhere. */
const MARKER = /\/\*\* d\d+ \*\//g;

/**
 * B24GEN_PRINT_PLAIN=1 formats every file in a prettier call of its own with its JSDoc in place:
 * the reference the two shortcuts below must match byte for byte (the fuzz runs compare them).
 */
const plain = () => process.env.B24GEN_PRINT_PLAIN === '1';

/**
 * Prints each file (a job: its statements as a JSON array, as planned, or `{ text }` as JSON,
 * its text written for prettier without ts-morph) and formats it; returns the texts in order.
 *
 * Two shortcuts, each giving the bytes plain formatting gives:
 * - JSDoc aside. More than half of the printed text is JSDoc, and prettier spends about a third
 *   of its time on it, although it only re-indents a JSDoc comment (each line after the first
 *   becomes ` *...`, trimmed, at the indentation of the comment's first line). So each JSDoc
 *   comment that prettier would only re-indent is replaced by a short numbered marker comment,
 *   the code is formatted around the markers (a comment on a line of its own breaks the same
 *   groups whatever its length), and each marker is replaced by its comment re-indented as
 *   prettier would (`restoreDocs`); the numbers put each comment back where prettier put its
 *   marker, even one prettier moved. A file whose markers do not all come back on lines of
 *   their own is formatted again with its JSDoc in place.
 * - Batches. More than one file is formatted in one prettier call: the texts joined with a
 *   boundary comment line, formatted, split again. Prettier's work per call (normalising
 *   options, setting the parser up) is about a quarter of formatting 400 method files one by
 *   one. Prettier formats top-level statements each on its own, so every file comes out as it
 *   would alone, provided the files are lists of statements that end their last statement
 *   (`;` or `}`). Names declared in more than one file of a batch (each facade module's
 *   `createFacade`) do not matter to prettier; a batch it refuses (two default exports), or
 *   one that does not fit, is formatted one file at a time.
 */
export async function printFiles(jobs) {
  const files = `${jobs.length} file${jobs.length === 1 ? '' : 's'}`;
  mark(`printing and formatting ${files}`);
  const texts = await printAndFormat(jobs);
  mark(`printed and formatted ${files}`);
  return texts;
}

async function printAndFormat(jobs) {
  const printed = jobs.map(unformatted);
  if (plain()) return formatEach(printed);
  const marked = printed.map(setDocsAside);
  const formatted = await formatBatch(marked.map((m) => m.text));
  const texts = [];
  for (let i = 0; i < printed.length; i++) {
    const text = formatted?.[i] ?? (await format(marked[i].text));
    texts.push(restoreDocs(text, marked[i].docs) ?? (await format(printed[i])));
  }
  return texts;
}

/** Each text formatted in a prettier call of its own. */
async function formatEach(texts) {
  const out = [];
  for (const text of texts) out.push(await format(text));
  return out;
}

/** The texts formatted in one prettier call, or undefined when they cannot share one. */
async function formatBatch(texts) {
  if (texts.length < 2 || !texts.every((text) => !text.includes(BOUNDARY) && /[;}]\n$/.test(text))) return undefined;
  try {
    const parts = (await format(texts.map((text) => `${BOUNDARY}\n${text}`).join(''))).split(`${BOUNDARY}\n`);
    if (parts.length === texts.length + 1 && parts[0] === '') return parts.slice(1);
  } catch {
    // one file at a time
  }
  return undefined;
}

/**
 * The text with each JSDoc comment that prettier only re-indents (doc-comment-layout.mjs)
 * replaced by a marker numbered from 0, and those comments by number. Any other comment stays.
 */
function setDocsAside(text) {
  const docs = [];
  const marked = text.replace(DOC_COMMENT, (comment) => {
    if (!onlyReindented(comment)) return comment;
    docs.push(comment);
    return docMarker(docs.length - 1);
  });
  return { text: marked, docs };
}

/**
 * The formatted text with each marker replaced by its comment, re-indented as prettier
 * re-indents a JSDoc comment: the first line trimmed at the end, every other line a space and
 * the line trimmed (the last one at the start only), each at the marker's indentation.
 * Undefined unless every marker came back once, alone on its line, and nothing else looks like
 * one (a doc comment left in place never does: it is not on one line, or holds `prettier`).
 */
function restoreDocs(formatted, docs) {
  if (docs.length === 0) return formatted;
  const seen = new Set();
  const restored = formatted.replace(MARKER_LINE, (line, indent, number) => {
    const n = Number(number);
    if (n >= docs.length || seen.has(n)) return line;
    seen.add(n);
    return reindentDocComment(docs[n], indent);
  });
  const markers = formatted.match(MARKER)?.length ?? 0;
  return seen.size === docs.length && markers === docs.length ? restored : undefined;
}
