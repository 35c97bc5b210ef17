import { splitLfLines } from './lines.js';

/** A changed region: `a[aStart, aEnd)` was replaced by `b[bStart, bEnd)`. */
export interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * Line diff that chooses the same hunks as git's default (Myers) diff, so a
 * merge built on it conflicts where `git merge-file` does and nowhere else.
 * Like git it first sets aside lines that cannot match (and repeated lines
 * drowned among them), bounds the search cost at about the square root of the
 * input size, and finally slides each hunk as far down as it can go unless
 * sliding lines it up with a hunk of the other file. Large rewrites therefore
 * cost about N·√N instead of N², at the price of a diff that is occasionally
 * longer than the shortest one, exactly when git's is.
 * Hunks are ordered and always separated by at least one unchanged line.
 */
export function diff(a: readonly string[], b: readonly string[]): Hunk[] {
  const { ids, size } = internLines([a, b]);
  return diffIds(ids[0]!, ids[1]!, size);
}

/**
 * Lines as small integers, equal lines getting equal ids across all `texts`
 * (comparisons become cheap, and a merge interns its three texts only once).
 * An open-addressing table over typed arrays: a `Map` of a few hundred
 * thousand lines cost more here than the whole diff.
 */
export function internLines(texts: ReadonlyArray<readonly string[]>): { ids: Int32Array[]; size: number } {
  const total = texts.reduce((n, lines) => n + lines.length, 0);
  let capacity = 16;
  while (capacity < total * 2) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity); // id + 1, 0 for a free slot
  // Hashes stay int32 throughout: larger numbers would be boxed, one allocation per line.
  const hashes = new Int32Array(total);
  const lines: string[] = [];
  const first = texts[0] ?? [];
  // Where each id first occurs in the first text (-1: not there).
  const firstAt: number[] = [];
  const intern = (line: string, at: number): number => {
    const h = hashLine(line);
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) {
        slots[slot] = lines.length + 1;
        hashes[lines.length] = h;
        firstAt.push(at);
        lines.push(line);
        return lines.length - 1;
      }
      if (hashes[entry - 1] === h && lines[entry - 1] === line) return entry - 1;
    }
  };
  const firstIds = new Int32Array(first.length);
  for (let i = 0; i < first.length; i++) firstIds[i] = intern(first[i]!, i);
  const ids = [firstIds];
  for (const text of texts.slice(1)) {
    const out = new Int32Array(text.length);
    // The other texts are mostly the first one with edits: the line after the last one found in
    // the first text is usually the next line here too, and comparing it costs less than hashing.
    let next = 0;
    for (let i = 0; i < text.length; i++) {
      const line = text[i]!;
      if (next < first.length && first[next] === line) {
        out[i] = firstIds[next++]!;
        continue;
      }
      const id = intern(line, -1);
      out[i] = id;
      if (firstAt[id]! >= 0) next = firstAt[id]! + 1;
    }
    ids.push(out);
  }
  return { ids, size: lines.length };
}

// FNV-1a over UTF-16 code units; only its spread matters, collisions are compared away.
function hashLine(line: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < line.length; i++) h = Math.imul(h ^ line.charCodeAt(i), 0x01000193);
  return h;
}

/** `diff` on lines interned by `internLines`; `size` is its number of distinct lines. */
export function diffIds(ha: Int32Array, hb: Int32Array, size: number): Hunk[] {
  const packed = diffIdsPacked(ha, hb, size);
  const hunks: Hunk[] = [];
  for (let k = 0; k < packed.length; k += 4) hunks.push({ aStart: packed[k]!, aEnd: packed[k + 1]!, bStart: packed[k + 2]!, bEnd: packed[k + 3]! });
  return hunks;
}

/**
 * `diffIds` with its hunks packed four numbers each (aStart, aEnd, bStart, bEnd) in one array:
 * what a big merge reads, without an object per hunk.
 */
export function diffIdsPacked(ha: Int32Array, hb: Int32Array, size: number): Int32Array {
  // Each long loop of the diff is the whole of a function (here and below): a big diff runs once
  // per process, mostly as on-stack replacement, and optimized code that runs on past its loop
  // into code never run before is thrown away and made again.
  const countA = countIds(ha, size);
  const countB = countIds(hb, size);
  // One flag per line, shifted by one so that both ends have a zero sentinel.
  const changedA = new Uint8Array(ha.length + 2);
  const changedB = new Uint8Array(hb.length + 2);
  const [keptA, keptB] = discardUnmatchable(ha, hb, countA, countB, changedA, changedB);
  compare(keptA, keptB, changedA, changedB);
  compact(ha, changedA, changedB);
  compact(hb, changedB, changedA);
  // Hunks are separated by unchanged lines: at most one more than the shorter side has lines.
  const packed = new Int32Array(4 * (Math.min(ha.length, hb.length) + 1));
  return packed.subarray(0, collectHunks(changedA, changedB, ha.length, hb.length, packed));
}

/** How many times each id occurs in `h`. */
function countIds(h: Int32Array, size: number): Int32Array {
  const counts = new Int32Array(size);
  for (let i = 0; i < h.length; i++) counts[h[i]!]!++;
  return counts;
}

/** Integer approximation of √n by shifts, as git's diff uses it for its limits. */
function roughSqrt(n: number): number {
  let r = 1;
  for (; n > 0; n = Math.floor(n / 4)) r *= 2;
  return r;
}

const MAX_EQUAL_LIMIT = 1024;
const SCAN_WINDOW = 100;
const KEEP_RUN_FACTOR = 4;

/** The lines (by index, with their ids) left for the search after trimming and discarding. */
interface Kept {
  index: Int32Array;
  id: Int32Array;
}

/**
 * Trims the common prefix and suffix, then marks as changed every line with no
 * equal on the other side, and every line with many equals that sits in a run
 * mostly made of such lines: they could only produce spurious matches.
 */
function discardUnmatchable(
  ha: Int32Array,
  hb: Int32Array,
  countA: Int32Array,
  countB: Int32Array,
  changedA: Uint8Array,
  changedB: Uint8Array,
): [Kept, Kept] {
  const start = commonPrefix(ha, hb);
  const suffix = commonSuffix(ha, hb, start);
  return [keptSide(ha, countB, changedA, start, suffix), keptSide(hb, countA, changedB, start, suffix)];
}

function commonPrefix(ha: Int32Array, hb: Int32Array): number {
  const lim = Math.min(ha.length, hb.length);
  let start = 0;
  while (start < lim && ha[start] === hb[start]) start++;
  return start;
}

function commonSuffix(ha: Int32Array, hb: Int32Array, start: number): number {
  const lim = Math.min(ha.length, hb.length) - start;
  let suffix = 0;
  while (suffix < lim && ha[ha.length - 1 - suffix] === hb[hb.length - 1 - suffix]) suffix++;
  return suffix;
}

/** One side of discardUnmatchable: its lines between the common prefix and suffix that are kept. */
function keptSide(h: Int32Array, otherCount: Int32Array, changed: Uint8Array, start: number, suffix: number): Kept {
  const end = h.length - suffix - 1;
  const limit = repeatLimit(h.length);
  // 0: no equal on the other side, 1: some, 2: many.
  const kind = new Uint8Array(h.length + 1);
  classify(h, otherCount, start, end, limit, kind);
  const index = new Int32Array(Math.max(0, end - start + 1));
  const id = new Int32Array(index.length);
  const kept = keep(h, kind, start, end, changed, index, id);
  return { index: index.subarray(0, kept), id: id.subarray(0, kept) };
}

/** How many equals on the other side make a line of a file of n lines "often repeated". */
export function repeatLimit(n: number): number {
  return Math.min(roughSqrt(n), MAX_EQUAL_LIMIT);
}

function classify(h: Int32Array, otherCount: Int32Array, start: number, end: number, limit: number, kind: Uint8Array): void {
  for (let i = start; i <= end; i++) {
    const n = otherCount[h[i]!]!;
    kind[i] = n === 0 ? 0 : n >= limit ? 2 : 1;
  }
}

/** Fills `index` and `id` with the lines kept and marks the others changed; returns how many were kept. */
function keep(h: Int32Array, kind: Uint8Array, start: number, end: number, changed: Uint8Array, index: Int32Array, id: Int32Array): number {
  let kept = 0;
  for (let i = start; i <= end; i++) {
    if (kind[i] === 1 || (kind[i] === 2 && !drownedRepeat(kind, i, start, end))) {
      index[kept] = i;
      id[kept++] = h[i]!;
    } else changed[i + 1] = 1;
  }
  return kept;
}

/**
 * Whether the often-repeated line `i` sits between runs of unmatchable or
 * repeated lines (both non-empty, within a window) in which repeated lines are
 * fewer than a quarter.
 */
function drownedRepeat(kind: Uint8Array, i: number, start: number, end: number): boolean {
  const lo = Math.max(start, i - SCAN_WINDOW);
  const hi = Math.min(end, i + SCAN_WINDOW);
  let unmatched = 0;
  let repeated = 1;
  for (let r = i - 1; r >= lo && kind[r] !== 1; r--) {
    if (kind[r] === 0) unmatched++;
    else repeated++;
  }
  if (unmatched === 0) return false;
  let unmatchedAfter = 0;
  repeated++;
  for (let r = i + 1; r <= hi && kind[r] !== 1; r++) {
    if (kind[r] === 0) unmatchedAfter++;
    else repeated++;
  }
  if (unmatchedAfter === 0) return false;
  unmatched += unmatchedAfter;
  return repeated * KEEP_RUN_FACTOR < repeated + unmatched;
}

const SNAKE_COUNT = 20;
const HEURISTIC_MIN_COST = 256;
const MAX_COST_MIN = 256;
const HEURISTIC_FACTOR = 4;
const FAR = 0x3fffffff;

/** Where a box is cut, and whether each half must then be diffed without shortcuts. */
interface Split {
  x: number;
  y: number;
  minimalLow: boolean;
  minimalHigh: boolean;
}

/**
 * Divide and conquer over the kept lines, marking the unmatched ones. An
 * explicit work list instead of recursion keeps deep splits off the call stack;
 * the order boxes are handled in does not change the result.
 */
function compare(ka: Kept, kb: Kept, changedA: Uint8Array, changedB: Uint8Array): void {
  const a = ka.id;
  const b = kb.id;
  const diagonals = a.length + b.length + 3;
  const offset = b.length + 1;
  const forward = new Int32Array(diagonals);
  const backward = new Int32Array(diagonals);
  const maxCost = Math.max(roughSqrt(diagonals), MAX_COST_MIN);
  const work: Array<[number, number, number, number, boolean]> = [[0, a.length, 0, b.length, false]];
  for (let box = work.pop(); box !== undefined; box = work.pop()) {
    let [aLo, aHi, bLo, bHi] = box;
    const minimal = box[4];
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      aLo++;
      bLo++;
    }
    while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
      aHi--;
      bHi--;
    }
    if (aLo === aHi) {
      for (let j = bLo; j < bHi; j++) changedB[kb.index[j]! + 1] = 1;
    } else if (bLo === bHi) {
      for (let i = aLo; i < aHi; i++) changedA[ka.index[i]! + 1] = 1;
    } else {
      const s = split(a, aLo, aHi, b, bLo, bHi, forward, backward, offset, minimal, maxCost);
      work.push([aLo, s.x, bLo, s.y, s.minimalLow], [s.x, aHi, s.y, bHi, s.minimalHigh]);
    }
  }
}

/**
 * Myers' middle snake on `a[aLo, aHi)` × `b[bLo, bHi)`, searched from both
 * corners at once. Unless `minimal`, the search gives up early: once a long
 * diagonal run was seen and the cost is high it cuts at a promising point
 * behind such a run, and past `maxCost` it cuts at the furthest point reached.
 * Arrays are indexed by diagonal `x - y` plus `offset`.
 */
function split(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  fwd: Int32Array,
  bwd: Int32Array,
  offset: number,
  minimal: boolean,
  maxCost: number,
): Split {
  const dMin = aLo - bHi;
  const dMax = aHi - bLo;
  const fMid = aLo - bLo;
  const bMid = aHi - bHi;
  const odd = ((fMid - bMid) & 1) !== 0;
  let fMin = fMid;
  let fMax = fMid;
  let bMin = bMid;
  let bMax = bMid;
  fwd[fMid + offset] = aLo;
  bwd[bMid + offset] = aHi;
  for (let cost = 1; ; cost++) {
    let longSnake = false;
    // Widen the range of diagonals by one at each end that is still inside the box.
    if (fMin > dMin) fwd[--fMin - 1 + offset] = -1;
    else fMin++;
    if (fMax < dMax) fwd[++fMax + 1 + offset] = -1;
    else fMax--;
    for (let d = fMax; d >= fMin; d -= 2) {
      const k = d + offset;
      let x = fwd[k - 1]! >= fwd[k + 1]! ? fwd[k - 1]! + 1 : fwd[k + 1]!;
      const x0 = x;
      let y = x - d;
      while (x < aHi && y < bHi && a[x] === b[y]) {
        x++;
        y++;
      }
      if (x - x0 > SNAKE_COUNT) longSnake = true;
      fwd[k] = x;
      if (odd && bMin <= d && d <= bMax && bwd[k]! <= x) return { x, y, minimalLow: true, minimalHigh: true };
    }
    if (bMin > dMin) bwd[--bMin - 1 + offset] = FAR;
    else bMin++;
    if (bMax < dMax) bwd[++bMax + 1 + offset] = FAR;
    else bMax--;
    for (let d = bMax; d >= bMin; d -= 2) {
      const k = d + offset;
      let x = bwd[k - 1]! < bwd[k + 1]! ? bwd[k - 1]! : bwd[k + 1]! - 1;
      const x0 = x;
      let y = x - d;
      while (x > aLo && y > bLo && a[x - 1] === b[y - 1]) {
        x--;
        y--;
      }
      if (x0 - x > SNAKE_COUNT) longSnake = true;
      bwd[k] = x;
      if (!odd && fMin <= d && d <= fMax && x <= fwd[k]!) return { x, y, minimalLow: true, minimalHigh: true };
    }
    if (minimal) continue;
    if (longSnake && cost > HEURISTIC_MIN_COST) {
      const cut = promisingCut(a, aLo, aHi, b, bLo, bHi, fwd, bwd, offset, cost, fMin, fMax, fMid, bMin, bMax, bMid);
      if (cut) return cut;
    }
    if (cost >= maxCost) return furthestCut(aLo, aHi, bLo, bHi, fwd, bwd, offset, fMin, fMax, bMin, bMax);
  }
}

/**
 * A point that got far from its corner without straying far from the middle
 * diagonal and that ends (forward) or starts (backward) a run of `SNAKE_COUNT`
 * equal lines; the forward search is preferred.
 */
function promisingCut(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  fwd: Int32Array,
  bwd: Int32Array,
  offset: number,
  cost: number,
  fMin: number,
  fMax: number,
  fMid: number,
  bMin: number,
  bMax: number,
  bMid: number,
): Split | undefined {
  let best = 0;
  let cut: Split | undefined;
  for (let d = fMax; d >= fMin; d -= 2) {
    const x = fwd[d + offset]!;
    const y = x - d;
    const v = x - aLo + (y - bLo) - Math.abs(d - fMid);
    if (v > HEURISTIC_FACTOR * cost && v > best && aLo + SNAKE_COUNT <= x && x < aHi && bLo + SNAKE_COUNT <= y && y < bHi) {
      let k = 1;
      while (k < SNAKE_COUNT && a[x - k] === b[y - k]) k++;
      if (k === SNAKE_COUNT && a[x - k] === b[y - k]) {
        best = v;
        cut = { x, y, minimalLow: true, minimalHigh: false };
      }
    }
  }
  if (cut) return cut;
  for (let d = bMax; d >= bMin; d -= 2) {
    const x = bwd[d + offset]!;
    const y = x - d;
    const v = aHi - x + (bHi - y) - Math.abs(d - bMid);
    if (v > HEURISTIC_FACTOR * cost && v > best && aLo < x && x <= aHi - SNAKE_COUNT && bLo < y && y <= bHi - SNAKE_COUNT) {
      let k = 0;
      while (k < SNAKE_COUNT - 1 && a[x + k] === b[y + k]) k++;
      if (k === SNAKE_COUNT - 1 && a[x + k] === b[y + k]) {
        best = v;
        cut = { x, y, minimalLow: false, minimalHigh: true };
      }
    }
  }
  return cut;
}

/** The cut at whichever search got furthest (by x + y) from its corner. */
function furthestCut(
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  fwd: Int32Array,
  bwd: Int32Array,
  offset: number,
  fMin: number,
  fMax: number,
  bMin: number,
  bMax: number,
): Split {
  let fBest = -1;
  let fX = -1;
  for (let d = fMax; d >= fMin; d -= 2) {
    let x = Math.min(fwd[d + offset]!, aHi);
    let y = x - d;
    if (bHi < y) {
      x = bHi + d;
      y = bHi;
    }
    if (fBest < x + y) {
      fBest = x + y;
      fX = x;
    }
  }
  let bBest = FAR;
  let bX = FAR;
  for (let d = bMax; d >= bMin; d -= 2) {
    let x = Math.max(aLo, bwd[d + offset]!);
    let y = x - d;
    if (y < bLo) {
      x = bLo + d;
      y = bLo;
    }
    if (x + y < bBest) {
      bBest = x + y;
      bX = x;
    }
  }
  if (aHi + bHi - bBest < fBest - (aLo + bLo)) return { x: fX, y: fBest - fX, minimalLow: true, minimalHigh: false };
  return { x: bX, y: bBest - bX, minimalLow: false, minimalHigh: true };
}

/**
 * Slides each group of changed lines of one file up and then down as far as
 * equal lines allow, joining groups it runs into; a group that can move ends
 * up at its lowest position, or at the last one where it faces a group of
 * changed lines in the other file. `changed` and `other` are shifted by one.
 */
function compact(h: Int32Array, changed: Uint8Array, other: Uint8Array): void {
  new Compaction(h, changed, other).run();
}

/**
 * compact's walk. Its steps are methods, not closures made for each call: a diff compacts both
 * files, and the optimized code of the first call then fits the second (closures would be other
 * call targets, and the code thrown away).
 */
class Compaction {
  private readonly n: number;
  private readonly m: number;
  // Groups are [start, end) in line numbers; unchanged lines pair up one to one
  // between the files, so each group has a partner group (maybe empty) in the other.
  private gs = 0;
  private ge = 0;
  private os = 0;
  private oe = 0;

  constructor(
    private readonly h: Int32Array,
    private readonly changed: Uint8Array,
    private readonly other: Uint8Array,
  ) {
    this.n = h.length;
    this.m = other.length - 2;
  }

  private nextOther(): void {
    const other = this.other;
    this.os = this.oe + 1;
    let oe = this.os;
    while (other[oe + 1]) oe++;
    this.oe = oe;
  }

  private previousOther(): void {
    const other = this.other;
    this.oe = this.os - 1;
    let os = this.oe;
    while (other[os]) os--;
    this.os = os;
  }

  private slideDown(): boolean {
    const { h, changed } = this;
    if (this.ge < this.n && h[this.gs] === h[this.ge]) {
      changed[this.gs++ + 1] = 0;
      changed[this.ge++ + 1] = 1;
      while (changed[this.ge + 1]) this.ge++;
      return true;
    }
    return false;
  }

  private slideUp(): boolean {
    const { h, changed } = this;
    if (this.gs > 0 && h[this.gs - 1] === h[this.ge - 1]) {
      changed[--this.gs + 1] = 1;
      changed[--this.ge + 1] = 0;
      while (changed[this.gs]) this.gs--;
      return true;
    }
    return false;
  }

  run(): void {
    const { changed, other, n, m } = this;
    while (changed[this.ge + 1]) this.ge++;
    while (other[this.oe + 1]) this.oe++;
    for (;;) {
      if (this.ge !== this.gs) {
        let size: number;
        let earliestEnd: number;
        let endFacingOther: number;
        do {
          size = this.ge - this.gs;
          endFacingOther = -1;
          while (this.slideUp()) this.previousOther();
          earliestEnd = this.ge;
          if (this.oe > this.os) endFacingOther = this.ge;
          while (this.slideDown()) {
            this.nextOther();
            if (this.oe > this.os) endFacingOther = this.ge;
          }
        } while (size !== this.ge - this.gs);
        if (this.ge !== earliestEnd && endFacingOther !== -1) {
          while (this.oe === this.os) {
            this.slideUp();
            this.previousOther();
          }
        }
      }
      if (this.ge === n) break;
      this.gs = this.ge + 1;
      for (this.ge = this.gs; changed[this.ge + 1]; this.ge++);
      if (this.oe === m) break;
      this.nextOther();
    }
  }
}

// Unchanged lines of a and b pair up in order, so walking both at once
// recovers the changed regions between matched lines: written to `out`, four numbers a hunk
// (aStart, aEnd, bStart, bEnd); returns how many numbers.
function collectHunks(changedA: Uint8Array, changedB: Uint8Array, n: number, m: number, out: Int32Array): number {
  let k = 0;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && !changedA[i + 1] && !changedB[j + 1]) {
      i++;
      j++;
      continue;
    }
    out[k] = i;
    out[k + 2] = j;
    while (i < n && changedA[i + 1]) i++;
    while (j < m && changedB[j + 1]) j++;
    out[k + 1] = i;
    out[k + 3] = j;
    k += 4;
  }
  return k;
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
