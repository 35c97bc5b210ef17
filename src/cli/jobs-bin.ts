import { jobsMain } from './jobs-main.js';
import { undoOnSignals } from './signals.js';
import { endRun } from './output.js';

// dist/jobs.js: `jobs` and `job`, loaded by dist/cli.js (src/boot/launcher.ts) for those two
// commands only. A move writes through the journal: Ctrl-C undoes it as in dist/main.js.
undoOnSignals();

export async function run(argv: string[]): Promise<void> {
  endRun(await jobsMain(argv));
}
