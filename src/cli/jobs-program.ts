import type { Command } from 'commander';

/** `jobs` and `job`, declared once for both bundles that answer them (main.ts, jobs-main.ts). */
export function jobCommands(cli: Command, done: (code: number) => void): void {
  cli
    .command('jobs')
    .description("the project's legacy jobs by state, with owner, schedule, days in state and parity evidence")
    .option('--project <dir>', 'the project (default: .)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags) => {
      const { jobsCommand } = await import('./commands/jobs.js');
      done(await jobsCommand(flags));
    });

  cli
    .command('job')
    .description('move a job through the cutover (edits jobs.yaml and its CronJob; gated)')
    .argument('<id>', "the job's id in jobs.yaml")
    .requiredOption('--to <state>', 'inventoried | ported | parallel | switched | legacy_off | decommissioned')
    .option('--reason <text>', 'why (needed for a rollback and with --force; recorded)')
    .option('--force', 'move past a gate that does not hold (needs --reason; recorded)')
    .option('--by <name>', 'who moves it (default: git user.name, else $USER)')
    .option('--project <dir>', 'the project (default: .)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (id, flags) => {
      const { jobCommand } = await import('./commands/jobs.js');
      done(await jobCommand(id, flags));
    });
}
