import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, testEnv } from './cli.js';

export interface Step {
  expect: string;
  send: string;
  timeout?: number;
  /** Seconds to wait after the match before typing (default 0.05). */
  delay?: number;
}

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', space: ' ', ctrlC: '\x03', backspace: '\x7f', esc: '\x1b' };

/** Runs the built CLI in a real pseudo-terminal, typing each step's keys when its prompt shows. */
export function runInPty(cwd: string, args: string[], steps: Step[]): { code: number | null; failedAt: string | null; transcript: string } {
  const stepsFile = path.join(cwd, '.pty-steps.json');
  writeFileSync(stepsFile, JSON.stringify(steps));
  const driver = new URL('./pty_drive.py', import.meta.url).pathname;
  const r = spawnSync('python3', [driver, stepsFile, cwd, '--', process.execPath, CLI, ...args], {
    encoding: 'utf8',
    env: testEnv(),
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { code: number | null; failed_at: string | null; transcript: string };
  return { code: out.code, failedAt: out.failed_at, transcript: out.transcript };
}
