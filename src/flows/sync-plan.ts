import { MANIFEST_PATH, manifestFor } from '../core/manifest.js';
import { pathsToRead, planSync, type SyncPlan } from '../core/sync/plan.js';
import { isIgnoredByProject } from '../core/sync/ignore-list.js';
import { syncLabels } from '../core/sync/labels.js';
import { composePaths, migrationNotesFile, migrationNotesPath, movedPath } from '../core/template/migrations.js';
import { planRender } from '../core/template/plan.js';
import { compareVersions } from '../core/template/semver.js';
import { pristineRefs } from '../edge/git/refs.js';
import { untrackedAmong } from '../edge/git/worktree.js';
import { executableAmong, readFolders } from '../edge/project/folders.js';
import { filesAsRendered, findBase, recopyBase, trustedKeys, type Base } from './sync-base.js';
import { started } from './started.js';
import type { Opened, SyncOptions, Target } from './sync.js';

const encoder = new TextEncoder();
/** CREATE_MIGRATION_RENDER_SKIP=0 renders every file (tests compare a sync with and without the skip). */
const renderSkipOn = () => process.env.CREATE_MIGRATION_RENDER_SKIP !== '0';
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/** Step 3a, read both sides: the base (as last applied), the team's files (ours), the target's render (theirs). */
export interface Sides {
  base: Base;
  theirs: Map<string, Uint8Array>;
  theirsExecutable: Set<string>;
  /** The render, as the manifest records it. */
  rendered: ReturnType<typeof planRender>;
  ours: Map<string, Uint8Array>;
  /** The files the manifest lists, as read (the regular files among them). */
  listed: Map<string, Uint8Array>;
  /** Those of them whose content has the manifest's hash (see filesAsRendered). */
  asRendered: ReadonlyMap<string, Uint8Array>;
  folders: ReturnType<typeof readFolders>;
  executable: { base: Set<string>; theirs: Set<string>; ours: ReturnType<typeof executableAmong> };
  tracking?: Awaited<ReturnType<typeof untrackedAmong>>;
  migration: ReturnType<typeof composePaths>;
  /** Each crossed migration's notes, as a file for the team. */
  notesFiles: { path: string; data: Uint8Array }[];
  /** The local pristine branch's tip (or a remote copy's, on a fresh clone): the new pristine commit's parent. */
  pristineTip?: string;
}

export async function readSides(opened: Opened, target: Target, opts: Pick<SyncOptions, 'recopy'>): Promise<Sides> {
  const { session, recorded, src } = opened;
  const { root, gitDir } = session;
  const { crossed } = target;
  const spec = target.loaded.template.spec;
  // The base is read by git while the new version renders.
  const pristine = gitDir !== undefined ? await pristineRefs(root, gitDir, session.pristineBranch) : undefined;
  // History (the generated first commit) holds a project at its top only.
  // The team's files the manifest lists, read first: each still as last rendered is its own
  // base, so git reads only the others (and --check, when all are, reads none).
  const listed = session.readMany(Object.keys(recorded.files), 'sync');
  const hashed = filesAsRendered(listed, recorded);
  const asRendered = { files: opts.recopy ? new Map<string, Uint8Array>() : hashed, whole: opened.mode === 'check' };
  const baseLookup = started(findBase(root, opts.recopy ? undefined : pristine?.tips, recorded, src, session.prefix === '', asRendered));
  // Files whose render key (as the base vouches for it) and content say they render as last
  // time are not rendered again (never for --recopy, which trusts nothing recorded beyond the
  // hashes). The keys need the base first: the render waits for it.
  const skipping = !opts.recopy && recorded.renderKeys !== undefined && renderSkipOn();
  const early = skipping ? await baseLookup() : undefined;
  const keys = early && trustedKeys(early, recorded);
  const skip = keys && Object.keys(keys).length ? { keys, asRendered: hashed } : undefined;
  // --check writes no manifest: its render needs keys only to skip.
  const rendered = planRender(target.loaded.template, target.answers, {}, { skip, keys: opened.mode !== 'check' });
  const theirs = new Map(rendered.map((f) => [f.path, f.data]));
  const theirsExecutable = new Set(rendered.filter((f) => f.executable).map((f) => f.path));
  await opened.refuseDirty(listed);
  let base = early ?? (await baseLookup());
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
  const tracking = gitDir !== undefined ? await untrackedAmong(root, [...ours.keys()], { gitDir, prefix: session.prefix }) : undefined;
  const executable = { base: base.executable, theirs: theirsExecutable, ours: executableAmong(root, ours.keys(), session.modes) };
  return { base, theirs, theirsExecutable, rendered, ours, listed, asRendered: hashed, folders, executable, tracking, migration, notesFiles, pristineTip: pristine?.tips[0] };
}

/** Step 3b, plan: the merge of the three sides in memory, the new manifest, and the migration notes. */
export interface Planned {
  plan: SyncPlan;
  /** The plan's writes and the new manifest. */
  writes: SyncPlan['writes'];
  manifestData: Uint8Array;
  /** Migration notes that could not be written (a different file is there). */
  warnings: string[];
}

export function planChanges(opened: Opened, target: Target, sides: Sides, opts: Pick<SyncOptions, 'conflict'>): Planned {
  const { session, recorded, ignoredByProject } = opened;
  const { from, to, loaded, answers, crossed } = target;
  const { base, theirs, ours, folders, tracking, migration } = sides;
  const spec = loaded.template.spec;
  const planWith = () =>
    planSync({
      base: base.files,
      theirs,
      ours,
      recorded: recorded.files,
      projectOwned: spec.files.projectOwned,
      ignoredByProject,
      renames: spec.files.renames,
      conflictStyle: opts.conflict ?? 'inline',
      labels: syncLabels({ from, to, fromCommit: recorded.template.commit, toCommit: loaded.ref.commit, answersBefore: recorded.answers, answersAfter: answers }),
      folders,
      untracked: tracking?.untracked,
      ignored: tracking?.ignored,
      executable: sides.executable,
      migration: crossed.length ? migration : undefined,
    });
  let plan = planWith();
  // The planner picks .rej names that are free among the files it was given; a further
  // numbered name (x.1.rej) may hold a user file nobody read yet. Read those and plan again,
  // so that a .rej never overwrites a user's file.
  for (;;) {
    const unread = plan.outcomes.flatMap((o) => [o.rej, o.movedTo, o.writtenTo].filter((p): p is string => p !== undefined && !ours.has(p) && !folders.has(p)));
    const found = session.readMany(unread, 'sync');
    const foundFolders = readFolders(session.root, unread, ours);
    if (!found.size && !foundFolders.size) break;
    for (const [p, data] of found) ours.set(p, data);
    for (const [p, files] of foundFolders) folders.set(p, files);
    plan = planWith();
  }
  const stillSkipped = (recorded.skipped ?? []).filter((v) => compareVersions(v, to) > 0);
  // The new manifest (a hash of every rendered file) only for a run that writes or shows it: --check needs none.
  let manifest: Uint8Array | undefined;
  // A rendered file byte for byte the team's file that has the recorded hash has that hash: not hashed again.
  const knownHash = (p: string, data: Uint8Array) => {
    const mine = sides.asRendered.get(p);
    return mine && (mine === data || sameBytes(mine, data)) ? recorded.files[p] : undefined;
  };
  const manifestData = () => (manifest ??= manifestFor(loaded.ref, answers, sides.rendered, stillSkipped, knownHash));
  const warnings: string[] = [];
  // Each crossed migration's notes, as a file the team can follow; never over a file of theirs.
  for (const n of sides.notesFiles) {
    if (isIgnoredByProject(n.path, ignoredByProject)) continue;
    const there = ours.get(n.path);
    if (there && new TextDecoder().decode(there) === new TextDecoder().decode(n.data)) continue;
    if (there || plan.writes.some((w) => w.path === n.path)) {
      warnings.push(`${n.path}: already there and different: the migration notes were not written (they are in the output and the summary).`);
      continue;
    }
    plan.writes.push(n);
    plan.outcomes.push({ path: n.path, status: 'added', note: 'migration notes' });
  }
  return {
    plan,
    get writes() {
      return [...plan.writes, { path: MANIFEST_PATH, data: manifestData() }];
    },
    get manifestData() {
      return manifestData();
    },
    warnings,
  };
}

/** How many files the plan leaves in conflict. */
export const conflictCount = (plan: SyncPlan) => plan.outcomes.filter((o) => o.status === 'conflict').length;
