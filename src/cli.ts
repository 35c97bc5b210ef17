import { Command, CommanderError } from 'commander';
import { CliError } from './errors.js';
import { printJson, say } from './output.js';
import { VERSION } from './version.js';

const collect = (v: string, acc: string[]) => [...acc, v];

function program(): Command {
  const cli = new Command('create-migration')
    .description('Generate a Kailash SDK migration project, and keep it in step with its template.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    // Options belong to the command they follow: `sync --dry-run` is sync's, not generate's.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)');

  cli
    .argument('[dir]', 'folder to create (default: ./legacy-migration, or the project_name answer)')
    .option('--template <src>', 'template folder, or git repo path/URL with optional #ref (default: built-in)')
    .option('--answers <file>', 'answers as JSON or YAML')
    .option('--set <key=value>', 'one answer (repeatable)', collect, [])
    .option('-y, --yes', 'take defaults for everything not given; never prompt')
    .option('--no-git', 'do not git init / commit')
    .option('--force', 'allow a non-empty target folder (never overwrites a file)')
    .option('--dry-run', 'print every file it would write; write nothing')
    .option('--json', 'print one JSON object on stdout')
    .action(async (dir, flags) => {
      const { generateCommand } = await import('./commands/generate.js');
      exitCode = await generateCommand(dir, flags);
    });

  cli
    .command('sync')
    .description("bring projects up to their template's newer version (a three-way merge that keeps every edit)")
    .argument('[dir...]', 'projects to sync (default: .)')
    .option('--to <ref>', 'target template version (default: newest semver tag, else HEAD)')
    .option('--template <src>', 'use another source than the one recorded in the project')
    .option('--check', 'write nothing; exit 1 if a project is behind')
    .option('--dry-run', 'write nothing; print the unified diff sync would apply')
    .option('--conflict <style>', 'inline conflict markers, or rej files beside untouched regions', 'inline')
    .option('--allow-dirty', 'run even with uncommitted changes')
    .option('--branch <name>', 'create this branch and commit the sync on it')
    .option('--set <key=value>', 'change an answer; files that depend on it are re-rendered (repeatable)', collect, [])
    .option('--json', 'print one JSON object on stdout')
    .action(async (dirs, flags) => {
      const { syncCommand } = await import('./commands/sync.js');
      exitCode = await syncCommand(dirs, flags);
    });

  cli
    .command('status')
    .description('progress per phase, counted from the checklists')
    .argument('[dir]', 'the project (default: .)')
    .option('--write', "update the progress lines in README.md's status table and TASKS.md")
    .option('--html <file>', 'write a self-contained progress page')
    .option('--json', 'print one JSON object on stdout')
    .action(async (dir, flags) => {
      const { statusCommand } = await import('./commands/status.js');
      exitCode = await statusCommand(dir, flags);
    });

  return cli;
}

let exitCode = 0;

/** The one error boundary: typed errors become their exit codes, everything else exits 3. */
export async function main(argv: string[]): Promise<number> {
  exitCode = 0;
  const json = argv.includes('--json');
  try {
    await program().parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (json) printJson({ ok: false, exitCode: 2, error: e.message.replace(/^error: /, '') });
      return 2; // commander already printed the message
    }
    if (e instanceof CliError) {
      say(`create-migration: ${e.message}`);
      if (json) printJson({ ok: false, exitCode: e.exitCode, error: e.message });
      return e.exitCode;
    }
    const err = e as Error;
    say(`create-migration: failed: ${err.message}`);
    if (process.env.DEBUG) say(err.stack);
    if (json) printJson({ ok: false, exitCode: 3, error: err.message });
    return 3;
  }
}

