import { main } from './main.js';
import { undoOnSignals } from './signals.js';
import { allWrittenDirectly } from './output.js';

// The bundled CLI (dist/main.js), loaded by dist/cli.js (src/boot/launcher.ts) once it knows that more
// than --help or --version is asked for (and that it is not `jobs` or `job`: ./jobs-bin.ts).
undoOnSignals();

export async function run(argv: string[]): Promise<void> {
  process.exitCode = await main(argv);
  // As dist/sync.js does (./sync-bin.ts): all is done and written, so end now rather than let node
  // take its heap down first (~2 ms). 'exit' listeners still run; output a node stream holds drains.
  if (allWrittenDirectly()) process.exit();
}
