import { splitLfLines } from './lines.js';

/** A changed region: `a[aStart, aEnd)` was replaced by `b[bStart, bEnd)`. */
export interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * Minimal line diff (Myers' O(ND) algorithm, linear-space variant).
 * Hunks are ordered and always separated by at least one unchanged line.
 */
export function diff(a: readonly string[], b: readonly string[]): Hunk[] {
  const [ai, bi] = intern(a, b);
  const removed = new Uint8Array(a.length);
  const added = new Uint8Array(b.length);
  markChanges(ai, bi, removed, added);
  return collectHunks(removed, added);
}

// Comparing small integers instead of strings keeps the inner snake loops cheap.
function intern(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const toIds = (lines: readonly string[]): Int32Array =>
    Int32Array.from(lines, (line) => {
      let id = ids.get(line);
      if (id === undefined) {
        id = ids.size;
        ids.set(line, id);
      }
      return id;
    });
  return [toIds(a), toIds(b)];
}

/**
 * Divide and conquer on the middle snake. An explicit work list instead of
 * recursion keeps deep splits of large, very different files off the call stack.
 */
function markChanges(a: Int32Array, b: Int32Array, removed: Uint8Array, added: Uint8Array): void {
  const work: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]];
  for (let range = work.pop(); range !== undefined; range = work.pop()) {
    let [aLo, aHi, bLo, bHi] = range;
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      aLo++;
      bLo++;
    }
    while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
      aHi--;
      bHi--;
    }
    const split = aLo === aHi || bLo === bHi ? undefined : middleSnake(a, aLo, aHi, b, bLo, bHi);
    if (split === undefined) {
      removed.fill(1, aLo, aHi);
      added.fill(1, bLo, bHi);
    } else {
      const [x, y] = split;
      work.push([aLo, x, bLo, y], [x, aHi, y, bHi]);
    }
  }
}

/**
 * Runs the forward and reverse Myers searches until they overlap and returns
 * the absolute point where the forward path ends, which splits the problem
 * into two smaller ones. `undefined` is only returned when the ranges share
 * no line, i.e. everything in them changed.
 * Callers must have trimmed the common prefix and suffix, which guarantees
 * the split point is never a corner of the range.
 */
function middleSnake(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
): [number, number] | undefined {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const size = 2 * maxD + 2;
  // v[offset + k]: furthest x reached on diagonal k; the reverse search
  // measures x from the end of the ranges.
  const forward = new Int32Array(size).fill(-1);
  const reverse = new Int32Array(size).fill(-1);
  forward[offset + 1] = 0;
  reverse[offset + 1] = 0;
  const delta = n - m;
  // With an odd delta the paths can first meet during a forward step, else during a reverse one.
  const checkOnForward = delta % 2 !== 0;
  // Diagonals that ran off the edit graph are skipped in later rounds.
  let fStart = 0;
  let fEnd = 0;
  let rStart = 0;
  let rEnd = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k = -d + fStart; k <= d - fEnd; k += 2) {
      const i = offset + k;
      let x = k === -d || (k !== d && forward[i - 1]! < forward[i + 1]!) ? forward[i + 1]! : forward[i - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      forward[i] = x;
      if (x > n) fEnd += 2;
      else if (y > m) fStart += 2;
      else if (checkOnForward) {
        const j = offset + delta - k;
        if (j >= 0 && j < size && reverse[j] !== -1 && x >= n - reverse[j]!) {
          return [aLo + x, bLo + y];
        }
      }
    }
    for (let k = -d + rStart; k <= d - rEnd; k += 2) {
      const i = offset + k;
      let x = k === -d || (k !== d && reverse[i - 1]! < reverse[i + 1]!) ? reverse[i + 1]! : reverse[i - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[aHi - x - 1] === b[bHi - y - 1]) {
        x++;
        y++;
      }
      reverse[i] = x;
      if (x > n) rEnd += 2;
      else if (y > m) rStart += 2;
      else if (!checkOnForward) {
        const j = offset + delta - k;
        if (j >= 0 && j < size && forward[j] !== -1) {
          const fx = forward[j]!;
          if (fx >= n - x) return [aLo + fx, bLo + fx - (j - offset)];
        }
      }
    }
  }
  return undefined;
}

// Unmarked lines of a and b pair up in order, so walking both at once
// recovers the changed regions between matched lines.
function collectHunks(removed: Uint8Array, added: Uint8Array): Hunk[] {
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < removed.length || j < added.length) {
    if (i < removed.length && j < added.length && !removed[i] && !added[j]) {
      i++;
      j++;
      continue;
    }
    const aStart = i;
    const bStart = j;
    while (i < removed.length && removed[i]) i++;
    while (j < added.length && added[j]) j++;
    hunks.push({ aStart, aEnd: i, bStart, bEnd: j });
  }
  return hunks;
}

export type HunkLine = readonly [' ' | '-' | '+', string];

/**
 * Formats one `@@` hunk. `oldStart`/`newStart` are 0-based indexes of the
 * hunk's first line; `terminated` tells which lines carry their own line
 * ending, the others get a `\ No newline at end of file` marker.
 */
export function formatHunk(
  oldStart: number,
  newStart: number,
  body: readonly HunkLine[],
  terminated: (line: string) => boolean,
): string {
  const oldCount = body.filter(([tag]) => tag !== '+').length;
  const newCount = body.filter(([tag]) => tag !== '-').length;
  let out = `@@ -${formatRange(oldStart, oldCount)} +${formatRange(newStart, newCount)} @@\n`;
  for (const [tag, line] of body) {
    out += tag + line;
    if (!terminated(line)) out += '\n\\ No newline at end of file\n';
  }
  return out;
}

// Same conventions as GNU diff and git: a count of 1 is omitted, and an empty
// range names the line *before* it (0 at the start of the file).
function formatRange(start: number, count: number): string {
  if (count === 1) return String(start + 1);
  return `${count === 0 ? start : start + 1},${count}`;
}

export interface UnifiedDiffOptions {
  oldLabel: string;
  newLabel: string;
  /** Unchanged lines shown around each change; defaults to 3. */
  context?: number;
}

/**
 * A unified diff that `git apply` and `patch` accept, or `''` when the texts
 * are equal. Labels are printed as given, so pass `/dev/null` for a side that
 * does not exist. Lines are split on `\n` only, as those tools expect.
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return '';
  const context = options.context ?? 3;
  const a = splitLfLines(oldText);
  const b = splitLfLines(newText);
  const hunks = diff(a, b);
  let out = `--- ${options.oldLabel}\n+++ ${options.newLabel}\n`;
  for (const group of groupHunks(hunks, context)) {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const aLo = Math.max(0, first.aStart - context);
    const aHi = Math.min(a.length, last.aEnd + context);
    const body: HunkLine[] = [];
    let pos = aLo;
    for (const h of group) {
      for (; pos < h.aStart; pos++) body.push([' ', a[pos]!]);
      for (let i = h.aStart; i < h.aEnd; i++) body.push(['-', a[i]!]);
      for (let j = h.bStart; j < h.bEnd; j++) body.push(['+', b[j]!]);
      pos = h.aEnd;
    }
    for (; pos < aHi; pos++) body.push([' ', a[pos]!]);
    out += formatHunk(aLo, first.bStart - (first.aStart - aLo), body, (line) => line.endsWith('\n'));
  }
  return out;
}

// Changes whose context windows would touch or overlap share one `@@` hunk.
function groupHunks(hunks: readonly Hunk[], context: number): Hunk[][] {
  const groups: Hunk[][] = [];
  for (const h of hunks) {
    const current = groups[groups.length - 1];
    const prev = current?.[current.length - 1];
    if (current && prev && h.aStart - prev.aEnd <= 2 * context) current.push(h);
    else groups.push([h]);
  }
  return groups;
}
