/**
 * Paths that change between a file and a folder. A template restructures (`docs` becomes
 * `docs/index.md`, `cfg/a.txt` becomes a file `cfg`); a project can only follow if what stands
 * in the way goes first. What the plan removes anyway (the user never changed it) simply goes;
 * what the user owns (an edit, or a file of their own) is moved aside, whole, to `<name>~yours`
 * (git names its own file/folder conflicts `<name>~HEAD` the same way), the template's new path
 * is written, and the move is reported as a conflict for the user to reconcile. Pure.
 */

/** What stands in the project at a path the plan asked about and found to be a folder. */
export type Folders = ReadonlyMap<string, readonly string[]>;

export interface StructurePlan {
  writes: { path: string; data: Uint8Array; executable?: boolean }[];
  deletes: string[];
  outcomes: { path: string; status: string; note?: string; movedTo?: string }[];
}

export const ASIDE_SUFFIX = '~yours';

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
export function asideName(path: string, taken: (p: string) => boolean): string {
  let p = `${path}${ASIDE_SUFFIX}`;
  for (let i = 1; taken(p); i++) p = `${path}${ASIDE_SUFFIX}.${i}`;
  return p;
}

/**
 * Adds to a plan what a file/folder change needs: for each write whose parent is a file that
 * stays, or whose own path is a folder that does not empty, the user's content is moved aside
 * (written under the new name, removed from the old), and the outcome says so. `ours` are the
 * project's files the plan read (the moved ones among them), `folders` the folders it found.
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
): void {
  const deleted = new Set(plan.deletes);
  const planned = () => new Set(plan.writes.map((w) => w.path));
  const taken = (p: string) => {
    if (ours.has(p) || folders.has(p)) return true;
    for (const w of planned()) if (w === p || w.startsWith(`${p}/`)) return true;
    return false;
  };
  const moved = new Set<string>();
  const moveAside = (from: string, blocking: string, kind: 'file' | 'folder') => {
    if (moved.has(from)) return;
    moved.add(from);
    const to = asideName(from, taken);
    const files = (kind === 'file' ? [from] : (folders.get(from) ?? []).filter((f) => !deleted.has(f))).filter((f) => ours.has(f));
    onMoved(files);
    for (const f of files) {
      const data = ours.get(f)!;
      plan.writes.push({ path: to + f.slice(from.length), data, executable: executable?.has(f) });
      plan.deletes.push(f);
      deleted.add(f);
    }
    // The moved files' own outcomes (kept, merged, ...) and writes give way to the move; the
    // template's file at a folder's path stays.
    const gone = new Set(files);
    plan.outcomes = plan.outcomes.filter((o) => !gone.has(o.path));
    plan.writes = plan.writes.filter((w) => !gone.has(w.path));
    const what = kind === 'file' ? 'your file' : 'what you keep in this folder';
    const now = kind === 'file' ? `a folder (${blocking})` : 'a file';
    plan.outcomes.push({ path: from, status: 'conflict', movedTo: to, note: `the template now has ${now} here: ${what} was moved to ${to}; bring what you need back and remove it` });
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
        const why = ignored?.has(blocker) ? 'is ignored by git (it may hold secrets)' : 'is project-owned';
        plan.outcomes = plan.outcomes.filter((o) => o.path !== blocker);
        plan.outcomes.push({ path: blocker, status: 'conflict', note: `your file ${why}, and stands where the template now has a folder (${w.path}): kept untouched, and the template's files there not written (the pristine branch holds them)` });
      }
      continue;
    }
    for (const a of ancestors(w.path)) {
      if (ours.has(a) && !deleted.has(a)) moveAside(a, w.path, 'file');
    }
    const inside = folders.get(w.path);
    if (inside && inside.some((f) => !deleted.has(f))) moveAside(w.path, w.path, 'folder');
  }
}
