import { Document, visit } from 'yaml';

/**
 * The document as YAML that YAML 1.2 and YAML 1.1 readers (PyYAML, older Java and Go parsers,
 * which many OpenAPI tools still use) read as the same data.
 *
 * The yaml package already quotes what YAML 1.2 would misread; on top of that every string key
 * or value that is not plainly a word (letters, digits, `_ . / -`, starting with a letter or
 * `_`, and none of YAML 1.1's booleans and nulls such as `on`, `no`, `Y`, `Null`) is
 * double-quoted, so `<<` is never a merge key and `yes` never a boolean. Inside double quotes,
 * the characters YAML 1.1 takes for line breaks (U+0085, U+2028, U+2029) and those YAML does
 * not allow raw (DEL, C1 controls, BOM, lone surrogates) are written as escapes. No alias or
 * anchor is ever emitted, and lines are never folded.
 */
export function toYaml(doc: unknown): string {
  const yaml = new Document(doc, { aliasDuplicateObjects: false });
  visit(yaml, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !isPlainWord(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return yaml.toString({ lineWidth: 0, minContentWidth: 0 }).replace(UNSAFE_RAW, escapeChar);
}

const YAML11_WORDS = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL'.split(' '),
);

function isPlainWord(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(s) && !YAML11_WORDS.has(s);
}

// Only ever inside double-quoted scalars: every string containing one fails isPlainWord.
const UNSAFE_RAW = /[\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeChar(c: string): string {
  if (c === '\u0085') return '\\N';
  if (c === '\u2028') return '\\L';
  if (c === '\u2029') return '\\P';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
