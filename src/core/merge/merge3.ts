import { diffIds, formatHunk, internRanges, type Hunk, type HunkLine } from './diff.js';
import { hasEol, lineOffsets, splitLines, type Eol } from './lines.js';

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export interface MergeOptions {
  labels: MergeLabels;
  /**
   * How a conflict is written, as git's `merge.conflictStyle` names them: `diff3` (the default)
   * puts the base lines between `|||||||` and `=======`; `merge` leaves them out.
   */
  style?: 'diff3' | 'merge';
}

/**
 * The merge as a sequence of regions. Change regions keep the `base` lines
 * they replace, so base, ours and theirs can each be rebuilt from the regions
 * (a `theirs` region is base on our side and vice versa).
 */
export type MergeRegion =
  | { kind: 'stable'; lines: string[] }
  | { kind: 'ours' | 'theirs' | 'both'; lines: string[]; base: string[] }
  | { kind: 'conflict'; base: string[]; ours: string[]; theirs: string[] };

export interface MergeResult {
  text: string;
  clean: boolean;
  conflicts: number;
  regions: MergeRegion[];
}

/**
 * Three-way line merge with diff3 semantics (`git merge-file --diff3`).
 * Changes from both sides that overlap or merely touch the same base
 * position conflict unless they are identical; conflicts are written inline
 * with diff3-style markers in the file's dominant line ending.
 * Lines are handled as offsets into the three texts until the end, and the
 * regions are only cut into line strings when someone asks for them: a big
 * merge then allocates a few arrays instead of an object per line.
 */
export function merge3(base: string, ours: string, theirs: string, options: MergeOptions): MergeResult {
  const texts: Texts = [base, ours, theirs];
  const at: Offsets = [lineOffsets(base), lineOffsets(ours), lineOffsets(theirs)];
  // A side equal to base contributes no hunks, and equal sides share one diff;
  // this is what makes the trivial cases cheap (and exact by construction).
  const { ids, size } = internRanges(texts, at);
  const [baseIds, oursIds, theirsIds] = ids as [Int32Array, Int32Array, Int32Array];
  const oursHunks = base === ours ? [] : diffIds(baseIds, oursIds, size);
  const theirsHunks = base === theirs ? [] : ours === theirs ? oursHunks : diffIds(baseIds, theirsIds, size);
  const spans = buildSpans(baseIds.length, oursIds, theirsIds, oursHunks, theirsHunks);
  const conflicts = spans.filter((r) => r.kind === 'conflict').length;
  const eol = eolOf(ours, at[1], eolOf(theirs, at[2], eolOf(base, at[0], '\n')));
  let regions: MergeRegion[] | undefined;
  return {
    text: render(spans, texts, at, options.labels, eol, options.style ?? 'diff3'),
    clean: conflicts === 0,
    conflicts,
    get regions() {
      regions ??= spans.map((r) => toRegion(r, texts, at));
      return regions;
    },
  };
}

type Texts = [base: string, ours: string, theirs: string];
type Offsets = [base: Int32Array, ours: Int32Array, theirs: Int32Array];

/** A region as line ranges `[x0, x1)` of base, ours and theirs. */
interface Span {
  kind: MergeRegion['kind'];
  b0: number;
  b1: number;
  o0: number;
  o1: number;
  t0: number;
  t1: number;
}

function buildSpans(baseLength: number, ours: Int32Array, theirs: Int32Array, oursHunks: readonly Hunk[], theirsHunks: readonly Hunk[]): Span[] {
  const spans: Span[] = [];
  let basePos = 0;
  let oi = 0;
  let ti = 0;
  // Offset of each side's line numbers against base just before the current chunk.
  let oursDelta = 0;
  let theirsDelta = 0;
  while (oi < oursHunks.length || ti < theirsHunks.length) {
    const oFirst = oi;
    const tFirst = ti;
    const chunkStart = Math.min(oursHunks[oi]?.aStart ?? Infinity, theirsHunks[ti]?.aStart ?? Infinity);
    let chunkEnd = chunkStart;
    // `<=` also swallows hunks that only touch the chunk (adjacent edits,
    // insertions at its edge): without a stable line between them their
    // order in the result would be a guess.
    for (;;) {
      const o = oursHunks[oi];
      const t = theirsHunks[ti];
      if (o && o.aStart <= chunkEnd) {
        chunkEnd = Math.max(chunkEnd, o.aEnd);
        oi++;
      } else if (t && t.aStart <= chunkEnd) {
        chunkEnd = Math.max(chunkEnd, t.aEnd);
        ti++;
      } else break;
    }
    if (basePos < chunkStart) {
      spans.push({ kind: 'stable', b0: basePos, b1: chunkStart, o0: basePos + oursDelta, o1: chunkStart + oursDelta, t0: basePos + theirsDelta, t1: chunkStart + theirsDelta });
    }
    const oursEnd = sideEnd(oursHunks, oFirst, oi, chunkEnd, oursDelta);
    const theirsEnd = sideEnd(theirsHunks, tFirst, ti, chunkEnd, theirsDelta);
    const kind =
      ti === tFirst ? 'ours' : oi === oFirst ? 'theirs' : sameChange(oursHunks, oFirst, oi, theirsHunks, tFirst, ti, ours, theirs) ? 'both' : 'conflict';
    spans.push({ kind, b0: chunkStart, b1: chunkEnd, o0: chunkStart + oursDelta, o1: oursEnd, t0: chunkStart + theirsDelta, t1: theirsEnd });
    oursDelta = oursEnd - chunkEnd;
    theirsDelta = theirsEnd - chunkEnd;
    basePos = chunkEnd;
  }
  if (basePos < baseLength) {
    spans.push({ kind: 'stable', b0: basePos, b1: baseLength, o0: basePos + oursDelta, o1: baseLength + oursDelta, t0: basePos + theirsDelta, t1: baseLength + theirsDelta });
  }
  return spans;
}

const piece = (texts: Texts, at: Offsets, side: 0 | 1 | 2, from: number, to: number): string => texts[side].slice(at[side][from]!, at[side][to]!);

function toRegion(r: Span, texts: Texts, at: Offsets): MergeRegion {
  const lines = (side: 0 | 1 | 2, from: number, to: number): string[] => splitLines(piece(texts, at, side, from, to));
  switch (r.kind) {
    case 'stable':
      return { kind: 'stable', lines: lines(0, r.b0, r.b1) };
    case 'conflict':
      return { kind: 'conflict', base: lines(0, r.b0, r.b1), ours: lines(1, r.o0, r.o1), theirs: lines(2, r.t0, r.t1) };
    case 'theirs':
      return { kind: 'theirs', lines: lines(2, r.t0, r.t1), base: lines(0, r.b0, r.b1) };
    default:
      return { kind: r.kind, lines: lines(1, r.o0, r.o1), base: lines(0, r.b0, r.b1) };
  }
}

/** `detectEol` from the offsets: the last one or two characters of each line. */
function eolOf(text: string, at: Int32Array, fallback: Eol): Eol {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = 1; i < at.length; i++) {
    const end = at[i]!;
    const c = text.charCodeAt(end - 1);
    if (c === 0x0a) {
      if (end - 2 >= at[i - 1]! && text.charCodeAt(end - 2) === 0x0d) crlf++;
      else lf++;
    } else if (c === 0x0d) cr++;
  }
  if (lf === 0 && crlf === 0 && cr === 0) return fallback;
  if (lf >= crlf && lf >= cr) return '\n';
  return crlf >= cr ? '\r\n' : '\r';
}

/** Where the chunk ending at base line `chunkEnd` ends on one side, given that side's hunks `[from, to)` inside it. */
function sideEnd(hunks: readonly Hunk[], from: number, to: number, chunkEnd: number, delta: number): number {
  const last = to > from ? hunks[to - 1] : undefined;
  return last ? last.bEnd + (chunkEnd - last.aEnd) : chunkEnd + delta;
}

/**
 * Like git, a chunk is one change made by both sides only when each side has a
 * single hunk there, over the same base lines, with the same new lines: equal
 * text reached through differently cut hunks still conflicts.
 */
function sameChange(
  oursHunks: readonly Hunk[],
  oFirst: number,
  oEnd: number,
  theirsHunks: readonly Hunk[],
  tFirst: number,
  tEnd: number,
  ours: Int32Array,
  theirs: Int32Array,
): boolean {
  if (oEnd - oFirst !== 1 || tEnd - tFirst !== 1) return false;
  const o = oursHunks[oFirst]!;
  const t = theirsHunks[tFirst]!;
  if (o.aStart !== t.aStart || o.aEnd !== t.aEnd || o.bEnd - o.bStart !== t.bEnd - t.bStart) return false;
  for (let k = 0; k < o.bEnd - o.bStart; k++) if (ours[o.bStart + k] !== theirs[t.bStart + k]) return false;
  return true;
}

// One join at the end: concatenating region by region costs more than the merge itself on big files.
function render(spans: readonly Span[], texts: Texts, at: Offsets, labels: MergeLabels, eol: Eol, style: 'diff3' | 'merge'): string {
  const out: string[] = [];
  // A side that ends the file without a newline must not glue the next marker onto its last line.
  const section = (side: 0 | 1 | 2, from: number, to: number): void => {
    if (from === to) return;
    out.push(piece(texts, at, side, from, to));
    const c = texts[side].charCodeAt(at[side][to]! - 1);
    if (c !== 0x0a && c !== 0x0d) out.push(eol);
  };
  for (const r of spans) {
    if (r.kind === 'stable') out.push(piece(texts, at, 0, r.b0, r.b1));
    else if (r.kind === 'theirs') out.push(piece(texts, at, 2, r.t0, r.t1));
    else if (r.kind !== 'conflict') out.push(piece(texts, at, 1, r.o0, r.o1));
    else {
      out.push(marker('<<<<<<<', labels.ours, eol));
      section(1, r.o0, r.o1);
      if (style === 'diff3') {
        out.push(marker('|||||||', labels.base, eol));
        section(0, r.b0, r.b1);
      }
      out.push(marker('=======', '', eol));
      section(2, r.t0, r.t1);
      out.push(marker('>>>>>>>', labels.theirs, eol));
    }
  }
  return out.join('');
}

function marker(sigil: string, label: string, eol: Eol): string {
  return (label ? `${sigil} ${label}` : sigil) + eol;
}


/**
 * The merge with every conflict resolved to our side: for `--conflict rej`,
 * where the user's file stays as it was in conflicted regions while clean
 * template changes elsewhere still apply.
 */
export function mergeKeepingOurs(result: MergeResult): string {
  return result.regions.map((r) => (r.kind === 'conflict' ? r.ours : r.lines).join('')).join('');
}

const REJECT_CONTEXT = 3;

/**
 * The `.rej` companion for `mergeKeepingOurs`: one unified-diff hunk per
 * conflict showing the template change (base → theirs) that was not applied,
 * numbered against the base and theirs versions, or `''` without conflicts.
 * Context comes only from stable regions because only those lines are
 * guaranteed to be in the user's file to locate the hunk by.
 */
export function rejectFile(result: MergeResult, labels: Pick<MergeLabels, 'base' | 'theirs'>): string {
  if (result.conflicts === 0) return '';
  const { regions } = result;
  let out = `--- ${labels.base}\n+++ ${labels.theirs}\n`;
  let basePos = 0;
  let theirsPos = 0;
  regions.forEach((r, i) => {
    if (r.kind === 'conflict') {
      const before = leadingContext(regions, i);
      const next = regions[i + 1];
      const after = next?.kind === 'stable' ? next.lines.slice(0, REJECT_CONTEXT) : [];
      const body: HunkLine[] = [
        ...before.map((line): HunkLine => [' ', line]),
        ...r.base.map((line): HunkLine => ['-', line]),
        ...r.theirs.map((line): HunkLine => ['+', line]),
        ...after.map((line): HunkLine => [' ', line]),
      ];
      // Lines come from the merge's own splitting, so a lone `\r` ends a line here too.
      out += formatHunk(basePos - before.length, theirsPos - before.length, body, hasEol);
    }
    const [baseLength, theirsLength] = sideLengths(r);
    basePos += baseLength;
    theirsPos += theirsLength;
  });
  return out;
}

// Stable lines just before conflict `i`, minus any the previous conflict's
// hunk already shows as trailing context, so hunks never overlap.
function leadingContext(regions: readonly MergeRegion[], i: number): string[] {
  const prev = regions[i - 1];
  if (prev?.kind !== 'stable') return [];
  const taken = regions[i - 2]?.kind === 'conflict' ? Math.min(REJECT_CONTEXT, prev.lines.length) : 0;
  return prev.lines.slice(Math.max(taken, prev.lines.length - REJECT_CONTEXT));
}

/** How many base and theirs lines a region spans. */
function sideLengths(r: MergeRegion): [number, number] {
  switch (r.kind) {
    case 'stable':
      return [r.lines.length, r.lines.length];
    case 'ours':
      return [r.base.length, r.base.length];
    case 'theirs':
    case 'both':
      return [r.base.length, r.lines.length];
    case 'conflict':
      return [r.base.length, r.theirs.length];
  }
}
