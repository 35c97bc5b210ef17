import { DomainError } from '../core/errors.js';
import { MANIFEST_PATH } from '../core/manifest.js';
import { deflateAhead } from '../edge/git/object-write.js';
import { writePristine } from '../edge/git/objects.js';
import { commitPaths, HookRefused, recordUnmerged } from '../edge/git/worktree.js';
import { checkpoint } from '../edge/project/checkpoint.js';
import { conflictCount, type Planned, type Sides } from './sync-plan.js';
import type { Opened, SyncOptions, Target } from './sync.js';

/**
 * Starts, on node's thread pool, what the apply step will need and the main thread need not wait
 * for: each big template file the pristine commit will hold anew is deflated (deflateAhead) while
 * the merge runs and the files are written (a 3 MB file: ~7 ms the pristine write no longer
 * spends). Called once the sides are read, for a run that writes; applyPlan calls it too.
 */
export function prepareApply(opened: Opened, sides: Sides): void {
  if (opened.mode !== 'write' || opened.session.gitDir === undefined) return;
  for (const [p, data] of sides.theirs) {
    const before = sides.base.files?.get(p);
    if (!before || before.length !== data.length || Buffer.compare(before, data) !== 0) deflateAhead(data);
  }
}

/**
 * Step 4, apply: the plan's writes and deletes through the session's journal, then (in a
 * repository) step 5 records it in git. Whatever fails, all of it is rolled back.
 */
export async function applyPlan(opened: Opened, target: Target, sides: Sides, planned: Planned, opts: Pick<SyncOptions, 'branch' | 'commit'>): Promise<void> {
  let refused: HookRefused | undefined;
  prepareApply(opened, sides);
  await opened.session
    .apply({
      what: 'sync',
      writes: planned.writes,
      deletes: planned.plan.deletes,
      git:
        opened.session.gitDir !== undefined
          ? {
              movesPristine: true,
              // The index changes only for conflicts (staged unmerged) or a commit (see recordInGit):
              // else it is neither copied aside nor restored.
              touchesIndex: planned.plan.conflicts.length > 0 || Boolean(opts.branch) || Boolean(opts.commit),
              branch: opts.branch,
              // A big merged file is written while the pristine commit and the index are.
              lateWrites: true,
              after: (filesInPlace) =>
                recordInGit(opened, target, sides, planned, opts, filesInPlace).catch((e: unknown) => {
                  if (e instanceof HookRefused) refused = e;
                  throw e;
                }),
            }
          : undefined,
    })
    .catch((e: unknown) => {
      if (refused) {
        // Exit 3, as for any failed run: nothing of it stays, and it is not bad input.
        throw new DomainError(
          'hook-refused',
          `--branch: your git hooks refused the commit, so the sync was rolled back (files, index and branch ${opts.branch}; you are on your branch again). What they said:\n${refused.output}`,
          opts.branch,
        );
      }
      throw e;
    });
}

/**
 * Step 5, record: the pristine render committed onto the pristine branch, conflicted files
 * staged as unmerged (their three versions and modes), and, with --branch or a later step of
 * one, the sync committed on the branch checked out (the user's hooks run for that commit).
 */
async function recordInGit(opened: Opened, target: Target, sides: Sides, planned: Planned, opts: Pick<SyncOptions, 'branch' | 'commit'>, filesInPlace: () => Promise<void>): Promise<void> {
  const { session } = opened;
  const { root } = session;
  const { base, theirs, theirsExecutable, executable, pristineTip } = sides;
  const { plan, manifestData } = planned;
  const spec = target.loaded.template.spec;
  const pristineFiles = new Map(theirs).set(MANIFEST_PATH, manifestData);
  const stages = plan.conflicts;
  const blobs = stages.flatMap((c) => [c.base ?? new Uint8Array(), c.ours ?? new Uint8Array(), c.theirs ?? new Uint8Array()]);
  // The new pristine commit's parent may be a remote copy of the branch (a fresh clone); a
  // rollback puts the local branch back as it was (the session records it). On top of the
  // base's own commit, only the files that changed need writing.
  const parentFiles = base.commit === pristineTip ? (base.files ?? undefined) : undefined;
  const written = await writePristine(root, pristineFiles, `Template ${spec.name} ${target.to}\n\nPristine render for create-migration sync.\n`, pristineTip, blobs, parentFiles, {
    now: theirsExecutable,
    parent: base.executable,
  }, session.pristineBranch);
  await checkpoint('sync:pristine');
  await recordUnmerged(
    root,
    stages.map((c, i) => ({ path: c.path, base: c.base ? written.blobs[i * 3] : undefined, ours: c.ours ? written.blobs[i * 3 + 1] : undefined, theirs: c.theirs ? written.blobs[i * 3 + 2] : undefined,
      // each side's executable bit, as git records a conflicted file's stages
      executable: { base: base.executable.has(c.path), ours: executable.ours.has(c.path), theirs: theirsExecutable.has(c.templatePath ?? c.path) },
    })),
    session.prefix,
  );
  if ((opts.branch || opts.commit) && conflictCount(plan) === 0) {
    // A big merged file may still be being written (see applyChanges): the commit reads it.
    await filesInPlace();
    const touched = [...planned.writes.map((w) => w.path), ...plan.deletes];
    await commitPaths(root, touched, `Sync template ${spec.name} ${target.from} -> ${target.to}`);
  }
}
