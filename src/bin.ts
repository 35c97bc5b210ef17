import { main } from './cli.js';
import { interrupt } from './io/cleanup.js';

// The bundled CLI (dist/main.js), loaded by dist/cli.js (src/launcher.ts) once it knows that more
// than --help or --version is asked for.

// Ctrl-C outside a prompt (during writing): stop git, undo what was registered, then exit 130.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return; // a second Ctrl-C while undoing: the undo finishes first
    stopping = true;
    void interrupt().finally(() => {
      process.stderr.write('\ncreate-migration: cancelled; nothing was left behind.\n');
      process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1));
    });
  });
}

export async function run(argv: string[]): Promise<void> {
  process.exitCode = await main(argv);
}
