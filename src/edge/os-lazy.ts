/**
 * node:os, loaded on first use: a start that finds $HOME set never loads it (~0.4 ms). The bundles
 * are CommonJS; the sources (under test) ask node for the module.
 */
type Os = typeof import('node:os');
let loaded: Os | undefined;

function os(): Os {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (typeof require === 'function') return (loaded = require('node:os') as Os);
  return (loaded = (process as unknown as { getBuiltinModule: (id: string) => Os }).getBuiltinModule('node:os'));
}

/** What os.homedir() answers: on POSIX libuv gives $HOME whenever it is set (even empty), else the password entry's. */
export function homeDir(): string {
  const home = process.env.HOME;
  return home !== undefined && process.platform !== 'win32' ? home : os().homedir();
}

/** os.tmpdir(). */
export const tmpDir = (): string => os().tmpdir();
