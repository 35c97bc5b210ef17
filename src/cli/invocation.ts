import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { toolContext } from '../core/tool.js';

/**
 * How a "Next:" line should spell this tool so that it can be pasted. Run through npx, npm create
 * or a package script, `create-migration` is on PATH only for that run; the npx form always works,
 * and names this package at this exact version (never a bare or `@latest` name: the unscoped
 * `create-migration` on the registry is someone else's).
 */
export function selfCommand(env: NodeJS.ProcessEnv = process.env, onPath: (name: string) => boolean = isOnPath): string {
  const throughPackageRunner = Boolean(env.npm_command || env.npm_execpath || env.npm_config_user_agent);
  return !throughPackageRunner && onPath('create-migration') ? 'create-migration' : `npx ${toolContext().spec}`;
}

function isOnPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** A word as a POSIX shell reads it back unchanged: bare when it is plain, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_\/.,:@%+=-]+$/.test(word) && !word.startsWith('-')) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The Python to make the virtual environment with: the version the project asked for. */
export function pythonFor(version: unknown): string {
  return typeof version === 'string' && /^3\.\d{1,2}$/.test(version) ? `python${version}` : 'python3';
}
