/**
 * IO edge of `fleet --repos`: each URL is cloned once into the user's cache (full history,
 * so the pristine branch sync needs comes along) and refreshed on later runs. Every clone and
 * fetch is bounded in time (a server that accepts and never answers stops being waited for); a
 * clone that fails, times out or is interrupted leaves nothing behind, and no git is left
 * running; credentials in a URL never reach a message.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { userCacheDir } from './template-cache.js';
import path from 'node:path';
import { hideCredentials, secretsOf } from '../core/credentials.js';
import { boundMs } from './bounds.js';
import { isInterrupted, onInterrupt, trackChild } from './cleanup.js';
import { killsItsGroup } from './process-group.js';

export function fleetCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir('fleet', env);
}

/**
 * One git command against a remote. git runs in a process group of its own, so that the helpers
 * it starts (git-remote-https, ssh, index-pack) are stopped with it: when the time bound passes,
 * and when the run is interrupted (the CLI stops tracked children, then runs the undo steps).
 */
function git(args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (isInterrupted()) return reject(new Error('not started: interrupted'));
    const limit = boundMs('network');
    // ext:: runs commands; a file in --repos must not be able to ask for it.
    const child = spawn('git', ['-c', 'protocol.ext.allow=never', ...args], {
      cwd,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes' },
    });
    // An interrupt stops the whole group, not git alone: git waits for its helpers, and a helper
    // blocked on a silent server would hold it until the grace period ends.
    const killGroup = killsItsGroup(child);
    trackChild(child);
    const unregister = onInterrupt(() => killGroup('SIGKILL'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGKILL');
    }, limit);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      unregister();
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      unregister();
      // Helpers git started may outlive it for a moment: none is left running.
      killGroup('SIGKILL');
      if (code === 0) resolve();
      else if (timedOut) reject(new Error(`git ${args[0]} took longer than ${limit / 1000} s (set CREATE_MIGRATION_TIMEOUT_NETWORK to allow more)`));
      else reject(new Error(err.trim().split('\n').at(-1) || `git exit ${code}`));
    });
  });
}

/** A URL cloned twice in one run (two lines of one file) is cloned once: both rows read it. */
const inFlight = new Map<string, Promise<string>>();

/** The local copy of `url`, cloned or brought up to date. */
export function cachedClone(url: string, cacheDir = fleetCacheDir()): Promise<string> {
  const key = `${cacheDir}\0${url}`;
  let p = inFlight.get(key);
  if (!p) {
    p = cloneOrFetch(url, cacheDir);
    inFlight.set(key, p);
  }
  return p;
}

async function cloneOrFetch(url: string, cacheDir: string): Promise<string> {
  const name = createHash('sha256').update(url).digest('hex').slice(0, 20);
  const dir = path.join(cacheDir, name);
  const secrets = secretsOf(url);
  const scrub = (e: Error) => new Error(hideCredentials(e.message, secrets));
  if (existsSync(path.join(dir, '.git'))) {
    try {
      await git(['fetch', '--quiet', '--prune', '--tags', 'origin', '+refs/heads/*:refs/remotes/origin/*'], dir);
      // The copy is the cache's own: it follows the remote's default branch exactly.
      await git(['reset', '--quiet', '--hard', 'refs/remotes/origin/HEAD'], dir);
      return dir;
    } catch (e) {
      throw scrub(e as Error);
    }
  }
  mkdirSync(cacheDir, { recursive: true });
  // A name of this run's own: two runs, or two lines, never share a half-made clone.
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const remove = () => rmSync(tmp, { recursive: true, force: true });
  const unregister = onInterrupt(remove);
  try {
    await git(['clone', '--quiet', '--', url, tmp]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return dir;
  } catch (e) {
    remove();
    throw scrub(e as Error);
  } finally {
    unregister();
  }
}
