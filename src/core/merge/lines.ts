export type Eol = '\n' | '\r\n' | '\r';

/**
 * Splits text into lines that keep their terminators (`\n`, `\r\n` or a lone
 * `\r`), so `splitLines(t).join('') === t` always holds and a missing final
 * newline survives a merge as an unterminated last line.
 */
export function splitLines(text: string): string[] {
  const at = lineOffsets(text);
  const lines: string[] = new Array(at.length - 1);
  for (let i = 0; i + 1 < at.length; i++) lines[i] = text.slice(at[i]!, at[i + 1]!);
  return lines;
}

/**
 * Splits on `\n` only, the way git and patch(1) see lines. Patch text has to
 * use this notion: a hunk line ending in a lone `\r` would run into the next
 * hunk line for every tool that reads the patch.
 */
export function splitLfLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Whether a line from `splitLines` carries a terminator (only a file's last line may not). */
export function hasEol(line: string): boolean {
  const c = line.charCodeAt(line.length - 1);
  return c === 0x0a || c === 0x0d;
}

/**
 * The most frequent line ending in `text`; ties go to `\n`, then `\r\n`.
 * `fallback` is returned for text without any line break, so callers can
 * chain several candidate texts.
 */
export function detectEol(text: string, fallback: Eol = '\n'): Eol {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) lf++;
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) {
        crlf++;
        i++;
      } else cr++;
    }
  }
  if (lf === 0 && crlf === 0 && cr === 0) return fallback;
  if (lf >= crlf && lf >= cr) return '\n';
  return crlf >= cr ? '\r\n' : '\r';
}

/**
 * Where each line of `text` starts, cut as `splitLines` cuts it, followed by `text.length`:
 * line `i` is `text.slice(at[i], at[i + 1])`. Offsets instead of strings keep big merges
 * from allocating (and the garbage collector from copying) one object per line.
 */
export function lineOffsets(text: string): Int32Array {
  let at = new Int32Array(16);
  let n = 0;
  const push = (offset: number): void => {
    if (n === at.length) {
      const grown = new Int32Array(at.length * 2);
      grown.set(at);
      at = grown;
    }
    at[n++] = offset;
  };
  let start = 0;
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf !== -1 || cr !== -1) {
    let end: number;
    if (cr === -1 || (lf !== -1 && lf < cr)) end = lf + 1;
    else end = text.charCodeAt(cr + 1) === 0x0a ? cr + 2 : cr + 1;
    push(start);
    start = end;
    if (lf !== -1 && lf < end) lf = text.indexOf('\n', end);
    if (cr !== -1 && cr < end) cr = text.indexOf('\r', end);
  }
  if (start < text.length) push(start);
  push(text.length);
  return at.subarray(0, n);
}
