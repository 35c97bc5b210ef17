import { dropBranch, gitState } from '../edge/git/refs.js';
import { ProjectSession } from '../edge/project/session.js';
import { openSource, sourceVersions, type TemplateSource } from '../edge/template-source.js';
import { compareVersions, isPrerelease, newestTag } from '../core/template/semver.js';
import type { Migration } from '../core/template/migrations.js';
import type { FileOutcome } from '../core/sync/plan.js';
import type { AnswerChange, ReleaseNote } from '../core/sync/summary.js';
import { syncProject, type ProjectSyncResult, type SyncOptions } from './sync.js';

/**
 * A --branch run that crosses several released versions makes one commit per version, so a
 * reviewer reads the pull request version by version (as Nx and Angular's --create-commits do).
 * The first step makes the branch; each later one commits on it. A step with conflicts stops
 * there (its markers for the team to resolve; a rerun continues). A step that fails takes the
 * whole run back: the branch is removed and the team is on their branch again.
 */
export async function syncProjectByVersion(dir: string, opts: SyncOptions): Promise<ProjectSyncResult> {
  const writing = !opts.check && !opts.dryRun && opts.skip === undefined;
  if (!writing || !opts.branch || opts.recopy) return syncProject(dir, opts);
  const { tags, root, pristineRef } = await versionSteps(dir, opts);
  if (tags.length < 2) return syncProject(dir, opts);
  const before = { ...(await gitState(root, pristineRef)), branch: opts.branch, pristineRef };
  const steps: NonNullable<ProjectSyncResult['steps']> = [];
  let first: ProjectSyncResult | undefined;
  let last: ProjectSyncResult | undefined;
  const outcomes = new Map<string, FileOutcome>();
  const notes: ReleaseNote[] = [];
  const migrations: Migration[] = [];
  const answerChanges: AnswerChange[] = [];
  try {
    for (const [i, tag] of tags.entries()) {
      const step = i === 0 ? { ...opts, to: tag } : { ...opts, to: tag, branch: undefined, commit: true, answers: undefined, origins: undefined };
      last = await syncProject(dir, step);
      first ??= last;
      steps.push({ from: last.from, to: last.to, committed: last.written && last.conflicts === 0, conflicts: last.conflicts });
      for (const o of last.outcomes) outcomes.set(o.path, o);
      notes.push(...(last.notes ?? []));
      migrations.push(...(last.migrations ?? []));
      answerChanges.push(...(last.answerChanges ?? []));
      if (last.conflicts || last.exitCode) break;
    }
  } catch (e) {
    if (first?.written) await dropBranch(root, { head: before.head, branch: before.branch, pristineRef, pristineTip: before.tip });
    throw e;
  }
  return { ...last!, from: first!.from, fromRef: first!.fromRef, outcomes: [...outcomes.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), notes, migrations: migrations.length ? migrations : undefined, answerChanges, steps };
}

/** The release tags a --branch run steps through: after the project's version, up to the target. */
async function versionSteps(dir: string, opts: SyncOptions): Promise<{ tags: string[]; root: string; pristineRef: string }> {
  const session = await ProjectSession.open({ dir, write: false, manifest: 'required' });
  let src: TemplateSource | undefined;
  const found = (tags: string[]) => ({ tags, root: session.root, pristineRef: `refs/heads/${session.pristineBranch}` });
  try {
    const recorded = session.manifest!;
    if (!session.gitDir) return found([]);
    src = await openSource(opts.template ?? recorded.template.source);
    if (src.kind !== 'git' || src.ref) return found([]);
    const tags = await sourceVersions(src);
    const current = recorded.template.version;
    const target = opts.to ? tags.find((t) => t === opts.to || t === `v${opts.to}`) : newestTag(tags, { prereleases: opts.prereleases, current });
    if (!target || !tags.includes(target)) return found([]);
    const withPre = opts.prereleases === true || isPrerelease(current);
    const skipped = new Set(recorded.skipped ?? []);
    const plain = (t: string) => t.replace(/^v/, '');
    return found(tags.filter((t) => compareVersions(t, current) > 0 && compareVersions(t, target) < 0 && (withPre || !isPrerelease(t)) && !skipped.has(plain(t))).concat(target));
  } finally {
    await src?.cleanup?.();
    session.close();
  }
}
