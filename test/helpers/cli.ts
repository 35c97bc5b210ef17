import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, lstatSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(ROOT, 'dist/cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the run was stopped for taking longer than `timeoutMs`. */
  timedOut?: boolean;
}

/** Environment for spawned tools: deterministic git, no CA bundle cost, no colours. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'Test User',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test User',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Spawns the built CLI as a user would, with stdin closed (no terminal). */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = { cwd: ROOT }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: testEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    // A run that hangs (blocked on a FIFO, a silent server) is stopped, and the test says so.
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ...(timedOut ? { timedOut } : {}) });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A temp folder removed when the test ends. */
export function tempDir(prefix = 'cm-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // Made in a beforeAll hook: it lives for the whole file.
    process.on('exit', remove);
  }
  return dir;
}

/** Every file under dir (including .git when asked) with a content hash: to prove nothing changed. */
export function snapshot(dir: string, withGit = true): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (!withGit && r === '.git') continue;
      const st = lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) {
        out[r] = `link:${readlinkSync(path.join(dir, r))}`;
      } else if (st.isDirectory()) {
        out[`${r}/`] = 'dir';
        walk(r);
      } else if (!st.isFile()) {
        out[r] = 'special'; // a FIFO or socket: opening it could block the test
      } else {
        out[r] = createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex') + `:${st.mode}`;
      }
    }
  };
  walk('');
  return out;
}

/** Lists the files under dir (no .git), '/'-separated, sorted. */
export function listFiles(dir: string): string[] {
  return Object.keys(snapshot(dir, false))
    .filter((k) => !k.endsWith('/'))
    .sort();
}

export type Signal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

/** Runs the CLI until it says `hold <point>`, sends the signal, and waits for it to end. */
export function holdAndSignal(args: string[], cwd: string, point: string, signal: Signal): Promise<{ code: number | null; signal: string | null; stderr: string; held: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: testEnv({ CREATE_MIGRATION_HOLD: point }), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let held = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!held && stderr.includes(`hold ${point}\n`)) {
        held = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig, stderr, held }));
  });
}
