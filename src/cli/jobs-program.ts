import type { Command } from 'commander';
import type { JobFlags, JobsFlags } from './commands/jobs.js';

export interface JobActions {
  jobs(flags: JobsFlags): Promise<number>;
  job(id: string, flags: JobFlags): Promise<number>;
}

/** The commands themselves, loaded when one is run. */
export const jobActions: JobActions = {
  jobs: async (flags) => (await import('./commands/jobs.js')).jobsCommand(flags),
  job: async (id, flags) => (await import('./commands/jobs.js')).jobCommand(id, flags),
};

/** `jobs` and `job`, declared once for both bundles that answer them (main.ts, jobs-main.ts). */
export function jobCommands(cli: Command, done: (code: number) => void, actions: JobActions = jobActions): void {
  cli
    .command('jobs')
    .description("the project's legacy jobs by state, with owner, schedule, days in state and parity evidence")
    .option('--project <dir>', 'the project (default: .)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags) => done(await actions.jobs(flags)));

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
    .action(async (id, flags) => done(await actions.job(id, flags)));
}
