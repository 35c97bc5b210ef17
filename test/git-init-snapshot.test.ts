/**
 * A new repository without a `git init` process: made so only where what git writes is known
 * (recorded from git itself under the same git, config, file system and umask), and then exactly
 * what git makes; git runs everywhere else.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initWithoutGit } from '../src/edge/git/init-snapshot.js';
import { tempDir, testEnv } from './helpers/cli.js';

/** Every entry under a folder: type, mode, path and a hash of the bytes. */
function tree(root: string, rel = ''): string[] {
  return readdirSync(path.join(root, rel))
    .sort()
    .flatMap((name) => {
      const p = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(root, p));
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) return [`d ${mode} ${p}`, ...tree(root, p)];
      return [`f ${mode} ${p} ${createHash('sha1').update(readFileSync(path.join(root, p))).digest('hex')}`];
    });
}

interface Snapshot {
  files: [string, string][];
}

/** Rewrites each record in `cache` through `edit`, sealed again as the program seals it (or with its old seal kept). */
function editRecords(cache: string, edit: (snap: Snapshot) => void, reseal = true): void {
  for (const name of readdirSync(cache)) {
    const file = path.join(cache, name);
    const raw = readFileSync(file, 'utf8');
    const snap = JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as Snapshot;
    edit(snap);
    const body = JSON.stringify(snap);
    writeFileSync(file, `${reseal ? createHash('sha256').update(body).digest('hex') : raw.slice(0, 64)}\n${body}`);
  }
}

/** git init run once in a fresh folder, and what it wrote recorded: the next one can be made without it. */
function recordOnce({ env, fresh }: ReturnType<typeof setting>): void {
  const first = fresh();
  const r = initWithoutGit(first, env);
  gitInit(first, env);
  if (!r.made) r.record?.();
}

const gitInit = (dir: string, env: NodeJS.ProcessEnv) => execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: dir, env, stdio: 'ignore' });

/** A folder to make a repository in, and the environment (a cache and a HOME of the test's own). */
function setting() {
  const root = tempDir();
  const home = path.join(root, 'home');
  mkdirSync(home);
  writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n');
  const env = { ...testEnv({ HOME: home, XDG_CACHE_HOME: path.join(root, 'cache') }), XDG_CONFIG_HOME: path.join(home, '.config') };
  let n = 0;
  const fresh = () => {
    const d = path.join(root, `repo-${n++}`);
    mkdirSync(d);
    return d;
  };
  return { root, home, env, fresh };
}

// Where this machine's git keeps its template folder, as the record is made only beside it.
const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const templates = path.join(path.dirname(path.dirname(realpathSync(git))), 'share/git-core/templates');

describe('a new repository without git init', () => {
  it.skipIf(!existsSync(templates))('the second one under the same git and config is made without git, entry for entry, mode for mode, byte for byte what git init makes', () => {
    const { env, fresh } = setting();
    const first = fresh();
    const before = initWithoutGit(first, env);
    expect(before.made).toBe(false);
    gitInit(first, env);
    if (!before.made) before.record?.();
    const second = fresh();
    expect(initWithoutGit(second, env)).toEqual({ made: true });
    const byGit = fresh();
    gitInit(byGit, env);
    expect(tree(path.join(second, '.git'))).toEqual(tree(path.join(byGit, '.git')));
    expect(tree(path.join(second, '.git')).length).toBeGreaterThan(8);
    // A repository git works in: a commit, and nothing for fsck to say.
    writeFileSync(path.join(second, 'a.txt'), 'a\n');
    execFileSync('git', ['add', 'a.txt'], { cwd: second, env });
    execFileSync('git', ['commit', '-qm', 'a'], { cwd: second, env });
    expect(execFileSync('git', ['fsck', '--strict'], { cwd: second, env, encoding: 'utf8' })).toBe('');
    expect(execFileSync('git', ['symbolic-ref', 'HEAD'], { cwd: second, env, encoding: 'utf8' })).toBe('refs/heads/main\n');
  });

  it.skipIf(!existsSync(templates))('another config is another record: git runs again, and is recorded', () => {
    const { env, home, fresh } = setting();
    const first = fresh();
    const r = initWithoutGit(first, env);
    gitInit(first, env);
    if (!r.made) r.record?.();
    expect(initWithoutGit(fresh(), env).made).toBe(true);
    writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n[core]\n\tfilemode = false\n');
    const after = initWithoutGit(fresh(), env);
    expect(after.made).toBe(false);
    expect(!after.made && after.record).toBeTypeOf('function');
  });

  it('leaves it to git (and records nothing) where the repository, its template or the config git reads is moved or unsure', () => {
    const { home, env, fresh } = setting();
    const refused = (extra: Record<string, string>) => {
      const r = initWithoutGit(fresh(), { ...env, ...extra });
      return !r.made && r.record === undefined;
    };
    expect(refused({ GIT_TEMPLATE_DIR: path.join(home, 'tpl') })).toBe(true);
    expect(refused({ GIT_DIR: path.join(home, 'elsewhere') })).toBe(true);
    expect(refused({ GIT_DEFAULT_HASH: 'sha256' })).toBe(true);
    expect(refused({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'init.templateDir', GIT_CONFIG_VALUE_0: path.join(home, 'tpl') })).toBe(true);
    expect(refused({ GIT_CONFIG_PARAMETERS: "'core.hookspath'='/elsewhere'" })).toBe(true);
    expect(refused({ CREATE_MIGRATION_NO_CACHE: '1' })).toBe(true);
    expect(refused({ CREATE_MIGRATION_GIT_WRITE: 'git' })).toBe(true);
    expect(refused({ PATH: 'bin:/usr/bin' })).toBe(true);
    writeFileSync(path.join(home, '.gitconfig'), '[include]\n\tpath = other.gitconfig\n');
    expect(refused({})).toBe(true);
    writeFileSync(path.join(home, '.gitconfig'), '[init]\n\ttemplateDir = /somewhere\n');
    expect(refused({})).toBe(true);
  });

  it.skipIf(!existsSync(templates))('writes nothing outside .git from a record tampered with (it is a file in the user\'s cache)', () => {
    const set = setting();
    const { root, env, fresh } = set;
    recordOnce(set);
    const cache = path.join(root, 'cache/create-migration/git-init');
    // Sealed again after the edit, as someone who knows the format would: the names still decide.
    editRecords(cache, (snap) => snap.files.push(['../../escaped', 'x']));
    const dir = fresh();
    expect(initWithoutGit(dir, env).made).toBe(false);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
    expect(existsSync(path.join(root, 'escaped'))).toBe(false);
  });

  it.skipIf(!existsSync(templates))('uses a record only while it is private to the user and its seal matches: else a planted config (a hook path, a command) never reaches the new .git', () => {
    const set = setting();
    const { root, env, fresh } = set;
    recordOnce(set);
    const cache = path.join(root, 'cache/create-migration/git-init');
    const planted = '[core]\n\thooksPath = /tmp/planted-hooks\n\tfsmonitor = touch /tmp/planted\n';
    const plant = (snap: Snapshot) => {
      for (const f of snap.files) if (f[0] === 'config') f[1] = planted;
    };
    const madeFromPlant = () => {
      const dir = fresh();
      const made = initWithoutGit(dir, env).made;
      return made && readFileSync(path.join(dir, '.git/config'), 'utf8') === planted;
    };
    // Unsealed (the body edited, the seal left): not used.
    editRecords(cache, plant, false);
    expect(madeFromPlant()).toBe(false);
    // Sealed, but the folder or the file writable by others: not used.
    editRecords(cache, plant);
    chmodSync(cache, 0o777);
    expect(madeFromPlant()).toBe(false);
    chmodSync(cache, 0o700);
    for (const name of readdirSync(cache)) chmodSync(path.join(cache, name), 0o666);
    expect(madeFromPlant()).toBe(false);
    // The same record, private again, is what the seal proves was written here: used (the control).
    for (const name of readdirSync(cache)) chmodSync(path.join(cache, name), 0o600);
    expect(madeFromPlant()).toBe(true);
  });

  it('never touches a .git that is there already', () => {
    const { env, fresh } = setting();
    const dir = fresh();
    const r = initWithoutGit(dir, env);
    gitInit(dir, env);
    if (!r.made) r.record?.();
    writeFileSync(path.join(dir, '.git/description'), 'mine\n');
    expect(initWithoutGit(dir, env).made).toBe(false);
    expect(readFileSync(path.join(dir, '.git/description'), 'utf8')).toBe('mine\n');
  });
});
