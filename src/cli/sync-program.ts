import type { Command } from 'commander';
import type { SyncFlags } from './commands/sync.js';

const collect = (v: string, acc: string[]) => [...acc, v];

/** What to type, first: sync's help page ends with these (as every page does, see main.ts). */
const SYNC_EXAMPLES = [
  'create-migration sync                        # the project in this folder',
  'create-migration sync --check                # in CI: exit 1 when the project is behind',
  'create-migration sync --dry-run --to 1.2.0',
  'create-migration sync --branch template-update --summary pr-body.md',
  'create-migration sync --set database_kind=mysql',
];

/** What the parser hands sync and recopy to (a test gives its own, to see what was parsed). */
export type SyncAction = (dirs: string[], flags: SyncFlags) => Promise<number>;

const runSync: SyncAction = async (dirs, flags) => {
  const { syncCommand } = await import('./commands/sync.js');
  return syncCommand(dirs, flags);
};

/**
 * `sync` and `recopy`, declared once for both bundles that answer them: dist/main.js (every
 * command) and dist/sync.js (the launcher loads it when the first argument is one of them, see
 * sync-main.ts), so their help, errors and exit codes are the same whichever answers.
 */
export function syncCommands(cli: Command, done: (code: number) => void, action: SyncAction = runSync): void {
  cli
    .command('sync')
    .description("bring projects up to their template's newer version (a three-way merge that keeps every edit)")
    .argument('[dir...]', 'projects to sync (default: .)')
    .option('--to <ref>', 'target template version (default: newest release tag, else HEAD)')
    .option('--prereleases', 'count pre-release tags (v2.0.0-rc.1) as versions to move to')
    .option('--skip <version>', 'record that the team declines this template version: --check passes over it, the next one is offered')
    .option('--template <src>', 'use another source than the one recorded in the project')
    .option('--check', 'write nothing; exit 1 if a project is behind')
    .option('--dry-run', 'write nothing; print the unified diff sync would apply')
    .option('--conflict <inline|diff3|merge|rej>', "inline: conflict markers in the file, git's diff3 style with the base section (diff3: the same); merge: markers without the base section; rej: the file keeps your version, the template's hunks go to <file>.rej", 'inline')
    .option('--allow-dirty', 'run even with uncommitted changes')
    .option('--branch <name>', 'create this branch and commit the sync on it')
    .option('--set <key=value>', 'change an answer; files that depend on it are re-rendered (repeatable)', collect, [])
    .option('--summary <file>', 'write a Markdown summary of what sync did (or would do): the update PR body')
    .option('-y, --yes', "take the default of a question the newer version adds; never prompt")
    .option('--json', 'print one JSON object on stdout')
    .action(async (dirs, flags) => {
      done(await action(dirs, flags));
    });

  cli
    .command('recopy')
    .description('rebuild from the template at the recorded answers and merge with your files (a project whose base is lost or broken)')
    .argument('[dir...]', 'projects to recopy (default: .)')
    .option('--to <ref>', 'template version (default: newest release tag, else HEAD)')
    .option('--prereleases', 'count pre-release tags as versions to move to')
    .option('--template <src>', 'use another source than the one recorded in the project')
    .option('--dry-run', 'write nothing; print the unified diff recopy would apply')
    .option('--conflict <inline|diff3|merge|rej>', 'inline (diff3: markers with the base section), merge (without it), or rej', 'inline')
    .option('--allow-dirty', 'run even with uncommitted changes')
    .option('--branch <name>', 'create this branch and commit the recopy on it')
    .option('--set <key=value>', 'change an answer (repeatable)', collect, [])
    .option('--summary <file>', 'write a Markdown summary of what recopy did (or would do)')
    .option('-y, --yes', 'take the default of a question the template adds; never prompt')
    .option('--json', 'print one JSON object on stdout')
    .action(async (dirs, flags) => {
      done(await action(dirs, { ...flags, recopy: true }));
    });
  const sync = cli.commands.find((c) => c.name() === 'sync')!;
  sync.addHelpText('after', `\nExamples:\n${SYNC_EXAMPLES.map((l) => `  $ ${l}`).join('\n')}\n`);
}
