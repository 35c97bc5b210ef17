import { jobsMain } from './jobs-main.js';
import { undoOnSignals } from './signals.js';
import { allWrittenDirectly } from './output.js';

// dist/jobs.js: `jobs` and `job`, loaded by dist/cli.js (src/boot/launcher.ts) for those two
// commands only. A move writes through the journal: Ctrl-C undoes it as in dist/main.js.
undoOnSignals();

export async function run(argv: string[]): Promise<void> {
  process.exitCode = await jobsMain(argv);
  // As dist/sync.js does (./sync-bin.ts): all is done and written, so end now rather than let node
  // take its heap down first (~2 ms). 'exit' listeners still run; output a node stream holds drains.
  if (allWrittenDirectly()) process.exit();
}
