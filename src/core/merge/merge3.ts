import { diffIdsPacked, formatHunk, repeatLimit, type HunkLine } from './diff.js';
import { hasEol, splitLines, type Eol } from './lines.js';
import { MERGE_WASM } from './merge-wasm.js';

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

/** What any merge tells: whether it is clean, how many conflicts, and (on demand) its regions. */
export interface MergeOutcome {
  clean: boolean;
  conflicts: number;
  regions: MergeRegion[];
}

export interface MergeResult extends MergeOutcome {
  text: string;
}

export interface MergeBytesResult extends MergeOutcome {
  /** The merged file, conflicts marked, as UTF-8 bytes. */
  data: Uint8Array;
}

/**
 * Three-way line merge with diff3 semantics (`git merge-file --diff3`).
 * Changes from both sides that overlap or merely touch the same base
 * position conflict unless they are identical; conflicts are written inline
 * with diff3-style markers in the file's dominant line ending.
 *
 * The merge runs on code units, not strings: a string is encoded to UTF-8 (or, when it holds a
 * lone surrogate that UTF-8 cannot carry, to its UTF-16 units), merged, and the result decoded.
 * Lines are compared unit by unit, which for well-formed text is the same as comparing them as
 * strings; see `merge3Bytes`.
 */
export function merge3(base: string, ours: string, theirs: string, options: MergeOptions): MergeResult {
  const { labels } = options;
  const codec = [base, ours, theirs, labels.ours, labels.base, labels.theirs].every(wellFormed) ? UTF8 : UTF16;
  const m = mergeUnits(codec, codec.encode(base), codec.encode(ours), codec.encode(theirs), options);
  return { text: codec.decode(m.out), clean: m.clean, conflicts: m.conflicts, get regions() { return m.regions(); } };
}

/**
 * `merge3` on UTF-8 bytes, giving bytes: what sync merges (files as read), without decoding the
 * three versions to strings and encoding the result back. The inputs must be valid UTF-8 (a
 * binary file is never merged, see ./binary.ts): lines equal as bytes are then equal as text,
 * and the bytes are exactly what `merge3` on their decoded strings would encode to.
 */
export function merge3Bytes(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, options: MergeOptions): MergeBytesResult {
  const m = mergeUnits(UTF8, plain(base), plain(ours), plain(theirs), options);
  return { data: m.out as Uint8Array, clean: m.clean, conflicts: m.conflicts, get regions() { return m.regions(); } };
}

/**
 * The same bytes as a plain Uint8Array (a view, no copy): a Node Buffer is a subclass whose
 * indexOf and subarray go through JavaScript wrappers, and mixing it with plain arrays makes
 * every typed-array access in the merge's loops polymorphic.
 */
function plain(u: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(u) === Uint8Array.prototype ? u : new Uint8Array(u.buffer, u.byteOffset, u.length);
}

/** A text's code units: UTF-8 bytes, or UTF-16 units for a string that is not well-formed. */
type Units = Uint8Array | Uint16Array;

interface Codec {
  encode(s: string): Units;
  decode(u: Units): string;
  alloc(n: number): Units;
}

const utf8Encoder = new TextEncoder();
// Fatal would be wrong here (the units were checked or made by us), and a BOM is text to keep.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

const UTF8: Codec = {
  encode: (s) => utf8Encoder.encode(s),
  decode: (u) => utf8Decoder.decode(u),
  alloc: (n) => new Uint8Array(n),
};

const UTF16: Codec = {
  encode: (s) => {
    const u = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return u;
  },
  decode: (u) => {
    let s = '';
    for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode(...u.subarray(i, i + 8192));
    return s;
  },
  alloc: (n) => new Uint16Array(n),
};

/** Whether a string is valid UTF-16 (no lone surrogate), so that UTF-8 carries it exactly. */
function wellFormed(s: string): boolean {
  const native = (s as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  if (native) return native.call(s);
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/**
 * A text cut into lines (each keeping its terminator: `\n`, `\r\n` or a lone `\r`, as
 * `splitLines` cuts them): line `i` is `units[at[i], at[i + 1])`. Offsets in a typed array: a
 * big merge allocates a few arrays instead of a string per line.
 */
interface Lines {
  units: Units;
  at: Int32Array;
  count: number;
}

function scanLines(units: Units): Lines {
  // A line is about 30 units in code: room for that many, and more if there are more.
  let at = new Int32Array((units.length >>> 5) + 17);
  let count = lineStarts(units, at);
  while (count < 0) {
    at = new Int32Array(at.length * 4);
    count = lineStarts(units, at);
  }
  // The end of the text after the last line (here, not in the loops' functions: a store
  // after an optimized loop that never ran before would throw its code away).
  at[count] = units.length;
  return { units, at, count };
}

/**
 * Writes where each line starts into `at` (lines ended by `\n`, `\r\n` or a lone `\r`, as
 * `splitLines` cuts them) and returns the number of lines; -1 when `at` has no room for them and
 * the end after them. (UTF-8 bytes are cut in WebAssembly: see bytesPass.)
 */
function lineStarts(units: Units, at: Int32Array): number {
  const len = units.length;
  const room = at.length - 1;
  let n = 0;
  let start = 0;
  for (let i = 0; i < len; i++) {
    const c = units[i]!;
    if (c > 0x0d || (c !== 0x0a && c !== 0x0d)) continue;
    if (c === 0x0d && i + 1 < len && units[i + 1] === 0x0a) i++;
    if (n === room) return -1;
    at[n++] = start;
    start = i + 1;
  }
  if (start < len) {
    if (n === room) return -1;
    at[n++] = start;
  }
  return n;
}

/**
 * A line's hash; only its spread matters, equal hashes are compared unit by unit. Each step is
 * mixed so that high bits reach the low bits a table slot is taken from.
 */
function hashUnits(units: Units, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ units[i]!, 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

function sameUnits(a: Units, aStart: number, aEnd: number, b: Units, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/**
 * Lines as small integers, equal lines getting equal ids across the three texts (the diff then
 * compares integers). An open-addressing table over one typed array holding each slot's hash
 * beside its id, so that one cache line answers most probes, kept at most half full and no
 * bigger: its size, more than the work, is what a big merge pays for here. It starts with room
 * for base and the longer side all distinct: a merge runs once, before the optimizer has seen
 * it, and growing the table on the way (every entry placed again) costs more then than the
 * bigger start does. The sides are mostly base with edits: the line after the last one found in
 * base is compared first, then (a line rewritten in place) the one after the last compared,
 * and only a line that is neither is hashed and looked up.
 *
 * A merge runs once per process, so its loops run mostly as on-stack replacement: each long
 * loop is the whole of a function of its own here (the two passes below, one per kind of text),
 * because optimized code that runs on past its loop into code never run before is thrown away
 * and made again.
 */
function internAll(sides: readonly Lines[]): { ids: Int32Array[]; size: number } {
  const total = sides.reduce((n, s) => n + s.count, 0);
  let capacity = 16;
  while (capacity < (sides[0]!.count + Math.max(sides[1]!.count, sides[2]!.count)) * 2) capacity *= 2;
  const t: Intern = {
    table: new Int32Array(capacity * 2), // [hash, id + 1] per slot; id + 1 === 0: free
    mask: capacity - 1,
    size: 0,
    // Each id's first line: which side, which line (an id first seen in base has side 0).
    repSide: new Uint8Array(total),
    repLine: new Int32Array(total),
    units: sides.map((s) => s.units),
    at: sides.map((s) => s.at),
  };
  const base = sides[0]!;
  const baseIds = new Int32Array(base.count);
  internBase(t, base.units, base.at, base.count, baseIds);
  const ids = [baseIds];
  for (let k = 1; k < sides.length; k++) {
    const { units, at, count } = sides[k]!;
    const out = new Int32Array(count);
    internSide(t, k, units, at, count, base.units, base.at, base.count, baseIds, out);
    ids.push(out);
  }
  return { ids, size: t.size };
}

/** The intern table and what its ids stand for (see internAll). */
interface Intern {
  table: Int32Array;
  mask: number;
  size: number;
  repSide: Uint8Array;
  repLine: Int32Array;
  units: Units[];
  at: Int32Array[];
}

function internBase(t: Intern, units: Units, at: Int32Array, count: number, out: Int32Array): void {
  for (let i = 0; i < count; i++) out[i] = intern(t, 0, units, at[i]!, at[i + 1]!, i);
}

function internSide(t: Intern, side: number, units: Units, at: Int32Array, count: number, baseUnits: Units, baseAt: Int32Array, baseCount: number, baseIds: Int32Array, out: Int32Array): void {
  let next = 0;
  let guess = 0;
  for (let i = 0; i < count; i++) {
    const s = at[i]!;
    const e = at[i + 1]!;
    if (next < baseCount && sameUnits(baseUnits, baseAt[next]!, baseAt[next + 1]!, units, s, e)) {
      out[i] = baseIds[next]!;
      guess = ++next;
      continue;
    }
    if (guess > next && guess < baseCount && sameUnits(baseUnits, baseAt[guess]!, baseAt[guess + 1]!, units, s, e)) {
      out[i] = baseIds[guess]!;
      guess = next = guess + 1;
      continue;
    }
    const id = intern(t, side, units, s, e, i);
    out[i] = id;
    if (t.repSide[id] === 0) guess = next = t.repLine[id]! + 1;
    else guess++;
  }
}

/** The id of line `units[s, e)` (line `line` of `side`), a new one if no equal line has one. */
function intern(t: Intern, side: number, units: Units, s: number, e: number, line: number): number {
  const h = hashUnits(units, s, e);
  let table = t.table;
  let mask = t.mask;
  let slot = h & mask;
  for (;;) {
    const entry = table[2 * slot + 1]!;
    if (entry === 0) break;
    if (table[2 * slot] === h) {
      const r = t.repSide[entry - 1]!;
      const at = t.at[r]!;
      const l = t.repLine[entry - 1]!;
      if (sameUnits(t.units[r]!, at[l]!, at[l + 1]!, units, s, e)) return entry - 1;
    }
    slot = (slot + 1) & mask;
  }
  const id = t.size++;
  t.repSide[id] = side;
  t.repLine[id] = line;
  if (t.size * 2 > mask + 1) {
    grow(t);
    table = t.table;
    mask = t.mask;
    slot = h & mask;
    while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
  }
  table[2 * slot] = h;
  table[2 * slot + 1] = id + 1;
  return id;
}

/** Twice the size, every entry placed again by its hash. */
function grow(t: Intern): void {
  const old = t.table;
  const capacity = (t.mask + 1) * 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity * 2);
  for (let j = 0; j < old.length; j += 2) {
    if (old[j + 1] === 0) continue;
    let s = old[j]! & mask;
    while (table[2 * s + 1] !== 0) s = (s + 1) & mask;
    table[2 * s] = old[j]!;
    table[2 * s + 1] = old[j + 1]!;
  }
  t.table = table;
  t.mask = mask;
}

const sameIds = (a: Int32Array, b: Int32Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The merge on units: the result's units, and the regions when asked for. */
function mergeUnits(codec: Codec, base: Units, ours: Units, theirs: Units, options: MergeOptions): { out: Units; clean: boolean; conflicts: number; regions: () => MergeRegion[] } {
  if (base.BYTES_PER_ELEMENT === 1) return mergeBytes(codec, base as Uint8Array, ours as Uint8Array, theirs as Uint8Array, options);
  const pass = unitsPass(base, ours, theirs);
  const { sides } = pass;
  const [oursHunks, theirsHunks] = sideHunks(pass);
  const spans = buildSpans(sides[0].count, pass.ids[1], pass.ids[2], oursHunks, theirsHunks);
  let conflicts = 0;
  for (const r of spans) if (r.kind === 'conflict') conflicts++;
  let regions: MergeRegion[] | undefined;
  return {
    out: render(codec, spans, sides, options.labels, mergedEol(pass), options.style ?? 'diff3'),
    clean: conflicts === 0,
    conflicts,
    regions: () => (regions ??= spans.map((r) => toRegion(codec, r, sides))),
  };
}

/** Each side's hunks against base, packed (see diffIdsPacked). */
function sideHunks({ ids, size }: LinesPass): [Int32Array, Int32Array] {
  const [baseIds, oursIds, theirsIds] = ids;
  // A side equal to base contributes no hunks, and equal sides share one diff;
  // this is what makes the trivial cases cheap (and exact by construction).
  const none = new Int32Array(0);
  const oursHunks = sameIds(baseIds, oursIds) ? none : diffIdsPacked(baseIds, oursIds, size);
  const theirsHunks = sameIds(baseIds, theirsIds) ? none : sameIds(oursIds, theirsIds) ? oursHunks : diffIdsPacked(baseIds, theirsIds, size);
  return [oursHunks, theirsHunks];
}

/** The merged file's line ending: ours decides, then theirs, then base (each only when the one before ends no line). */
function mergedEol(pass: LinesPass): Eol {
  return eolOf(pass.eols[1]!) ?? eolOf(pass.eols[2]!) ?? eolOf(pass.eols[0]!) ?? '\n';
}

const SPAN_KINDS: readonly MergeRegion['kind'][] = ['stable', 'ours', 'theirs', 'both', 'conflict'];

/**
 * The merge of UTF-8 bytes, each pass in WebAssembly (merge.wat): lines and ids (bytesPass), the
 * two diffs (bytesDiff), the regions and the merged bytes (spans, render), written once into the
 * module's memory. The result is a view of that memory.
 */
function mergeBytes(codec: Codec, base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, options: MergeOptions): { out: Units; clean: boolean; conflicts: number; regions: () => MergeRegion[] } {
  const pass = bytesPass(base, ours, theirs);
  const wasm = pass.wasm!;
  const { memory, x, layout } = wasm;
  const [nb, no, nt] = pass.sides.map((l) => l.count) as [number, number, number];
  const [bIds, oIds, tIds] = layout.idsAt as [number, number, number];
  const same = (a: number, na: number, b: number, nb: number): boolean => na === nb && x.commonPrefix(a, b, na) === na;
  // A side equal to base contributes no hunks, and equal sides share one diff (as sideHunks).
  // Each diff's hunks go where the intern table was (dead once the ids are made), its arrays
  // after them; the second diff works in the first one's arrays again.
  let top = layout.deadAt;
  const hunksAt = (n: number): number => {
    const at = top;
    top += align8(4 * (Math.min(nb, n) + 1) * 4);
    return at;
  };
  const [oursAt, theirsAt] = [hunksAt(no), hunksAt(nt)];
  const scratch = top;
  const diffTo = (at: number, side: number, n: number) => bytesDiff(wasm, bIds, nb, side, n, pass.size, at, scratch);
  const oursHunks = same(bIds, nb, oIds, no) ? { at: 0, length: 0 } : diffTo(oursAt, oIds, no);
  const theirsHunks = same(bIds, nb, tIds, nt) ? { at: 0, length: 0 } : same(oIds, no, tIds, nt) ? oursHunks : diffTo(theirsAt, tIds, nt);
  // The regions over the diffs' own arrays (dead once their hunks are out): at most two per
  // hunk, and one more; then moved down over the hunks (dead once the regions are made), the
  // markers after them, and the merged bytes after those: the memory need not grow much past
  // what the intern table and the diffs took (it counts against V8's external memory limit).
  const spansFrom = scratch;
  room(memory, spansFrom + align8(((oursHunks.length + theirsHunks.length) / 2 + 1) * 28));
  const n = x.spans(nb, oIds, tIds, oursHunks.at, oursHunks.length, theirsHunks.at, theirsHunks.length, spansFrom);
  const conflicts = x.conflicts.value as number;
  const spansAt = layout.deadAt;
  top = spansAt + align8(n * 28);
  const eol = mergedEol(pass);
  const { labels } = options;
  const marker = (sigil: string, label: string): Uint8Array => utf8Encoder.encode((label ? `${sigil} ${label}` : sigil) + eol);
  const markers = [
    marker('<<<<<<<', labels.ours),
    (options.style ?? 'diff3') === 'diff3' ? marker('|||||||', labels.base) : new Uint8Array(0),
    marker('=======', ''),
    marker('>>>>>>>', labels.theirs),
    utf8Encoder.encode(eol),
  ];
  const markerAt: number[] = [];
  for (const m of markers) {
    markerAt.push(top);
    top += align8(m.length);
  }
  room(memory, top);
  let buffer = memory.buffer;
  const bytes = new Uint8Array(buffer);
  bytes.copyWithin(spansAt, spansFrom, spansFrom + n * 28);
  markers.forEach((m, k) => bytes.set(m, markerAt[k]));
  const header = new Int32Array(buffer, 0, 16);
  for (let k = 0; k < 3; k++) {
    header[2 * k] = layout.textAt[k]!;
    header[2 * k + 1] = layout.atAt[k]!;
  }
  markers.forEach((m, k) => {
    header[6 + 2 * k] = markerAt[k]!;
    header[7 + 2 * k] = m.length;
  });
  const size = x.render(spansAt, n, 0, 0);
  // Written over what is dead by now (the intern table, the diffs' arrays: touched already,
  // where fresh pages would cost the system a fault each).
  const outAt = top;
  room(memory, outAt + size);
  x.render(spansAt, n, outAt, 1);
  buffer = memory.buffer;
  // Views of the memory as it now is (growing it detached the earlier ones).
  const sides = pass.sides.map((l, k) => ({ ...l, at: new Int32Array(buffer, layout.atAt[k], l.count + 1) })) as unknown as Sides;
  let regions: MergeRegion[] | undefined;
  const spans = (): Span[] => {
    const v = new Int32Array(buffer, spansAt, n * 7);
    const out: Span[] = [];
    for (let i = 0; i < v.length; i += 7) out.push({ kind: SPAN_KINDS[v[i]!]!, b0: v[i + 1]!, b1: v[i + 2]!, o0: v[i + 3]!, o1: v[i + 4]!, t0: v[i + 5]!, t1: v[i + 6]! });
    return out;
  };
  return {
    out: new Uint8Array(buffer, outAt, size),
    clean: conflicts === 0,
    conflicts,
    regions: () => (regions ??= spans().map((r) => toRegion(codec, r, sides))),
  };
}

/**
 * diffIdsPacked on ids in the module's memory (a[0, na) and b[0, nb) at those addresses), in
 * WebAssembly (merge.wat) step for step: its hunks written at `out` (gives how many numbers), its
 * arrays from `scratch` on (moving `layout.top` past them).
 */
function bytesDiff(wasm: NonNullable<LinesPass['wasm']>, a: number, na: number, b: number, nb: number, size: number, out: number, scratch: number, tightStack = false): { at: number; length: number } {
  const { memory, x, layout } = wasm;
  let top = scratch;
  // Memory past the top so far was never written: zero already.
  const fresh = layout.top;
  // What must start at zero (counts, flags, the search's arrays) is zeroed: an earlier diff may
  // have worked here. Flags are shifted by one, with a zero at both ends.
  const zeroed: [number, number][] = [];
  const take = (bytes: number, zero = false): number => {
    const at = top;
    top += align8(bytes);
    if (zero) zeroed.push([at, top]);
    return at;
  };
  const clear = () => {
    const bytes = new Uint8Array(memory.buffer);
    for (const [from, to] of zeroed.splice(0)) if (from < fresh) bytes.fill(0, from, Math.min(to, fresh));
  };
  const grown = (): void => {
    room(memory, top);
    layout.top = Math.max(layout.top, top);
    clear();
  };
  const countsA = take(size * 4, true);
  const countsB = take(size * 4, true);
  const changedA = take(na + 2, true);
  const changedB = take(nb + 2, true);
  const kindA = take(na + 1);
  const kindB = take(nb + 1);
  const keptA = { index: take(na * 4), id: take(na * 4) };
  const keptB = { index: take(nb * 4), id: take(nb * 4) };
  grown();
  x.countIds(a, na, countsA);
  x.countIds(b, nb, countsB);
  const start = x.commonPrefix(a, b, Math.min(na, nb));
  const suffix = x.commonSuffix(a, na, b, nb, Math.min(na, nb) - start);
  const nA = x.keptSide(a, countsB, changedA, start, na - suffix - 1, repeatLimit(na), kindA, keptA.index, keptA.id);
  const nB = x.keptSide(b, countsA, changedB, start, nb - suffix - 1, repeatLimit(nb), kindB, keptB.index, keptB.id);
  // The search (diff.ts's compare): its arrays by diagonal, and its work list of boxes (five numbers each).
  const fwd = take((nA + nB + 3) * 4, true);
  const bwd = take((nA + nB + 3) * 4, true);
  // Last: compare grows the memory for its work list as it needs (up to two boxes per line).
  // (tightStack, for a test: room for one box, where the memory ends, so a second one grows it.)
  if (tightStack) top = Math.ceil((top + 24) / PAGE) * PAGE - 24;
  const stack = take(tightStack ? 24 : Math.min((nA + nB + 2) * 2 * 5 * 4, 64 << 10));
  grown();
  x.compare(keptA.id, keptA.index, nA, keptB.id, keptB.index, nB, changedA, changedB, fwd, bwd, stack);
  layout.top = Math.max(layout.top, align8(x.stackEnd.value as number));
  x.compact(a, na, changedA, changedB, nb);
  x.compact(b, nb, changedB, changedA, na);
  return { at: out, length: x.collectHunks(changedA, changedB, na, nb, out) };
}

/**
 * The hunks of b against a (both UTF-8 bytes) as bytesDiff finds them; for its test against
 * diffIdsPacked (`tightStack`: the search's work list starts with no room to spare).
 */
export function bytesHunks(a: Uint8Array, b: Uint8Array, tightStack = false): Int32Array {
  const pass = bytesPass(a, b, b);
  const wasm = pass.wasm!;
  const { idsAt } = wasm.layout;
  const out = wasm.layout.top;
  wasm.layout.top += align8(4 * (Math.min(pass.sides[0].count, pass.sides[1].count) + 1) * 4);
  const h = bytesDiff(wasm, idsAt[0]!, pass.sides[0].count, idsAt[1]!, pass.sides[1].count, pass.size, out, wasm.layout.top, tightStack);
  return new Int32Array(wasm.memory.buffer, h.at, h.length).slice();
}

/** Grows `memory` to hold `end` bytes. */
function room(memory: WebAssembly.Memory, end: number): void {
  const have = memory.buffer.byteLength;
  if (end > have) memory.grow(Math.ceil((end - have) / PAGE));
}

type Sides = readonly [base: Lines, ours: Lines, theirs: Lines];

/** What the line pass gives the merge: the three texts' lines, their ids, and line endings counted. */
interface LinesPass {
  sides: Sides;
  ids: readonly [Int32Array, Int32Array, Int32Array];
  size: number;
  /** Per text, its lines ended by LF, CRLF and CR. */
  eols: readonly Int32Array[];
  /**
   * bytesPass: its module's memory and exports, and where it put what (texts, line starts, ids;
   * `deadAt`: where what the render no longer needs begins, the intern table and all after it
   * but the regions; `top`: the first free byte).
   */
  wasm?: { memory: WebAssembly.Memory; x: LinesExports; layout: { textAt: number[]; atAt: number[]; idsAt: number[]; deadAt: number; top: number } };
}

/** The line pass in JavaScript, for UTF-16 units (strings that UTF-8 cannot carry); exported for its test against bytesPass. */
export function unitsPass(base: Units, ours: Units, theirs: Units): LinesPass {
  const sides = [scanLines(base), scanLines(ours), scanLines(theirs)] as const;
  const { ids, size } = internAll(sides);
  return { sides, ids: ids as [Int32Array, Int32Array, Int32Array], size, eols: sides.map((l) => eolCounts(l.units, l.at, l.count)) };
}

let mergeModule: WebAssembly.Module | undefined;

interface LinesExports {
  scan(p: number, len: number, at: number, hash: number, room: number): number;
  table(table: number, capacity: number, rep: number): void;
  internBase(p: number, at: number, hash: number, count: number, ids: number): void;
  internSide(side: number, p: number, at: number, hash: number, count: number, ids: number, bp: number, bAt: number, bCount: number, bIds: number): void;
  spans(baseLength: number, ours: number, theirs: number, oh: number, on: number, th: number, tn: number, out: number): number;
  render(spans: number, n: number, out: number, write: number): number;
  countIds(h: number, n: number, counts: number): void;
  commonPrefix(a: number, b: number, lim: number): number;
  commonSuffix(a: number, na: number, b: number, nb: number, lim: number): number;
  keptSide(h: number, otherCount: number, changed: number, start: number, end: number, limit: number, kind: number, index: number, id: number): number;
  compact(h: number, n: number, changed: number, other: number, m: number): void;
  compare(a: number, aIdx: number, na: number, b: number, bIdx: number, nb: number, changedA: number, changedB: number, fwd: number, bwd: number, stack: number): void;
  collectHunks(changedA: number, changedB: number, n: number, m: number, out: number): number;
  size: WebAssembly.Global;
  stackEnd: WebAssembly.Global;
  conflicts: WebAssembly.Global;
  lf: WebAssembly.Global;
  crlf: WebAssembly.Global;
  cr: WebAssembly.Global;
}

const PAGE = 65536;
const align8 = (n: number): number => (n + 7) & ~7;

/**
 * The line pass on UTF-8 bytes, in WebAssembly (./merge.wat): the same lines and ids as
 * unitsPass gives, without the interpreter's cost of a first run over megabytes. The texts are
 * copied into the module's memory; the lines' starts and ids are views of it (a memory of its
 * own per merge, never grown once they are made).
 */
export function bytesPass(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array): LinesPass {
  const texts = [base, ours, theirs];
  mergeModule ??= new WebAssembly.Module(Buffer.from(MERGE_WASM, 'base64'));
  // Texts first (each followed by 8 bytes the module's word loads may read), then per text its
  // line starts and hashes (its ids made over them), each sized to its lines once they are
  // counted. A text is cut with room for as many lines as if they were 16 bytes or longer (code's
  // are), or, if it has more, one per byte; its hashes then move down to just after its line
  // starts. (The memory counts as the process's external memory: past V8's limit for it, a full
  // garbage collection follows; so it holds no room that is never used.)
  const guess = (t: Uint8Array): number => (t.length >>> 4) + 16;
  const textAt: number[] = [];
  let top = 64;
  for (const t of texts) {
    textAt.push(top);
    top += align8(t.length + 8);
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil((top + align8((guess(base) + 1) * 4) + align8(guess(base) * 4)) / PAGE) });
  const x = new WebAssembly.Instance(mergeModule, { m: { mem: memory } }).exports as unknown as LinesExports;
  {
    const bytes = new Uint8Array(memory.buffer);
    texts.forEach((t, k) => bytes.set(t, textAt[k]));
  }
  // The first byte past all that was ever written (what lies beyond is zero still).
  let written = top;
  const atAt: number[] = [];
  const hashAt: number[] = [];
  const idsAt: number[] = [];
  const counts: number[] = [];
  const eols: Int32Array[] = [];
  for (let k = 0; k < 3; k++) {
    const len = texts[k]!.length;
    let lines = guess(texts[k]!);
    let n: number;
    let scannedAt: number;
    for (;;) {
      scannedAt = top + align8((lines + 1) * 4);
      room(memory, scannedAt + align8(lines * 4));
      n = x.scan(textAt[k]!, len, top, scannedAt, lines);
      written = Math.max(written, scannedAt + align8(lines * 4));
      if (n >= 0) break;
      if (lines > len) throw new Error('merge: line pass out of room');
      lines = len + 1;
    }
    eols.push(Int32Array.of(x.lf.value as number, x.crlf.value as number, x.cr.value as number));
    counts.push(n);
    atAt.push(top);
    top += align8((n + 1) * 4);
    if (scannedAt !== top) new Uint8Array(memory.buffer).copyWithin(top, scannedAt, scannedAt + n * 4);
    // Its ids replace its hashes one for one as they are made.
    hashAt.push(top);
    idsAt.push(top);
    top += align8(n * 4);
  }
  const [nb, no, nt] = counts as [number, number, number];
  let capacity = 16;
  while (capacity < (nb + Math.max(no, nt)) * 2) capacity *= 2;
  const tableAt = top;
  const repAt = tableAt + capacity * 4;
  const end = repAt + (nb + no + nt) * 8;
  room(memory, end);
  // The table starts zeroed: a text's hashes may have been cut where it lies.
  if (written > tableAt) new Uint8Array(memory.buffer).fill(0, tableAt, Math.min(written, repAt));
  // Where each text and its line starts are, for the module to find an id's line (and render).
  const header = new Int32Array(memory.buffer, 0, 6);
  for (let k = 0; k < 3; k++) {
    header[2 * k] = textAt[k]!;
    header[2 * k + 1] = atAt[k]!;
  }
  x.table(tableAt, capacity, repAt);
  x.internBase(textAt[0]!, atAt[0]!, hashAt[0]!, nb, idsAt[0]!);
  for (const k of [1, 2]) x.internSide(k, textAt[k]!, atAt[k]!, hashAt[k]!, counts[k]!, idsAt[k]!, textAt[0]!, atAt[0]!, nb, idsAt[0]!);
  const buffer = memory.buffer;
  const sides = texts.map((units, k) => ({ units, at: new Int32Array(buffer, atAt[k], counts[k]! + 1), count: counts[k]! })) as unknown as Sides;
  const ids = counts.map((n, k) => new Int32Array(buffer, idsAt[k], n)) as unknown as [Int32Array, Int32Array, Int32Array];
  return { sides, ids, size: x.size.value as number, eols, wasm: { memory, x, layout: { textAt, atAt, idsAt, deadAt: tableAt, top: Math.max(align8(end), written) } } };
}

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

/**
 * The regions, from each side's hunks against base packed four numbers a hunk (aStart, aEnd,
 * bStart, bEnd: see diffIdsPacked); `oi` and `ti` count numbers, four a hunk.
 */
function buildSpans(baseLength: number, ours: Int32Array, theirs: Int32Array, oursHunks: Int32Array, theirsHunks: Int32Array): Span[] {
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
    const chunkStart = Math.min(oi < oursHunks.length ? oursHunks[oi]! : Infinity, ti < theirsHunks.length ? theirsHunks[ti]! : Infinity);
    let chunkEnd = chunkStart;
    // `<=` also swallows hunks that only touch the chunk (adjacent edits,
    // insertions at its edge): without a stable line between them their
    // order in the result would be a guess.
    for (;;) {
      if (oi < oursHunks.length && oursHunks[oi]! <= chunkEnd) {
        chunkEnd = Math.max(chunkEnd, oursHunks[oi + 1]!);
        oi += 4;
      } else if (ti < theirsHunks.length && theirsHunks[ti]! <= chunkEnd) {
        chunkEnd = Math.max(chunkEnd, theirsHunks[ti + 1]!);
        ti += 4;
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

function toRegion(codec: Codec, r: Span, sides: Sides): MergeRegion {
  const lines = (side: 0 | 1 | 2, from: number, to: number): string[] => {
    const { units, at } = sides[side];
    return splitLines(codec.decode(units.subarray(at[from]!, at[to]!)));
  };
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

/** `detectEol` from a text's counts of lines ended by LF, CRLF, CR, or undefined if none ends. */
function eolOf(n: Int32Array): Eol | undefined {
  const [lf, crlf, cr] = [n[0]!, n[1]!, n[2]!];
  if (lf === 0 && crlf === 0 && cr === 0) return undefined;
  if (lf >= crlf && lf >= cr) return '\n';
  return crlf >= cr ? '\r\n' : '\r';
}

/** How many lines end in LF, CRLF, CR (the loop alone: see internAll). */
function eolCounts(units: Units, at: Int32Array, count: number): Int32Array {
  const n = new Int32Array(3);
  for (let i = 1; i <= count; i++) {
    const end = at[i]!;
    const c = units[end - 1];
    if (c === 0x0a) {
      if (end - 2 >= at[i - 1]! && units[end - 2] === 0x0d) n[1]!++;
      else n[0]!++;
    } else if (c === 0x0d) n[2]!++;
  }
  return n;
}

/** Where the chunk ending at base line `chunkEnd` ends on one side, given that side's hunks `[from, to)` (packed) inside it. */
function sideEnd(hunks: Int32Array, from: number, to: number, chunkEnd: number, delta: number): number {
  if (to === from) return chunkEnd + delta;
  // The last hunk's bEnd, and the base lines after it up to the chunk's end.
  return hunks[to - 1]! + (chunkEnd - hunks[to - 3]!);
}

/**
 * Like git, a chunk is one change made by both sides only when each side has a
 * single hunk there, over the same base lines, with the same new lines: equal
 * text reached through differently cut hunks still conflicts.
 */
function sameChange(oursHunks: Int32Array, oFirst: number, oEnd: number, theirsHunks: Int32Array, tFirst: number, tEnd: number, ours: Int32Array, theirs: Int32Array): boolean {
  if (oEnd - oFirst !== 4 || tEnd - tFirst !== 4) return false;
  const obStart = oursHunks[oFirst + 2]!;
  const obEnd = oursHunks[oFirst + 3]!;
  const tbStart = theirsHunks[tFirst + 2]!;
  if (oursHunks[oFirst] !== theirsHunks[tFirst] || oursHunks[oFirst + 1] !== theirsHunks[tFirst + 1] || obEnd - obStart !== theirsHunks[tFirst + 3]! - tbStart) return false;
  for (let k = 0; k < obEnd - obStart; k++) if (ours[obStart + k] !== theirs[tbStart + k]) return false;
  return true;
}

/**
 * The merged units, written once into an array sized first: a piece of a side is a copy of its
 * units, a marker line is encoded once. Short pieces are copied unit by unit (a subarray for
 * each would cost more than the copy), long ones with `set`.
 */
function render(codec: Codec, spans: readonly Span[], sides: Sides, labels: MergeLabels, eol: Eol, style: 'diff3' | 'merge'): Units {
  const marker = (sigil: string, label: string) => codec.encode((label ? `${sigil} ${label}` : sigil) + eol);
  const m: Markers = {
    open: marker('<<<<<<<', labels.ours),
    middle: style === 'diff3' ? marker('|||||||', labels.base) : undefined,
    separator: marker('=======', ''),
    close: marker('>>>>>>>', labels.theirs),
    eol: codec.encode(eol),
  };
  const out = codec.alloc(renderedSize(spans, sides, m));
  writeSpans(out, spans, sides, m);
  return out;
}

/** The units a conflict puts around and between its sections. */
interface Markers {
  open: Units;
  middle: Units | undefined;
  separator: Units;
  close: Units;
  eol: Units;
}

/** Whether lines `[from, to)` of a side end without a line ending (the last line of a file). */
function unterminated({ units, at }: Lines, from: number, to: number): boolean {
  if (from === to) return false;
  const c = units[at[to]! - 1];
  return c !== 0x0a && c !== 0x0d;
}

/** The length of a conflict's section: its lines, and a line ending if the last has none. */
function sectionLength(side: Lines, from: number, to: number, eol: Units): number {
  return side.at[to]! - side.at[from]! + (unterminated(side, from, to) ? eol.length : 0);
}

function renderedSize(spans: readonly Span[], sides: Sides, m: Markers): number {
  const [base, ours, theirs] = sides;
  let size = 0;
  for (let k = 0; k < spans.length; k++) {
    const r = spans[k]!;
    if (r.kind === 'stable') size += base.at[r.b1]! - base.at[r.b0]!;
    else if (r.kind === 'theirs') size += theirs.at[r.t1]! - theirs.at[r.t0]!;
    else if (r.kind !== 'conflict') size += ours.at[r.o1]! - ours.at[r.o0]!;
    else {
      size += m.open.length + sectionLength(ours, r.o0, r.o1, m.eol) + m.separator.length + sectionLength(theirs, r.t0, r.t1, m.eol) + m.close.length;
      if (m.middle) size += m.middle.length + sectionLength(base, r.b0, r.b1, m.eol);
    }
  }
  return size;
}

/** Copies `src[from, to)` to `out` at `pos`; returns the position after it. */
function put(out: Units, pos: number, src: Units, from: number, to: number): number {
  // Short pieces unit by unit: a subarray for each would cost more than the copy.
  if (to - from > 64) {
    out.set(src.subarray(from, to), pos);
    return pos + (to - from);
  }
  for (let i = from; i < to; i++) out[pos++] = src[i]!;
  return pos;
}

/** A conflict's section: its lines, and a line ending if the last has none (no marker glued to it). */
function section(out: Units, pos: number, side: Lines, from: number, to: number, eol: Units): number {
  pos = put(out, pos, side.units, side.at[from]!, side.at[to]!);
  return unterminated(side, from, to) ? put(out, pos, eol, 0, eol.length) : pos;
}

function writeSpans(out: Units, spans: readonly Span[], sides: Sides, m: Markers): void {
  const [base, ours, theirs] = sides;
  let pos = 0;
  for (let k = 0; k < spans.length; k++) {
    const r = spans[k]!;
    if (r.kind === 'stable') pos = put(out, pos, base.units, base.at[r.b0]!, base.at[r.b1]!);
    else if (r.kind === 'theirs') pos = put(out, pos, theirs.units, theirs.at[r.t0]!, theirs.at[r.t1]!);
    else if (r.kind !== 'conflict') pos = put(out, pos, ours.units, ours.at[r.o0]!, ours.at[r.o1]!);
    else {
      pos = put(out, pos, m.open, 0, m.open.length);
      pos = section(out, pos, ours, r.o0, r.o1, m.eol);
      if (m.middle) {
        pos = put(out, pos, m.middle, 0, m.middle.length);
        pos = section(out, pos, base, r.b0, r.b1, m.eol);
      }
      pos = put(out, pos, m.separator, 0, m.separator.length);
      pos = section(out, pos, theirs, r.t0, r.t1, m.eol);
      pos = put(out, pos, m.close, 0, m.close.length);
    }
  }
}

/**
 * The merge with every conflict resolved to our side: for `--conflict rej`,
 * where the user's file stays as it was in conflicted regions while clean
 * template changes elsewhere still apply.
 */
export function mergeKeepingOurs(result: MergeOutcome): string {
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
export function rejectFile(result: MergeOutcome, labels: Pick<MergeLabels, 'base' | 'theirs'>): string {
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
