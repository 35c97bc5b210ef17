import { DomainError } from '../core/errors.js';
import { exitCodeOf } from './exit.js';
import { printJson, say, tolerateClosedStdout } from './output.js';

/**
 * The parser's errors, known by their code (commander.*): this file does not load the parser, so
 * that `jobs` and `job` in their plain forms start without it (./jobs-main.ts).
 */
function parserCode(e: unknown): string | undefined {
  const code: unknown = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('commander.') ? code : undefined;
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
    const code = parserCode(e);
    if (code) {
      if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
      if (json) printJson({ ok: false, exitCode: 2, error: (e as Error).message.replace(/^error: /, '') });
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
