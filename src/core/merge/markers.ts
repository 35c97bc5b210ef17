/**
 * Conflict-marker blocks left in a text: what a merge wrote and nobody resolved. Pure.
 *
 * A block is git's shape, each marker at the start of its own line: `<<<<<<<` (alone or followed
 * by a space and a label), optionally `|||||||` (the same), then `=======` alone, then
 * `>>>>>>>` (alone or with a label). Exactly seven characters each, as git writes them. A line
 * of `=======` outside a block (a Markdown or reStructuredText heading underline) is text, and
 * so is an opening marker never followed by the rest of a block. Like `git diff --check`, a
 * block inside a Markdown code fence still counts: it is indistinguishable from a real one.
 */

export interface MarkerBlock {
  /** 0-based index of the `<<<<<<<` line. */
  start: number;
  /** 0-based index of the `>>>>>>>` line. */
  end: number;
}

type Marker = '<' | '|' | '=' | '>';

// The line without its terminator, so that CRLF files match too.
function markerOf(line: string): Marker | undefined {
  const body = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') || line.endsWith('\r') ? line.slice(0, -1) : line;
  const c = body[0];
  if (c !== '<' && c !== '|' && c !== '=' && c !== '>') return undefined;
  for (let i = 1; i < 7; i++) if (body[i] !== c) return undefined;
  if (body.length === 7) return c;
  // The separator carries no label; the others may, after one space.
  return c !== '=' && body[7] === ' ' ? c : undefined;
}

/** The complete marker blocks among `lines` (with or without their terminators), in order. */
export function conflictBlocks(lines: readonly string[]): MarkerBlock[] {
  const blocks: MarkerBlock[] = [];
  let start = -1;
  let stage: 'ours' | 'base' | 'theirs' = 'ours';
  lines.forEach((line, i) => {
    const m = markerOf(line);
    if (m === '<') {
      // A new opening before the block closed: the earlier one was not a block.
      start = i;
      stage = 'ours';
    } else if (start === -1) {
      return;
    } else if (m === '|' && stage === 'ours') stage = 'base';
    else if (m === '=' && stage !== 'theirs') stage = 'theirs';
    else if (m === '>') {
      // Closing without a separator is not git's shape: not a block either.
      if (stage === 'theirs') blocks.push({ start, end: i });
      start = -1;
    }
  });
  return blocks;
}

/** Whether line `i` lies inside one of `blocks` (markers included). */
export function insideBlock(blocks: readonly MarkerBlock[], i: number): boolean {
  return blocks.some((b) => b.start <= i && i <= b.end);
}
