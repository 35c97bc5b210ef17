/**
 * The execute bit, merged three-way like content. The one mode a template carries is git's
 * 100755 (owner, group and others' execute bits where they may read); a file's other bits are
 * the user's and never change. Per file: the user never changed the bit → the template's bit;
 * the user changed it → theirs stays. With a single bit, "both changed it differently" cannot
 * happen: both changed it means both made the same change. Pure.
 */

export interface ExecutableSets {
  /** Executable files in the base render (without a base: as the manifest recorded them). */
  base: ReadonlySet<string>;
  theirs: ReadonlySet<string>;
  /** Executable files among the project's files that were read. */
  ours: ReadonlySet<string>;
}

interface ModePlan {
  outcomes: { path: string; status: string; from?: string; note?: string; movedTo?: string }[];
  writes: { path: string; data: Uint8Array; executable?: boolean }[];
}

const STAYS = new Set(['unchanged', 'updated', 'merged', 'conflict', 'renamed', 'added']);

/**
 * Sets `executable` on the writes that need it and adds a write (same bytes) where only the bit
 * changes. A conflicted file gets the merged bit too, as git does: the resolve-and-add that
 * follows commits what is on disk. A file moved aside keeps its own, and a file in `untouched`
 * (ignored by git: never written) keeps whatever it has.
 */
export function planModes(plan: ModePlan, theirs: ReadonlyMap<string, Uint8Array>, ours: ReadonlyMap<string, Uint8Array>, sets: ExecutableSets, untouched?: ReadonlySet<string>): void {
  const writeAt = new Map(plan.writes.map((w) => [w.path, w]));
  for (const o of plan.outcomes) {
    if (o.movedTo || !STAYS.has(o.status)) continue;
    const p = o.path;
    const write = writeAt.get(p);
    const oursPath = o.from ?? p;
    const had = ours.has(oursPath);
    if (!theirs.has(p)) continue; // the template has no file here (any more)
    const t = sets.theirs.has(p);
    if (!had) {
      if (write) write.executable = t;
      continue;
    }
    const mine = sets.ours.has(oursPath);
    const base = sets.base.has(oursPath);
    if (untouched?.has(oursPath)) continue;
    const want = mine === base ? t : mine;
    // A rename writes a new file: it is given the bit explicitly.
    if (write) {
      if (want !== mine || o.from) write.executable = want;
      continue;
    }
    if (want === mine) continue;
    plan.writes.push({ path: p, data: ours.get(p)!, executable: want });
    const what = want ? 'made executable, as the template now has it' : 'no longer executable, as the template now has it';
    o.note = o.note ? `${o.note}; ${what}` : what;
    if (o.status === 'unchanged') o.status = 'updated';
  }
}
