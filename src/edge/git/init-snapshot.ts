import { createHash } from 'node:crypto';
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { userCacheDir } from '../template-cache.js';
import path from 'node:path';
import { textOf, userConfigFiles } from './git-config.js';
import { INITIAL_BRANCH } from './refs.js';
import { readSealed, writeSealed } from '../sealed-index.js';

/**
 * A new repository without a `git init` process, where what git would write is known for certain.
 *
 * `git init` copies its template folder into .git (hooks/*.sample, info/exclude, description,
 * ...: each file 0777 or 0666 as the template's is executable or not, each folder 0777, less the
 * umask), then makes objects/ and refs/ and writes HEAD and config (whose core settings it finds
 * by probing the file system). The first generate under a given git, config, file system and
 * umask runs git, and records what it wrote: the template folder it copied (its listing, proved
 * to be what git copied, file by file, mode by mode) and the rest (folders, HEAD, config, as
 * written). Later ones under the same conditions copy the template folder as git does and write
 * the rest as recorded. The record is named by all of those conditions: the git found on PATH (its
 * real path, size, times and inode), the config files git reads (their whole text), the file
 * system (device) of the new repository, the umask, the branch, and git's environment variables
 * (but the commit identities and dates). Anything else answers undefined and git runs: another
 * platform, a variable that moves the repository, its template or git's programs, a config
 * with includes or a template folder of its own, a template folder that is not where git's installation keeps it,
 * or that holds a link, CREATE_MIGRATION_GIT_WRITE=git, CREATE_MIGRATION_NO_CACHE.
 */

const FORMAT = 1;
const KEEP = 16;

/** git's variables that only name commits: not in the record's name (every other one is). */
const COMMIT_ENV = /^GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE)$/;
/** git's variables that move the repository or its template, or set config beside the files (`git -c`, GIT_CONFIG_COUNT): git runs. */
const MOVES = /^GIT_(DIR|WORK_TREE|COMMON_DIR|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|INDEX_FILE|TEMPLATE_DIR|EXEC_PATH|DEFAULT_HASH|DEFAULT_REF_FORMAT|CONFIG_COUNT|CONFIG_PARAMETERS)$/;

interface Conditions {
  key: string;
  /** Where git's installation keeps its template folder. */
  template: string;
  umask: number;
}

interface Snapshot {
  format: number;
  /** The template folder's listing, `d path` or `f path` (parents first), as git copied it. */
  template?: string[];
  /** What git wrote beside the template's: folders, and files with their text. */
  dirs?: string[];
  files?: [string, string][];
  /** These conditions make what git writes not known here: git runs. */
  refused?: true;
}

/** The first `git` on PATH, as the system's execvp finds it; undefined when PATH is unset or relative. */
function gitOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = env.PATH?.split(':');
  if (!dirs?.length) return undefined;
  for (const dir of dirs) {
    if (!path.isAbsolute(dir)) return undefined;
    const file = path.join(dir, 'git');
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The conditions git would make a repository in `dir` under, named; undefined where git must say. */
function conditions(dir: string, env: NodeJS.ProcessEnv): Conditions | undefined {
  if (env.CREATE_MIGRATION_GIT_WRITE === 'git' || env.CREATE_MIGRATION_NO_CACHE) return undefined;
  if (Object.keys(env).some((k) => MOVES.test(k))) return undefined;
  const gitEnv = Object.entries(env)
    .filter(([k]) => k.startsWith('GIT_') && !COMMIT_ENV.test(k))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const files = userConfigFiles(env);
  if (!files) return undefined;
  try {
    const texts = files.map(textOf);
    if (texts.some((t) => /include|templatedir/i.test(t))) return undefined;
    const found = gitOnPath(env);
    if (!found) return undefined;
    const git = realpathSync(found);
    const st = statSync(git);
    const umask = process.umask();
    const named = [FORMAT, git, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.dev, gitEnv, files, texts, statSync(dir).dev, umask, INITIAL_BRANCH];
    return { key: createHash('sha256').update(JSON.stringify(named)).digest('hex'), template: path.join(path.dirname(path.dirname(git)), 'share/git-core/templates'), umask };
  } catch {
    return undefined;
  }
}

function snapshotFile(key: string, env: NodeJS.ProcessEnv): string {
  return path.join(userCacheDir('git-init', env), `${key}.json`);
}

/** Every entry under `root` (`d path` / `f path`, parents first); undefined when one is neither a folder nor a file. */
function listing(root: string, rel = '', out: string[] = []): string[] | undefined {
  const entries = readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.push(`d ${p}`);
      if (!listing(root, p, out)) return undefined;
    } else if (e.isFile()) out.push(`f ${p}`);
    else return undefined;
  }
  return out;
}

/** A relative path of plain names (no `.`, `..` or empty part): what git init writes in .git. */
function insideGitDir(rel: unknown): boolean {
  return typeof rel === 'string' && rel.split('/').every((part) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(part));
}

/** The mode git gives a file it copies from its template folder (copy_file: executable or not), less the umask. */
const copiedMode = (templateMode: number, umask: number) => ((templateMode & 0o111 ? 0o777 : 0o666) & ~umask) >>> 0;

function mkdirOnce(dir: string): void {
  try {
    mkdirSync(dir, 0o777);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/**
 * Makes `dir/.git` as `git -c init.defaultBranch=<INITIAL_BRANCH> init` would, without git, when
 * that is known for these conditions: 'made'. Otherwise git is to run, and then `record(dir)`
 * (given when these conditions can be recorded) keeps what it wrote for the next time.
 */
export function initWithoutGit(dir: string, env: NodeJS.ProcessEnv = process.env): { made: true } | { made: false; record?: () => void } {
  const c = conditions(dir, env);
  if (!c) return { made: false };
  const file = snapshotFile(c.key, env);
  // A record is trusted only as the other caches are: private to this user and sealed (a record
  // someone else could write would put their config, and so their commands, into the new .git).
  const snap = readSealed(path.dirname(file), file) as Snapshot | undefined;
  if (!snap || typeof snap !== 'object') return { made: false, record: () => record(dir, c, file) };
  if (snap.format !== FORMAT || snap.refused || !Array.isArray(snap.template) || !Array.isArray(snap.dirs) || !Array.isArray(snap.files)) return { made: false };
  // The record is a file in the user's cache: only plain names inside .git are written from it.
  if (!snap.dirs.every(insideGitDir) || !snap.files.every((f) => Array.isArray(f) && insideGitDir(f[0]) && typeof f[1] === 'string')) return { made: false };
  const gitDir = path.join(dir, '.git');
  let now: string[] | undefined;
  try {
    // The template folder as it is now: the listing git was seen to copy, or git runs (and is recorded again).
    now = listing(c.template);
    if (!now || now.join('\n') !== snap.template.join('\n')) return { made: false, record: () => record(dir, c, file) };
    mkdirSync(gitDir, 0o777);
  } catch {
    return { made: false };
  }
  // From here on .git is this run's: on any failure it goes, and git makes it.
  try {
    for (const entry of now) {
      const rel = entry.slice(2);
      const to = path.join(gitDir, rel);
      if (entry[0] === 'd') mkdirSync(to, 0o777);
      else {
        const from = path.join(c.template, rel);
        writeFileSync(to, readFileSync(from), { flag: 'wx', mode: statSync(from).mode & 0o111 ? 0o777 : 0o666 });
      }
    }
    for (const d of snap.dirs) mkdirOnce(path.join(gitDir, d));
    for (const [rel, text] of snap.files) writeFileSync(path.join(gitDir, rel), text, { flag: 'wx', mode: 0o666, encoding: 'latin1' });
    return { made: true };
  } catch {
    rmSync(gitDir, { recursive: true, force: true });
    return { made: false };
  }
}

/**
 * Keeps what `git init` wrote in `dir/.git` under conditions `c`, once it is proved to be the
 * template folder copied as git copies it, and folders and files made as git makes them; else
 * that these conditions are git's to handle. Never throws: the repository is made either way.
 */
function record(dir: string, c: Conditions, file: string): void {
  const gitDir = path.join(dir, '.git');
  let snap: Snapshot = { format: FORMAT, refused: true };
  try {
    // No template folder where git's installation would keep it (a git elsewhere, a wrapper):
    // nothing to record, and nothing to look at again next time.
    if (!lstatSync(c.template, { throwIfNoEntry: false })?.isDirectory()) return;
    const made = listing(gitDir);
    const template = listing(c.template);
    if (made && template && templateCopied(gitDir, c, template)) {
      const fromTemplate = new Set(template);
      const rest = made.filter((e) => !fromTemplate.has(e));
      const dirs = rest.filter((e) => e[0] === 'd').map((e) => e.slice(2));
      const files = rest.filter((e) => e[0] === 'f').map((e) => e.slice(2));
      const plain = dirs.every((d) => (lstatSync(path.join(gitDir, d)).mode & 0o7777) === (0o777 & ~c.umask)) && files.every((f) => (lstatSync(path.join(gitDir, f)).mode & 0o7777) === (0o666 & ~c.umask));
      if (plain) snap = { format: FORMAT, template, dirs, files: files.map((f) => [f, readFileSync(path.join(gitDir, f), 'latin1')]) };
    }
  } catch {
    // refused
  }
  try {
    const folder = path.dirname(file);
    writeSealed(folder, file, snap, false);
    // A few records at most (one a git, config and file system in use): the oldest go.
    const names = readdirSync(folder).filter((n) => n.endsWith('.json'));
    if (names.length > KEEP) {
      const old = names.map((n) => ({ n, t: statSync(path.join(folder, n)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { n } of old.slice(0, names.length - KEEP)) rmSync(path.join(folder, n), { force: true });
    }
  } catch {
    // no cache: git runs next time too
  }
}

/** Whether `.git` holds every entry of the template folder as git copies it: same type, same bytes, git's mode. */
function templateCopied(gitDir: string, c: Conditions, template: string[]): boolean {
  for (const entry of template) {
    const rel = entry.slice(2);
    // git reads a template's config (and HEAD) in its own way: not a plain copy.
    if (rel === 'config' || rel === 'HEAD') return false;
    const st = lstatSync(path.join(gitDir, rel), { throwIfNoEntry: false });
    if (!st) return false;
    if (entry[0] === 'd') {
      if (!st.isDirectory() || (st.mode & 0o7777) !== (0o777 & ~c.umask)) return false;
      continue;
    }
    const from = path.join(c.template, rel);
    if (!st.isFile() || (st.mode & 0o7777) !== copiedMode(statSync(from).mode, c.umask)) return false;
    if (!readFileSync(path.join(gitDir, rel)).equals(readFileSync(from))) return false;
  }
  return true;
}
