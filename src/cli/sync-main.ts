import { boundary } from './boundary.js';
import { quietSyncArgs } from './sync-args.js';

/**
 * `sync` and `recopy` in a bundle of their own (dist/sync.js): the launcher loads it when the
 * first argument is one of them, so a sync starts without reading, and compiling from the code
 * cache, the code of every other command (assess, jobs, fleet, generate, status). A sync in its
 * plain form (./sync-args.ts) runs without the argument parser; anything else goes through it,
 * with the same root, declarations and boundary as main.ts: the same help, errors and exit codes.
 */
export async function syncMain(argv: string[]): Promise<number> {
  return boundary(argv, async () => {
    const quiet = quietSyncArgs(argv.slice(2));
    if (quiet) {
      const { syncCommand } = await import('./commands/sync.js');
      return syncCommand(quiet.dirs, quiet.flags);
    }
    const [{ rootCommand }, { syncCommands }] = await Promise.all([import('./root-command.js'), import('./sync-program.js')]);
    let code = 0;
    const cli = rootCommand();
    syncCommands(cli, (c) => {
      code = c;
    });
    await cli.parseAsync(argv);
    return code;
  });
}
