/**
 * Migrations between template versions, as data (`migrations:` in template.yaml): what a file
 * diff cannot say. Per version: project paths moved or removed, answers renamed, set or dropped,
 * and notes in Markdown for the people (or the coding agent) doing the update. sync applies the
 * ones it crosses in version order; nothing from a template ever runs. Pure.
 */
import { pathProblem } from '../path-rules.js';
import { compareVersions } from './semver.js';
import type { AnswerValue, Answers } from './types.js';

export interface Migration {
  version: string;
  move: { from: string; to: string }[];
  remove: string[];
  answers: { rename: Record<string, string>; set: Answers; drop: string[] };
  notes?: string;
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const KEY = /^[a-z][a-z0-9_]*$/;
const FIELDS = ['move', 'remove', 'answers', 'notes'];
const ANSWER_FIELDS = ['rename', 'set', 'drop'];
export const MIGRATION_LIMITS = { entries: 200, notesChars: 20_000 };

type Fail = (path: string, what: string) => never;
type Raw = Record<string, unknown>;

const isMap = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

function projectPath(v: unknown, at: string, fail: Fail): string {
  if (typeof v !== 'string') fail(at, 'must be a path (a string)');
  const p = v.replace(/\/+$/, '');
  const problem = pathProblem(p);
  if (problem) fail(at, `"${v}" ${problem.reason}`);
  return p;
}

function answerValue(v: unknown, at: string, fail: Fail): AnswerValue {
  if (v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return fail(at, 'must be a string, a number, a list of strings or null');
}

function key(v: unknown, at: string, fail: Fail): string {
  if (typeof v !== 'string' || !KEY.test(v)) fail(at, `${JSON.stringify(v)} is not an answer key (lower case, digits, _)`);
  return v;
}

/**
 * `migrations:` read strictly: every problem names the migration and the field, as
 * `migrations."2.0.0".move[0].to`. `ownVersion` is the template's version: a migration to a
 * version it has not reached is refused.
 */
export function readMigrations(raw: unknown, ownVersion: string, fail: Fail): Migration[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isMap(raw)) fail('migrations', 'must be a mapping of versions to migrations');
  const out: Migration[] = [];
  for (const [version, body] of Object.entries(raw)) {
    const at = `migrations."${version}"`;
    if (!SEMVER.test(version)) fail(at, `"${version}" is not a semantic version like 1.2.3 (quote it if YAML read it as a number)`);
    if (compareVersions(version, ownVersion) > 0) fail(at, `is newer than the template's own version ${ownVersion}`);
    if (!isMap(body)) fail(at, 'must be a mapping (move, remove, answers, notes)');
    const extra = Object.keys(body).find((k) => !FIELDS.includes(k));
    if (extra !== undefined) fail(`${at}.${extra}`, `is not a known field (known: ${FIELDS.join(', ')})`);
    const list = (v: unknown, name: string): unknown[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v)) fail(`${at}.${name}`, 'must be a list');
      if (v.length > MIGRATION_LIMITS.entries) fail(`${at}.${name}`, `has ${v.length} entries; the limit is ${MIGRATION_LIMITS.entries}`);
      return v;
    };
    const move = list(body.move, 'move').map((m, i) => {
      const mat = `${at}.move[${i}]`;
      if (!isMap(m)) fail(mat, 'must be a mapping with from and to');
      const bad = Object.keys(m).find((k) => k !== 'from' && k !== 'to');
      if (bad !== undefined) fail(`${mat}.${bad}`, 'is not a known field (known: from, to)');
      const from = projectPath(m.from, `${mat}.from`, fail);
      const to = projectPath(m.to, `${mat}.to`, fail);
      if (from === to || to.startsWith(`${from}/`) || from.startsWith(`${to}/`)) fail(mat, `moves "${from}" onto itself or into itself`);
      return { from, to };
    });
    const remove = list(body.remove, 'remove').map((p, i) => projectPath(p, `${at}.remove[${i}]`, fail));
    const answers = { rename: {} as Record<string, string>, set: {} as Answers, drop: [] as string[] };
    if (body.answers !== undefined) {
      const a = body.answers;
      if (!isMap(a)) fail(`${at}.answers`, 'must be a mapping (rename, set, drop)');
      const bad = Object.keys(a).find((k) => !ANSWER_FIELDS.includes(k));
      if (bad !== undefined) fail(`${at}.answers.${bad}`, `is not a known field (known: ${ANSWER_FIELDS.join(', ')})`);
      if (a.rename !== undefined) {
        if (!isMap(a.rename)) fail(`${at}.answers.rename`, 'must be a mapping of old key to new key');
        for (const [k, v] of Object.entries(a.rename)) answers.rename[key(k, `${at}.answers.rename`, fail)] = key(v, `${at}.answers.rename.${k}`, fail);
      }
      if (a.set !== undefined) {
        if (!isMap(a.set)) fail(`${at}.answers.set`, 'must be a mapping of key to value');
        for (const [k, v] of Object.entries(a.set)) answers.set[key(k, `${at}.answers.set`, fail)] = answerValue(v, `${at}.answers.set.${k}`, fail);
      }
      if (a.drop !== undefined) {
        if (!Array.isArray(a.drop)) fail(`${at}.answers.drop`, 'must be a list of keys');
        answers.drop = a.drop.map((k, i) => key(k, `${at}.answers.drop[${i}]`, fail));
      }
    }
    let notes: string | undefined;
    if (body.notes !== undefined) {
      if (typeof body.notes !== 'string') fail(`${at}.notes`, 'must be Markdown text');
      if (body.notes.length > MIGRATION_LIMITS.notesChars) fail(`${at}.notes`, `is over ${MIGRATION_LIMITS.notesChars} characters`);
      notes = body.notes;
    }
    out.push({ version, move, remove, answers, ...(notes !== undefined ? { notes } : {}) });
  }
  return out.sort((a, b) => compareVersions(a.version, b.version));
}

/** The migrations a sync from `from` to `to` crosses (after `from`, up to and including `to`), oldest first. */
export function crossedMigrations(migrations: readonly Migration[] | undefined, from: string, to: string): Migration[] {
  return (migrations ?? []).filter((m) => compareVersions(m.version, from) > 0 && compareVersions(m.version, to) <= 0);
}

/** The recorded answers after each crossed migration's rename, set and drop, in version order. */
export function migrateAnswers(answers: Answers, crossed: readonly Migration[]): Answers {
  let out: Answers = { ...answers };
  for (const m of crossed) {
    const next: Answers = {};
    for (const [k, v] of Object.entries(out)) {
      const to = m.answers.rename[k];
      if (to !== undefined && !Object.hasOwn(out, to)) next[to] = v;
      else if (to === undefined) next[k] = v;
    }
    for (const [k, v] of Object.entries(m.answers.set)) next[k] = v;
    for (const k of m.answers.drop) delete next[k];
    out = next;
  }
  return out;
}

/** Where a path ends up after one move (a file moved, or anything under a moved folder). */
function moved(path: string, m: { from: string; to: string }): string | undefined {
  if (path === m.from) return m.to;
  if (path.startsWith(`${m.from}/`)) return m.to + path.slice(m.from.length);
  return undefined;
}

export interface PathMigration {
  /** Each project path's move, chained across versions (a -> b in 2.0, b -> c in 3.0: a -> c). */
  moves: { from: string; to: string; version: string }[];
  removes: { path: string; version: string }[];
}

/** The crossed migrations' path changes, composed in version order. */
export function composePaths(crossed: readonly Migration[]): PathMigration {
  const moves: PathMigration['moves'] = [];
  const removes: PathMigration['removes'] = [];
  for (const m of crossed) {
    for (const mv of m.move) {
      let chained = false;
      for (const earlier of moves) {
        const at = moved(earlier.to, mv);
        if (at !== undefined) {
          earlier.to = at;
          earlier.version = m.version;
          chained = true;
        }
      }
      if (!chained) moves.push({ ...mv, version: m.version });
    }
    for (const r of m.remove) removes.push({ path: r, version: m.version });
  }
  return { moves, removes };
}

/** The project path `p` is moved to by the composed moves, if any. */
export function movedPath(p: string, moves: PathMigration['moves']): { to: string; version: string } | undefined {
  for (const m of moves) {
    const to = moved(p, m);
    if (to !== undefined) return { to, version: m.version };
  }
  return undefined;
}

/** Whether `p` is a removed path, or lies under a removed folder. */
export function removedBy(p: string, removes: PathMigration['removes']): string | undefined {
  return removes.find((r) => p === r.path || p.startsWith(`${r.path}/`))?.version;
}

/** Where a migration's notes are written in the project, for the team (or its coding agent) to follow. */
export function migrationNotesPath(version: string): string {
  return `docs/template-updates/${version}.md`;
}

export function migrationNotesFile(template: string, m: Migration): string {
  const lines = [`# Template update: ${template} ${m.version}`, '', m.notes!.trimEnd(), ''];
  const done: string[] = [];
  for (const mv of m.move) done.push(`- moved \`${mv.from}\` to \`${mv.to}\``);
  for (const r of m.remove) done.push(`- removed \`${r}\` (where it was as the template made it)`);
  for (const [a, b] of Object.entries(m.answers.rename)) done.push(`- answer \`${a}\` renamed to \`${b}\``);
  for (const [k, v] of Object.entries(m.answers.set)) done.push(`- answer \`${k}\` set to \`${JSON.stringify(v)}\``);
  for (const k of m.answers.drop) done.push(`- answer \`${k}\` dropped`);
  if (done.length) lines.push('## What sync did for this version', '', ...done, '');
  return lines.join('\n');
}
