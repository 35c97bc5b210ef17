import { sameBytes } from '../bytes.js';
import { hashContent } from '../manifest.js';
import { isBinary } from '../merge/binary.js';
import { detectEol } from '../merge/lines.js';
import { merge3Bytes, mergeKeepingOurs, rejectFile } from '../merge/merge3.js';
import { unifiedDiff } from '../merge/diff.js';
import { matchesAny } from '../template/glob.js';
import type { RenameRule } from '../template/types.js';
import { detectRenames } from './renames.js';
import { applyPathMigrations, type PathMigration } from './migrate-paths.js';
import { movedPath } from '../template/migrations.js';
import { IGNORE_FILE, isIgnoredByProject } from './ignore-list.js';
import { planModes, type ExecutableSets } from './modes.js';
import { ancestorPaths, resolveStructure, type Folders } from './structure.js';

export type Files = ReadonlyMap<string, Uint8Array>;

export type ConflictStyle = 'inline' | 'diff3' | 'merge' | 'rej';

export type FileStatus =
  | 'added' // new from the template
  | 'updated' // the user had not changed it: the template's new version
  | 'merged' // both changed it: merged cleanly
  | 'conflict' // both changed it and the changes overlap (or no base to merge on)
  | 'removed' // the template dropped it and the user had not changed it
  | 'kept' // the user's version stays (user deleted it, or changed what the template dropped)
  | 'renamed' // the template moved it: the user's edits moved with it
  | 'skipped' // project-owned
  | 'unchanged';

export interface FileOutcome {
  path: string;
  status: FileStatus;
  /** For renames: where the file was. */
  from?: string;
  /** A short reason a person can act on. */
  note?: string;
  /** For conflicts written as .rej: where the rejected hunks are. */
  rej?: string;
  /** For a file or folder moved out of the way of the template's new layout: where it went. */
  movedTo?: string;
  /** For a template file whose path holds the user's folder: where the template's file was written instead. */
  writtenTo?: string;
}

/** Three versions of a conflicted file, for recording in git's index as unmerged. */
export interface ConflictStages {
  path: string;
  base?: Uint8Array;
  /** Absent for a template file written aside (`x~template`): only the template has it. */
  ours?: Uint8Array;
  /** For a template file written aside: the template's own path (its executable bit is that file's). */
  templatePath?: string;
  /** Absent when the template has no file at this path any more (it made a folder of it). */
  theirs?: Uint8Array;
}

export interface SyncInputs {
  /** The pristine render of the version last applied; null when no base could be had. */
  base: Files | null;
  /** The render of the target version. */
  theirs: Files;
  /** The project's files at every path `pathsToRead` named (absent = not there). */
  ours: Files;
  /** The manifest's hashes of the last pristine render (used without a base). */
  recorded: Readonly<Record<string, string>>;
  projectOwned: readonly string[];
  /** Globs of the project's own ignore list: never written, added, merged or deleted. */
  ignoredByProject?: readonly string[];
  renames: readonly RenameRule[];
  /** `inline` and `diff3` write git's diff3 markers (base section included), `merge` leaves the base out; `rej` keeps the file. */
  conflictStyle: ConflictStyle;
  labels: { ours: string; base: string; theirs: string };
  /**
   * Paths the plan asked about that are folders in the project, each with the files under it
   * (whose bytes are in `ours`): a template file that replaces a folder needs to know.
   */
  folders?: Folders;
  /** Project files among `ours` that git does not track: never recorded in the index. */
  untracked?: ReadonlySet<string>;
  /** Untracked files git ignores (a `.env`): never merged, staged or written over. */
  ignored?: ReadonlySet<string>;
  /** Which files are executable in each version: the bit is merged three-way too. */
  executable?: ExecutableSets;
  /** The path changes of the template migrations this sync crosses (composed in version order). */
  migration?: PathMigration;
}

export interface SyncPlan {
  outcomes: FileOutcome[];
  /** `executable`: set the execute bits (true) or clear them (false); absent: leave the mode. */
  writes: { path: string; data: Uint8Array; executable?: boolean }[];
  deletes: string[];
  conflicts: ConflictStages[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const text = (b: Uint8Array) => decoder.decode(b);

/**
 * A team on Windows (or with autocrlf) may hold the template's LF files as CRLF. Rendering the
 * template's versions in the project's line ending keeps that from looking like an edit of every
 * line, and keeps the file's line endings as the team has them.
 */
function inOurEol(data: Uint8Array | undefined, ours: Uint8Array): Uint8Array | undefined {
  // Cheap test first: most files have no CR at all, and then there is nothing to convert.
  if (!data || !ours.includes(0x0d) || isBinary(data) || isBinary(ours)) return data;
  const t = text(data);
  if (detectEol(text(ours)) === '\r\n' && detectEol(t) === '\n') return encoder.encode(t.replace(/\r?\n/g, '\r\n'));
  return data;
}

/**
 * Every project path the plan needs to read: the template's paths, before and after, and the
 * folders on the way to each new path (a file there would stand in the way). Not the .rej names:
 * only a conflict kept as .rej writes one, and the caller reads the names a plan picks before it
 * is applied (planning again when one is taken), so that a run without one looks at none.
 */
export function pathsToRead(base: Files | null, theirs: Files, recorded: Readonly<Record<string, string>>): string[] {
  const all = new Set<string>([...(base?.keys() ?? []), ...theirs.keys(), ...Object.keys(recorded)]);
  for (const p of ancestorPaths(theirs.keys())) all.add(p);
  return [...all].sort();
}

interface Ctx {
  inputs: SyncInputs;
  plan: SyncPlan;
}

function freeRejPath(ctx: Ctx, path: string): string {
  const taken = (p: string) => ctx.inputs.ours.has(p) || ctx.inputs.folders?.has(p) || ctx.plan.writes.some((w) => w.path === p);
  let p = `${path}.rej`;
  for (let i = 1; taken(p); i++) p = `${path}.${i}.rej`;
  return p;
}

/**
 * The result for a file both sides changed. Text is merged line by line; binary files never
 * are: the user's bytes stay and the file is reported.
 */
function mergeBoth(ctx: Ctx, path: string, base: Uint8Array | undefined, ours: Uint8Array, theirs: Uint8Array): FileOutcome & { data?: Uint8Array } {
  if (ctx.inputs.ignored?.has(path)) return ignoredClash(path);
  if ([base, ours, theirs].some((d) => d && isBinary(d))) {
    ctx.plan.conflicts.push({ path, base, ours, theirs });
    return { path, status: 'conflict', note: 'binary file changed by you and by the template: yours was kept' };
  }
  const { labels, conflictStyle } = ctx.inputs;
  // Both sides added the file: there is no common version, and the middle marker says so.
  // Merged as the bytes they are (all three are valid UTF-8, isBinary says): no decoding of three
  // big files to strings and encoding of the result back. Only a .rej decodes, and only regions.
  const result = merge3Bytes(base ?? new Uint8Array(), ours, theirs, {
    labels: base ? labels : { ...labels, base: 'no common version' },
    style: conflictStyle === 'merge' ? 'merge' : 'diff3',
  });
  if (result.clean) return { path, status: 'merged', data: result.data };
  ctx.plan.conflicts.push({ path, base, ours, theirs });
  const n = `${result.conflicts} conflicting hunk${result.conflicts > 1 ? 's' : ''}`;
  if (conflictStyle !== 'rej') {
    return { path, status: 'conflict', note: `${n} marked inline`, data: result.data };
  }
  const rej = freeRejPath(ctx, path);
  const rejText = base
    ? rejectFile(result, { base: `a/${path} (${labels.base})`, theirs: `b/${path} (${labels.theirs})` })
    : unifiedDiff('', text(theirs), { oldLabel: '/dev/null', newLabel: `b/${path} (${labels.theirs})` });
  ctx.plan.writes.push({ path: rej, data: encoder.encode(rejText) });
  const kept = base ? mergeKeepingOurs(result) : text(ours);
  return { path, status: 'conflict', note: `${n} in ${rej}`, rej, data: encoder.encode(kept) };
}

/**
 * A file git ignores (secrets, local settings) where the template has a different version: its
 * bytes never go into git's object store nor get conflict markers. It stays as it is.
 */
function ignoredClash(path: string): FileOutcome {
  return { path, status: 'conflict', note: 'your file is ignored by git (it may hold secrets): kept untouched, not merged or staged; compare it with the template by hand' };
}

/** A path the project's ignore list names: reported when the template changed it, else quiet. */
function leftAlone(ctx: Ctx, path: string, changed: boolean): FileOutcome | undefined {
  if (!isIgnoredByProject(path, ctx.inputs.ignoredByProject ?? [])) return undefined;
  return changed ? { path, status: 'skipped', note: `in ${IGNORE_FILE}` } : { path, status: 'unchanged' };
}

/** The three-way rules of one file that exists in the base render or the target render. */
function planFile(ctx: Ctx, path: string, base: Uint8Array | undefined, theirs: Uint8Array | undefined, oursRaw: Uint8Array | undefined): FileOutcome & { data?: Uint8Array; remove?: boolean } {
  const alone = leftAlone(ctx, path, !sameBytes(base, theirs));
  if (alone) return alone;
  if (matchesAny(path, ctx.inputs.projectOwned) && (base || oursRaw)) {
    // Skipped is news only when the template changed the file: otherwise every sync (even an
    // answers-only one) would list every project-owned file.
    if (base && theirs && sameBytes(base, theirs)) return { path, status: 'unchanged' };
    return { path, status: 'skipped', note: 'project-owned' };
  }
  if (!oursRaw) {
    if (!theirs) return { path, status: 'unchanged' };
    if (base) return { path, status: 'kept', note: sameBytes(base, theirs) ? 'deleted by you' : 'deleted by you; the template changed it' };
    return { path, status: 'added', data: theirs };
  }
  const ours = oursRaw;
  const b = inOurEol(base, ours);
  const t = inOurEol(theirs, ours);
  if (!t) {
    if (sameBytes(ours, b)) return { path, status: 'removed', remove: true };
    return { path, status: 'kept', note: 'the template dropped it, but you changed it' };
  }
  if (sameBytes(ours, t)) return { path, status: 'unchanged' };
  if (!b) {
    // The template adds a file where the user already has one.
    return mergeBoth(ctx, path, undefined, ours, t);
  }
  if (sameBytes(ours, b)) return { path, status: 'updated', data: t };
  if (sameBytes(b, t)) return { path, status: 'unchanged', note: 'your changes kept' };
  return mergeBoth(ctx, path, b, ours, t);
}

/** Without a base, only files still exactly as last rendered (by the manifest's hash) change. */
function planTwoWay(ctx: Ctx, path: string, theirs: Uint8Array | undefined, ours: Uint8Array | undefined): FileOutcome & { data?: Uint8Array; remove?: boolean } {
  const recorded = ctx.inputs.recorded[path];
  const alone = leftAlone(ctx, path, !(recorded !== undefined && theirs !== undefined && hashContent(theirs) === recorded));
  if (alone) return alone;
  if (matchesAny(path, ctx.inputs.projectOwned) && (recorded || ours)) {
    if (recorded && theirs && hashContent(theirs) === recorded) return { path, status: 'unchanged' };
    return { path, status: 'skipped', note: 'project-owned' };
  }
  if (!ours) {
    if (!theirs) return { path, status: 'unchanged' };
    return recorded ? { path, status: 'kept', note: 'deleted by you' } : { path, status: 'added', data: theirs };
  }
  const pristine = recorded !== undefined && hashContent(ours) === recorded;
  if (!theirs) return pristine ? { path, status: 'removed', remove: true } : { path, status: 'kept', note: 'the template dropped it, but you changed it' };
  if (sameBytes(ours, theirs)) return { path, status: 'unchanged' };
  if (pristine) return { path, status: 'updated', data: theirs };
  if (ctx.inputs.ignored?.has(path)) return ignoredClash(path);
  ctx.plan.conflicts.push({ path, ours, theirs });
  if (ctx.inputs.conflictStyle === 'rej' && !isBinary(ours) && !isBinary(theirs)) {
    const rej = freeRejPath(ctx, path);
    const diff = unifiedDiff(text(ours), text(theirs), { oldLabel: `a/${path} (yours)`, newLabel: `b/${path} (${ctx.inputs.labels.theirs})` });
    ctx.plan.writes.push({ path: rej, data: encoder.encode(diff) });
    return { path, status: 'conflict', note: `changed by you and no merge base: the template's version is in ${rej}`, rej };
  }
  return { path, status: 'conflict', note: 'changed by you and no merge base: left as yours, review the template change by hand' };
}

/**
 * Plans a sync: per file, what the project gets, following DESIGN.md's rules. Pure: the caller
 * reads the three versions, and writes what the plan says.
 */
export function planSync(inputs: SyncInputs): SyncPlan {
  const plan: SyncPlan = { outcomes: [], writes: [], deletes: [], conflicts: [] };
  const ctx: Ctx = { inputs, plan };
  const { base, theirs, ours } = inputs;
  const record = (o: FileOutcome & { data?: Uint8Array; remove?: boolean }, target = o.path) => {
    if (o.data && !sameBytes(o.data, ours.get(target))) plan.writes.push({ path: target, data: o.data });
    if (o.remove) plan.deletes.push(o.path);
    const { data: _d, remove: _r, ...outcome } = o;
    plan.outcomes.push(outcome);
  };

  if (!base) {
    const paths = new Set([...theirs.keys(), ...Object.keys(inputs.recorded)]);
    for (const p of [...paths].sort()) record(planTwoWay(ctx, p, theirs.get(p), ours.get(p)));
    return finish(plan, inputs);
  }

  // A project-owned path is the project's, not the template's: a template rename from or to one
  // must not move (or delete) the project's file, so such paths take no part in rename pairing.
  const owned = (p: string) => matchesAny(p, inputs.projectOwned) || isIgnoredByProject(p, inputs.ignoredByProject ?? []);
  const notOwned = (files: Files) => new Map([...files].filter(([p]) => !owned(p)));
  // A migration's move of a template file is a declared rename: the user's edits go with it.
  const migrated = [...base.keys()].flatMap((p) => {
    const to = inputs.migration && movedPath(p, inputs.migration.moves)?.to;
    return to && theirs.has(to) && !base.has(to) ? [{ from: p, to }] : [];
  });
  const renames = detectRenames(notOwned(base), notOwned(theirs), [...migrated, ...inputs.renames]);
  const movedFrom = new Set(renames.values());
  const paths = new Set([...base.keys(), ...theirs.keys()]);
  for (const p of [...paths].sort()) {
    if (movedFrom.has(p)) continue; // handled with its new path
    const from = renames.get(p);
    if (!from) {
      record(planFile(ctx, p, base.get(p), theirs.get(p), ours.get(p)));
      continue;
    }
    const oursOld = ours.get(from);
    if (!oursOld) {
      record({ path: p, from, status: 'kept', note: `deleted by you (the template moved it from ${from})` });
      continue;
    }
    if (ours.has(p)) {
      // Both a user file at the new path and the user's old file: merge into the new path, keep the old.
      record(planFile(ctx, p, undefined, theirs.get(p), ours.get(p)));
      continue;
    }
    const o = planFile(ctx, p, base.get(from), theirs.get(p), oursOld);
    const data = o.data ?? oursOld;
    plan.writes.push({ path: p, data });
    plan.deletes.push(from);
    plan.outcomes.push({ path: p, from, status: o.status === 'conflict' ? 'conflict' : 'renamed', note: o.note ?? (o.status === 'unchanged' ? undefined : o.status), rej: o.rej });
  }
  return finish(plan, inputs);
}

/** The last step of every plan: make room where a file becomes a folder or a folder a file. */
function finish(plan: SyncPlan, inputs: SyncInputs): SyncPlan {
  if (inputs.migration) {
    applyPathMigrations(plan, {
      theirs: inputs.theirs,
      ours: inputs.ours,
      recorded: inputs.recorded,
      leftAlone: (p) => isIgnoredByProject(p, inputs.ignoredByProject ?? []),
      owned: (p) => matchesAny(p, inputs.projectOwned),
      executable: inputs.executable?.ours,
      migration: inputs.migration,
    });
  }
  const s = { writes: plan.writes, deletes: plan.deletes, outcomes: plan.outcomes as StructureOutcome[] };
  if (inputs.executable) planModes(s, inputs.theirs, inputs.ours, inputs.executable, inputs.ignored);
  const asides = resolveStructure(s, inputs.ours, inputs.folders ?? new Map(), (moved) => {
    for (const p of moved) {
      if (inputs.untracked?.has(p)) continue; // git never had it: nothing to record
      // Recorded as unmerged like a merge's conflict: git status lists it until resolved.
      plan.conflicts = plan.conflicts.filter((c) => c.path !== p);
      plan.conflicts.push({ path: p, base: inputs.base?.get(p), ours: inputs.ours.get(p)! });
    }
  }, inputs.executable?.ours, inputs.ignored, (p) => matchesAny(p, inputs.projectOwned) || isIgnoredByProject(p, inputs.ignoredByProject ?? []));
  // Recorded as git records a file only the other side added: stage 3 alone.
  for (const a of asides) plan.conflicts.push({ path: a.aside, theirs: a.data, templatePath: a.path });
  plan.writes = s.writes;
  plan.deletes = s.deletes;
  plan.outcomes = (s.outcomes as FileOutcome[]).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return plan;
}
type StructureOutcome = { path: string; status: string; note?: string; movedTo?: string; writtenTo?: string };
