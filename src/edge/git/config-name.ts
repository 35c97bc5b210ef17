/**
 * git's user.name read from its config files, so that a move starts no git process to learn who
 * makes it: the system file, the user's two files and the repository's own, the last one naming
 * it winning, as `git config user.name` answers. Where git could answer otherwise (includes,
 * environment that moves or adds config, quoting, a layout the walk does not know, another
 * platform) this says undefined and the caller asks git.
 */
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { commonDir, readRepoAt } from './files.js';
import { textOf, Unsure, userConfigFiles } from './git-config.js';

/** user.name as one file sets it (the last time it does), undefined when it does not. */
function nameIn(text: string): string | undefined {
  let inUser = false;
  let name: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    // A value continued on the next line makes that line no key of its own.
    if (line.endsWith('\\')) throw new Unsure();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = /^\[([A-Za-z0-9.-]+)(?:\s+"[^"\\]*")?\]\s*(?:[#;].*)?$/.exec(line);
      if (!m) throw new Unsure();
      if (/^include/i.test(m[1]!)) throw new Unsure();
      inUser = m[1]!.toLowerCase() === 'user' && !line.includes('"');
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(=\s*(.*))?$/.exec(line);
    if (!kv) throw new Unsure();
    if (!inUser || kv[1]!.toLowerCase() !== 'name') continue;
    // A bare key (true), quotes, escapes, continuations and tabs are git's to read.
    if (kv[2] === undefined || /["\\\t]/.test(kv[3]!)) throw new Unsure();
    name = kv[3]!.replace(/[#;].*$/, '').trim();
  }
  return name;
}

/** The repository git finds from `dir`: its config file, null for none, Unsure where git knows better. */
function repoConfig(dir: string): string | null {
  let here = path.resolve(dir);
  const dev = statSync(here).dev;
  for (;;) {
    const repo = readRepoAt(here);
    if (repo === undefined) throw new Unsure();
    if (repo) return path.join(commonDir(repo.gitDir), 'config');
    // A bare repository, or the walk leaving the file system (git stops there): git's to say.
    if (lstatSync(path.join(here, 'HEAD'), { throwIfNoEntry: false }) && lstatSync(path.join(here, 'objects'), { throwIfNoEntry: false })) throw new Unsure();
    const up = path.dirname(here);
    if (up === here) return null;
    if (statSync(up).dev !== dev) throw new Unsure();
    here = up;
  }
}

/**
 * What `git config user.name` prints in `dir` (trimmed; '' when no file names it), or undefined
 * when only git can say.
 */
export function userNameFromFiles(dir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const files = userConfigFiles(env);
  if (!files) return undefined;
  try {
    const repo = repoConfig(dir);
    if (repo) files.push(repo);
    let name = '';
    for (const f of files) {
      const text = textOf(f);
      // A repository with per-worktree config reads one more file.
      if (f === repo && /worktreeconfig/i.test(text)) return undefined;
      name = nameIn(text) ?? name;
    }
    return name;
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    if ((e as NodeJS.ErrnoException).code) return undefined;
    throw e;
  }
}
