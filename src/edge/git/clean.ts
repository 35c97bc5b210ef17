import { lstatSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { commonDir, readRepoAt } from './files.js';
import { ObjectFiles, commitFiles } from './object-files.js';
import { readOrNone } from '../fs-quiet.js';
import { objectId } from './object-id.js';
import { hashHex } from '../../core/sha256.js';
import { configMatches, words } from './config-scan.js';
import { homeDir } from '../os-lazy.js';

/**
 * Whether a work tree is clean in the sense of `git status --untracked-files=no` printing nothing,
 * proved from git's files without starting git: HEAD's tree equals the index (every path, mode
 * and id), and every indexed file is as the index recorded it (its stat data, not newer than the
 * index itself, or else its content hashes to the recorded id). Answers only `true` (proved
 * clean) or `undefined` (not proved: ask git, which also says what changed). Anything that could
 * make git judge a file otherwise is left to git: content filters and line-ending conversion
 * (any attributes file, or such a setting in any config), symbolic links, submodules, flagged,
 * unmerged or sparse entries, an index this does not read, environment overrides.
 */

// A filter applies only where an attributes file names it, and any attributes file is left to git.
const SETTINGS_GIT_ASKS = /^\s*(autocrlf|eol|safecrlf|attributesfile|fsmonitor|sparsecheckout|splitindex|worktree|bare\s*=\s*true|objectformat)\b|^\s*\[\s*(include|includeif|extensions)\b/im;
/** The lines it can match, for the quick look in front of it (./config-scan.ts). */
const SETTINGS_STARTS = [
  ...words(['autocrlf', 'eol', 'safecrlf', 'attributesfile', 'fsmonitor', 'sparsecheckout', 'splitindex', 'worktree'], '\\b'),
  ['bare', '=', 'true', '\\b'],
  ['objectformat', '\\b'],
  ...['include', 'includeif', 'extensions'].map((w) => ['[', w, '\\b']),
];

interface IndexEntry {
  path: string;
  mode: number;
  sha: string;
  ctimeS: number;
  ctimeN: number;
  mtimeS: number;
  mtimeN: number;
  dev: number;
  ino: number;
  uid: number;
  gid: number;
  size: number;
}

/**
 * The index's stage-0 entries (version 2 or 3, SHA-1), and the tree its cache of trees says they
 * make (when that cache is valid for all of them), or undefined for anything else.
 */
function readIndex(data: Buffer): { entries: IndexEntry[]; tree?: string } | undefined {
  if (data.length < 32 || data.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = data.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  // The trailing checksum proves the index was read whole, as git wrote it.
  const end = data.length - 20;
  if (hashHex('sha1', data.subarray(0, end)) !== data.toString('hex', end)) return undefined;
  const count = data.readUInt32BE(8);
  // Read by hand: a dozen numbers an entry, and Buffer's readers are a call each (run cold, once).
  const u32 = (o: number) => ((data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!) >>> 0;
  const entries: IndexEntry[] = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    const start = at;
    if (at + 62 > end) return undefined;
    const flags = (data[at + 60]! << 8) | data[at + 61]!;
    // assume-valid, extended flags (skip-worktree, intent-to-add), a stage other than 0: git's to judge.
    if (flags & 0xf000) return undefined;
    const nul = data.indexOf(0, at + 62);
    if (nul < 0 || nul >= end) return undefined;
    const name = data.toString('utf8', at + 62, nul);
    if ((flags & 0xfff) !== 0xfff && (flags & 0xfff) !== nul - at - 62) return undefined;
    entries.push({
      path: name,
      ctimeS: u32(at),
      ctimeN: u32(at + 4),
      mtimeS: u32(at + 8),
      mtimeN: u32(at + 12),
      dev: u32(at + 16),
      ino: u32(at + 20),
      mode: u32(at + 24),
      uid: u32(at + 28),
      gid: u32(at + 32),
      size: u32(at + 36),
      sha: data.toString('hex', at + 40, at + 60),
    });
    at = start + ((62 + nul - at - 62 + 8) & ~7);
  }
  // Extensions: only the cache of trees ("TREE") and the resolve-undo record ("REUC") leave the entries as they are.
  let tree: string | undefined;
  while (at + 8 <= end) {
    const sig = data.toString('latin1', at, at + 4);
    if (sig !== 'TREE' && sig !== 'REUC') return undefined;
    const size = data.readUInt32BE(at + 4);
    if (sig === 'TREE' && size >= 2) {
      // Its first record is the top: "" NUL, entry count, space, subtree count, newline, then the
      // tree id when the count is not -1 (valid). Valid for every entry: the index makes that tree.
      const header = /^\0(-?\d+) (\d+)\n/.exec(data.toString('latin1', at + 8, Math.min(at + 8 + 32, end)));
      if (header && Number(header[1]) === entries.length) {
        const idAt = at + 8 + header[0].length;
        if (idAt + 20 <= at + 8 + size) tree = data.toString('hex', idAt, idAt + 20);
      }
    }
    at += 8 + size;
  }
  return at === end ? { entries, tree } : undefined;
}

/** The commit HEAD names, from the files; undefined when unborn, symbolic further, or not plain. */
function headCommit(gitDir: string, common: string): string | undefined {
  const head = readOrNone(path.join(gitDir, 'HEAD'), 'utf8')?.trim();
  if (!head) return undefined;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.includes('..')) return undefined;
  const loose = readOrNone(path.join(common, ref), 'utf8')?.trim();
  if (loose !== undefined) return /^[0-9a-f]{40}$/.test(loose) ? loose : undefined;
  for (const line of (readOrNone(path.join(common, 'packed-refs'), 'utf8') ?? '').split('\n')) {
    if (line.endsWith(` ${ref}`) && /^[0-9a-f]{40} /.test(line)) return line.slice(0, 40);
  }
  return undefined;
}

/** HEAD's tree as path -> "mode sha"; undefined when an object is not read here. */
function treeFiles(objects: ObjectFiles, commit: string): Map<string, string> | undefined {
  const files = commitFiles(objects, commit);
  return files && new Map(files.map((f) => [f.path, `${f.mode} ${f.sha}`]));
}

/** Whether the settings git reads (system, user, repository) leave file contents and status as they are. */
function settingsArePlain(common: string, env: NodeJS.ProcessEnv): boolean {
  if (env.GIT_CONFIG_PARAMETERS || env.GIT_CONFIG_COUNT || env.GIT_CONFIG) return false;
  const home = env.HOME ?? homeDir();
  const xdg = env.XDG_CONFIG_HOME || path.join(home, '.config');
  // Every file git may read is looked at (one it skips, under GIT_CONFIG_NOSYSTEM, only adds caution).
  const configs = ['/etc/gitconfig', path.join(xdg, 'git/config'), path.join(home, '.gitconfig'), path.join(common, 'config'), path.join(common, 'config.worktree')];
  for (const f of [env.GIT_CONFIG_GLOBAL, env.GIT_CONFIG_SYSTEM]) if (f) configs.push(f);
  if (configs.some((f) => configMatches(readOrNone(f, 'utf8') ?? '', SETTINGS_STARTS, SETTINGS_GIT_ASKS))) return false;
  // Attributes beside the repository's, that could name a filter or a line ending.
  return [path.join(common, 'info/attributes'), path.join(xdg, 'git/attributes'), '/etc/gitattributes'].every((f) => !lstatSync(f, { throwIfNoEntry: false }));
}

/** `path.join(root, p)`, joined by hand for the plain paths git's index holds (no empty, `.` or `..` part). */
function inRoot(root: string, p: string): string {
  const plain = p !== '' && p[0] !== '/' && p[0] !== '.' && !p.endsWith('/') && !p.includes('//') && !p.includes('/.') && path.sep === '/';
  return plain ? `${root.endsWith('/') ? root : `${root}/`}${p}` : path.join(root, p);
}

const sameStat = (e: IndexEntry, st: BigIntStats) =>
  Number(st.mtimeMs / 1000n) === e.mtimeS &&
  Number(st.mtimeNs % 1_000_000_000n) === e.mtimeN &&
  Number(st.ctimeMs / 1000n) === e.ctimeS &&
  Number(st.ctimeNs % 1_000_000_000n) === e.ctimeN &&
  Number(st.ino & 0xffffffffn) === e.ino &&
  Number(st.dev & 0xffffffffn) === e.dev &&
  Number(st.uid) === e.uid &&
  Number(st.gid) === e.gid &&
  Number(st.size & 0xffffffffn) === e.size;

/**
 * True when `git status --porcelain --untracked-files=no` run at `root` (the top of its work
 * tree) would print nothing; undefined when that is not proved here (see the module comment).
 * `known` may give files already read (their bytes as on disk now), so they are not read again.
 */
export function provedClean(
  root: string,
  known: ReadonlyMap<string, Uint8Array> = new Map(),
  env: NodeJS.ProcessEnv = process.env,
  /** The stat data of the open file a known file's bytes were read from (then it is not looked at again). */
  statOf?: (bytes: Uint8Array) => BigIntStats | undefined,
): true | undefined {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_INDEX_FILE || env.GIT_OBJECT_DIRECTORY || env.GIT_COMMON_DIR) return undefined;
  const repo = readRepoAt(root, env);
  if (!repo) return undefined;
  const common = commonDir(repo.gitDir);
  if (!settingsArePlain(common, env)) return undefined;
  const indexFile = path.join(repo.gitDir, 'index');
  const indexStat = lstatSync(indexFile, { bigint: true, throwIfNoEntry: false });
  const data = indexStat?.isFile() ? readOrNone(indexFile) : undefined;
  const index = data && readIndex(data);
  if (!index) return undefined;
  const { entries } = index;
  const commit = headCommit(repo.gitDir, common);
  const objects = commit ? ObjectFiles.open(repo.gitDir, { each: 64 << 20, total: 1 << 30 }, env) : undefined;
  if (!objects) return undefined;
  try {
    // The index's cache of trees, when it names HEAD's tree, says the index is HEAD (as git
    // status takes it); else HEAD's tree is walked and compared entry by entry.
    const top = objects.read(commit!);
    const headTree = top?.type === 'commit' ? /^tree ([0-9a-f]{40})\n/.exec(top.body.toString('latin1', 0, 46))?.[1] : undefined;
    if (!headTree) return undefined;
    const head = index.tree !== undefined && index.tree === headTree ? undefined : treeFiles(objects, commit!);
    if (head ? head.size !== entries.length : index.tree !== headTree) return undefined;
    for (const e of entries) {
      const mode = e.mode === 0o100644 ? '100644' : e.mode === 0o100755 ? '100755' : undefined;
      // Symbolic links and submodules are git's to compare; so is an attributes file (it may convert).
      if (!mode || e.path === '.gitattributes' || e.path.endsWith('/.gitattributes')) return undefined;
      if (head && head.get(e.path) !== `${mode} ${e.sha}`) return undefined;
      const full = inRoot(root, e.path);
      const had = known.get(e.path);
      // A file read already: the stat data of the descriptor its bytes came from, which describe those bytes.
      const st = (had && statOf?.(had)) || lstatSync(full, { bigint: true, throwIfNoEntry: false });
      if (!st?.isFile() || ((st.mode & 0o100n) !== 0n) !== (mode === '100755')) return undefined;
      // Stat data prove nothing for a file changed in the same instant the index was written (racy git).
      const racy = st.mtimeNs >= indexStat!.mtimeNs;
      if (!racy && sameStat(e, st)) continue;
      const bytes = had ?? readOrNone(full);
      if (!bytes || bytes.length !== Number(st.size)) return undefined;
      const id = objectId('blob', bytes);
      if (id !== e.sha) return undefined;
    }
    return true;
  } finally {
    objects.close();
  }
}
