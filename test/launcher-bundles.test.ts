/**
 * `jobs` and `job` start from a bundle of their own (dist/jobs.js), chosen by the launcher: it
 * answers them without dist/main.js, and says the same (help, errors, exit codes) as the full
 * CLI does for them.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import vm from 'node:vm';
import { isAscii } from 'node:buffer';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, tempDir, testEnv } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

const run = (cli: string, args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: testEnv({ COLUMNS: '80' }), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('the jobs bundle', () => {
  it('answers jobs and job without dist/main.js; every other command needs it', async () => {
    const root = tempDir();
    expect((await runCli(['proj', '--yes', '--no-git'], { cwd: root })).code).toBe(0);
    expect((await runCli(['add', 'workflow', 'nightly', '--pattern', 'etl', '--yes', '--project', 'proj'], { cwd: root })).code).toBe(0);
    const dist = path.join(tempDir(), 'dist');
    cpSync(path.dirname(CLI), dist, { recursive: true });
    rmSync(path.join(dist, 'main.js'));
    const cli = path.join(dist, 'cli.js');
    const jobs = run(cli, ['jobs', '--project', 'proj', '--json'], root);
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(JSON.parse(jobs.stdout)).toMatchObject({ ok: true, command: 'jobs', total: 1 });
    const move = run(cli, ['job', 'nightly', '--to', 'ported', '--project', 'proj', '--by', 'Ann'], root);
    expect(move.code, move.stderr).toBe(0);
    expect(move.stderr).toMatch(/Moved job nightly: inventoried -> ported/);
    expect(run(cli, ['jobs', '--project', 'proj'], root).stdout).toMatch(/ported \(1\)/);
    expect(run(cli, ['status', 'proj'], root).code).not.toBe(0);
  }, 60_000);

  it('says what the full CLI says: the same help, the same errors, the same exit codes', () => {
    const cwd = tempDir();
    // With an option of the root first, the launcher loads dist/main.js; with the command first, dist/jobs.js.
    const cases: string[][] = [['jobs', '--help'], ['job', '--help'], ['job', 'x'], ['jobs', '--bogus'], ['job', 'x', '--to'], ['jobs', '--project', 'nowhere']];
    for (const args of cases) {
      const viaJobs = run(CLI, args, cwd);
      const viaMain = run(CLI, ['--no-git', ...args], cwd);
      expect(viaJobs, args.join(' ')).toEqual(viaMain);
    }
    expect(run(CLI, ['jobs', '--help'], cwd).stdout).toMatch(/^Usage: create-migration jobs \[options\]/);
    expect(run(CLI, ['job', 'x'], cwd)).toMatchObject({ code: 2, stderr: expect.stringMatching(/required option '--to <state>' not specified/) });
    expect(run(CLI, ['jobs', '--project', 'nowhere'], cwd)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^create-migration: --project: nowhere is not a folder/) });
  });
});

describe('the sync bundle', () => {
  it('answers sync and recopy without dist/main.js, with the YAML and Handlebars parsers loaded from their own files (a template folder needs both)', async () => {
    const root = tempDir();
    const tpl = path.join(root, 'tpl');
    cpSync(path.join(ROOT, 'templates/kailash-migration'), tpl, { recursive: true });
    expect((await runCli(['proj', '--yes', '--template', tpl], { cwd: root })).code).toBe(0);
    edit(path.join(tpl, 'template.yaml'), (t) => t.replace(/^version: .*$/m, 'version: 99.0.0'));
    edit(path.join(tpl, 'files/README.md'), (t) => `${t}\nNew in 99.0.0.\n`);
    const dist = path.join(tempDir(), 'dist');
    cpSync(path.dirname(CLI), dist, { recursive: true });
    rmSync(path.join(dist, 'main.js'));
    const cli = path.join(dist, 'cli.js');
    const sync = run(cli, ['sync', 'proj'], root);
    expect(sync.code, sync.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'proj/README.md'), 'utf8')).toContain('New in 99.0.0.');
    gitIn(path.join(root, 'proj'), 'commit', '-qam', 'synced');
    const recopy = run(cli, ['recopy', 'proj', '--json'], root);
    expect(recopy.code, recopy.stderr).toBe(0);
    expect(JSON.parse(recopy.stdout)).toMatchObject({ ok: true });
    expect(run(cli, ['status', 'proj'], root).code).not.toBe(0);
    // Without the parsers' files, a template folder cannot be read: they are what it loaded.
    for (const f of ['yaml.js', 'handlebars.js']) rmSync(path.join(dist, f));
    expect(run(cli, ['sync', '--check', 'proj'], root).code).toBe(3);
  }, 60_000);

  it('ends as soon as the run is done, with its exit code and every byte it printed (a diff far bigger than a pipe holds)', () => {
    const root = tempDir();
    const lines = Array.from({ length: 6000 }, (_, i) => `Line ${i} of what the new version adds to the README.`);
    const tpl = builtinTemplateRepo(path.join(root, 'tpl'), (d) => edit(path.join(d, 'files/README.md'), (t) => `${t}\n${lines.join('\n')}\n`));
    expect(run(CLI, ['proj', '--yes', '--template', `${tpl}#v1.0.0`], root).code).toBe(0);
    const diff = run(CLI, ['sync', '--dry-run', 'proj'], root);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout.length).toBeGreaterThan(300_000);
    for (const l of [lines[0], lines[2999], lines[5999]]) expect(diff.stdout).toContain(`+${l}\n`);
    expect(run(CLI, ['sync', '--check', 'proj'], root).code).toBe(1);
    const json = run(CLI, ['sync', '--dry-run', '--json', 'proj'], root);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true });
    const sync = run(CLI, ['sync', 'proj'], root);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/Review with `git diff`, then commit\.\n$/);
    expect(readFileSync(path.join(root, 'proj/README.md'), 'utf8')).toContain(lines[5999]);
    expect(run(CLI, ['sync', '--check', 'nowhere'], root).code).toBe(2);
  }, 60_000);

  it('says what the full CLI says: the same help, the same errors, the same exit codes', () => {
    const cwd = tempDir();
    // With an option of the root first, the launcher loads dist/main.js; with the command first, dist/sync.js.
    const cases: string[][] = [['sync', '--help'], ['recopy', '--help'], ['sync', '--bogus'], ['sync', '--conflict'], ['sync', '--conflict', 'nope', '.'], ['sync', 'nowhere'], ['recopy', '--check'], ['sync', '--check', '--json', 'nowhere']];
    for (const args of cases) {
      const viaSync = run(CLI, args, cwd);
      const viaMain = run(CLI, ['--no-git', ...args], cwd);
      expect(viaSync, args.join(' ')).toEqual(viaMain);
    }
    expect(run(CLI, ['sync', '--help'], cwd).stdout).toMatch(/^Usage: create-migration sync \[options\] \[dir\.\.\.\][\s\S]*Examples:\n[\s\S]* {2}\$ create-migration sync --check/);
    expect(run(CLI, ['sync', '--bogus'], cwd)).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown option '--bogus'/) });
  });
});

describe('the generate bundle', () => {
  // dist/main.js run directly, as the launcher runs it: what the full CLI says for these arguments.
  const viaMain = (args: string[], cwd: string) => {
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(path.dirname(CLI), 'main.js'))}).run([process.argv[0], ${JSON.stringify(CLI)}, ...process.argv.slice(1)])`, ...args], {
      cwd,
      env: testEnv({ COLUMNS: '80' }),
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('makes a project without questions without dist/main.js, the same project as dist/main.js makes; every other command needs it', () => {
    const root = tempDir();
    const dist = path.join(tempDir(), 'dist');
    cpSync(path.dirname(CLI), dist, { recursive: true });
    rmSync(path.join(dist, 'main.js'));
    const cli = path.join(dist, 'cli.js');
    const made = run(cli, ['proj', '--yes', '--set', 'owner=Billing team'], root);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/^Created proj: \d+ files, initial commit [0-9a-f]{7}\./);
    const other = tempDir();
    const full = viaMain(['proj', '--yes', '--set', 'owner=Billing team'], other);
    expect(full.code, full.stderr).toBe(0);
    // The same files (the same blobs and trees), committed, and nothing else in the work tree.
    expect(gitIn(path.join(root, 'proj'), 'ls-tree', '-r', '-t', 'HEAD')).toBe(gitIn(path.join(other, 'proj'), 'ls-tree', '-r', '-t', 'HEAD'));
    expect(gitIn(path.join(root, 'proj'), 'status', '--porcelain', '--ignored')).toBe('');
    gitIn(path.join(root, 'proj'), 'fsck', '--strict');
    // Every answer in a file (--answers), no --yes: nothing to ask, and no terminal to ask on.
    const { answers } = JSON.parse(readFileSync(path.join(root, 'proj/.migration-template.json'), 'utf8')) as { answers: Record<string, unknown> };
    writeFileSync(path.join(root, 'answers.json'), JSON.stringify({ ...answers, project_name: undefined, owner: 'Ann' }));
    expect(run(cli, ['other', '--answers', 'answers.json'], root).code).toBe(0);
    expect(readFileSync(path.join(root, 'other/.migration-template.json'), 'utf8')).toMatch(/"owner": "Ann"/);
    // What the launcher sends to dist/main.js fails without it.
    expect(run(cli, ['status', 'proj'], root).code).not.toBe(0);
    expect(run(cli, ['more', '--yes', '--assess', 'proj'], root).code).not.toBe(0);
  }, 60_000);

  it('says what the full CLI says: the same help, the same errors, the same exit codes', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'bad.yaml'), 'owner: [');
    writeFileSync(path.join(cwd, 'taken'), 'a file');
    const cases: string[][] = [
      ['p', '--yes', '--set', 'nokey'],
      ['p', '--yes', '--set', 'nope=1'],
      ['p', '--yes', '--answers', 'missing.json'],
      ['p', '--yes', '--answers', 'bad.yaml'],
      ['p', '--yes', '--template'],
      ['p', '--yes', '--template='],
      ['p', '--yes', '--json', '--set', 'python_version=1'],
      ['stauts', '--yes'],
      ['taken', '--yes'],
      ['p', '--yes', '--dry-run', '--json', '--set', 'owner=Ann'],
    ];
    for (const args of cases) {
      const viaLauncher = run(CLI, args, cwd);
      expect(viaLauncher, args.join(' ')).toEqual(viaMain(args, cwd));
      expect(viaLauncher.code, args.join(' ')).not.toBe(3);
    }
    expect(run(CLI, ['stauts', '--yes'], cwd)).toMatchObject({ code: 2, stderr: expect.stringMatching(/did you mean `create-migration status`/) });
  });

  it('hands a command it does not carry to dist/main.js, which answers it as the launcher would', () => {
    const root = tempDir();
    expect(run(CLI, ['proj', '--yes', '--no-git'], root).code).toBe(0);
    const dist = path.dirname(CLI);
    // dist/generate.js given arguments the launcher sends elsewhere, and dist/main.js to hand them to.
    const viaGenerate = (args: string[]) => {
      const script = `const d = ${JSON.stringify(dist)}; require(d + '/generate.js').run([process.argv[0], ${JSON.stringify(CLI)}, ...process.argv.slice(1)], () => require(d + '/main.js'))`;
      const r = spawnSync(process.execPath, ['-e', script, ...args], { cwd: root, env: testEnv({ COLUMNS: '80' }), encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    for (const args of [['status', 'proj', '--json'], ['status', 'nowhere'], ['more', '--yes', '--no-git', '--assess', 'proj', '--dry-run']]) {
      const r = viaGenerate(args);
      expect(r, args.join(' ')).toEqual(run(CLI, args, root));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(3);
    }
    expect(JSON.parse(viaGenerate(['status', 'proj', '--json']).stdout)).toMatchObject({ ok: true, command: 'status' });
  });
});

describe('the fleet bundle', () => {
  it('answers fleet in its plain form without dist/main.js, as dist/main.js does; what it does not read goes to dist/main.js', async () => {
    const root = tempDir();
    expect((await runCli(['a', '--yes'], { cwd: root })).code).toBe(0);
    expect((await runCli(['b', '--yes', '--no-git'], { cwd: root })).code).toBe(0);
    expect((await runCli(['add', 'workflow', 'nightly', '--pattern', 'etl', '--yes', '--project', 'a'], { cwd: root })).code).toBe(0);
    const dist = path.join(tempDir(), 'dist');
    cpSync(path.dirname(CLI), dist, { recursive: true });
    rmSync(path.join(dist, 'main.js'));
    const cli = path.join(dist, 'cli.js');
    const cases: string[][] = [['fleet', 'a', 'b', '--json'], ['fleet', 'a', '--sort', 'attention', '--no-requests'], ['fleet', 'nowhere'], ['fleet', '--sort', 'nope', 'a'], ['fleet', '--repos', 'missing.txt', '--json']];
    for (const args of cases) {
      const viaFleet = run(cli, args, root);
      expect(viaFleet.code, `${args.join(' ')}: ${viaFleet.stderr}`).not.toBe(3);
      // With an option of the root first, the launcher loads dist/main.js: the same answer.
      expect(viaFleet, args.join(' ')).toEqual(run(CLI, ['--no-git', ...args], root));
    }
    expect(JSON.parse(run(cli, ['fleet', 'a', 'b', '--json'], root).stdout)).toMatchObject({ ok: true, command: 'fleet', totals: { projects: 2, jobs: { total: 1 } } });
    // Help and errors of the parser come from dist/main.js.
    expect(run(cli, ['fleet', '--help'], root).code).not.toBe(0);
    expect(run(CLI, ['fleet', '--help'], root).stdout).toMatch(/^Usage: create-migration fleet \[options\] \[dir\.\.\.\]/);
  }, 60_000);
});

describe('the code caches the build records', () => {
  // A cache V8 rejects (another bundle's, or made by another V8) costs its reading and buys nothing.
  it.each([
    ['main', 'main'],
    ['sync', 'sync'],
    ['jobs', 'jobs'],
    ['generate', 'generate'],
    ['fleet', 'fleet'],
  ])('%s.js compiles from %s.<v8>.cache, which this node accepts', (bundle, cache) => {
    const dist = path.dirname(CLI);
    const source = readFileSync(path.join(dist, `${bundle}.js`), 'utf8');
    const cachedData = readFileSync(path.join(dist, `${cache}.${process.versions.v8}.cache`));
    // Wrapped as the launcher wraps it: the cache is for that very source text.
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: path.join(dist, `${bundle}.js`), cachedData });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('the bundles are ASCII, so that the launcher reads them without decoding UTF-8', () => {
    for (const bundle of ['main', 'sync', 'jobs', 'generate', 'fleet']) expect(isAscii(readFileSync(path.join(path.dirname(CLI), `${bundle}.js`))), bundle).toBe(true);
  });

  it('a sync without its own cache (a partial install) still syncs (compiled as node compiles it)', async () => {
    const root = tempDir();
    expect((await runCli(['proj', '--yes', '--no-git'], { cwd: root })).code).toBe(0);
    const dist = path.join(tempDir(), 'dist');
    cpSync(path.dirname(CLI), dist, { recursive: true });
    rmSync(path.join(dist, `sync.${process.versions.v8}.cache`));
    const check = run(path.join(dist, 'cli.js'), ['sync', '--check', 'proj', '--json'], root);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true });
  });
});

describe('what a start loads', () => {
  // node:child_process costs a start ~3 ms: the bundles load it on the first process they start.
  it('sync of a committed project starts no process and loads no node:child_process; generate (git init) does load it', async () => {
    const root = tempDir();
    const preload = path.join(root, 'modules.cjs');
    writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, '\\nLOADED ' + process.moduleLoadList.filter((m) => m.includes('child_process')).join(',') + '\\n'));\n");
    const loaded = (args: string[]) => {
      const r = spawnSync(process.execPath, ['-r', preload, CLI, ...args], { cwd: root, env: testEnv(), encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return /\nLOADED (.*)\n/.exec(r.stderr)![1]!;
    };
    const tpl = builtinTemplateRepo(path.join(root, 'tpl'), (d) => edit(path.join(d, 'files/README.md'), (t) => `${t}\nNew in 1.1.0.\n`));
    expect(loaded(['proj', '--yes', '--template', `${tpl}#v1.0.0`])).toMatch(/child_process/);
    edit(path.join(root, 'proj/TASKS.md'), (t) => `${t}\n- team note\n`);
    gitIn(path.join(root, 'proj'), 'commit', '-qam', 'team note');
    // The new version read from git once (its parsed-template cache then warm), as the bench does.
    spawnSync(process.execPath, [CLI, 'sync', '--check', 'proj'], { cwd: root, env: testEnv() });
    expect(loaded(['sync', 'proj'])).toBe('');
    expect(readFileSync(path.join(root, 'proj/README.md'), 'utf8')).toContain('New in 1.1.0.');
    expect(loaded(['status', 'proj'])).toBe('');
  });

  it("printing into /dev/null (a cron line's `>/dev/null 2>&1`) or a pipe loads no node:tty: neither is a terminal", async () => {
    const root = tempDir();
    expect((await runCli(['proj', '--yes', '--no-git'], { cwd: root })).code).toBe(0);
    const preload = path.join(root, 'modules.cjs');
    const out = path.join(root, 'loaded.txt');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.filter((m) => /\\btty$/.test(m)).join(',')));\n`);
    const devNull = openSync('/dev/null', 'w');
    try {
      for (const stdio of [['ignore', devNull, devNull], ['ignore', 'pipe', 'pipe']] as const) {
        for (const args of [['status', 'proj'], ['sync', '--check', 'proj']]) {
          rmSync(out, { force: true });
          const r = spawnSync(process.execPath, ['-r', preload, CLI, ...args], { cwd: root, env: testEnv(), stdio: [...stdio] });
          expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
          expect(readFileSync(out, 'utf8'), args.join(' ')).toBe('');
        }
      }
    } finally {
      closeSync(devNull);
    }
  });

  it('a generate under a git, config and file system seen before starts no process (the repository made as git init made it the first time) and loads no node:child_process', () => {
    const root = tempDir();
    const preload = path.join(root, 'modules.cjs');
    writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, '\\nLOADED ' + process.moduleLoadList.filter((m) => m.includes('child_process')).join(',') + '\\n'));\n");
    const env = testEnv({ XDG_CACHE_HOME: path.join(root, 'cache') });
    const generate = (name: string) => {
      const r = spawnSync(process.execPath, ['-r', preload, CLI, name, '--yes'], { cwd: root, env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return /\nLOADED (.*)\n/.exec(r.stderr)![1]!;
    };
    expect(generate('first')).toMatch(/child_process/);
    const second = generate('second');
    // Where git's installation keeps no template folder beside it, git runs every time.
    const git = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    if (existsSync(path.join(path.dirname(path.dirname(realpathSync(git))), 'share/git-core/templates'))) expect(second).toBe('');
    for (const p of ['first', 'second']) {
      const dir = path.join(root, p);
      expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
      expect(gitIn(dir, 'status', '--porcelain', '--ignored')).toBe('');
    }
    // Beside what the first commit added, .git is what git init made the first time.
    const made = (dir: string) =>
      (readdirSync(path.join(root, dir, '.git'), { recursive: true }) as string[])
        .filter((f) => !/^(objects\/|logs|index$|refs\/heads\/.)/.test(f))
        .sort()
        .map((f) => {
          const st = lstatSync(path.join(root, dir, '.git', f));
          return `${(st.mode & 0o7777).toString(8)} ${f} ${st.isFile() ? readFileSync(path.join(root, dir, '.git', f), 'latin1').length : ''}`;
        });
    expect(made('second')).toEqual(made('first'));
    expect(made('second').length).toBeGreaterThan(8);
  });
});
