import { DomainError, type ErrorKind } from '../core/errors.js';

/** The exit code of each kind of domain error (the CLI contract in README.md: 2 bad input, 130 cancelled). */
const EXIT_CODES: Record<ErrorKind, number> = {
  input: 2,
  'missing-answers': 2,
  cancelled: 130,
  // A failed run, as any unforeseen failure: nothing of it stays, and it is not bad input.
  'hook-refused': 3,
  path: 2,
  symlink: 2,
  // A FIFO, socket or device where a file goes: never opened (a FIFO would block forever).
  special: 2,
  // A project file over the read-only session's bound (src/edge/project/reader.ts): never read whole.
  'too-large': 2,
  manifest: 2,
  journal: 2,
  lock: 2,
  'not-a-project': 2,
};

/** A failure nobody foresaw: exit 3. */
export const UNEXPECTED = 3;

/** The one mapping from an error to the exit code the CLI ends with (main.ts, and sync's per-project lines). */
export function exitCodeOf(e: unknown): number {
  return e instanceof DomainError ? EXIT_CODES[e.kind] : UNEXPECTED;
}
