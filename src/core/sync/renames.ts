import { sameBytes } from '../bytes.js';
import { isBinary } from '../merge/binary.js';
import type { RenameRule } from '../template/types.js';

type Files = ReadonlyMap<string, Uint8Array>;

const decoder = new TextDecoder();
const MAX_PAIRS = 200 * 200;
const MIN_SIMILARITY = 0.6;

const contentLines = (d: Uint8Array) =>
  decoder
    .decode(d)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Share of non-blank lines two texts have in common (multiset Dice coefficient). */
export function similarity(a: Uint8Array, b: Uint8Array): number {
  const la = contentLines(a);
  const lb = contentLines(b);
  if (!la.length || !lb.length) return 0;
  const counts = new Map<string, number>();
  for (const l of la) counts.set(l, (counts.get(l) ?? 0) + 1);
  let common = 0;
  for (const l of lb) {
    const n = counts.get(l) ?? 0;
    if (n > 0) {
      common++;
      counts.set(l, n - 1);
    }
  }
  return (2 * common) / (la.length + lb.length);
}

/**
 * Pairs files the template dropped with files it added, so that a user's edits follow a
 * renamed file: declared renames first, then identical content, then the most similar text
 * (as git's rename detection does). Returns new path -> old path.
 */
export function detectRenames(base: Files, theirs: Files, declared: readonly RenameRule[]): Map<string, string> {
  const removed = [...base.keys()].filter((p) => !theirs.has(p));
  const added = [...theirs.keys()].filter((p) => !base.has(p));
  const pairs = new Map<string, string>();
  const usedOld = new Set<string>();
  const take = (to: string, from: string) => {
    pairs.set(to, from);
    usedOld.add(from);
  };
  for (const r of declared) if (removed.includes(r.from) && added.includes(r.to)) take(r.to, r.from);
  for (const to of added) {
    if (pairs.has(to)) continue;
    const from = removed.find((p) => !usedOld.has(p) && sameBytes(base.get(p)!, theirs.get(to)!));
    if (from) take(to, from);
  }
  const left = added.filter((p) => !pairs.has(p) && !isBinary(theirs.get(p)!));
  const candidates = removed.filter((p) => !usedOld.has(p) && !isBinary(base.get(p)!));
  if (left.length * candidates.length > MAX_PAIRS) return pairs;
  const scored = left
    .flatMap((to) => candidates.map((from) => ({ to, from, score: similarity(base.get(from)!, theirs.get(to)!) })))
    .filter((s) => s.score >= MIN_SIMILARITY)
    .sort((x, y) => y.score - x.score);
  for (const s of scored) if (!pairs.has(s.to) && !usedOld.has(s.from)) take(s.to, s.from);
  return pairs;
}
