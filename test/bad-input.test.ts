import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, snapshot, tempDir, testEnv } from './helpers/cli.js';
import { git, writeTree, type Tree } from './helpers/template-repo.js';

// Each malformed input from issue 10: exit 2, one message naming the field, flag or file, and
// nothing written anywhere in the sandbox.

const SPEC = (extra = '', when = '') => `name: t
version: 1.0.0
questions:
  - { key: project_name, type: slug, default: "{{dir_name}}" }
  - { key: p, type: text, default: "x"${when ? `, when: ${when}` : ''} }
${extra}`;

function templateDir(dir: string, files: Tree, spec = SPEC()): string {
  writeTree(dir, { 'template.yaml': spec, ...Object.fromEntries(Object.entries(files).map(([p, d]) => [`files/${p}`, d])) });
  return dir;
}

async function refused(tmp: string, args: string[], message: RegExp, cwd = tmp): Promise<void> {
  const before = snapshot(tmp);
  const r = await runCli(args, { cwd });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/failed: |TypeError|RangeError|Maximum call stack/);
  expect(r.code, r.stderr).toBe(2);
  expect(snapshot(tmp)).toEqual(before);
}

describe('malformed template.yaml', () => {
  it.each([
    ['{any: [1]}', /questions\[1\]\.when\.any\[0\]: must be a mapping/],
    ['{all: [null]}', /questions\[1\]\.when\.all\[0\]: must be a mapping/],
    ['{project_name: {any: 5}}', /questions\[1\]\.when\.project_name\.any: must be a non-empty list/],
    ['{project_name: {nope: 1}}', /questions\[1\]\.when\.project_name: must be a value, \{any: \[values\]\} or \{not: value\}/],
    ['{project_name: [a, b]}', /questions\[1\]\.when\.project_name: must be a string or a number/],
    ['{}', /questions\[1\]\.when: must name at least one answer/],
  ])('when: %s', async (when, message) => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'a.md': 'a' }, SPEC('', when));
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], message);
  });

  it('an unknown top-level key', async () => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'a.md': 'a' }, SPEC('filez:\n  verbatim: ["*.png"]\n'));
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], /template\.yaml: filez: is not a known field/);
  });

  it('an unknown key under files', async () => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'a.md': 'a' }, SPEC('files:\n  verbatum: ["*.png"]\n'));
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], /files\.verbatum: is not a known field/);
  });

  it('a template.yaml nested 100,000 deep', async () => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'a.md': 'a' }, `${SPEC()}x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], /template\.yaml/);
  });

  it('repeated **/ in files.verbatim against a deep path ends at once', async () => {
    const tmp = tempDir();
    const deep = `${'d/'.repeat(60)}x.md`;
    templateDir(path.join(tmp, 'tpl'), { [deep]: 'a' }, SPEC(`files:\n  verbatim: ["${'**/'.repeat(40)}y"]\n`));
    const r = await runCli(['p', '--yes', '--no-git', '--template', 'tpl'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(tmp, 'p', deep))).toBe(true);
  }, 30_000);
});

describe('malformed answers', () => {
  it('an answers file nested a million deep', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'a.json'), `{"owner": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    await refused(tmp, ['p', '--yes', '--answers', 'a.json'], /--answers: a\.json: .* nests too deeply/);
  });

  it('invalid UTF-8 in an answers file', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'a.yaml'), Buffer.concat([Buffer.from('owner: "Team '), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]));
    await refused(tmp, ['p', '--yes', '--answers', 'a.yaml'], /--answers: a\.yaml is not valid UTF-8/);
  });
});

describe('names too long for the file system', () => {
  it('a rendered file name of 450 characters', async () => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'README.md': 'hi', '{{p}}{{p}}{{p}}.md': 'x' });
    await refused(tmp, ['p', '--yes', '--template', 'tpl', '--set', `p=${'n'.repeat(150)}`], /has a name longer than 255 bytes/);
  });

  it('generate p/<300 characters>/x: refused before any folder is made', async () => {
    const tmp = tempDir();
    await refused(tmp, [`p/${'y'.repeat(300)}/x`, '--yes'], /\[dir\]: the folder name "y+…" is 300 bytes long; the limit is 255/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('sync --branch of 5000 characters', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes'], { cwd: tmp })).code).toBe(0);
    await refused(tmp, ['sync', '--branch', 'b'.repeat(5000)], /--branch: is 5000 characters long; the limit is 200/, path.join(tmp, 'p'));
  });
});

describe('empty flag values mean nothing, and are refused', () => {
  it.each([
    [['sync', '--template', ''], /--template: is empty/],
    [['sync', '--conflict', ''], /--conflict: "" must be inline \(the same as diff3\), diff3, merge or rej/],
    [['sync', '--branch', ''], /--branch: is empty/],
  ])('%j', async (args, message) => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes'], { cwd: tmp })).code).toBe(0);
    await refused(tmp, args, message, path.join(tmp, 'p'));
  });

  it('generate --template ""', async () => {
    const tmp = tempDir();
    await refused(tmp, ['p', '--yes', '--template', ''], /--template: is empty/);
  });

  it('adopt --template ""', async () => {
    const tmp = tempDir();
    mkdirSync(path.join(tmp, 'r'));
    await refused(tmp, ['adopt', '--yes', '--template', ''], /--template: is empty/, path.join(tmp, 'r'));
  });
});

describe('smaller ones', () => {
  it.each([true, false])('a user file named like a temp file survives a sync (git: %s)', async (withGit) => {
    const tmp = tempDir();
    const { builtinTemplateRepo, edit } = await import('./helpers/git.js');
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `${t}\nv1.1\n`));
    expect((await runCli(['p', '--template', `${tpl}#v1.0.0`, '--yes', ...(withGit ? [] : ['--no-git'])], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    const mine = ['.notes.deadbeef.cm-tmp', '.README.md.0123abcd.cm-tmp', 'docs/.notes.0123456789abcdef.cm-tmp'];
    for (const f of mine) writeFileSync(path.join(dir, f), `my notes in ${f}\n`);
    const r = await runCli(['sync', '--to', 'v1.1.0', '--allow-dirty'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('v1.1');
    for (const f of mine) expect(readFileSync(path.join(dir, f), 'utf8')).toBe(`my notes in ${f}\n`);
  });

  it('a template folder inside another git repository is read as the folder', async () => {
    const tmp = tempDir();
    const mono = path.join(tmp, 'mono');
    mkdirSync(mono);
    git(mono, 'init', '-q');
    writeFileSync(path.join(mono, 'x.txt'), 'x');
    git(mono, 'add', '-A');
    git(mono, 'commit', '-qm', 'x');
    // The template is in the work tree but not committed: HEAD has no template.yaml at all.
    templateDir(path.join(mono, 'templates/t'), { 'README.md': 'from the folder\n' });
    const r = await runCli(['p', '--yes', '--no-git', '--template', 'mono/templates/t'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(tmp, 'p/README.md'), 'utf8')).toBe('from the folder\n');
  });

  it('a 200 MB blob in a git template is refused from its size, never read into memory', async () => {
    const tmp = realpathSync(tempDir());
    const repo = path.join(tmp, 'tpl');
    templateDir(repo, { 'README.md': 'hi\n' });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    const blob = execFileSync('sh', ['-c', 'head -c 209715200 /dev/zero | git hash-object -w --stdin'], { cwd: repo, env: testEnv(), encoding: 'utf8' }).trim();
    git(repo, 'update-index', '--add', '--cacheinfo', `100644,${blob},files/zeros.bin`);
    git(repo, 'commit', '-qm', 'big');
    // The CLI reports its peak memory on exit.
    const probe = path.join(tmp, 'rss.cjs');
    writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(path.join(tmp, 'rss'))}, String(process.resourceUsage().maxRSS)));`);
    const before = snapshot(tmp);
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--require', probe, CLI, 'p', '--yes', '--template', repo], { cwd: tmp, env: testEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toMatch(/template file files\/zeros\.bin: 209715200 bytes is over the 5242880-byte limit/);
    expect(r.code).toBe(2);
    const rssKb = Number(readFileSync(path.join(tmp, 'rss'), 'utf8'));
    // Reading it would take 200 MB at least; checking its header takes a few pipe buffers.
    expect(rssKb).toBeLessThan(150 * 1024);
    const after = snapshot(tmp);
    delete after.rss;
    expect(after).toEqual(before);
  }, 60_000);
});
