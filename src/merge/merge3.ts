import { diffIds, formatHunk, internLines, type Hunk, type HunkLine } from './diff.js';
import { detectEolOfLines, hasEol, splitLines, type Eol } from './lines.js';

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export interface MergeOptions {
  labels: MergeLabels;
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
 */
export function merge3(base: string, ours: string, theirs: string, options: MergeOptions): MergeResult {
  const baseLines = splitLines(base);
  const oursLines = splitLines(ours);
  const theirsLines = splitLines(theirs);
  // A side equal to base contributes no hunks, and equal sides share one diff;
  // this is what makes the trivial cases cheap (and exact by construction).
  const { ids, size } = internLines([baseLines, oursLines, theirsLines]);
  const [baseIds, oursIds, theirsIds] = ids as [Int32Array, Int32Array, Int32Array];
  const oursHunks = base === ours ? [] : diffIds(baseIds, oursIds, size);
  const theirsHunks = base === theirs ? [] : ours === theirs ? oursHunks : diffIds(baseIds, theirsIds, size);
  const regions = buildRegions(baseLines, oursLines, theirsLines, oursHunks, theirsHunks);
  const conflicts = regions.filter((r) => r.kind === 'conflict').length;
  const eol = detectEolOfLines(oursLines, detectEolOfLines(theirsLines, detectEolOfLines(baseLines)));
  return {
    text: render(regions, options.labels, eol),
    clean: conflicts === 0,
    conflicts,
    regions,
  };
}

function buildRegions(
  base: string[],
  ours: string[],
  theirs: string[],
  oursHunks: readonly Hunk[],
  theirsHunks: readonly Hunk[],
): MergeRegion[] {
  const regions: MergeRegion[] = [];
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
    if (basePos < chunkStart) regions.push({ kind: 'stable', lines: base.slice(basePos, chunkStart) });
    const oursEnd = sideEnd(oursHunks, oFirst, oi, chunkEnd, oursDelta);
    const theirsEnd = sideEnd(theirsHunks, tFirst, ti, chunkEnd, theirsDelta);
    const baseSlice = base.slice(chunkStart, chunkEnd);
    const oursSlice = ours.slice(chunkStart + oursDelta, oursEnd);
    const theirsSlice = theirs.slice(chunkStart + theirsDelta, theirsEnd);
    if (ti === tFirst) regions.push({ kind: 'ours', lines: oursSlice, base: baseSlice });
    else if (oi === oFirst) regions.push({ kind: 'theirs', lines: theirsSlice, base: baseSlice });
    else if (sameChange(oursHunks, oFirst, oi, theirsHunks, tFirst, ti, ours, theirs))
      regions.push({ kind: 'both', lines: oursSlice, base: baseSlice });
    else regions.push({ kind: 'conflict', base: baseSlice, ours: oursSlice, theirs: theirsSlice });
    oursDelta = oursEnd - chunkEnd;
    theirsDelta = theirsEnd - chunkEnd;
    basePos = chunkEnd;
  }
  if (basePos < base.length) regions.push({ kind: 'stable', lines: base.slice(basePos) });
  return regions;
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
  ours: readonly string[],
  theirs: readonly string[],
): boolean {
  if (oEnd - oFirst !== 1 || tEnd - tFirst !== 1) return false;
  const o = oursHunks[oFirst]!;
  const t = theirsHunks[tFirst]!;
  if (o.aStart !== t.aStart || o.aEnd !== t.aEnd || o.bEnd - o.bStart !== t.bEnd - t.bStart) return false;
  for (let k = 0; k < o.bEnd - o.bStart; k++) if (ours[o.bStart + k] !== theirs[t.bStart + k]) return false;
  return true;
}

// One join at the end: concatenating region by region costs more than the merge itself on big files.
function render(regions: readonly MergeRegion[], labels: MergeLabels, eol: Eol): string {
  const out: string[] = [];
  const push = (lines: readonly string[]): void => {
    for (const line of lines) out.push(line);
  };
  for (const r of regions) {
    if (r.kind !== 'conflict') {
      push(r.lines);
      continue;
    }
    out.push(marker('<<<<<<<', labels.ours, eol));
    pushSection(out, r.ours, eol);
    out.push(marker('|||||||', labels.base, eol));
    pushSection(out, r.base, eol);
    out.push(marker('=======', '', eol));
    pushSection(out, r.theirs, eol);
    out.push(marker('>>>>>>>', labels.theirs, eol));
  }
  return out.join('');
}

function marker(sigil: string, label: string, eol: Eol): string {
  return (label ? `${sigil} ${label}` : sigil) + eol;
}

// A side that ends the file without a newline must not glue the next marker
// onto its last line.
function pushSection(out: string[], lines: readonly string[], eol: Eol): void {
  for (const line of lines) out.push(line);
  const last = lines[lines.length - 1];
  if (last !== undefined && !hasEol(last)) out.push(eol);
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
