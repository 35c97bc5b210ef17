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
