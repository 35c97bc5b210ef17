/**
 * One safe encoder per target format. Handlebars' HTML escaping is switched off everywhere; these
 * are what make an answer like `R&D "Ops" <legacy> \ {{x}}` land intact in each kind of file.
 */

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const SHORT: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The escapes Python, YAML and TOML double-quoted strings share: backslash, quote, \n \r \t, and
 * \uXXXX for every other character in `unsafe` (which differs by format).
 */
const escaped = (s: string, unsafe: RegExp) => s.replace(unsafe, (c) => SHORT[c] ?? hex4(c));

/** A Python str literal (double-quoted), valid for any text including newlines and NUL. */
export function pyString(s: string): string {
  return `"${escaped(s, /[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029]/g)}"`;
}

/** Text that may stand in a Python `#` comment or docstring line: one line, no closing quotes. */
export function pyComment(s: string): string {
  return escaped(s, /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g).replace(/"""/g, '\\"\\"\\"');
}

/** A YAML double-quoted scalar. Escapes what YAML parsers refuse even inside quotes. */
export function yamlString(s: string): string {
  return `"${escaped(s, /[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g)}"`;
}

/** A TOML basic string. */
export function tomlString(s: string): string {
  return `"${escaped(s, /[\\"\u0000-\u001f\u007f]/g)}"`;
}

// ASCII punctuation: a backslash before one of these is an escape in CommonMark, elsewhere a backslash.
const PUNCT = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;

/** One line of prose, escaped where a character would otherwise start markup; see mdText. */
function mdLine(line: string): string {
  let out = '';
  // Where the text starts: a star there opens a list item whatever follows it.
  const lead = line.length - line.trimStart().length;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    // Before the first character nothing: a star or underscore there may open emphasis or a list.
    const prev = line[i - 1] ?? '';
    const next = line[i + 1] ?? ' ';
    switch (c) {
      case '\\':
        // A backslash escapes only punctuation, and at a line's end it is a hard break.
        out += PUNCT.test(next) || i === line.length - 1 ? '\\\\' : c;
        break;
      case '<':
        // A tag, a comment or an autolink (`<team@acme.example>`) starts with `<` and a letter, `/`, `!` or `?`.
        out += /[A-Za-z/!?]/.test(next) ? '\\<' : c;
        break;
      case '&':
        // Only what reads as an entity (`&copy;`, `&#38;`) changes; `R&D` and `a & b` do not.
        out += /^&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});/.test(line.slice(i)) ? '\\&' : c;
        break;
      case '_':
        // An underscore inside a word never opens emphasis (`snake_case` stays as typed).
        out += WORD.test(prev) && WORD.test(next) ? c : '\\_';
        break;
      case '*':
        // A star between spaces cannot open or close emphasis (`5 * 3`).
        out += /\s/.test(prev) && /\s/.test(next) && i > lead ? c : '\\*';
        break;
      case '`': case '[': case ']': case '~':
        out += `\\${c}`;
        break;
      default:
        out += c;
    }
  }
  // At the start of a line: headings, quotes, list items, thematic breaks, setext underlines.
  out = out
    .replace(/^([ \t]*)([>#]|[-+](?=[ \t]|$)|[-=](?=[-= \t]*$))/, '$1\\$2')
    .replace(/^([ \t]*\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2')
    // A heading's closing hashes (`Team #`) would be dropped.
    .replace(/([ \t])#(#*)$/, '$1\\#$2');
  // Two trailing spaces before the end of a line would be a hard break.
  return out.replace(/ {2,}$/, ' ');
}

/**
 * Text in Markdown prose that renders as typed (CommonMark, and GitHub's Markdown): a character
 * gets a backslash only where it would otherwise change the rendering (a tag or autolink, an
 * entity, emphasis, code, a link, strike-through, a block marker at a line's start), so the source
 * reads as typed too: `Team <team@acme.example>` becomes `Team \\<team@acme.example>`, `R&D` stays.
 * Line breaks stay; leading indentation goes (it would make an indented code block).
 */
export function mdText(s: string): string {
  return s.split(/\r?\n/).map((line) => mdLine(line.replace(/^[ \t]+/, ''))).join('\n');
}

/** Text inside a Markdown table cell: prose escaping, plus the two things that end a cell. */
export function mdCell(s: string): string {
  return s.split(/\r?\n/).map((line) => mdLine(line).replace(/\|/g, '\\|')).join('<br>');
}

/** Text on one Markdown line (a heading, a list item): prose escaping, newlines become spaces. */
export function mdInline(s: string): string {
  return mdLine(s.replace(/\s*\r?\n\s*/g, ' '));
}

/**
 * Text in a `#` comment of YAML, a shell-style `.env` file or a Dockerfile, shown as typed: these
 * formats have no escapes in comments, so only what would end the line (CR, LF, NEL, U+2028/2029,
 * other control characters) becomes a space.
 */
export function lineComment(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** 8 hex digits of FNV-1a over a text: a short, stable suffix that tells apart names cut to one prefix. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A name Kubernetes accepts for an object (DNS-1123 label, at most 52 characters for a
 * CronJob): the parts joined with `-`, lowercase, anything else replaced by `-`. A longer name
 * is cut and ends in a hash of the whole, so two long names that share a prefix stay apart.
 */
export function dnsName(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const full = joined.replace(/^-+|-+$/g, '');
  if (full.length <= 52) return full === '' ? 'workflow' : full;
  return `${full.slice(0, 43).replace(/-+$/g, '')}-${shortHash(parts.filter((p) => p !== '').join('\u0000'))}`;
}

type Value = string | number | boolean | null | undefined | readonly Value[];

/** Encodes a value of any answer type in a format, lists included. */
export function encode(v: Value, fmt: 'py' | 'yaml' | 'toml' | 'json'): string {
  if (Array.isArray(v)) {
    const items = v.map((x) => encode(x, fmt));
    return `[${items.join(', ')}]`;
  }
  if (v === null || v === undefined) return fmt === 'py' ? 'None' : fmt === 'toml' ? '""' : 'null';
  if (typeof v === 'boolean') return fmt === 'py' ? (v ? 'True' : 'False') : String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  const s = v as string;
  switch (fmt) {
    case 'py': return pyString(s);
    case 'yaml': return yamlString(s);
    case 'toml': return tomlString(s);
    case 'json': return JSON.stringify(s);
  }
}
