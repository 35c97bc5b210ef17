/**
 * Errors in the terms of the domain: what went wrong (`kind`) and what it was about (`key`: the
 * answer key, template field, file or path), with a message written for a person. None carries
 * an exit code or knows a flag: the CLI's one error boundary (src/cli/exit.ts) turns a kind into
 * an exit code, and names the flag the user typed.
 */
export type ErrorKind =
  /** Bad input: an answer, a template, a manifest, an argument. Nothing was written. */
  | 'input'
  /** Answers nobody gave, with no terminal to ask on (`keys` lists them). */
  | 'missing-answers'
  /** Ctrl-C at a prompt or during work; nothing left behind. */
  | 'cancelled'
  /** The user's git hooks refused a commit the run needed; the run was rolled back. Not bad input. */
  | 'hook-refused'
  | ProjectErrorKind;

export type ProjectErrorKind = 'path' | 'symlink' | 'special' | 'too-large' | 'manifest' | 'journal' | 'lock' | 'not-a-project';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: the message names the field, flag or file and what was wrong; nothing written. */
export class InputError extends DomainError {
  constructor(message: string, key?: string) {
    super('input', message, key);
  }
}

/** Ctrl-C at a prompt or during work. */
export class CancelledError extends DomainError {
  constructor(message = 'cancelled; nothing was left behind.') {
    super('cancelled', message);
  }
}

/**
 * Input that would take a command outside the project's own files, or a project whose state it
 * cannot trust (a bad manifest key, a journal it did not write, a symlink on the way). `kind`
 * says which; `subject` is the offending path or key, for a caller that reports it its own way.
 */
export class ProjectError extends DomainError {
  constructor(
    override readonly kind: ProjectErrorKind,
    readonly subject: string,
    message: string,
  ) {
    super(kind, message, subject);
  }
}

/**
 * Answers nobody gave, with no terminal to ask on. The command layer, which knows its flags,
 * says how to give them (see src/cli/main.ts); this message only names the keys.
 */
export class MissingAnswersError extends DomainError {
  constructor(readonly keys: string[]) {
    super('missing-answers', `Missing answers for: ${keys.join(', ')}. There is no terminal to ask on.`, keys[0]);
  }
}

/** Whether `e` is bad input of any kind (a value, a template, a project's state): what exit 2 means. */
export function isBadInput(e: unknown): e is DomainError {
  return e instanceof DomainError && e.kind !== 'cancelled' && e.kind !== 'hook-refused';
}
