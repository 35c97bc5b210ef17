/**
 * Paths that change between a file and a folder. A template restructures (`docs` becomes
 * `docs/index.md`, `cfg/a.txt` becomes a file `cfg`); a project can only follow if what stands
 * in the way goes first. What the plan removes anyway (the user never changed it) simply goes.
 * Otherwise it is done as git does in a merge's file/folder conflict: the folder stays at its
 * path and the file side is renamed. A user's file where the template now needs a folder is
 * moved aside, whole, to `<name>~yours`; a template file where the user keeps a folder (their
 * own, or a template folder they still hold files in) is written aside as `<name>~template`.
 * Either is reported as a conflict for the user to reconcile. Pure.
 */

/** What stands in the project at a path the plan asked about and found to be a folder. */
export type Folders = ReadonlyMap<string, readonly string[]>;

export interface StructurePlan {
  writes: { path: string; data: Uint8Array; executable?: boolean }[];
  deletes: string[];
  outcomes: { path: string; status: string; note?: string; movedTo?: string; writtenTo?: string }[];
}

/** A template file written beside the user's folder that stands at its path. */
export interface TemplateAside {
  path: string;
  aside: string;
  data: Uint8Array;
}

export const ASIDE_SUFFIX = '~yours';
/** Where a template file goes when the user's folder stands at its path. */
export const TEMPLATE_ASIDE_SUFFIX = '~template';

const ancestors = (p: string): string[] => {
  const parts = p.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
};

/** Every ancestor folder of the template's paths: a file at one of them would block its writes. */
export function ancestorPaths(paths: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const p of paths) for (const a of ancestors(p)) out.add(a);
  return [...out];
}

/**
 * A name beside `path` that holds nothing yet: `x~yours`, then `x~yours.1`, ... `taken` says
 * whether anything (file or folder) is known to stand at a name or is planned there.
 */
export function asideName(path: string, taken: (p: string) => boolean, suffix = ASIDE_SUFFIX): string {
  let p = `${path}${suffix}`;
  for (let i = 1; taken(p); i++) p = `${path}${suffix}.${i}`;
  return p;
}

/**
 * Adds to a plan what a file/folder change needs: for each write whose parent is a file that
 * stays, the user's file is moved aside (written under the new name, removed from the old); for
 * each write whose own path is a folder that does not empty, the template's file is written
 * aside instead. The outcome says so. `ours` are the project's files the plan read (the moved
 * ones among them), `folders` the folders it found. Returns the template files written aside.
 */
export function resolveStructure(
  plan: StructurePlan,
  ours: ReadonlyMap<string, Uint8Array>,
  folders: Folders,
  /** Told the old paths of the files moved aside (to record them as unmerged). */
  onMoved: (paths: string[]) => void,
  /** The project's executable files: a file moved aside keeps its bit. */
  executable?: ReadonlySet<string>,
  /** Files git ignores (secrets): never moved to a name git may not ignore. */
  ignored?: ReadonlySet<string>,
  /** Project-owned paths: the template never moves them either. */
  owned: (p: string) => boolean = () => false,
): TemplateAside[] {
  const deleted = new Set(plan.deletes);
  const planned = () => new Set(plan.writes.map((w) => w.path));
  const taken = (p: string) => {
    if (ours.has(p) || folders.has(p)) return true;
    for (const w of planned()) if (w === p || w.startsWith(`${p}/`)) return true;
    return false;
  };
  const moved = new Set<string>();
  const moveAside = (from: string, blocking: string) => {
    if (moved.has(from) || !ours.has(from)) return;
    moved.add(from);
    const to = asideName(from, taken);
    onMoved([from]);
    plan.writes.push({ path: to, data: ours.get(from)!, executable: executable?.has(from) });
    plan.deletes.push(from);
    deleted.add(from);
    // The moved file's own outcome (kept, merged, ...) and write give way to the move.
    plan.outcomes = plan.outcomes.filter((o) => o.path !== from);
    plan.writes = plan.writes.filter((w) => w.path !== from);
    plan.outcomes.push({ path: from, status: 'conflict', movedTo: to, note: `the template now has a folder (${blocking}) here: your file was moved to ${to}; bring what you need back and remove it` });
  };

  const asides: TemplateAside[] = [];
  // The user's folder stays where it is (their application reads it there); the template's file
  // goes beside it, and nothing of the folder moves.
  const writeAside = (w: StructurePlan['writes'][number]) => {
    const aside = asideName(w.path, taken, TEMPLATE_ASIDE_SUFFIX);
    asides.push({ path: w.path, aside, data: w.data });
    plan.writes = plan.writes.map((x) => (x === w ? { ...w, path: aside } : x));
    plan.outcomes = plan.outcomes.filter((o) => o.path !== w.path);
    plan.outcomes.push({
      path: w.path,
      status: 'conflict',
      writtenTo: aside,
      note: `you keep a folder here, where the template now has a file: your folder stays, the template's file was written to ${aside}; take what you need from it and remove it`,
    });
  };
  const held = new Set<string>();
  for (const w of [...plan.writes]) {
    if (moved.has(w.path)) continue;
    const blocker = ancestors(w.path).find((a) => ours.has(a) && !deleted.has(a));
    if (blocker && (ignored?.has(blocker) || owned(blocker))) {
      // A file git ignores (a secret) stays exactly where it is; what the template puts under
      // it is not written this time, and the user is told.
      plan.writes = plan.writes.filter((x) => x !== w);
      plan.outcomes = plan.outcomes.filter((o) => o.path !== w.path);
      if (!held.has(blocker)) {
        held.add(blocker);
        const why = ignored?.has(blocker) ? 'is ignored by git (it may hold secrets)' : 'is left alone by sync (project-owned, or in the project\'s ignore list)';
        plan.outcomes = plan.outcomes.filter((o) => o.path !== blocker);
        plan.outcomes.push({ path: blocker, status: 'conflict', note: `your file ${why}, and stands where the template now has a folder (${w.path}): kept untouched, and the template's files there not written (the pristine branch holds them)` });
      }
      continue;
    }
    for (const a of ancestors(w.path)) {
      if (ours.has(a) && !deleted.has(a)) moveAside(a, w.path);
    }
    const inside = folders.get(w.path);
    if (inside && inside.some((f) => !deleted.has(f))) writeAside(w);
  }
  return asides;
}
