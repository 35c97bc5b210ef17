import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { ObjectFiles, commitFiles } from './object-files.js';
import path from 'node:path';
import { readOrNone } from '../fs-quiet.js';
import { configMatches, words } from './config-scan.js';

/**
 * Reads what git keeps in plain files (where a repository's .git is, and its refs) without
 * starting git: each git process costs several milliseconds, and sync over many projects asks
 * these for each. Every function answers only the common layouts it can read for certain, and
 * returns `undefined` for anything else (environment overrides, a relocated work tree, reftable,
 * symbolic refs, a repository owned by another user), so that the caller asks git instead.
 */

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The git folder of `root` when root is the top of a work tree; null when it is not one; undefined when unsure. */
export function readRepoAt(root: string, env: NodeJS.ProcessEnv = process.env): { gitDir: string } | null | undefined {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_COMMON_DIR) return undefined;
  const dotGit = path.join(root, '.git');
  const st = lstatSync(dotGit, { throwIfNoEntry: false });
  // No .git here: root is not the top of a work tree (it may sit inside one, which is not the project's own).
  if (!st) return null;
  let gitDir: string;
  if (st.isDirectory()) gitDir = dotGit;
  else if (st.isFile()) {
    // A linked worktree or a submodule: "gitdir: <path>".
    const m = /^gitdir: (.+?)\r?\n?$/.exec(readOrNone(dotGit, 'utf8') ?? '');
    if (!m) return undefined;
    gitDir = path.resolve(root, m[1]!);
  } else return undefined;
  const dir = lstatSync(gitDir, { throwIfNoEntry: false });
  if (!dir?.isDirectory() || !lstatSync(path.join(gitDir, 'HEAD'), { throwIfNoEntry: false })?.isFile()) return undefined;
  // git refuses a repository another user owns (safe.directory): let it say so.
  if (typeof process.getuid === 'function' && dir.uid !== process.getuid()) return undefined;
  const config = readOrNone(path.join(commonDir(gitDir), 'config'), 'utf8') ?? '';
  // A work tree set elsewhere, or a bare repository: git knows better.
  if (configMatches(config, [['worktree'], ['bare', '=', 'true']], /^\s*(worktree|bare\s*=\s*true)/im)) return undefined;
  // The C library's realpath: one call, where node's own walks the path with an lstat a folder, in JavaScript.
  return { gitDir: realpathSync.native(gitDir) };
}

/** Where refs and objects live: the main repository's folder, for a linked worktree. */
export function commonDir(gitDir: string): string {
  const common = readOrNone(path.join(gitDir, 'commondir'), 'utf8')?.trim();
  return common ? path.resolve(gitDir, common) : gitDir;
}

/**
 * The commits that refs/heads/<branch> and refs/remotes/<remote>/<branch> point at, in the order
 * `git for-each-ref` lists them (by ref name), from loose and packed refs. Undefined when the
 * repository stores refs in a way this does not read (reftable) or a ref is symbolic.
 */
export function readBranchRefs(gitDir: string, branch: string): [string, string][] | undefined {
  const common = commonDir(gitDir);
  const config = readOrNone(path.join(common, 'config'), 'utf8') ?? '';
  if (configMatches(config, [['refstorage', '=']], /^\s*refstorage\s*=/im) || lstatSync(path.join(common, 'reftable'), { throwIfNoEntry: false })) return undefined;
  const found = new Map<string, string>();
  const wanted = (name: string) => name === `refs/heads/${branch}` || new RegExp(`^refs/remotes/[^/]+/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(name);
  for (const line of (readOrNone(path.join(common, 'packed-refs'), 'utf8') ?? '').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    const name = line.slice(space + 1).trim();
    if (wanted(name)) found.set(name, line.slice(0, space));
  }
  // Loose refs win over packed ones.
  const loose = [`refs/heads/${branch}`];
  try {
    for (const remote of readdirSync(path.join(common, 'refs/remotes'))) loose.push(`refs/remotes/${remote}/${branch}`);
  } catch {
    // no remotes
  }
  for (const name of loose) {
    const text = readOrNone(path.join(common, name), 'utf8');
    if (text === undefined) continue;
    found.set(name, text.trim());
  }
  const refs = [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return refs.every(([, sha]) => SHA.test(sha)) ? refs : undefined;
}

/**
 * The paths git's index holds (what `git ls-files --cached` lists), each once, from the index
 * file itself: versions 2 to 4 with SHA-1 ids. Undefined for what this does not read for certain
 * (GIT_INDEX_FILE, a split or sparse index, SHA-256, anything malformed): ask git then.
 */
export function readIndexPaths(gitDir: string, env: NodeJS.ProcessEnv = process.env): Set<string> | undefined {
  if (env.GIT_INDEX_FILE || env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_COMMON_DIR) return undefined;
  const config = readOrNone(path.join(commonDir(gitDir), 'config'), 'utf8') ?? '';
  if (configMatches(config, words(['objectformat', 'splitindex', 'sparseindex'], '='), /^\s*(objectformat|splitindex|sparseindex)\s*=/im)) return undefined;
  const data = readOrNone(path.join(gitDir, 'index'));
  const paths = new Set<string>();
  // No index yet (a repository with no commit): git lists nothing either.
  if (data === undefined) return lstatSync(path.join(gitDir, 'index'), { throwIfNoEntry: false }) ? undefined : paths;
  const buf = Buffer.from(data);
  if (buf.length < 12 + 20 || buf.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = buf.readUInt32BE(4);
  const count = buf.readUInt32BE(8);
  if (version < 2 || version > 4) return undefined;
  const end = buf.length - 20; // the trailing checksum
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = at;
    if (at + 62 > end) return undefined;
    const mode = buf.readUInt32BE(at + 24);
    // A sparse index's folder entry stands for files it does not list.
    if ((mode & 0o170000) === 0o040000) return undefined;
    const flags = buf.readUInt16BE(at + 60);
    at += 62;
    if (flags & 0x4000) {
      if (version < 3) return undefined;
      at += 2;
    }
    let name: Buffer;
    if (version === 4) {
      // The name is the previous one less its last N bytes (N a varint), then this suffix.
      let strip = 0;
      for (let shift = 0, b = 0x80; b & 0x80; ) {
        if (at >= end || shift > 28) return undefined;
        b = buf[at++]!;
        strip = shift ? ((strip + 1) << 7) | (b & 0x7f) : b & 0x7f;
        shift += 7;
      }
      const nul = buf.indexOf(0, at);
      if (nul < 0 || nul >= end || strip > previous.length) return undefined;
      name = Buffer.concat([previous.subarray(0, previous.length - strip), buf.subarray(at, nul)]);
      at = nul + 1;
    } else {
      const nul = buf.indexOf(0, at);
      if (nul < 0 || nul >= end) return undefined;
      name = buf.subarray(at, nul);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      at = start + ((at - start + name.length + 8) & ~7);
    }
    const length = flags & 0xfff;
    if (length !== 0xfff && length !== name.length) return undefined;
    previous = name;
    paths.add(name.toString('utf8'));
  }
  // Extensions: a split index ("link") keeps entries elsewhere.
  while (at + 8 <= end) {
    const sig = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32BE(at + 4);
    if (sig === 'link' || sig === 'sdir') return undefined;
    at += 8 + size;
  }
  return at === end ? paths : undefined;
}

/** Whether refs are stored as files (loose and packed-refs), the only layout read here. */
function refsAreFiles(common: string): boolean {
  const config = readOrNone(path.join(common, 'config'), 'utf8') ?? '';
  return !configMatches(config, [['refstorage', '=']], /^\s*refstorage\s*=/im) && !lstatSync(path.join(common, 'reftable'), { throwIfNoEntry: false });
}

/** packed-refs, as name -> [id, peeled id when it is an annotated tag]; undefined when unreadable. */
function packedRefs(common: string): Map<string, [string, string | undefined]> | undefined {
  const text = readOrNone(path.join(common, 'packed-refs'), 'utf8');
  const refs = new Map<string, [string, string | undefined]>();
  if (text === undefined) return lstatSync(path.join(common, 'packed-refs'), { throwIfNoEntry: false }) ? undefined : refs;
  // Without "fully-peeled", an annotated tag's line may lack its peeled id: ask git then.
  if (text.length && !/^# pack-refs with:.* fully-peeled/.test(text)) return undefined;
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('^')) {
      if (!last || !SHA.test(line.slice(1))) return undefined;
      refs.get(last)![1] = line.slice(1);
      continue;
    }
    const space = line.indexOf(' ');
    const sha = line.slice(0, space);
    if (!SHA.test(sha)) return undefined;
    last = line.slice(space + 1);
    refs.set(last, [sha, undefined]);
  }
  return refs;
}

/** Where readRepoAt found the repository of a work tree (what the readers below take, when known). */
export type RepoAt = ReturnType<typeof readRepoAt>;

/**
 * The tag names of a repository whose work tree is `root` (what `git tag --list` prints, in its
 * order), read from loose and packed refs; undefined when git must be asked. `repo`: what
 * readRepoAt answered for root and env, where the caller has it.
 */
export function readTagNames(root: string, env: NodeJS.ProcessEnv = process.env, repo: RepoAt = readRepoAt(root, env)): string[] | undefined {
  if (!repo) return undefined;
  const common = commonDir(repo.gitDir);
  if (!refsAreFiles(common)) return undefined;
  const packed = packedRefs(common);
  if (!packed) return undefined;
  const names = new Set<string>();
  for (const name of packed.keys()) if (name.startsWith('refs/tags/')) names.add(name.slice('refs/tags/'.length));
  const walk = (dir: string, prefix: string): boolean => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return true; // no loose tags
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!walk(path.join(dir, e.name), `${prefix}${e.name}/`)) return false;
      } else if (e.isFile()) {
        // A lock or a broken ref is git's to judge.
        if (e.name.endsWith('.lock') || !SHA.test(readOrNone(path.join(dir, e.name), 'utf8')?.trim() ?? '')) return false;
        names.add(`${prefix}${e.name}`);
      } else return false;
    }
    return true;
  };
  if (!walk(path.join(common, 'refs/tags'), '')) return undefined;
  // git sorts by name, byte by byte.
  return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

// Commits, tags and trees of a template repository: no bound a real one comes near.
const OBJECT_LIMITS = { each: 64 << 20, total: 1 << 30 };

/** Runs `read` with the repository's object files open (loose and packed); undefined when git must read them. */
function withObjects<T>(gitDir: string, env: NodeJS.ProcessEnv, read: (objects: ObjectFiles) => T | undefined, limits = OBJECT_LIMITS): T | undefined {
  const objects = ObjectFiles.open(gitDir, limits, env);
  if (!objects) return undefined;
  try {
    return read(objects);
  } finally {
    objects.close();
  }
}

/**
 * The commit a tag name points at (what `git rev-parse --verify <name>^{commit}` answers), for a
 * repository whose work tree is `root`, when that is certain from its files: `name` is a tag
 * (and no ref git looks at before refs/tags/ has that name), and the objects it peels through
 * are in its object files (loose or packed). Undefined when git must be asked. `repo` as for
 * readTagNames.
 */
export function readTagCommit(root: string, name: string, env: NodeJS.ProcessEnv = process.env, repo?: RepoAt): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name) || name.endsWith('.lock') || name.includes('..') || name === 'HEAD') return undefined;
  if (repo === undefined) repo = readRepoAt(root, env);
  if (!repo) return undefined;
  const common = commonDir(repo.gitDir);
  if (!refsAreFiles(common)) return undefined;
  // git tries <gitdir>/<name> and refs/<name> before refs/tags/<name>.
  for (const earlier of [path.join(repo.gitDir, name), path.join(common, name), path.join(common, 'refs', name)]) {
    if (lstatSync(earlier, { throwIfNoEntry: false })) return undefined;
  }
  const packed = packedRefs(common);
  if (!packed) return undefined;
  for (const earlier of [name, `refs/${name}`]) if (packed.has(earlier)) return undefined;
  const loose = readOrNone(path.join(common, 'refs/tags', name), 'utf8')?.trim();
  const entry = packed.get(`refs/tags/${name}`);
  let sha = loose ?? entry?.[1] ?? entry?.[0];

  if (!sha || !SHA.test(sha)) return undefined;
  // Peel annotated tags (a few levels at most) down to a commit.
  return withObjects(repo.gitDir, env, (objects) => {
    for (let depth = 0; depth < 5; depth++) {
      const obj = objects.read(sha!);
      if (!obj) return undefined;
      if (obj.type === 'commit') return sha;
      if (obj.type !== 'tag') return undefined;
      const target = /^object ([0-9a-f]+)\ntype (\w+)\n/.exec(obj.body.toString('latin1'));
      if (!target || !SHA.test(target[1]!)) return undefined;
      sha = target[1]!;
    }
    return undefined;
  });
}

/**
 * A blob of the repository whose work tree is `root`, by id, read from its object files (none
 * larger than `maxBytes`) and checked against its id; undefined when it is not read there.
 * `repo` as for readTagNames.
 */
export function readBlobAt(root: string, sha: string, maxBytes: number, env: NodeJS.ProcessEnv = process.env, repo: RepoAt = readRepoAt(root, env)): Uint8Array | undefined {
  if (!repo) return undefined;
  return withObjects(
    repo.gitDir,
    env,
    (objects) => {
      const found = objects.read(sha);
      return found?.type === 'blob' ? found.body : undefined;
    },
    { each: maxBytes, total: maxBytes },
  );
}

/**
 * The tree a commit names (what `git rev-parse <commit>^{tree}` answers), for a repository whose
 * work tree is `root`, read from its object files; undefined when git must be asked. `repo` as
 * for readTagNames.
 */
export function readCommitTree(root: string, commit: string, env: NodeJS.ProcessEnv = process.env, repo?: RepoAt): string | undefined {
  if (!/^[0-9a-f]{40}$/.test(commit)) return undefined;
  if (repo === undefined) repo = readRepoAt(root, env);
  if (!repo) return undefined;
  return withObjects(repo.gitDir, env, (objects) => {
    const obj = objects.read(commit);
    return obj?.type === 'commit' ? /^tree ([0-9a-f]{40})\n/.exec(obj.body.toString('latin1', 0, 46))?.[1] : undefined;
  });
}

/**
 * What `git ls-tree -r --full-tree <commit>` lists (mode, type, id and path of every file, in
 * git's order), for a repository whose work tree is `root`, read from its object files (loose or
 * packed). Undefined when any object on the way is not read there for certain: git is asked then.
 */
export function readTreeFiles(root: string, commit: string, env: NodeJS.ProcessEnv = process.env): { mode: string; type: string; sha: string; path: string }[] | undefined {
  if (env.GIT_OBJECT_DIRECTORY || env.GIT_ALTERNATE_OBJECT_DIRECTORIES || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const repo = readRepoAt(root, env);
  if (!repo) return undefined;
  const common = commonDir(repo.gitDir);
  const config = readOrNone(path.join(common, 'config'), 'utf8') ?? '';
  if (configMatches(config, [['objectformat', '=']], /^\s*objectformat\s*=/im)) return undefined;
  return withObjects(repo.gitDir, env, (objects) => commitFiles(objects, commit));
}
