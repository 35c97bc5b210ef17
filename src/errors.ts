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
