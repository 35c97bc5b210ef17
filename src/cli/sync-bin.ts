import { syncMain } from './sync-main.js';
import { undoOnSignals } from './signals.js';
import { allWrittenDirectly } from './output.js';

// dist/sync.js: `sync` and `recopy`, loaded by dist/cli.js (src/boot/launcher.ts) for those two
// commands only. A sync writes through the journal: Ctrl-C undoes it as in dist/main.js.
undoOnSignals();

export async function run(argv: string[]): Promise<void> {
  process.exitCode = await syncMain(argv);
  // All is done and written (the run awaits every write, process and clean-up it starts): end
  // here rather than let node take the heap down piece by piece first, which a natural end does
  // (~2 ms of a sync). 'exit' listeners still run. Output held by a node stream is let drain.
  if (allWrittenDirectly()) process.exit();
}
