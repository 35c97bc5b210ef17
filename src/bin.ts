import { readFileSync } from 'node:fs';
import { runInterruptCleanups } from './io/cleanup.js';
import { VERSION } from './version.js';

// Ctrl-C outside a prompt (during writing): undo what was registered, then exit 130.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    runInterruptCleanups();
    process.stderr.write('\ncreate-migration: cancelled; nothing was left behind.\n');
    process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * `create-migration --help` and `--version` answer without loading the argument parser, which
 * costs about as much again as starting node. The help text is what the parser itself printed
 * when the package was built (dist/help.txt); without it, the parser runs as for anything else.
 */
function answerWithoutParser(args: string[]): boolean {
  if (args.length !== 1) return false;
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return true;
  }
  if (args[0] !== '--help' && args[0] !== '-h') return false;
  try {
    process.stdout.write(readFileSync(new URL('./help.txt', import.meta.url)));
    return true;
  } catch {
    return false;
  }
}

if (!answerWithoutParser(process.argv.slice(2))) {
  const { main } = await import('./cli.js');
  process.exitCode = await main(process.argv);
}
