/** The CLI contract's exit codes, from the one place that maps errors to them (src/cli/exit.ts). */
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../src/cli/exit.js';
import { CancelledError, DomainError, InputError, MissingAnswersError, ProjectError } from '../src/core/errors.js';

describe('exitCodeOf', () => {
  it.each([
    ['bad input', new InputError('--set: "x" must be key=value.', 'set'), 2],
    ['missing answers', new MissingAnswersError(['owner']), 2],
    ['a path outside the project', new ProjectError('path', '../x', 'x: leaves the project'), 2],
    ['a lock held by another run', new ProjectError('lock', '.', 'another create-migration is working on it'), 2],
    ['Ctrl-C', new CancelledError(), 130],
    ['git hooks refusing the commit', new DomainError('hook-refused', 'your git hooks refused the commit'), 3],
    ['anything unforeseen', new Error('EIO'), 3],
    ['a thrown non-error', 'boom', 3],
  ])('%s exits %i', (_, error, code) => {
    expect(exitCodeOf(error)).toBe(code);
  });

  it('domain errors carry the offending key, never an exit code', () => {
    const e = new InputError('owner (--set): must not be empty.', 'owner');
    expect(e.key).toBe('owner');
    expect(e.kind).toBe('input');
    expect('exitCode' in e).toBe(false);
  });
});
