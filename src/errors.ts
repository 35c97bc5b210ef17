/**
 * Typed errors carry the exit code and a message written for a person.
 * Only the CLI entry catches them (see bin.ts).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input or usage: exit 2, nothing written. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Ctrl-C at a prompt or during work: exit 130, nothing left behind. */
export class CancelledError extends CliError {
  constructor(message = 'Cancelled.') {
    super(message, 130);
  }
}

/**
 * Input that would take a command outside the project's own files, or a project whose state it
 * cannot trust (a bad manifest key, a journal it did not write, a symlink on the way). `kind`
 * says which; `subject` is the offending path or key, for a caller that reports it its own way.
 */
export class ProjectError extends UsageError {
  constructor(
    readonly kind: 'path' | 'symlink' | 'manifest' | 'journal' | 'lock' | 'not-a-project',
    readonly subject: string,
    message: string,
  ) {
    super(message);
  }
}
