import { main } from './main.js';
import { undoOnSignals } from './signals.js';
import { endRun } from './output.js';

// The bundled CLI (dist/main.js), loaded by dist/cli.js (src/boot/launcher.ts) once it knows that more
// than --help or --version is asked for (and that it is not `jobs` or `job`, ./jobs-bin.ts, nor `sync`
// or `recopy`, ./sync-bin.ts).
undoOnSignals();

export async function run(argv: string[]): Promise<void> {
  endRun(await main(argv));
}
