import { type Stats, lstatSync } from 'node:fs';
import path from 'node:path';
import { ProjectError } from '../../core/errors.js';
import { specialKind } from '../fs-quiet.js';
import { pathProblem, type PathRuleOptions } from '../../core/path-rules.js';

/**
 * The file-system half of the path rule: a path that passed `pathProblem` must also stay inside
 * the root on disk. Every folder on the way is looked at with lstat (never followed): a symbolic
 * link anywhere on the way, or at the path itself, is refused, so that nothing is read, written
 * or deleted through one (`docs -> ../outside`, or a link two levels up).
 */

/** Throws naming `rel` and who gave it, unless it passes the path rule. */
export function requireSafePath(rel: string, from: string, opts?: PathRuleOptions): void {
  const problem = pathProblem(rel, opts);
  if (problem) throw new ProjectError('path', rel, `${from}: path ${JSON.stringify(rel)} ${problem.reason}; nothing was written.`);
}

export interface Located {
  full: string;
  /** The path's own lstat, when something is there. */
  st?: Stats;
  /** A parent that is a file, not a folder: then nothing can be at the path. */
  blockedBy?: string;
}

function lstatQuiet(p: string): Stats | undefined {
  try {
    // A path with nothing there (most that a sync asks about, the .rej names) without an error made and thrown.
    return lstatSync(p, { throwIfNoEntry: false });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * Where `rel` is under `root`, checked all the way down; `rel` must have passed the path rule.
 * `folders`, given by a caller that locates many paths in one go (and writes nothing meanwhile),
 * holds the folders already found to be plain folders in that batch: each is looked at once.
 */
export function locate(root: string, rel: string, from: string, folders?: Set<string>): Located {
  const segments = rel.split('/');
  let here = root;
  // Each segment passed the path rule (no separator, no `.` or `..`, not empty) and root is a
  // real path: joining by hand gives what path.join would, without normalizing each time.
  const sep = root.endsWith(path.sep) ? '' : path.sep;
  for (let i = 0; i < segments.length; i++) {
    here = i === 0 ? `${root}${sep}${segments[0]!}` : `${here}${path.sep}${segments[i]!}`;
    const last = i === segments.length - 1;
    if (!last && folders?.has(here)) continue;
    const st = lstatQuiet(here);
    if (!st) return { full: `${root}${sep}${segments.join(path.sep)}` };
    if (st.isSymbolicLink()) {
      const at = segments.slice(0, i + 1).join('/');
      throw new ProjectError('symlink', at, `${from}: ${at}: is a symbolic link in the project; create-migration never reads or writes through one${at === rel ? '' : ` (path ${rel})`}.`);
    }
    if (last) {
      // A FIFO, socket or device is never opened: reading a FIFO blocks until someone writes.
      const special = specialKind(st);
      if (special) throw new ProjectError('special', rel, `${from}: ${rel}: is ${special}, not a regular file; create-migration never opens one. Remove it or move it away.`);
      return { full: here, st };
    }
    if (!st.isDirectory()) return { full: `${root}${sep}${segments.join(path.sep)}`, blockedBy: segments.slice(0, i + 1).join('/') };
    folders?.add(here);
  }
  return { full: here };
}
