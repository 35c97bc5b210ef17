import { boundary } from './boundary.js';
import { generateCommand } from './commands/generate.js';
import { namingFlags, setFlag } from './flag-naming.js';
import { quietGenerateArgs } from '../boot/generate-args.js';
import { handToMain, NotInThisBundle, type Entry } from './handoff.js';
import { undoOnSignals } from './signals.js';
import { endRun } from './output.js';

// dist/generate.js: a new project in its plain form (`create-migration <dir> --yes`, read by
// src/boot/generate-args.ts), loaded by dist/cli.js (src/boot/launcher.ts) for such arguments only. It
// has no argument parser and, of the commands, only generate: anything else it is given (or
// --assess, which it does not carry) it hands, untouched, to dist/main.js (./handoff.ts).
const stopUndoing = undoOnSignals();

export async function run(argv: string[], full?: () => Entry): Promise<void> {
  const quiet = quietGenerateArgs(argv.slice(2));
  let elsewhere = !quiet;
  const code = quiet
    ? await boundary(argv, async () => {
        try {
          return await namingFlags(setFlag, () => generateCommand(quiet.dir, quiet.flags));
        } catch (e) {
          if (!(e instanceof NotInThisBundle)) throw e;
          elsewhere = true;
          return 0;
        }
      })
    : 0;
  if (!elsewhere) return endRun(code);
  return handToMain(argv, full, stopUndoing);
}
