import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { exitCodeOf } from '../exit.js';
import { showDiff } from '../diff-view.js';
import { startProgress } from '../progress.js';
import { summaryRows } from '../sync-table.js';
import { MANIFEST_PATH } from '../../core/manifest.js';
import { batched, painter, print, printJson, say, stderr, stdout, write } from '../output.js';
import type { ProjectSyncResult, SyncOptions } from '../../flows/sync.js';
import { syncProjectByVersion } from '../../flows/sync-steps.js';
import { readProvidedAnswers } from '../answers-input.js';
import { askerFor } from '../ask.js';
import { writeSummary } from './sync-summary.js';
import { mapLimited } from '../../core/map-limited.js';

export interface SyncFlags {
  to?: string;
  template?: string;
  check?: boolean;
  dryRun?: boolean;
  conflict?: string;
  allowDirty?: boolean;
  branch?: string;
  prereleases?: boolean;
  skip?: string;
  /** The recopy command: rebuild from the template and merge, whatever the pristine branch says. */
  recopy?: boolean;
  set: string[];
  yes?: boolean;
  json?: boolean;
  /** Write a Markdown summary of the run here (the update pull request's body). */
  summary?: string;
}

const BASE_NAMES: Record<string, string> = {
  'pristine-branch': 'the migration-template branch',
  history: 'the generated commit in history',
  rendered: 'a fresh render of the recorded version',
  none: 'none: two-way mode, only files unchanged since the last render were updated',
  recopy: 'recopy: rebuilt from the template, checked file by file against the manifest',
  'as-rendered': 'your files, each still as last rendered (by its manifest hash): nothing else was read',
};

type Outcome = { dir: string; result?: ProjectSyncResult; error?: string; exitCode: number };

/**
 * Where a project goes from and to. A tag that says another version than its template.yaml
 * (v1.1.0 declaring 1.0.0) is named with both; two equal numbers never stand either side of an arrow.
 */
export function versionChange(r: Pick<ProjectSyncResult, 'from' | 'to' | 'fromRef' | 'toRef'>): string {
  const label = (version: string, ref: string | undefined) =>
    ref && ref !== version && ref !== `v${version}` && ref !== 'HEAD' ? `${/^v?\d/.test(ref) ? 'tag' : 'ref'} ${ref} declaring ${version}` : version;
  const from = label(r.from, r.fromRef);
  const to = label(r.to, r.toRef);
  if (from !== to) return `${from} -> ${to}`;
  return r.fromRef !== r.toRef && r.toRef ? `${from}, from ${r.fromRef ?? 'its first source'} to ${r.toRef}` : `${from}, with newer template commits or changed answers`;
}

function describe(r: ProjectSyncResult, flags: SyncFlags): string {
  if (flags.skip !== undefined) return `${r.skipped} skipped: ${r.written ? `recorded in ${MANIFEST_PATH} (commit it)` : 'already recorded'}; sync offers the next version after it`;
  if (r.skipped) return `up to date (${r.skipped} skipped by the team; a newer version will be offered)`;
  if (!r.behind) return 'up to date';
  const counts = new Map<string, number>();
  for (const o of r.outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'manifest only';
  if (flags.check) return `behind (${versionChange(r)}): ${parts}`;
  if (flags.dryRun) return `would sync ${versionChange(r)}: ${parts}`;
  return `synced ${versionChange(r)}: ${parts}`;
}

/** The report is stdout's, except in a dry run: there stdout is the diff, kept appliable. */
const reportLine = (flags: SyncFlags) => (flags.dryRun ? say : print);
const reportStyle = (flags: SyncFlags) => painter(flags.dryRun ? stderr : stdout);

function report(o: Outcome, flags: SyncFlags, many: boolean): void {
  const line = reportLine(flags);
  const p = reportStyle(flags);
  const name = path.relative(process.cwd(), o.dir) || '.';
  if (o.error) {
    line(`${p.bold(name)}: ${o.error}`);
    return;
  }
  const r = o.result!;
  for (const w of r.warnings ?? []) say(`${name}: warning: ${w}`);
  if (r.recovered?.length) say(`${name}: an interrupted run was rolled back first (${r.recovered.length} files restored).`);
  line(`${p.bold(name)}: ${describe(r, flags)}`);
  for (const st of r.steps ?? []) line(`  ${st.committed ? 'committed' : st.conflicts ? 'stopped  ' : 'nothing  '} ${st.from} -> ${st.to}${st.conflicts ? ` (${st.conflicts} conflict(s): resolve, commit, and run sync again to continue)` : ''}`);
  for (const u of r.unresolved ?? []) line(`  unresolved ${u.path}  (conflict markers at lines ${u.lines}: resolve them, then commit)`);
  const msg = painter(stderr);
  for (const a of r.newAnswers ?? []) {
    const how = a.origin === 'prompt' ? 'answered' : a.origin === 'default' ? 'its default' : `from ${a.origin}`;
    const where = flags.check || flags.dryRun ? 'would be recorded in the manifest; a real run asks, or needs --yes' : 'recorded in the manifest';
    say(`  new question ${a.key} = ${JSON.stringify(a.value)}${msg.dim(`  (${how}; ${where})`)}`);
  }
  if (!r.behind) return;
  // Release notes are read by a person, beside the messages: stderr, like them.
  const notePaint = painter(stderr);
  for (const n of r.notes ?? []) {
    say(`  ${notePaint.bold(`Release notes ${n.version}:`)}`);
    for (const l of n.notes.trimEnd().split('\n')) say(`    ${l}`);
  }
  for (const m of r.migrations ?? []) {
    const did = [
      ...m.move.map((x) => `move ${x.from} -> ${x.to}`),
      ...m.remove.map((x) => `remove ${x}`),
      ...Object.entries(m.answers.rename).map(([a, b]) => `answer ${a} -> ${b}`),
      ...Object.entries(m.answers.set).map(([k, v]) => `answer ${k} = ${JSON.stringify(v)}`),
      ...m.answers.drop.map((k) => `drop answer ${k}`),
    ];
    say(`  ${notePaint.bold(`Migration ${m.version}:`)}${did.length ? ` ${did.join('; ')}` : ''}`);
    for (const l of (m.notes ?? '').trimEnd().split('\n').filter((x, i) => x || i)) say(`    ${l}`);
  }
  line(p.dim(`  base: ${BASE_NAMES[r.base] ?? r.base}${r.baseDetail && r.base !== 'none' ? ` (${r.baseDetail})` : ''}`));
  for (const f of r.outcomes) {
    const where = f.from ? `${f.path} <- ${f.from}` : f.path;
    line(`  ${f.status.padEnd(9)} ${where}${f.note ? p.dim(`  (${f.note})`) : ''}`);
  }
  if (r.conflicts && !flags.check && !flags.dryRun) {
    line(`  ${r.conflicts} file(s) need you: resolve the conflicts (git status lists them), then commit.`);
  } else if (r.written && !many && !flags.branch) {
    line(p.dim('  Review with `git diff`, then commit.'));
  }
}

export async function syncCommand(dirs: string[], flags: SyncFlags): Promise<number> {
  // An empty value is a mistake, never a meaning: '' is not "the built-in template" or "no branch".
  if (flags.template === '') throw new InputError('--template: is empty; give a template folder or git repo (or leave the flag out to use the recorded source).');
  if (flags.branch === '') throw new InputError('--branch: is empty; give the name of a new branch.');
  if (flags.branch !== undefined && flags.branch.length > 200) throw new InputError(`--branch: is ${flags.branch.length} characters long; the limit is 200.`);
  if (flags.to === '') throw new InputError('--to: is empty; give a tag, branch or commit.');
  if (flags.conflict !== undefined && !['inline', 'diff3', 'merge', 'rej'].includes(flags.conflict)) {
    throw new InputError(`--conflict: "${flags.conflict}" must be inline (the same as diff3), diff3, merge or rej.`);
  }
  if (flags.check && flags.dryRun) throw new InputError('--check and --dry-run: give one of them.');
  if (flags.skip !== undefined) {
    const clash = (['check', 'dryRun', 'branch', 'to', 'summary'] as const).find((k) => flags[k] !== undefined && flags[k] !== false);
    if (clash) throw new InputError(`--skip: records a declined version and changes nothing else; leave out --${clash.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.`);
    if (flags.set.length) throw new InputError('--skip: records a declined version and changes nothing else; leave out --set.');
  }
  const targets = dirs.length ? dirs : ['.'];
  if (flags.branch && targets.length > 1) throw new InputError('--branch: give one project at a time.');
  const sets = await readProvidedAnswers(undefined, flags.set);
  // A question the newer version adds is asked on a terminal, for one project at a time only:
  // several projects run at once, and their prompts would interleave.
  const ask = targets.length === 1 && !flags.check && !flags.dryRun ? await askerFor(flags.yes) : undefined;
  const request: SyncOptions = {
    to: flags.to,
    template: flags.template,
    check: flags.check,
    dryRun: flags.dryRun,
    conflict: flags.conflict as SyncOptions['conflict'],
    allowDirty: flags.allowDirty,
    branch: flags.branch,
    prereleases: flags.prereleases,
    skip: flags.skip,
    recopy: flags.recopy,
    answers: sets.values,
    origins: sets.origins,
    yes: flags.yes,
    ask,
  };
  // Many projects take a while: a bar and a count on stderr (on a terminal only).
  const progress = startProgress(flags.check ? 'checking' : 'syncing', targets.length);
  const outcomes = await mapLimited(targets, 4, async (dir): Promise<Outcome> => {
    try {
      const result = await syncProjectByVersion(dir, request);
      return { dir: result.dir, result, exitCode: result.exitCode };
    } catch (e) {
      if (targets.length === 1) throw e;
      return { dir: path.resolve(dir), error: (e as Error).message, exitCode: exitCodeOf(e) };
    } finally {
      progress.step(dir);
    }
  }).finally(() => progress.done());
  const exitCode = Math.max(...outcomes.map((o) => o.exitCode));
  if (flags.summary) writeSummary(flags.summary, outcomes, flags);
  if (flags.json) {
    printJson({
      ok: exitCode === 0,
      command: 'sync',
      exitCode,
      // With --json, stdout holds this one object: a dry run's diff goes inside it, not after it.
      projects: outcomes.map((o) => ({ dir: o.dir, exitCode: o.exitCode, error: o.error, ...o.result })),
    });
  }
  for (const o of outcomes) {
    if (flags.json) continue;
    // The files people edit first; the manifest's hash lines, bookkeeping, last.
    if (o.result?.diff) write(showDiff(o.result.diff, [MANIFEST_PATH], painter(stdout)));
    // One write per run of lines to a stream, not one per line (the release notes are dozens).
    batched(() => report(o, flags, targets.length > 1));
  }
  if (targets.length > 1 && !flags.json) {
    const line = reportLine(flags);
    // One table for many projects: those that need a person first, with why.
    const rows = summaryRows(
      outcomes.map((o) => ({
        name: path.relative(process.cwd(), o.dir) || '.',
        error: o.error,
        exitCode: o.exitCode,
        version: o.result ? (o.result.behind ? versionChange(o.result) : o.result.to) : '-',
        behind: o.result?.behind === true,
        conflictPaths: o.result?.conflicts ? o.result.outcomes.filter((f) => f.status === 'conflict').map((f) => f.path) : [],
      })),
      flags.check ? 'behind' : flags.dryRun ? 'would sync' : 'synced',
    );
    const widths = [Math.max(7, ...rows.map((r) => r.name.length)), Math.max(7, ...rows.map((r) => r.version.length)), Math.max(6, ...rows.map((r) => r.result.length))];
    line('');
    line(`${'project'.padEnd(widths[0]!)}  ${'version'.padEnd(widths[1]!)}  ${'result'.padEnd(widths[2]!)}  why`.trimEnd());
    for (const r of rows) line(`${r.name.padEnd(widths[0]!)}  ${r.version.padEnd(widths[1]!)}  ${r.result.padEnd(widths[2]!)}  ${r.why}`.trimEnd());
    const failed = outcomes.filter((o) => o.error).length;
    const behind = outcomes.filter((o) => o.result?.behind).length;
    const conflicted = outcomes.filter((o) => o.result?.conflicts).length;
    line(`${targets.length} projects: ${targets.length - behind - failed} up to date, ${behind} ${flags.check ? 'behind' : flags.dryRun ? 'to sync' : 'synced'}${conflicted ? ` (${conflicted} with conflicts)` : ''}, ${failed} failed.`);
  }
  return exitCode;
}
