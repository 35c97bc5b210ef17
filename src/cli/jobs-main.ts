import { boundary, rootCommand } from './boundary.js';
import { jobCommands } from './jobs-program.js';

/**
 * `jobs` and `job <id> --to ...` in a bundle of their own (dist/jobs.js): the launcher loads it
 * when the first argument is one of them, so a look at the jobs or a move starts without
 * loading sync, rendering, assess and the prompts. Same root, same declarations, same boundary
 * as main.ts: the same help, errors and exit codes.
 */
export async function jobsMain(argv: string[]): Promise<number> {
  return boundary(argv, async () => {
    let code = 0;
    const cli = rootCommand();
    jobCommands(cli, (c) => {
      code = c;
    });
    await cli.parseAsync(argv);
    return code;
  });
}
