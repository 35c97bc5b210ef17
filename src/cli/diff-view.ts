/**
 * How a dry run's unified diff is shown: the files a person cares about first, the tool's own
 * bookkeeping (the manifest's hashes) last, and coloured where the terminal takes colour. Pure:
 * it reads the diff's hunk headers to tell a header from a changed line that looks like one.
 */

type Kind = 'header' | 'hunk' | 'removed' | 'added' | 'context' | 'other';

interface FileChunk {
  path: string;
  lines: { kind: Kind; text: string }[];
}

function parse(diff: string): FileChunk[] {
  const chunks: FileChunk[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  const lines = diff.split(/(?<=\n)/);
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const current = chunks.at(-1);
    if (oldLeft > 0 || newLeft > 0) {
      const c = text[0];
      const kind: Kind = c === '-' ? 'removed' : c === '+' ? 'added' : c === ' ' ? 'context' : 'other';
      if (c !== '+' && c !== '\\') oldLeft--;
      if (c !== '-' && c !== '\\') newLeft--;
      current!.lines.push({ kind, text });
      continue;
    }
    if (text.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const next = lines[i + 1]!;
      const label = (l: string) => l.slice(4).trimEnd();
      const target = label(next) === '/dev/null' ? label(text) : label(next);
      chunks.push({ path: target.replace(/^[ab]\//, ''), lines: [{ kind: 'header', text }, { kind: 'header', text: next }] });
      i++;
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(text);
    if (hunk && current) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      current.lines.push({ kind: 'hunk', text });
      continue;
    }
    const binary = /^Binary file (.*) (added|removed|changed)\n?$/.exec(text);
    if (binary) {
      chunks.push({ path: binary[1]!, lines: [{ kind: 'header', text }] });
      continue;
    }
    if (current) current.lines.push({ kind: 'other', text });
    else chunks.push({ path: '', lines: [{ kind: 'other', text }] });
  }
  return chunks;
}

export interface DiffStyle {
  bold(s: string): string;
  cyan(s: string): string;
  red(s: string): string;
  green(s: string): string;
}

const plain: DiffStyle = { bold: (s) => s, cyan: (s) => s, red: (s) => s, green: (s) => s };

/** The diff with the files in `last` moved to the end, and styled line by line. */
export function showDiff(diff: string, last: readonly string[], style: DiffStyle = plain): string {
  const chunks = parse(diff);
  const ordered = [...chunks.filter((c) => !last.includes(c.path)), ...chunks.filter((c) => last.includes(c.path))];
  const paint = (kind: Kind, text: string) => {
    // Colour the text, never the line ending, so a pasted patch still applies.
    const eol = /\r?\n$/.exec(text)?.[0] ?? '';
    const body = text.slice(0, text.length - eol.length);
    const styled = kind === 'header' ? style.bold(body) : kind === 'hunk' ? style.cyan(body) : kind === 'removed' ? style.red(body) : kind === 'added' ? style.green(body) : body;
    return styled + eol;
  };
  return ordered.map((c) => c.lines.map((l) => paint(l.kind, l.text)).join('')).join('');
}
