import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { commonDir } from './files.js';

/**
 * git's configuration as git itself reads it for a repository (the system file, the user's two
 * files, the repository's own), parsed in-process, and the author/committer identity it gives:
 * what `git var -l` prints, so that generate and sync write commits and reflog lines without a
 * git process. Only the plain forms are read; anything else (includes, quoting and escapes,
 * continued lines, environment that adds or moves config, per-worktree config, another platform,
 * an identity git would guess or clean up, a date from the environment) answers undefined, and
 * the caller asks git.
 */

/**
 * Environment that changes which config git reads, or where it finds the repository: what
 * /^GIT_(CONFIG(?!_NOSYSTEM$).*|DIR|WORK_TREE|COMMON_DIR|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM)$/
 * matches, by plain comparisons (every variable of the environment is looked at, each run).
 */
const MOVES_NAMED = new Set(['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM']);
export function movesConfig(name: string): boolean {
  if (MOVES_NAMED.has(name)) return true;
  if (!name.startsWith('GIT_CONFIG') || name === 'GIT_CONFIG_NOSYSTEM') return false;
  // As `.` in the expression: no line terminator after GIT_CONFIG.
  for (let i = 'GIT_CONFIG'.length; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

/** Thrown where git could read a file otherwise than this does: the caller asks git. */
export class Unsure extends Error {}

/**
 * Every setting, in the order git reads them: `section[.subsection].key` (section and key in
 * lower case, as git names them) and its value; null for a bare key (git's "true").
 */
export type GitConfig = [string, string | null][];

/** The file's text, '' when it does not exist; Unsure when it cannot be read. */
export function textOf(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw new Unsure();
  }
}

/** Git's own blanks: space and tab. */
const isBlank = (c: number) => c === 0x20 || c === 0x09;

/** `s` without the blanks at its end (and, with `start`, at its start). */
function trimBlanks(s: string, start = false): string {
  let a = 0;
  let b = s.length;
  if (start) while (a < b && isBlank(s.charCodeAt(a))) a++;
  while (b > a && isBlank(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const SECTION = /^\[([A-Za-z0-9-]+)(?:[ \t]+"([^"\\]*)")?\][ \t]*(?:[#;].*)?$/;
const KEY_VALUE = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*(=[ \t]*(.*))?$/;

/**
 * Each line's blanks, carriage return, comment and the characters refused are found with string
 * operations; a regular expression is each compiled on its first use (a config is read once a
 * run, and seven more of them were most of its cost). Only a section header and a setting are matched
 * by one: neither matches a line ending (\r, U+2028, U+2029) inside, so a value holds none.
 */
function parse(text: string, out: GitConfig): void {
  let section: string | undefined;
  for (const raw of text.split('\n')) {
    // Only git's own blanks (space, tab) are read as such; others are git's to judge.
    if (raw.includes('\v') || raw.includes('\f')) throw new Unsure();
    const line = trimBlanks(raw.endsWith('\r') ? raw.slice(0, -1) : raw, true);
    if (line.endsWith('\\')) throw new Unsure();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = SECTION.exec(line);
      if (!m) throw new Unsure();
      const name = m[1]!.toLowerCase();
      if (name === 'include' || name === 'includeif') throw new Unsure();
      section = m[2] === undefined ? name : `${name}.${m[2]}`;
      continue;
    }
    const kv = KEY_VALUE.exec(line);
    if (!kv || section === undefined) throw new Unsure();
    if (kv[2] === undefined) {
      out.push([`${section}.${kv[1]!.toLowerCase()}`, null]);
      continue;
    }
    const value = kv[3]!;
    if (value.includes('"') || value.includes('\\')) throw new Unsure();
    // A comment ends the value; whitespace around it goes, and each inside is one space.
    const hash = value.indexOf('#');
    const semi = value.indexOf(';');
    const end = hash < 0 ? semi : semi < 0 ? hash : Math.min(hash, semi);
    out.push([`${section}.${kv[1]!.toLowerCase()}`, trimBlanks(end < 0 ? value : value.slice(0, end)).replaceAll('\t', ' ')]);
  }
}

/**
 * The config files git reads before a repository's own, in its order (the system file, the
 * user's XDG file and ~/.gitconfig), or undefined where git would read others or elsewhere:
 * another platform, environment that moves or adds config, no HOME, a system file under
 * /usr/local (a git built there reads that one).
 */
export function userConfigFiles(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (process.platform !== 'linux' || Object.keys(env).some(movesConfig)) return undefined;
  const home = env.HOME;
  const noSystem = env.GIT_CONFIG_NOSYSTEM;
  if (!home || (noSystem !== undefined && !/^(1|true|yes|on)$/i.test(noSystem))) return undefined;
  try {
    if (noSystem === undefined && lstatSync('/usr/local/etc/gitconfig', { throwIfNoEntry: false })) return undefined;
  } catch {
    return undefined;
  }
  return [...(noSystem !== undefined ? [] : ['/etc/gitconfig']), path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'git/config'), path.join(home, '.gitconfig')];
}

/**
 * The settings git reads in the repository whose git folder is `gitDir` (a linked worktree's
 * common folder holds its config), or undefined when only git can say.
 */
export function readGitConfig(gitDir: string, env: NodeJS.ProcessEnv = process.env): GitConfig | undefined {
  const files = userConfigFiles(env);
  if (!files) return undefined;
  try {
    files.push(path.join(commonDir(gitDir), 'config'));
    const out: GitConfig = [];
    for (const f of files) parse(textOf(f), out);
    // Per-worktree config is one more file.
    if (out.some(([k]) => k === 'extensions.worktreeconfig')) return undefined;
    return out;
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

/** The last value set for `key` (lower case section and key): undefined unset, null bare. */
export function lastValue(config: GitConfig, key: string): string | null | undefined {
  let found: string | null | undefined;
  for (const [k, v] of config) if (k === key) found = v;
  return found;
}

/** A time zone the JavaScript engine and the C library read alike: unset, or an IANA name. */
function plainTimeZone(tz: string | undefined): boolean {
  return tz === undefined || /^:?[A-Za-z]+(?:[/_-][A-Za-z]+)*(?:\/[A-Za-z_]+)*$/.test(tz);
}

/** git's "+0100" for the local offset at `seconds`. */
export function localZone(seconds: number): string {
  const minutes = -new Date(seconds * 1000).getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

// Characters git strips from the ends of a name or address, and the three it removes inside.
const CRUD_END = /^[\x00-\x20.,:;<>"\\']|[\x00-\x20.,:;<>"\\']$/;
const CRUD_IN = /[\n<>]/;

/**
 * `Name <email> <seconds> <zone>` as git makes the author's or committer's identity for a commit
 * or a reflog line at `seconds`, or undefined when git would take it from somewhere this does not
 * read (a guessed name or address, a date in the environment) or would change what it found.
 */
export function gitIdent(config: GitConfig, who: 'author' | 'committer', seconds: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const WHO = who.toUpperCase();
  if (env[`GIT_${WHO}_DATE`] !== undefined || !plainTimeZone(env.TZ)) return undefined;
  const name = env[`GIT_${WHO}_NAME`] ?? lastValue(config, `${who}.name`) ?? lastValue(config, 'user.name');
  let email = env[`GIT_${WHO}_EMAIL`] ?? lastValue(config, `${who}.email`) ?? lastValue(config, 'user.email');
  if (email === undefined && env.EMAIL) email = env.EMAIL;
  if (!name || !email) return undefined;
  if ([name, email].some((v) => CRUD_END.test(v) || CRUD_IN.test(v))) return undefined;
  return `${name} <${email}> ${seconds} ${localZone(seconds)}`;
}

/** What `git var -l` prints that generate reads: both identities, then every setting as key=value. */
export function varsFromConfig(config: GitConfig, seconds: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const author = gitIdent(config, 'author', seconds, env);
  const committer = gitIdent(config, 'committer', seconds, env);
  if (!author || !committer) return undefined;
  return [`GIT_COMMITTER_IDENT=${committer}`, `GIT_AUTHOR_IDENT=${author}`, ...config.map(([k, v]) => (v === null ? k : `${k}=${v}`))].join('\n') + '\n';
}
