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

/**
 * Text in Markdown prose that renders as typed, on GitHub too: `&`, `<` and `>` become entities
 * (GitHub drops what looks like an HTML tag, `<prod>` or `<script>`, and reads `&amp;` as an
 * entity), and the characters that would start emphasis, code, links or strike-through get a
 * backslash, as does a `#` opening a line. Line breaks stay.
 */
export function mdText(s: string): string {
  return s
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
    .replace(/^([ \t]*)#/gm, '$1\\#');
}

/** Text inside a Markdown table cell: prose escaping, plus the two things that end a cell. */
export function mdCell(s: string): string {
  return mdText(s).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Text on one Markdown line (a heading, a list item): prose escaping, newlines become spaces. */
export function mdInline(s: string): string {
  return mdText(s.replace(/\s*\r?\n\s*/g, ' '));
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
