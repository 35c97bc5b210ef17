import { boundary } from './boundary.js';
import { quickJobArgs } from './jobs-args.js';
import { jobActions, jobCommands } from './jobs-program.js';

/**
 * `jobs` and `job <id> --to ...` in a bundle of their own (dist/jobs.js): the launcher loads it
 * when the first argument is one of them, so a look at the jobs or a move starts without
 * loading sync, rendering, assess and the prompts. Their plain forms run without the argument
 * parser; anything else goes through it, with the same root, declarations and boundary as
 * main.ts: the same help, errors and exit codes.
 */
export async function jobsMain(argv: string[]): Promise<number> {
  return boundary(argv, async () => {
    const quick = quickJobArgs(argv.slice(2));
    if (quick) return quick.command === 'jobs' ? jobActions.jobs(quick.flags) : jobActions.job(quick.id, quick.flags);
    const { rootCommand } = await import('./root-command.js');
    let code = 0;
    const cli = rootCommand();
    jobCommands(cli, (c) => {
      code = c;
    });
    await cli.parseAsync(argv);
    return code;
  });
}
