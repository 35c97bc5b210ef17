/**
 * Registers a generated piece in a project document: a row appended inside a marked table.
 * Pure; the rest of the document is left byte for byte.
 */
export interface Registration {
  file: string;
  marker: string;
  /** Written with the markers when the document has none yet. */
  heading: string;
  tableHeader: string[];
  row: string;
}

export function registerRow(text: string, r: Registration): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const end = `<!-- ${r.marker}:end -->`;
  const at = text.indexOf(end);
  if (at >= 0 && text.includes(`<!-- ${r.marker}:begin -->`)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    return `${text.slice(0, lineStart)}${r.row}${eol}${text.slice(lineStart)}`;
  }
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  const block = [``, r.heading, ``, `<!-- ${r.marker}:begin -->`, ...r.tableHeader, r.row, end, ``];
  return text + sep + block.join(eol);
}

/**
 * A line inserted into a project file right after the line holding `marker` (a comment the
 * template wrote there for this), with that line's indentation. The text is returned unchanged
 * when `present` already holds for it (added before, or by hand) or when no line holds the
 * marker (a project made before the template had one: nothing is guessed).
 */
export interface MarkedLine {
  file: string;
  marker: string;
  line: string;
  present: (text: string) => boolean;
}

export function insertAfterMarker(text: string, m: MarkedLine): string {
  if (m.present(text)) return text;
  const at = text.indexOf(m.marker);
  if (at < 0) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const lineEnd = text.indexOf('\n', at);
  if (lineEnd < 0) return `${text}${eol}${indent}${m.line}${eol}`;
  return `${text.slice(0, lineEnd + 1)}${indent}${m.line}${eol}${text.slice(lineEnd + 1)}`;
}
