/**
 * One safe encoder per target format. Handlebars' HTML escaping is switched off everywhere; these
 * are what make an answer like `R&D "Ops" <legacy> \ {{x}}` land intact in each kind of file.
 */

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A Python str literal (double-quoted), valid for any text including newlines and NUL. */
export function pyString(s: string): string {
  const body = s.replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '"': return '\\"';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return hex4(c);
    }
  });
  return `"${body}"`;
}

/** Text that may stand in a Python `#` comment or docstring line: one line, no closing quotes. */
export function pyComment(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : hex4(c),
  );
}

/** A YAML double-quoted scalar. Escapes what YAML parsers refuse even inside quotes. */
export function yamlString(s: string): string {
  const body = s.replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '"': return '\\"';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return hex4(c);
    }
  });
  return `"${body}"`;
}

/** A TOML basic string. */
export function tomlString(s: string): string {
  const body = s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '"': return '\\"';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return hex4(c);
    }
  });
  return `"${body}"`;
}

/** Text inside a Markdown table cell: verbatim except the two things that end a cell. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Text on one Markdown line (a heading, a list item): newlines become spaces, the rest is verbatim. */
export function mdInline(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ');
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
