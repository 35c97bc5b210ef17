import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli, snapshot, tempDir, ROOT } from './helpers/cli.js';
import { buildTemplateRepo, copyDir, git } from './helpers/template-repo.js';
import { versionsRepo, type Version } from './helpers/versions-repo.js';

/**
 * The render skip end to end: the built CLI syncs a copy of a project with the skip and another
 * copy with it off (CREATE_MIGRATION_RENDER_SKIP=0, which renders every file as before); the
 * files, the manifest, the index and the pristine branch's tree must come out the same.
 */

const lf = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');
const MANIFEST = '.migration-template.json';

const questions = `  - key: owner
    type: text
    message: Owner
    default: ops
  - key: items
    type: multi
    message: Items
    choices: [a, b, c]
    default: [a, b]
  - key: kind
    type: choice
    message: Kind
    choices: [{ value: x, label: Ex }, { value: y, label: Why }]
    default: x
`;
const tree1 = {
  'README.md': lf('# {{project_name}}', 'owned by {{owner}}'),
  'unchanged.md': lf('{{#each items}}- {{this}} ({{@index}}) for {{../owner}}', '{{/each}}'),
  'version.md': lf('made from {{template.name}} {{template.version}} by {{tool.package}}'),
  'lookup.md': lf('{{#each items}}{{lookup ../this "owner"}};{{/each}}'),
  'root.md': lf('{{@root.kind}} {{label "kind" kind}}'),
  'only-x.md': lf('x for {{owner}}'),
  'src/{{project_name}}/mod.py': lf('NAME = {{py project_name}}'),
  'bin/run.sh': lf('#!/bin/sh', 'echo {{project_name}}'),
  'config/old.ini': lf('[a]', 'owner = {{owner}}'),
  'plain.txt': lf('no substitutions'),
};
const conditional = `  conditional:
    - { path: only-x.md, when: { kind: x } }
`;
const versions: Version[] = [
  { version: '1.0.0', questions, tree: tree1, files: conditional, exec: ['bin/run.sh'] },
  {
    version: '1.1.0',
    questions: questions.replace('label: Why', 'label: Why not'),
    tree: {
      ...Object.fromEntries(Object.entries(tree1).filter(([p]) => p !== 'config/old.ini')),
      'README.md': `${tree1['README.md']}changed in 1.1\n`,
      'config/new.ini': tree1['config/old.ini'],
      'added.md': lf('new for {{owner}}'),
    },
    files: `${conditional}migrations:\n  "1.1.0":\n    move:\n      - {from: config/old.ini, to: config/new.ini}\n`,
    exec: ['bin/run.sh'],
  },
];

async function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = await runCli(args, { cwd, env });
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
  return r;
}

/** Everything a sync leaves: files, their modes, the index, HEAD, the pristine branch's tree. */
function state(dir: string) {
  const g = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' });
  return {
    files: snapshot(dir, false),
    manifest: readFileSync(path.join(dir, MANIFEST), 'utf8').replace(/"generator": "[^"]*"/, ''),
    index: g('ls-files', '-s'),
    head: g('rev-parse', 'HEAD'),
    pristine: g('rev-parse', 'migration-template^{tree}'),
  };
}

/** Syncs two copies of `project`, with the skip and without it, and checks they end the same; returns the skip's copy. */
async function same(project: string, args: string[] = ['sync']): Promise<string> {
  const root = tempDir('cm-skip-');
  const on = copyDir(project, path.join(root, 'on'));
  const off = copyDir(project, path.join(root, 'off'));
  const a = await runCli(args, { cwd: on });
  const b = await runCli(args, { cwd: off, env: { CREATE_MIGRATION_RENDER_SKIP: '0' } });
  // 0, or 1 when files are left in conflict: the same for both, with the same output.
  expect(a.code, a.stderr).toBeLessThanOrEqual(1);
  expect({ code: a.code, out: a.stdout.replaceAll(on, 'P'), err: a.stderr.replaceAll(on, 'P') }).toEqual({ code: b.code, out: b.stdout.replaceAll(off, 'P'), err: b.stderr.replaceAll(off, 'P') });
  expect(state(on)).toEqual(state(off));
  return on;
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files: Record<string, string>; renderKeys?: Record<string, string> };

describe('sync with the render skip ends as a full render does', () => {
  it('a git template across versions: changed, unchanged, added, moved and conditional files, loops, lookup, @root, labels, executables, a team edit, --set', async () => {
    const root = tempDir('cm-skip-');
    const tpl = versionsRepo(path.join(root, 'tpl'), versions);
    await cli(root, ['proj', '--template', `${tpl}#v1.0.0`, '--yes']);
    const proj = path.join(root, 'proj');
    const keys = manifestOf(proj).renderKeys!;
    // Generate records a key for each rendered text and each file copied as it is (plain.txt).
    expect(Object.keys(keys).sort()).toEqual(['README.md', 'bin/run.sh', 'config/old.ini', 'lookup.md', 'only-x.md', 'plain.txt', 'root.md', 'src/proj/mod.py', 'unchanged.md', 'version.md']);
    writeFileSync(path.join(proj, 'unchanged.md'), `${readFileSync(path.join(proj, 'unchanged.md'), 'utf8')}team line\n`);
    git(proj, 'commit', '-qam', 'team edit');
    const synced = await same(proj);
    expect(manifestOf(synced).renderKeys!['added.md']).toMatch(/^[0-9a-f]{16}$/);
    await same(proj, ['sync', '--set', 'owner=platform']);
    await same(proj, ['sync', '--set', 'kind=y']);
    await same(proj, ['sync', '--set', 'items=c']);
    await same(proj, ['recopy']);
    // The same version again, with a changed answer: only that answer's files change.
    git(synced, 'add', '-A');
    git(synced, 'commit', '-qm', 'synced to 1.1.0');
    const again = await same(synced, ['sync', '--set', 'owner=dev']);
    git(again, 'add', '-A');
    git(again, 'commit', '-qm', 'owner changed');
    await same(again, ['sync', '--set', 'kind=y']);
  });

  it('the sync scenarios template (renames, removals, binaries, conflicts) from v1.0.0 to v2.0.0', async () => {
    const root = tempDir('cm-skip-');
    const tpl = buildTemplateRepo(path.join(root, 'tpl'));
    await cli(root, ['proj', '--template', `${tpl}#v1.0.0`, '--yes']);
    const proj = path.join(root, 'proj');
    writeFileSync(path.join(proj, 'README.md'), `${readFileSync(path.join(proj, 'README.md'), 'utf8')}team line\n`);
    git(proj, 'commit', '-qam', 'team edit');
    await same(proj);
    await same(proj, ['sync', '--to', 'v1.0.0', '--set', 'title=Other']);
  });

  it('the built-in template, one version behind, as the benchmark syncs it', async () => {
    const root = tempDir('cm-skip-');
    const older = path.join(root, 'older');
    cpSync(path.join(ROOT, 'templates/kailash-migration'), older, { recursive: true });
    const y = path.join(older, 'template.yaml');
    writeFileSync(y, readFileSync(y, 'utf8').replace(/^version: .*$/m, 'version: 0.9.0'));
    const readme = path.join(older, 'files/README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace(/\n## Quick start\n/, '\n'));
    await cli(root, ['p', '--template', older, '--yes']);
    const proj = path.join(root, 'p');
    const m = JSON.parse(readFileSync(path.join(proj, MANIFEST), 'utf8'));
    m.template = { name: m.template.name, version: m.template.version, source: 'builtin' };
    writeFileSync(path.join(proj, MANIFEST), `${JSON.stringify(m, null, 2)}\n`);
    writeFileSync(path.join(proj, 'TASKS.md'), `${readFileSync(path.join(proj, 'TASKS.md'), 'utf8')}\n- team note\n`);
    git(proj, 'commit', '-qam', 'team edit');
    await same(proj);
    await same(proj, ['sync', '--set', 'owner=Someone else']);
  });

  it('a manifest without render keys (an older tool) syncs as before, and the new manifest has them', async () => {
    const root = tempDir('cm-skip-');
    const tpl = versionsRepo(path.join(root, 'tpl'), versions);
    await cli(root, ['proj', '--template', `${tpl}#v1.0.0`, '--yes']);
    const proj = path.join(root, 'proj');
    const m = JSON.parse(readFileSync(path.join(proj, MANIFEST), 'utf8'));
    delete m.renderKeys;
    writeFileSync(path.join(proj, MANIFEST), `${JSON.stringify(m, null, 2)}\n`);
    git(proj, 'commit', '-qam', 'older manifest');
    const synced = await same(proj);
    expect(Object.keys(manifestOf(synced).renderKeys ?? {}).length).toBeGreaterThan(5);
  });

  it('adopt records the keys, and a later sync ends as with the skip off', async () => {
    const root = tempDir('cm-skip-');
    const tpl = versionsRepo(path.join(root, 'tpl'), versions);
    await cli(root, ['seed', '--template', `${tpl}#v1.0.0`, '--yes', '--no-git', '--set', 'project_name=proj']);
    const repo = path.join(root, 'proj');
    cpSync(path.join(root, 'seed'), repo, { recursive: true, filter: (p) => path.basename(p) !== MANIFEST });
    writeFileSync(path.join(repo, 'lookup.md'), 'our own\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'hand-made');
    await cli(repo, ['adopt', '--template', `${tpl}#v1.0.0`, '--yes']);
    expect(Object.keys(manifestOf(repo).renderKeys ?? {})).toContain('unchanged.md');
    git(repo, 'add', MANIFEST);
    git(repo, 'commit', '-qm', 'adopt');
    await same(repo);
  });

  it('a render key only the project manifest records (a pull request may edit it) is not trusted', async () => {
    // README.md changes in 1.1.0: its 1.1.0 key, written into the 1.0.0 project's manifest,
    // would make a sync keep the 1.0.0 text as 1.1.0's render if the key were believed.
    const root = tempDir('cm-skip-');
    const tpl = versionsRepo(path.join(root, 'tpl'), versions);
    mkdirSync(path.join(root, 'newer'));
    await cli(path.join(root, 'newer'), ['proj', '--template', `${tpl}#v1.1.0`, '--yes']);
    await cli(root, ['proj', '--template', `${tpl}#v1.0.0`, '--yes']);
    const proj = path.join(root, 'proj');
    const m = JSON.parse(readFileSync(path.join(proj, MANIFEST), 'utf8'));
    const newer = manifestOf(path.join(root, 'newer/proj')).renderKeys!['README.md']!;
    expect(newer).not.toBe(m.renderKeys['README.md']);
    m.renderKeys['README.md'] = newer;
    writeFileSync(path.join(proj, MANIFEST), `${JSON.stringify(m, null, 2)}\n`);
    git(proj, 'commit', '-qam', 'key written by hand');
    const on = await same(proj);
    expect(readFileSync(path.join(on, 'README.md'), 'utf8')).toContain('changed in 1.1');
  });

  it('the skip is taken where the pristine branch vouches for the key and hash: such a file is read, not rendered', async () => {
    // The last render made X (as the pristine branch and the manifest both say), the template
    // file and its inputs are unchanged: the sync takes X from the project, where a full render
    // records what the template renders. Only a hand-made history can tell them apart.
    const root = tempDir('cm-skip-');
    const tpl = versionsRepo(path.join(root, 'tpl'), versions);
    await cli(root, ['proj', '--template', `${tpl}#v1.0.0`, '--yes']);
    const proj = path.join(root, 'proj');
    const x = `${readFileSync(path.join(proj, 'unchanged.md'), 'utf8')}as if rendered\n`;
    const m = JSON.parse(readFileSync(path.join(proj, MANIFEST), 'utf8'));
    const rendered = m.files['unchanged.md'];
    m.files['unchanged.md'] = createHash('sha256').update(x).digest('hex');
    const manifestText = `${JSON.stringify(m, null, 2)}\n`;
    // The same content and manifest on the pristine branch, then in the project.
    const wt = path.join(root, 'pristine');
    git(proj, 'worktree', 'add', '-q', wt, 'migration-template');
    writeFileSync(path.join(wt, 'unchanged.md'), x);
    writeFileSync(path.join(wt, MANIFEST), manifestText);
    git(wt, 'commit', '-qam', 'as rendered');
    git(proj, 'worktree', 'remove', wt);
    writeFileSync(path.join(proj, 'unchanged.md'), x);
    writeFileSync(path.join(proj, MANIFEST), manifestText);
    git(proj, 'commit', '-qam', 'as rendered');
    const on = copyDir(proj, path.join(root, 'on'));
    const off = copyDir(proj, path.join(root, 'off'));
    await cli(on, ['sync']);
    await cli(off, ['sync'], { CREATE_MIGRATION_RENDER_SKIP: '0' });
    expect(manifestOf(on).files['unchanged.md']).toBe(m.files['unchanged.md']);
    expect(manifestOf(off).files['unchanged.md']).toBe(rendered);
  });
});
