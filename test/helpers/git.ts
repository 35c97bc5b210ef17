import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, testEnv } from './cli.js';

export function sh(cwd: string, cmd: string, ...args: string[]): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

export const gitIn = (cwd: string, ...args: string[]) => sh(cwd, 'git', ...args);

/** Edits a file in place with a function of its text. */
export function edit(file: string, fn: (text: string) => string): void {
  writeFileSync(file, fn(readFileSync(file, 'utf8')));
}

/**
 * The built-in template as a git repo tagged v1.0.0, and a v1.1.0 made by `change` (which edits
 * files/ under the repo); as a platform team would keep their copy of it.
 */
export function builtinTemplateRepo(dir: string, change: (repo: string) => void): string {
  cpSync(path.join(ROOT, 'templates/kailash-migration'), dir, { recursive: true });
  // The built-in template as version 1.0.0, whatever version it is at now: its release notes of
  // later versions go too (a test writes its own for 1.1.0).
  edit(path.join(dir, 'template.yaml'), (t) =>
    t.replace(/^version: .*$/m, 'version: 1.0.0').replace(/^ {2}"(?!1\.0\.0")[^"]+": \|\n(?: {4}.*\n|\n)*/gm, ''),
  );
  gitIn(dir, 'init', '-q');
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-qm', 'v1.0.0');
  gitIn(dir, 'tag', 'v1.0.0');
  edit(path.join(dir, 'template.yaml'), (t) => t.replace(/^version: .*$/m, 'version: 1.1.0'));
  change(dir);
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-qm', 'v1.1.0');
  gitIn(dir, 'tag', 'v1.1.0');
  return dir;
}

/**
 * A `git` for the front of PATH that records each call (its arguments, one line each) and then
 * runs the real one: `env` puts it first, `calls` reads what ran.
 */
export function recordingGit(root: string): { bin: string; env: Record<string, string>; calls: () => string[] } {
  const bin = path.join(root, 'bin');
  const log = path.join(root, 'git-calls.log');
  mkdirSync(bin);
  const real = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'git')).find((g) => existsSync(g));
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  return {
    bin,
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
