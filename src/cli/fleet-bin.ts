import { boundary } from './boundary.js';
import { fleetCommand } from './commands/fleet.js';
import { quietFleetArgs } from '../boot/fleet-args.js';
import { endRun } from './output.js';
import { handToMain, type Entry } from './handoff.js';
import { undoOnSignals } from './signals.js';

// dist/fleet.js: `fleet` in its plain form (read by src/boot/fleet-args.ts), loaded by dist/cli.js
// (src/boot/launcher.ts) for such arguments only. It has no argument parser and, of the commands,
// only fleet: anything else it is given it hands, untouched, to dist/main.js. Ctrl-C stops the
// clones it runs and removes what they were writing, as in dist/main.js.
const stopUndoing = undoOnSignals();

export async function run(argv: string[], full?: () => Entry): Promise<void> {
  const quiet = quietFleetArgs(argv.slice(2));
  if (quiet) return endRun(await boundary(argv, () => fleetCommand(quiet.dirs, quiet.flags)));
  return handToMain(argv, full, stopUndoing);
}
