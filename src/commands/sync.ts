import path from 'node:path';
import { CliError, UsageError } from '../errors.js';
import { bold, dim, printJson, say } from '../output.js';
import { syncProject, type ProjectSyncResult, type SyncOptions } from '../sync/project.js';

export interface SyncFlags extends SyncOptions {
  json?: boolean;
}

const BASE_NAMES: Record<string, string> = {
  'pristine-branch': 'the migration-template branch',
  history: 'the generated commit in history',
  rendered: 'a fresh render of the recorded version',
  none: 'none: two-way mode, only files unchanged since the last render were updated',
};

type Outcome = { dir: string; result?: ProjectSyncResult; error?: string; exitCode: number };

/** Runs many projects concurrently: git is most of the work, so a few at a time keeps both cores busy. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function describe(r: ProjectSyncResult, flags: SyncFlags): string {
  if (!r.behind) return 'up to date';
  const counts = new Map<string, number>();
  for (const o of r.outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'manifest only';
  if (flags.check) return `behind (${r.from} -> ${r.to}): ${parts}`;
  if (flags.dryRun) return `would sync ${r.from} -> ${r.to}: ${parts}`;
  return `synced ${r.from} -> ${r.to}: ${parts}`;
}

function report(o: Outcome, flags: SyncFlags, many: boolean): void {
  const name = path.relative(process.cwd(), o.dir) || '.';
  if (o.error) {
    say(`${bold(name)}: ${o.error}`);
    return;
  }
  const r = o.result!;
  for (const w of r.warnings ?? []) say(`${name}: warning: ${w}`);
  if (r.recovered?.length) say(`${name}: an interrupted run was rolled back first (${r.recovered.length} files restored).`);
  say(`${bold(name)}: ${describe(r, flags)}`);
  for (const a of r.newAnswers ?? []) {
    const how = a.origin === 'prompt' ? 'answered' : a.origin === 'default' ? 'its default' : `from ${a.origin}`;
    const where = flags.check || flags.dryRun ? 'would be recorded in the manifest; a real run asks, or needs --yes' : 'recorded in the manifest';
    say(`  new question ${a.key} = ${JSON.stringify(a.value)}${dim(`  (${how}; ${where})`)}`);
  }
  if (!r.behind) return;
  say(dim(`  base: ${BASE_NAMES[r.base] ?? r.base}${r.baseDetail && r.base !== 'none' ? ` (${r.baseDetail})` : ''}`));
  for (const f of r.outcomes) {
    const where = f.from ? `${f.path} <- ${f.from}` : f.path;
    say(`  ${f.status.padEnd(9)} ${where}${f.note ? dim(`  (${f.note})`) : ''}`);
  }
  if (r.conflicts && !flags.check && !flags.dryRun) {
    say(`  ${r.conflicts} file(s) need you: resolve the conflicts (git status lists them), then commit.`);
  } else if (r.written && !many && !flags.branch) {
    say(dim('  Review with `git diff`, then commit.'));
  }
}

export async function syncCommand(dirs: string[], flags: SyncFlags): Promise<number> {
  // An empty value is a mistake, never a meaning: '' is not "the built-in template" or "no branch".
  if (flags.template === '') throw new UsageError('--template: is empty; give a template folder or git repo (or leave the flag out to use the recorded source).');
  if (flags.branch === '') throw new UsageError('--branch: is empty; give the name of a new branch.');
  if (flags.branch !== undefined && flags.branch.length > 200) throw new UsageError(`--branch: is ${flags.branch.length} characters long; the limit is 200.`);
  if (flags.to === '') throw new UsageError('--to: is empty; give a tag, branch or commit.');
  if (flags.conflict !== undefined && flags.conflict !== 'inline' && flags.conflict !== 'rej') {
    throw new UsageError(`--conflict: "${flags.conflict}" must be inline or rej.`);
  }
  if (flags.check && flags.dryRun) throw new UsageError('--check and --dry-run: give one of them.');
  const targets = dirs.length ? dirs : ['.'];
  if (flags.branch && targets.length > 1) throw new UsageError('--branch: give one project at a time.');
  // A question the newer version adds is asked on a terminal, for one project at a time only:
  // several projects run at once, and their prompts would interleave.
  const ask = targets.length === 1 && !flags.check && !flags.dryRun && !flags.yes && process.stdin.isTTY === true && process.stderr.isTTY === true ? (await import('../io/prompt.js')).terminalAsker : undefined;
  const outcomes = await mapLimited(targets, 4, async (dir): Promise<Outcome> => {
    try {
      const result = await syncProject(dir, { ...flags, ask });
      return { dir: result.dir, result, exitCode: result.exitCode };
    } catch (e) {
      if (targets.length === 1) throw e;
      const code = e instanceof CliError ? e.exitCode : 3;
      return { dir: path.resolve(dir), error: (e as Error).message, exitCode: code };
    }
  });
  const exitCode = Math.max(...outcomes.map((o) => o.exitCode));
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
    if (o.result?.diff) process.stdout.write(o.result.diff);
    report(o, flags, targets.length > 1);
  }
  if (targets.length > 1 && !flags.json) {
    // One table for many projects: where each stands, at a glance.
    const rows = outcomes.map((o) => [
      path.relative(process.cwd(), o.dir) || '.',
      o.result ? `${o.result.from} -> ${o.result.to}` : '-',
      o.error ? `failed (exit ${o.exitCode})` : o.result!.conflicts ? `${o.result!.conflicts} conflict(s)` : o.result!.behind ? (flags.check ? 'behind' : flags.dryRun ? 'would sync' : 'synced') : 'up to date',
    ]);
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), i ? 7 : 7));
    say('');
    say(`${'project'.padEnd(widths[0]!)}  ${'version'.padEnd(widths[1]!)}  result`);
    for (const r of rows) say(`${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`);
    const failed = outcomes.filter((o) => o.error).length;
    const behind = outcomes.filter((o) => o.result?.behind).length;
    const conflicted = outcomes.filter((o) => o.result?.conflicts).length;
    say(`${targets.length} projects: ${targets.length - behind - failed} up to date, ${behind} ${flags.check ? 'behind' : flags.dryRun ? 'to sync' : 'synced'}${conflicted ? ` (${conflicted} with conflicts)` : ''}, ${failed} failed.`);
  }
  return exitCode;
}
