import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initRepository } from '../src/edge/git/repo.js';
import { GitFailure, runGit } from '../src/edge/git/run.js';
import { tempDir } from './helpers/cli.js';

// Generate starts `git init` before it has read the template; when anything after fails, that git
// is stopped and the staging folder removed only once it has exited.
describe('git stopped by an abort signal', () => {
  it('a running git is killed, and the promise settles only once it has exited', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o700); // the credential cache wants a private folder for its socket
    const stop = new AbortController();
    // A git that waits on its socket until told to stop, with no process of its own: it ends only if killed.
    const running = runGit(dir, ['credential-cache--daemon', path.join(dir, 'socket')], undefined, undefined, undefined, stop.signal);
    setTimeout(() => stop.abort(), 100);
    const failure = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(GitFailure);
    expect((failure as GitFailure).code).toBeNull(); // ended by the signal, not by exiting
  });

  it('a signal aborted before git starts: no git runs, no repository is made', async () => {
    const dir = tempDir();
    const stop = new AbortController();
    stop.abort();
    await expect(initRepository(dir, stop.signal)).rejects.toThrow(/not started: cancelled/);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
  });

  it('without an abort, the new repository and its branch are as before', async () => {
    const dir = tempDir();
    const repo = await initRepository(dir, new AbortController().signal);
    expect(repo.head).toBe('refs/heads/main');
    expect(existsSync(path.join(dir, '.git/HEAD'))).toBe(true);
  });
});
