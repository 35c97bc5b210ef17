import { syncMain } from './sync-main.js';
import { undoOnSignals } from './signals.js';
import { endRun } from './output.js';

// dist/sync.js: `sync` and `recopy`, loaded by dist/cli.js (src/boot/launcher.ts) for those two
// commands only. A sync writes through the journal: Ctrl-C undoes it as in dist/main.js.
undoOnSignals();

export async function run(argv: string[]): Promise<void> {
  endRun(await syncMain(argv));
}
