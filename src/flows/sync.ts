import path from 'node:path';
import { resolveAnswers, type Asker } from '../core/answers/resolve.js';
import { InputError, isBadInput } from '../core/errors.js';
import { MANIFEST_PATH, serializeManifest, type Manifest } from '../core/manifest.js';
import { IGNORE_FILE, isIgnoredByProject, parseIgnoreList } from '../core/sync/ignore-list.js';
import type { ConflictStyle, FileOutcome } from '../core/sync/plan.js';
import { renderDiff } from '../core/sync/preview.js';
import { answerChanges, crossedNotes, type AnswerChange, type ReleaseNote } from '../core/sync/summary.js';
import { describeCondition } from '../core/template/conditions.js';
import { crossedMigrations, migrateAnswers, type Migration } from '../core/template/migrations.js';
import { compareVersions } from '../core/template/semver.js';
import type { Answers, AnswerValue } from '../core/template/types.js';
import { dirtyFiles } from '../edge/git/worktree.js';
import { newBranchProblem } from '../edge/git/refs.js';
import { flagUnresolved, type UnresolvedFile } from '../edge/project/markers-scan.js';
import { ProjectSession } from '../edge/project/session.js';
import { loadFromSource, openSource, type TemplateSource } from '../edge/template-source.js';
import { applyPlan, prepareApply } from './sync-apply.js';
import type { BaseKind } from './sync-base.js';
import { conflictCount, planChanges, readSides, type Planned, type Sides } from './sync-plan.js';
import { recordSkip } from './sync-skip.js';

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

/**
 * Syncs one project to a newer template version, in named steps: open (openSync) → load the
 * target (loadTarget) → plan (readSides, then planChanges: in memory, in sync-plan.ts) → apply
 * (applyPlan) → record in git (recordInGit; both in sync-apply.ts). --check and --dry-run stop
 * after the plan with nothing written anywhere, .git included; a sync applies its plan
 * atomically (files, then git: the pristine branch, conflicts in the index, --branch's commit),
 * or not at all.
 */
export async function syncProject(dir: string, opts: SyncOptions): Promise<ProjectSyncResult> {
  const mode: Mode = opts.check ? 'check' : opts.dryRun ? 'dry-run' : 'write';
  // The session finds the root and git folder, takes the lock, undoes a killed run, reads the manifest.
  const session = await ProjectSession.open({ dir, write: mode === 'write', manifest: 'required' });
  try {
    const opened = await openSync(session, dir, mode, opts);
    try {
      if (opts.skip !== undefined) return await recordSkip(session, opened.src, opts.skip);
      const target = await loadTarget(opened, opts);
      const result = startResult(opened, target);
      const idle = nothingToDo(opened, target, opts);
      if (idle) {
        if (mode === 'check') scanMarkers(opened, result);
        await opened.refuseDirty();
        if (idle === 'declined') result.skipped = target.to;
        return result;
      }
      const sides = await readSides(opened, target, opts);
      prepareApply(opened, sides);
      if (mode === 'check') scanMarkers(opened, result, sides.listed);
      const planned = planChanges(opened, target, sides, opts);
      reportPlan(result, target, sides, planned);
      if (mode === 'check') {
        result.exitCode = 1;
        return result;
      }
      if (mode === 'dry-run') {
        result.diff = previewDiff(opened, sides, planned);
        return result;
      }
      await applyPlan(opened, target, sides, planned, opts);
      result.written = true;
      result.exitCode = result.conflicts ? 1 : 0;
      return result;
    } finally {
      await opened.src.cleanup?.();
    }
  } finally {
    session.close();
  }
}

/** --check and --dry-run read only; `write` takes the lock and may change files and git. */
export type Mode = 'check' | 'dry-run' | 'write';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Step 1, open: the project as it is and the template source, checked before anything loads. */
export interface Opened {
  session: ProjectSession;
  /** The folder as the user named it: messages name it so. */
  dir: string;
  mode: Mode;
  recorded: Manifest;
  /** The project's own ignore list (its IGNORE_FILE): paths sync never touches. */
  ignoredByProject: string[];
  src: TemplateSource;
  /** Refuses a project with uncommitted changes (`known`: files already read, as they are on disk). */
  refuseDirty: (known?: ReadonlyMap<string, Uint8Array>) => Promise<void>;
}

async function openSync(session: ProjectSession, dir: string, mode: Mode, opts: Pick<SyncOptions, 'allowDirty' | 'branch' | 'template'>): Promise<Opened> {
  const { root, gitDir } = session;
  const writing = mode === 'write';
  const recorded = session.manifest!;
  const ignoreText = session.read(IGNORE_FILE);
  const ignoredByProject = ignoreText ? parseIgnoreList(decoder.decode(ignoreText)) : [];
  // Asked once the team's files are read: an index that proves them clean needs no git status
  // (and files already read are not read again to prove it).
  const checkDirty = writing && gitDir !== undefined && !opts.allowDirty;
  const refuseDirty = async (known?: ReadonlyMap<string, Uint8Array>) => {
    const dirty = checkDirty ? await dirtyFiles(root, known, (bytes) => session.statOf(bytes)) : [];
    if (dirty.length) {
      throw new InputError(
        `${dir}: has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}); commit or stash them first so the sync can be reviewed and undone, or pass --allow-dirty.`,
      );
    }
  };
  if (writing && opts.branch) {
    // Checked before anything is written: a taken or malformed name is bad input (exit 2).
    if (gitDir === undefined) throw new InputError(`--branch: ${dir} is not a git repository.`);
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
  return { session, dir, mode, recorded, ignoredByProject, src, refuseDirty };
}

/** Step 2, load the target: its version (never older), the migrations crossed, and the answers it renders with. */
export interface Target {
  loaded: Awaited<ReturnType<typeof loadFromSource>>;
  from: string;
  to: string;
  /** The template migrations between the two versions, oldest first. */
  crossed: Migration[];
  /** The recorded answers after the migrations; `changed`: the --set ones; `answers`: all resolved. */
  migratedAnswers: Answers;
  changed: Record<string, unknown>;
  answers: Answers;
  newAnswers: NonNullable<ProjectSyncResult['newAnswers']>;
  warnings: string[];
}

async function loadTarget(opened: Opened, opts: Pick<SyncOptions, 'to' | 'prereleases' | 'answers' | 'origins' | 'yes' | 'ask'>): Promise<Target> {
  const { recorded, dir } = opened;
  const writing = opened.mode === 'write';
  const loaded = await loadVersion(opened.src, opts.to, { prereleases: opts.prereleases, current: recorded.template.version });
  const from = recorded.template.version;
  const to = loaded.ref.version;
  if (compareVersions(to, from) < 0) {
    throw new InputError(`${opts.to ? '--to' : dir}: ${to} is older than ${from}, the version the project is on; sync does not downgrade.`);
  }
  const spec = loaded.template.spec;
  // The template's migrations between the two versions, as data: answers first (they shape the render).
  const crossed = crossedMigrations(spec.migrations, from, to);
  const migratedAnswers = migrateAnswers(recorded.answers, crossed);
  const changed = opts.answers ?? {};
  const newAnswers: Target['newAnswers'] = [];
  const warnings: string[] = [];
  const answers = await resolveAnswers(spec, {
    provided: { ...syncAnswers(migratedAnswers, new Set(spec.questions.map((q) => q.key))), ...changed },
    origins: opts.origins,
    dirName: path.basename(opened.session.root),
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
  return { loaded, from, to, crossed, migratedAnswers, changed, answers, newAnswers, warnings };
}

/** The target version: --to, else the newest semver tag, else HEAD; the built-in one is what ships. */
async function loadVersion(src: TemplateSource, to: string | undefined, pick: { prereleases?: boolean; current: string }) {
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

/** What the result says once the target is known: versions, release notes, answers. */
function startResult(opened: Opened, target: Target): ProjectSyncResult {
  const { session, recorded } = opened;
  const { from, to, loaded, crossed, answers, changed, migratedAnswers, newAnswers, warnings } = target;
  const spec = loaded.template.spec;
  const recovered = opened.mode === 'write' ? session.recovered : undefined;
  const result: ProjectSyncResult = { dir: session.root, from, to, fromRef: recorded.template.ref, toRef: loaded.ref.ref, base: 'not needed', outcomes: [], conflicts: 0, behind: false, written: false, recovered, exitCode: 0 };
  Object.assign(result, { template: spec.name, notes: crossedNotes(spec.changelog, from, to), answerChanges: answerChanges(recorded.answers, answers, changed, migratedAnswers) });
  if (crossed.length) result.migrations = crossed;
  if (newAnswers.length) result.newAnswers = newAnswers;
  if (warnings.length) result.warnings = warnings;
  return result;
}

/** --check: the template's files (as the manifest lists them) that still hold conflict markers; `known`: those already read. */
function scanMarkers(opened: Opened, result: ProjectSyncResult, known?: ReadonlyMap<string, Uint8Array>): void {
  const paths = Object.keys(opened.recorded.files).filter((p) => !isIgnoredByProject(p, opened.ignoredByProject));
  flagUnresolved(result, opened.session.root, paths, known);
}

/**
 * Why there is nothing to sync: the team declined the newest version (nothing is offered until
 * a newer one comes), or the project is on the target already with the same answers.
 */
function nothingToDo(opened: Opened, target: Target, opts: Pick<SyncOptions, 'to' | 'recopy'>): 'declined' | 'up to date' | undefined {
  const { recorded } = opened;
  const { from, to, loaded, changed, answers } = target;
  if (!opts.to && recorded.skipped?.includes(to) && !Object.keys(changed).length && to !== from) return 'declined';
  const sameTemplate = to === from && loaded.ref.commit === recorded.template.commit && loaded.ref.source === recorded.template.source;
  if (sameTemplate && JSON.stringify(answers) === JSON.stringify(recorded.answers) && !opts.recopy) return 'up to date';
  return undefined;
}

/** --dry-run's diff: the plan's writes and deletes, the manifest among them, against the project's files. */
function previewDiff(opened: Opened, sides: Sides, planned: Planned): string {
  sides.ours.set(MANIFEST_PATH, encoder.encode(serializeManifest(opened.recorded)));
  return renderDiff(sides.ours, planned.writes, planned.plan.deletes, sides.executable.ours);
}

/** What the plan means for the result: the base used, each file's outcome, the conflicts. */
function reportPlan(result: ProjectSyncResult, target: Target, sides: Sides, planned: Planned): void {
  if (planned.warnings.length) {
    target.warnings.push(...planned.warnings);
    result.warnings = target.warnings;
  }
  Object.assign(result, {
    base: sides.base.kind,
    baseDetail: sides.base.detail,
    outcomes: planned.plan.outcomes.filter((o) => o.status !== 'unchanged'),
    conflicts: conflictCount(planned.plan),
    behind: true,
  });
}

