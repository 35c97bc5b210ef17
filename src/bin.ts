import { main } from './cli.js';
import { runInterruptCleanups } from './io/cleanup.js';

// The bundled CLI (dist/main.js), loaded by dist/cli.js (src/launcher.ts) once it knows that more
// than --help or --version is asked for.

// Ctrl-C outside a prompt (during writing): undo what was registered, then exit 130.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    runInterruptCleanups();
    process.stderr.write('\ncreate-migration: cancelled; nothing was left behind.\n');
    process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1));
  });
}

export async function run(argv: string[]): Promise<void> {
  process.exitCode = await main(argv);
}
