import { main } from './main.js';
import { undoOnSignals } from './signals.js';
import { endRun } from './output.js';

// dist/generate.js: a new project made without questions (`create-migration <dir> --yes`), loaded by
// dist/cli.js (src/boot/launcher.ts) for such arguments only. It has main.ts's parser, every
// command declared (the same help, errors and exit codes), but of the commands' code only
// generate's: any other command reached hands the run, untouched, to dist/main.js (./handoff.ts).
const stopUndoing = undoOnSignals();

type Entry = { run(argv: string[]): Promise<void> };

export async function run(argv: string[], full?: () => Entry): Promise<void> {
  const code = await main(argv);
  if (code !== undefined) return endRun(code);
  if (!full) {
    process.stderr.write('create-migration: failed: this command needs dist/main.js; run dist/cli.js\n');
    return endRun(3);
  }
  // dist/main.js undoes what it writes on Ctrl-C itself; this bundle registered nothing to undo.
  stopUndoing();
  return full().run(argv);
}
