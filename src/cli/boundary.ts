import { Command, CommanderError } from 'commander';
import { DomainError } from '../core/errors.js';
import { exitCodeOf } from './exit.js';
import { printJson, say, tolerateClosedStdout } from './output.js';
import { VERSION } from '../core/version.js';

/**
 * The parser's root as every bundle makes it (dist/main.js, and dist/jobs.js for `jobs` and
 * `job`): the same settings, so that a command's help, errors and exit codes do not depend on
 * which bundle the launcher loaded.
 */
export function rootCommand(): Command {
  return (
    new Command('create-migration')
      .description('Generate a Kailash SDK migration project, and keep it in step with its template.')
      .version(VERSION, '-v, --version')
      .exitOverride()
      // Options belong to the command they follow: `sync --dry-run` is sync's, not generate's.
      .enablePositionalOptions()
      .showHelpAfterError('(run with --help for usage)')
  );
}

/**
 * The one error boundary: `parse` runs the command and gives its exit code; domain errors become
 * their exit codes (exit.ts), everything else exits 3.
 */
export async function boundary(argv: string[], parse: () => Promise<number>): Promise<number> {
  tolerateClosedStdout();
  const json = argv.includes('--json');
  try {
    return await parse();
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (json) printJson({ ok: false, exitCode: 2, error: e.message.replace(/^error: /, '') });
      return 2; // commander already printed the message
    }
    if (e instanceof DomainError) {
      const code = exitCodeOf(e);
      say(`create-migration: ${e.message}`);
      if (json) printJson({ ok: false, exitCode: code, error: e.message });
      return code;
    }
    const err = e as Error;
    say(`create-migration: failed: ${err.message}`);
    if (process.env.DEBUG) say(err.stack);
    if (json) printJson({ ok: false, exitCode: exitCodeOf(err), error: err.message });
    return exitCodeOf(err);
  }
}
