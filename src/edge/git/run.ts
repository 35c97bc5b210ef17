import { spawn } from 'node:child_process';
import { killsItsGroup } from '../process-group.js';
import { isInterrupted, trackChild } from '../cleanup.js';

/**
 * Starting git. Every git process the CLI starts goes through runGit (or objects.ts's
 * catFileBatch), so an interrupt stops it and none starts once the run is being undone; the
 * rest of src/edge/git/ says what to ask: refs.ts (branches, tags, HEAD), objects.ts (blobs,
 * trees, fast-import), worktree.ts (the index, status, the user's commit), repo.ts (where a
 * repository is, making one, cloning), and files.ts (the same answers read from .git, no process).
 */

/** The git command in an argument list, past `-c key=value` options. */
function subcommand(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return args[0] ?? '';
}

/**
 * The git work sync does for itself (checkout, branch, fast-import, update-ref, reset, ...) is
 * not the user's: their hooks (post-checkout, reference-transaction, post-commit) must not run
 * for it, nor fail it. Only the commit the user asks for with --branch runs their hooks.
 */
export const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

/** Git environment that never takes optional locks: --check and --dry-run must not even refresh the index. */
export const READ_ONLY_ENV = { GIT_OPTIONAL_LOCKS: '0' };

/** Runs git with optional stdin and returns stdout as bytes; every git process the CLI starts goes through here (or catFileBatch, or runGit for the user's own commit), so an interrupt can stop it. */
export function gitBytes(cwd: string, args: string[], input?: Uint8Array, env?: Record<string, string>, signal?: AbortSignal): Promise<Buffer> {
  return runGit(cwd, [...NO_HOOKS, ...args], input, env, undefined, signal);
}

export async function gitText(cwd: string, args: string[], input?: Uint8Array): Promise<string> {
  return (await gitBytes(cwd, args, input, READ_ONLY_ENV)).toString('utf8');
}

/** A git command that failed, with what it printed (a hook's own words among it). */
export class GitFailure extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
    readonly code: number | null,
  ) {
    super(`git ${command} failed: ${output || `exit ${code}`}`);
  }
}

/**
 * Runs git as given (no NO_HOOKS added: the user's own commit runs their hooks); a `timeoutMs` run
 * is a network step, stopped whole when it overruns. Aborting `signal` stops git (SIGTERM) and the
 * promise settles only once it has exited, so that what it was writing can then be removed.
 */
export function runGit(cwd: string, args: string[], input?: Uint8Array, env?: Record<string, string>, timeoutMs?: number, signal?: AbortSignal): Promise<Buffer> {
  // git starts before this returns: a caller may start git, then render while it runs.
  return new Promise((resolve, reject) => {
    // Once interrupted, the run is being undone: no new git work may start.
    if (isInterrupted()) return reject(new Error(`git ${subcommand(args)} not started: interrupted`));
    if (signal?.aborted) return reject(new Error(`git ${subcommand(args)} not started: cancelled`));
    // A network step runs in a group of its own, stopped whole (with git's remote helpers).
    const child = spawn('git', args, { cwd, detached: timeoutMs !== undefined, stdio: ['pipe', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    const killGroup = timeoutMs === undefined ? undefined : killsItsGroup(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    trackChild(child);
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    // A network step (a clone of a template URL) is bounded: a server that never answers is left.
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      killGroup?.('SIGKILL');
      if (code === 0) resolve(Buffer.concat(out));
      else if (timedOut) reject(new GitFailure(subcommand(args), `no answer within ${timeoutMs! / 1000} s (set CREATE_MIGRATION_TIMEOUT_NETWORK to allow more)`, code));
      else reject(new GitFailure(subcommand(args), `${Buffer.concat(err).toString()}${Buffer.concat(out).toString()}`.trim(), code));
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all input; its exit code tells
    child.stdin.end(input);
  });
}

/** Used only when the user has no git identity configured, so a commit never fails for it. */
export const FALLBACK_IDENTITY = ['-c', 'user.name=create-migration', '-c', 'user.email=create-migration@localhost'];
export const NO_IDENTITY = /tell me who you are|user\.email|empty ident/i;

/** A commit with the user's identity, or ours when they have none configured. */
export async function commitWithIdentity(dir: string, args: string[]): Promise<void> {
  await gitBytes(dir, args).catch((e: Error) => {
    if (!NO_IDENTITY.test(e.message)) throw e;
    return gitBytes(dir, [...FALLBACK_IDENTITY, ...args]);
  });
}
