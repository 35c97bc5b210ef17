/**
 * IO edge of `fleet --repos`: each URL is cloned once into the user's cache (full history,
 * so the pristine branch sync needs comes along) and refreshed on later runs. A clone that
 * fails leaves nothing behind; credentials in a URL never reach a message.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactUrl } from '../core/fleet/repos-file.js';

export function fleetCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'create-migration', 'fleet');
}

function git(args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // ext:: runs commands; a file in --repos must not be able to ask for it.
    const child = spawn('git', ['-c', 'protocol.ext.allow=never', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err.trim().split('\n').at(-1) || `git exit ${code}`))));
  });
}

/** The local copy of `url`, cloned or brought up to date. */
export async function cachedClone(url: string, cacheDir = fleetCacheDir()): Promise<string> {
  const name = createHash('sha256').update(url).digest('hex').slice(0, 20);
  const dir = path.join(cacheDir, name);
  const scrub = (e: Error) => new Error(e.message.split(url).join(redactUrl(url)));
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
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await git(['clone', '--quiet', '--', url, tmp]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return dir;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw scrub(e as Error);
  }
}
