import { simpleGit, type SimpleGit } from 'simple-git';

/** The branch that holds each pristine render of the template: sync's merge base. */
export const PRISTINE_BRANCH = 'migration-template';
export const PRISTINE_TRAILER = 'Migration-Template';

/** Used only when the user has no git identity configured, so a commit never fails for it. */
const FALLBACK_IDENTITY = ['-c', 'user.name=create-migration', '-c', 'user.email=create-migration@localhost'];

export function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, config: ['core.quotepath=false'] });
}

async function commitAll(g: SimpleGit, message: string): Promise<string> {
  const args = ['commit', '-q', '--no-verify', '-m', message];
  try {
    await g.raw(args);
  } catch (e) {
    if (!/tell me who you are|user\.email|empty ident/i.test(String((e as Error).message))) throw e;
    await g.raw([...FALLBACK_IDENTITY, ...args]);
  }
  return (await g.revparse(['HEAD'])).trim();
}

/**
 * Makes the first commit of a freshly generated project and points the pristine branch at it:
 * the first commit is exactly what the template rendered, so it is the base of the first sync.
 */
export async function initialCommit(dir: string, message: string, paths?: string[]): Promise<string> {
  const g = git(dir);
  await g.raw(['init', '-q']);
  // Into a folder that already held files, commit only what was generated.
  await g.raw(paths ? ['add', '--', ...paths] : ['add', '-A']);
  const sha = await commitAll(g, message);
  await g.raw(['branch', PRISTINE_BRANCH, sha]);
  return sha;
}

/** Whether dir is inside a git work tree. */
export async function isRepo(dir: string): Promise<boolean> {
  try {
    return (await git(dir).raw(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/** Runs git with optional stdin and returns stdout as bytes; for batch plumbing simple-git cannot feed. */
export async function gitBytes(cwd: string, args: string[], input?: Uint8Array): Promise<Buffer> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args[0]} failed: ${Buffer.concat(err).toString().trim() || `exit ${code}`}`));
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all input; its exit code tells
    child.stdin.end(input);
  });
}

export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

export async function listTree(repo: string, commit: string): Promise<TreeEntry[]> {
  const out = (await gitBytes(repo, ['ls-tree', '-r', '-z', '--full-tree', commit])).toString('utf8');
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, sha] = line.slice(0, tab).split(' ') as [string, string, string];
      return { mode, type, sha, path: line.slice(tab + 1) };
    });
}

/** Reads many blobs with one `git cat-file --batch` process. */
export async function readBlobs(repo: string, shas: string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  if (!shas.length) return result;
  const out = await gitBytes(repo, ['cat-file', '--batch'], Buffer.from(`${shas.join('\n')}\n`));
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    const [sha, , size] = out.subarray(pos, nl).toString().split(' ') as [string, string, string];
    const start = nl + 1;
    const end = start + Number(size);
    result.set(sha, out.subarray(start, end));
    pos = end + 1;
  }
  return result;
}

export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  try {
    return (await gitBytes(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function listTags(repo: string): Promise<string[]> {
  return (await gitBytes(repo, ['tag', '--list'])).toString().split('\n').filter(Boolean);
}

/** A bare copy of a remote template repo, for reading tags and trees. */
export async function cloneBare(url: string, into: string): Promise<void> {
  await gitBytes(process.cwd(), ['clone', '--bare', '--quiet', '--', url, into]);
}

export async function isGitDir(dir: string): Promise<boolean> {
  try {
    await gitBytes(dir, ['rev-parse', '--git-dir']);
    return true;
  } catch {
    return false;
  }
}
