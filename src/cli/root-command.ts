import { Command } from 'commander';
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
