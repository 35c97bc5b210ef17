import { boundary } from './boundary.js';
import { rootCommand } from './root-command.js';
import { syncCommands } from './sync-program.js';

/**
 * `sync` and `recopy` in a bundle of their own (dist/sync.js): the launcher loads it when the
 * first argument is one of them, so a sync starts without reading, and compiling from the code
 * cache, the code of every other command (assess, jobs, fleet, generate, status). The parser has
 * the same root, declarations and boundary as main.ts: the same help, errors and exit codes.
 */
export async function syncMain(argv: string[]): Promise<number> {
  return boundary(argv, async () => {
    let code = 0;
    const cli = rootCommand();
    syncCommands(cli, (c) => {
      code = c;
    });
    await cli.parseAsync(argv);
    return code;
  });
}
