import path from 'node:path';
import { resolveAnswers, type Asker } from '../core/answers/resolve.js';
import { describeCondition } from '../core/template/conditions.js';
import { DomainError, InputError, isBadInput } from '../core/errors.js';
import { writePristine } from '../edge/git/objects.js';
import { newBranchProblem, pristineRefs } from '../edge/git/refs.js';
import { commitPaths, dirtyFiles, HookRefused, recordUnmerged, untrackedAmong } from '../edge/git/worktree.js';
import { checkpoint } from '../edge/project/checkpoint.js';
import { executableAmong, readFolders } from '../edge/project/folders.js';
import { ProjectSession } from '../edge/project/session.js';
import { started } from './started.js';
import { loadFromSource, openSource, type TemplateSource } from '../edge/template-source.js';
import { MANIFEST_PATH, manifestFor, serializeManifest } from '../core/manifest.js';
import { unifiedDiff } from '../core/merge/diff.js';
import { isBinary } from '../core/merge/binary.js';
import { planRender } from '../core/template/plan.js';
import { compareVersions } from '../core/template/semver.js';
import type { Answers, AnswerValue } from '../core/template/types.js';
import { filesAsRendered, findBase, recopyBase, type BaseKind } from './sync-base.js';
import { recordSkip } from './sync-skip.js';
import { syncLabels } from '../core/sync/labels.js';
import { flagUnresolved, type UnresolvedFile } from '../edge/project/markers-scan.js';
import { IGNORE_FILE, isIgnoredByProject, parseIgnoreList } from '../core/sync/ignore-list.js';
import { composePaths, crossedMigrations, migrateAnswers, migrationNotesFile, migrationNotesPath, movedPath, type Migration } from '../core/template/migrations.js';
import { pathsToRead, planSync, type ConflictStyle, type FileOutcome } from '../core/sync/plan.js';
import { answerChanges, crossedNotes, type AnswerChange, type ReleaseNote } from '../core/sync/summary.js';

/** What one sync asks for: the command's flags, already parsed (no argv here). */
export interface SyncOptions {
  to?: string;
  template?: string;
  check?: boolean;
  dryRun?: boolean;
  conflict?: ConflictStyle;
  /** Count pre-release tags (v2.0.0-rc.1) when picking the newest version. */
  prereleases?: boolean;
  /** Record that the team declines this template version (a semantic version); nothing else changes. */
  skip?: string;
  /** Commit the sync on the branch checked out (a later step of a --branch run across versions). */
  commit?: boolean;
  /**
   * `recopy`: rebuild from the template at the recorded answers and merge with the team's files,
   * trusting neither the pristine branch nor history (lost or broken): see recopyBase.
   */
  recopy?: boolean;
  allowDirty?: boolean;
  branch?: string;
  /** Changed answers (--set), not yet validated, with where each came from. */
  answers?: Record<string, unknown>;
  origins?: Record<string, string>;
  /** Take the default of a question the newer version adds (never prompt). */
  yes?: boolean;
  /** Asks a question the newer version adds; given only when a terminal is there to answer. */
  ask?: Asker;
}

export interface ProjectSyncResult {
  dir: string;
  from: string;
  to: string;
  /** The git refs (tags) behind those versions, when the source is a repository. */
  fromRef?: string;
  toRef?: string;
  base: BaseKind | 'not needed';
  baseDetail?: string;
  outcomes: FileOutcome[];
  conflicts: number;
  /** Whether the project differs from the target (what --check reports). */
  behind: boolean;
  written: boolean;
  diff?: string;
  recovered?: string[];
  /** --check: template files that still hold conflict markers (each fails the check). */
  unresolved?: UnresolvedFile[];
  /** Questions the target version adds, and how each was answered (also recorded in the manifest). */
  newAnswers?: { key: string; value: AnswerValue; origin: 'prompt' | 'default' | '--set' | 'answers' }[];
  /** Things the user said that had no effect (a --set of a question its condition skips). */
  warnings?: string[];
  exitCode: number;
  /** The template's name, the release notes of the versions crossed, and answers not taken from the manifest. */
  template?: string;
  notes?: ReleaseNote[];
  answerChanges?: AnswerChange[];
  /** The newest version, declined by the team (`sync --skip`): not offered, --check passes. */
  skipped?: string;
  /** The template migrations crossed, oldest first (applied: paths, answers; notes for people). */
  migrations?: Migration[];
  /** A --branch run across several versions: one commit per version, oldest first. */
  steps?: { from: string; to: string; committed: boolean; conflicts: number }[];
}


const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** The target version: --to, else the newest semver tag, else HEAD; the built-in one is what ships. */
async function loadTarget(src: TemplateSource, to: string | undefined, pick: { prereleases?: boolean; current: string }) {
  if (src.kind !== 'git' && to) {
    const loaded = await loadFromSource(src);
    if (to !== loaded.ref.version && to !== `v${loaded.ref.version}`) {
      throw new InputError(`--to: ${src.kind === 'builtin' ? 'the built-in template' : src.location} offers only version ${loaded.ref.version}, not "${to}".`);
    }
    return loaded;
  }
  return loadFromSource(src, to, pick);
}

function syncAnswers(recorded: Answers, known: Set<string>): Record<string, unknown> {
  // Questions the new version dropped are dropped from the answers too.
  return Object.fromEntries(Object.entries(recorded).filter(([k]) => known.has(k)));
}

function renderDiff(
  ours: ReadonlyMap<string, Uint8Array>,
  writes: { path: string; data: Uint8Array; executable?: boolean }[],
  deletes: string[],
  oursExecutable: ReadonlySet<string> = new Set(),
): string {
  const parts: string[] = [];
  const show = (p: string, before: Uint8Array | undefined, after: Uint8Array | undefined, executable?: boolean) => {
    // A mode change is shown as git shows one.
    if (before && executable !== undefined && executable !== oursExecutable.has(p)) {
      parts.push(`old mode ${executable ? '100644' : '100755'} ${p}\nnew mode ${executable ? '100755' : '100644'} ${p}\n`);
    }
    if ((before && isBinary(before)) || (after && isBinary(after))) {
      parts.push(`Binary file ${p} ${!before ? 'added' : !after ? 'removed' : 'changed'}\n`);
      return;
    }
    parts.push(
      unifiedDiff(before ? decoder.decode(before) : '', after ? decoder.decode(after) : '', {
        oldLabel: before ? `a/${p}` : '/dev/null',
        newLabel: after ? `b/${p}` : '/dev/null',
      }),
    );
  };
  for (const w of [...writes].sort((a, b) => (a.path < b.path ? -1 : 1))) show(w.path, ours.get(w.path), w.data, w.executable);
  for (const d of [...deletes].sort()) show(d, ours.get(d), undefined);
  return parts.join('');
}


/**
 * Syncs one project to a newer template version. Reads everything, plans in memory, and then
 * either reports (--check, --dry-run: nothing written anywhere, .git included) or applies the
 * plan atomically, records conflicts in git's index and moves the pristine branch on.
 */
export async function syncProject(dir: string, opts: SyncOptions): Promise<ProjectSyncResult> {
  const writing = !opts.check && !opts.dryRun;
  // The session finds the root and git folder, takes the lock, undoes a killed run, reads the manifest.
  const session = await ProjectSession.open({ dir, write: writing, manifest: 'required' });
  const { root, gitDir } = session;
  const inGit = gitDir !== undefined;
  const recovered = writing ? session.recovered : undefined;
  try {
    const recorded = session.manifest!;
    const ignoreText = session.read(IGNORE_FILE);
    const ignoredByProject = ignoreText ? parseIgnoreList(decoder.decode(ignoreText)) : [];
    // git status runs while the template loads and renders; its answer is awaited before any use.
    const dirtyCheck = writing && inGit && !opts.allowDirty ? started(dirtyFiles(root)) : undefined;
    const refuseDirty = async () => {
      const dirty = (await dirtyCheck?.()) ?? [];
      if (dirty.length) {
        throw new InputError(
          `${dir}: has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}); commit or stash them first so the sync can be reviewed and undone, or pass --allow-dirty.`,
        );
      }
    };
    if (writing && opts.branch) {
      // Checked before anything is written: a taken or malformed name is bad input (exit 2).
      if (!inGit) throw new InputError(`--branch: ${dir} is not a git repository.`);
      const problem = await newBranchProblem(root, opts.branch);
      if (problem) throw new InputError(`--branch: ${problem}.`);
    }
    const src = await openSource(opts.template ?? recorded.template.source).catch((e: unknown) => {
      // The user gave no --template: say that the source came from the manifest, and the way out.
      if (opts.template || !isBadInput(e)) throw e;
      throw new InputError(
        `${dir}: the template source recorded in ${MANIFEST_PATH} cannot be opened (${e.message.replace(/^--template: /, '')}). If it moved, give its new place with --template <src>.`,
      );
    });
    try {
      if (opts.skip !== undefined) return await recordSkip(session, src, opts.skip);
      const target = await loadTarget(src, opts.to, { prereleases: opts.prereleases, current: recorded.template.version });
      const from = recorded.template.version;
      const to = target.ref.version;
      if (compareVersions(to, from) < 0) {
        throw new InputError(`${opts.to ? '--to' : dir}: ${to} is older than ${from}, the version the project is on; sync does not downgrade.`);
      }
      const spec = target.template.spec;
      // The template's migrations between the two versions, as data: answers first (they shape the render).
      const crossed = crossedMigrations(spec.migrations, from, to);
      const migratedAnswers = migrateAnswers(recorded.answers, crossed);
      const changed = opts.answers ?? {};
      const newAnswers: NonNullable<ProjectSyncResult['newAnswers']> = [];
      const warnings: string[] = [];
      const answers = await resolveAnswers(spec, {
        provided: { ...syncAnswers(migratedAnswers, new Set(spec.questions.map((q) => q.key))), ...changed },
        origins: opts.origins,
        dirName: path.basename(root),
        // A question the new version adds is the user's to answer: asked on a terminal, else its
        // default only with --yes. --check and --dry-run write nothing, so they take the default.
        useDefaults: opts.yes === true || !writing,
        ask: writing && !opts.yes ? opts.ask : undefined,
        onTaken: (q, value, origin) => newAnswers.push({ key: q.key, value, origin }),
        onSkipped: (q, origin, so) =>
          warnings.push(`${origin} ${q.key}: has no effect: template ${spec.version} asks it only when ${describeCondition(q.when, so)}, which does not hold for this project.`),
        missing: (keys) =>
          `${dir}: template ${spec.version} adds ${keys.length > 1 ? 'questions' : 'a question'} the project has no answer for: ${keys.join(', ')}. There is no terminal to ask on: answer with --set ${keys[0]}=<value>, or pass --yes to take ${keys.length > 1 ? 'their defaults' : 'its default'}.`,
      });
      for (const k of Object.keys(changed)) {
        if (!Object.hasOwn(recorded.answers, k) && Object.hasOwn(answers, k)) newAnswers.push({ key: k, value: answers[k]!, origin: '--set' });
      }
      const result: ProjectSyncResult = { dir: root, from, to, fromRef: recorded.template.ref, toRef: target.ref.ref, base: 'not needed', outcomes: [], conflicts: 0, behind: false, written: false, recovered, exitCode: 0 };
      Object.assign(result, { template: spec.name, notes: crossedNotes(spec.changelog, from, to), answerChanges: answerChanges(recorded.answers, answers, changed, migratedAnswers) });
      if (crossed.length) result.migrations = crossed;
      if (opts.check) flagUnresolved(result, root, Object.keys(recorded.files).filter((p) => !isIgnoredByProject(p, ignoredByProject)));
      if (newAnswers.length) result.newAnswers = newAnswers;
      if (warnings.length) result.warnings = warnings;
      if (!opts.to && recorded.skipped?.includes(to) && !Object.keys(changed).length && to !== from) {
        // The team declined this version: nothing is offered until a newer one comes.
        await refuseDirty();
        result.skipped = to;
        return result;
      }
      const sameTemplate = to === from && target.ref.commit === recorded.template.commit && target.ref.source === recorded.template.source;
      if (sameTemplate && JSON.stringify(answers) === JSON.stringify(recorded.answers) && !opts.recopy) {
        await refuseDirty();
        return result;
      }

      // The base is read by git while the new version renders.
      const pristine = inGit ? await pristineRefs(root, gitDir, session.pristineBranch) : undefined;
      // History (the generated first commit) holds a project at its top only.
      // The team's files the manifest lists, read first: each still as last rendered is its own
      // base, so git reads only the others (and --check, when all are, reads none).
      const listed = session.readMany(Object.keys(recorded.files), 'sync');
      const asRendered = { files: opts.recopy ? new Map<string, Uint8Array>() : filesAsRendered(listed, recorded), whole: opts.check };
      const baseLookup = started(findBase(root, opts.recopy ? undefined : pristine?.tips, recorded, src, session.prefix === '', asRendered));
      const rendered = planRender(target.template, answers);
      const theirs = new Map(rendered.map((f) => [f.path, f.data]));
      const theirsExecutable = new Set(rendered.filter((f) => f.executable).map((f) => f.path));
      await refuseDirty();
      let base = await baseLookup();
      const toRead = pathsToRead(base.files, theirs, recorded.files);
      const more = session.readMany(toRead.filter((p) => !Object.hasOwn(recorded.files, p)), 'sync');
      const ours = new Map<string, Uint8Array>();
      for (const p of toRead) {
        const data = listed.get(p) ?? more.get(p);
        if (data) ours.set(p, data);
      }
      if (opts.recopy) base = recopyBase(base, ours, recorded, theirs);
      const folders = readFolders(root, theirs.keys(), ours);
      const migration = composePaths(crossed);
      const notesFiles = crossed.filter((m) => m.notes).map((m) => ({ path: migrationNotesPath(m.version), data: encoder.encode(migrationNotesFile(spec.name, m)) }));
      if (crossed.length) {
        // What the migrations name (files, or folders and all under them), where they move to, and the notes files.
        const named = [...migration.moves.map((m) => m.from), ...migration.removes.map((r) => r.path)];
        for (const [p, d] of session.readMany(named, 'template migration')) ours.set(p, d);
        readFolders(root, named, ours);
        const targets = [...ours.keys()].flatMap((p) => movedPath(p, migration.moves)?.to ?? []);
        for (const [p, d] of session.readMany([...targets, ...notesFiles.map((n) => n.path)], 'template migration')) ours.set(p, d);
      }
      const tracking = inGit ? await untrackedAmong(root, [...ours.keys()], { gitDir, prefix: session.prefix }) : undefined;
      const executable = { base: base.executable, theirs: theirsExecutable, ours: executableAmong(root, ours.keys()) };
      const projectOwned = spec.files.projectOwned;
      const planWith = () =>
        planSync({
          base: base.files,
          theirs,
          ours,
          recorded: recorded.files,
          projectOwned,
          ignoredByProject,
          renames: spec.files.renames,
          conflictStyle: opts.conflict ?? 'inline',
          labels: syncLabels({ from, to, fromCommit: recorded.template.commit, toCommit: target.ref.commit, answersBefore: recorded.answers, answersAfter: answers }),
          folders,
          untracked: tracking?.untracked,
          ignored: tracking?.ignored,
          executable,
          migration: crossed.length ? migration : undefined,
        });
      let plan = planWith();
      // The planner picks .rej names that are free among the files it was given; a further
      // numbered name (x.1.rej) may hold a user file nobody read yet. Read those and plan again,
      // so that a .rej never overwrites a user's file.
      for (;;) {
        const unread = plan.outcomes.flatMap((o) => [o.rej, o.movedTo, o.writtenTo].filter((p): p is string => p !== undefined && !ours.has(p) && !folders.has(p)));
        const found = session.readMany(unread, 'sync');
        const foundFolders = readFolders(root, unread, ours);
        if (!found.size && !foundFolders.size) break;
        for (const [p, data] of found) ours.set(p, data);
        for (const [p, files] of foundFolders) folders.set(p, files);
        plan = planWith();
      }
      const stillSkipped = (recorded.skipped ?? []).filter((v) => compareVersions(v, to) > 0);
      const manifestData = manifestFor(target.ref, answers, rendered, stillSkipped);
      // Each crossed migration's notes, as a file the team can follow; never over a file of theirs.
      for (const n of notesFiles) {
        if (isIgnoredByProject(n.path, ignoredByProject)) continue;
        const there = ours.get(n.path);
        if (there && new TextDecoder().decode(there) === new TextDecoder().decode(n.data)) continue;
        if (there || plan.writes.some((w) => w.path === n.path)) {
          warnings.push(`${n.path}: already there and different: the migration notes were not written (they are in the output and the summary).`);
          result.warnings = warnings;
          continue;
        }
        plan.writes.push(n);
        plan.outcomes.push({ path: n.path, status: 'added', note: 'migration notes' });
      }
      const writes = [...plan.writes, { path: MANIFEST_PATH, data: manifestData }];
      Object.assign(result, {
        base: base.kind,
        baseDetail: base.detail,
        outcomes: plan.outcomes.filter((o) => o.status !== 'unchanged'),
        conflicts: plan.outcomes.filter((o) => o.status === 'conflict').length,
        behind: true,
      });
      if (opts.check) {
        result.exitCode = 1;
        return result;
      }
      if (opts.dryRun) {
        ours.set(MANIFEST_PATH, encoder.encode(serializeManifest(recorded)));
        result.diff = renderDiff(ours, writes, plan.deletes, executable.ours);
        return result;
      }
      // The new pristine commit's parent may be a remote copy of the branch (a fresh clone); a
      // rollback puts the local branch back as it was (the session records it).
      const oldTip = pristine?.tips[0];
      let refused: HookRefused | undefined;
      await session.apply({
        what: 'sync',
        writes,
        deletes: plan.deletes,
        git: inGit
          ? {
              movesPristine: true,
              touchesIndex: true,
              branch: opts.branch,
              after: async () => {
                const pristineFiles = new Map(theirs).set(MANIFEST_PATH, manifestData);
                const stages = plan.conflicts;
                const blobs = stages.flatMap((c) => [c.base ?? new Uint8Array(), c.ours ?? new Uint8Array(), c.theirs ?? new Uint8Array()]);
                // On top of the base's own commit, only the files that changed need writing.
                const parentFiles = base.commit === oldTip ? (base.files ?? undefined) : undefined;
                const written = await writePristine(root, pristineFiles, `Template ${spec.name} ${to}\n\nPristine render for create-migration sync.\n`, oldTip, blobs, parentFiles, {
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
                if ((opts.branch || opts.commit) && result.conflicts === 0) {
                  const touched = [...writes.map((w) => w.path), ...plan.deletes];
                  await commitPaths(root, touched, `Sync template ${spec.name} ${from} -> ${to}`).catch((e: unknown) => {
                    if (e instanceof HookRefused) refused = e;
                    throw e;
                  });
                }
              },
            }
          : undefined,
      }).catch((e: unknown) => {
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
      result.written = true;
      result.exitCode = result.conflicts ? 1 : 0;
      return result;
    } finally {
      await src.cleanup?.();
    }
  } finally {
    session.close();
  }
}
