import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplateSpec } from '../src/core/template/spec.js';
import { composePaths, migrateAnswers, readMigrations } from '../src/core/template/migrations.js';
import { runCli, tempDir } from './helpers/cli.js';
import { git, lfLines as lf } from './helpers/template-repo.js';
import { versionsRepo, type Version } from './helpers/versions-repo.js';

/**
 * Template migrations as data (`migrations:` in template.yaml): paths moved or removed, answers
 * renamed, set or dropped, notes for people; applied in version order when sync crosses them.
 */

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const exists = (dir: string, rel: string) => existsSync(path.join(dir, rel));
const manifest = (dir: string) => JSON.parse(read(dir, '.migration-template.json')) as { answers: Record<string, unknown>; template: { version: string } };

const regionQ = `  - key: region
    type: text
    message: Region
    default: us-east
`;
const zoneQ = `  - key: zone
    type: text
    message: Zone
    default: eu-west
  - key: tier
    type: text
    message: Tier
    default: small
`;

const v1: Version = {
  version: '1.0.0',
  questions: regionQ,
  tree: { 'README.md': lf('# r', 'region: {{region}}'), 'config/app.ini': lf('[app]', 'a = 1', 'b = 1', 'c = 1', 'd = 1'), 'docs/old.md': lf('old'), 'notes/team.md': lf('team notes v1') },
};
const v2: Version = {
  version: '2.0.0',
  questions: zoneQ,
  tree: { 'README.md': lf('# r', 'zone: {{zone}}', 'tier: {{tier}}'), 'config/app.toml': lf('[app]', 'a = 1', 'b = 1', 'c = 1', 'd = 2') },
  files: `migrations:
  "2.0.0":
    move:
      - {from: config/app.ini, to: config/app.toml}
      - {from: src/legacy, to: src/ported}
    remove: [docs/old.md, notes/team.md]
    answers:
      rename: {region: zone}
      set: {tier: large}
    notes: |
      Settings moved to \`config/app.toml\`. Check **the tier** before merging.
`,
};
const v3: Version = {
  version: '3.0.0',
  questions: zoneQ,
  tree: { 'README.md': lf('# r', 'zone: {{zone}}', 'tier: {{tier}}', 'v3'), 'config/app.toml': lf('[app]', 'a = 1', 'b = 1', 'c = 1', 'd = 3') },
  files: `migrations:
  "2.0.0":
    move:
      - {from: config/app.ini, to: config/app.toml}
      - {from: src/legacy, to: src/ported}
    remove: [docs/old.md, notes/team.md]
    answers:
      rename: {region: zone}
      set: {tier: large}
    notes: |
      Settings moved to \`config/app.toml\`. Check **the tier** before merging.
  "3.0.0":
    move:
      - {from: src/ported, to: src/jobs}
    answers:
      drop: [tier]
    notes: Workflows now live in \`src/jobs\`.
`,
};

async function setup(versions: Version[]) {
  const root = tempDir('cm-mig-');
  const tpl = versionsRepo(path.join(root, 'tpl'), versions);
  const r = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes', '--set', 'region=ap-south'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  const dir = path.join(root, 'proj');
  // the team: edits the settings and its notes, and keeps workflows of its own in src/legacy
  writeFileSync(path.join(dir, 'config/app.ini'), lf('[app]', 'a = team', 'b = 1', 'c = 1', 'd = 1'));
  writeFileSync(path.join(dir, 'notes/team.md'), lf('team notes v1', 'our own line'));
  mkdirSync(path.join(dir, 'src/legacy/sub'), { recursive: true });
  writeFileSync(path.join(dir, 'src/legacy/job.py'), lf('print("job")'));
  writeFileSync(path.join(dir, 'src/legacy/sub/two.py'), lf('print("two")'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'team work');
  return { root, tpl, dir };
}

describe('migrations (pure)', () => {
  const fail = (p: string, w: string): never => {
    throw new Error(`${p}: ${w}`);
  };
  it('answers: renamed, set and dropped in version order', () => {
    const ms = readMigrations({ '3.0.0': { answers: { drop: ['tier'] } }, '2.0.0': { answers: { rename: { region: 'zone' }, set: { tier: 'large' } } } }, '3.0.0', fail)!;
    expect(ms.map((m) => m.version)).toEqual(['2.0.0', '3.0.0']);
    expect(migrateAnswers({ region: 'x', other: 1 }, ms.slice(0, 1))).toEqual({ zone: 'x', other: 1, tier: 'large' });
    expect(migrateAnswers({ region: 'x' }, ms)).toEqual({ zone: 'x' });
  });
  it('moves chain across versions', () => {
    const ms = readMigrations({ '2.0.0': { move: [{ from: 'a', to: 'b' }] }, '3.0.0': { move: [{ from: 'b', to: 'c/d' }] } }, '3.0.0', fail)!;
    expect(composePaths(ms).moves).toEqual([{ from: 'a', to: 'c/d', version: '3.0.0' }]);
  });
  it.each([
    ['migrations:\n  "2.0.0":\n    move:\n      - {from: a, to: ../../etc/x}\n', 'migrations."2.0.0".move[0].to: "../../etc/x" leaves the project folder'],
    ['migrations:\n  "2.0.0":\n    remove: [.git/hooks/pre-commit]\n', 'migrations."2.0.0".remove[0]'],
    ['migrations:\n  "2.0.0":\n    remove: [.migration-template.ignore]\n', 'a name create-migration keeps'],
    ['migrations:\n  "2.0.0":\n    run: "rm -rf /"\n', 'migrations."2.0.0".run: is not a known field'],
    ['migrations:\n  "2.0.0":\n    answers: {rename: {region: "Bad Key"}}\n', 'migrations."2.0.0".answers.rename.region'],
    ['migrations:\n  "2.0.0":\n    answers: {set: {tier: {a: 1}}}\n', 'migrations."2.0.0".answers.set.tier: must be a string'],
    ['migrations:\n  "9.0.0":\n    notes: later\n', 'is newer than the template\'s own version 2.0.0'],
    ['migrations:\n  two:\n    notes: x\n', '"two" is not a semantic version'],
  ])('%s is refused naming the migration and field', (yaml, message) => {
    expect(() => parseTemplateSpec(`name: t\nversion: 2.0.0\nquestions: []\n${yaml}`)).toThrow(message);
  });
});

describe('sync applies migrations', () => {
  it('--dry-run shows them and writes nothing; sync moves, removes, migrates answers and writes the notes', async () => {
    const { dir } = await setup([v1, v2]);
    const dry = await runCli(['sync', '--dry-run', '--summary', 'body.md'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('Migration 2.0.0: move config/app.ini -> config/app.toml; move src/legacy -> src/ported; remove docs/old.md; remove notes/team.md; answer region -> zone; answer tier = "large"');
    expect(dry.stderr).toContain('Check **the tier** before merging.');
    expect(dry.stdout).toContain('+++ b/src/ported/job.py');
    expect(dry.stdout).toContain('+++ b/docs/template-updates/2.0.0.md');
    expect(git(dir, 'status', '--porcelain')).toBe('?? body.md\n');
    expect(read(dir, 'body.md')).toContain('### Migration notes: to do for this update');

    const r = await runCli(['sync', '--json', '--summary', '../body.md'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    // answers: renamed (the team's value kept), set
    expect(manifest(dir).answers).toMatchObject({ zone: 'ap-south', tier: 'large' });
    expect(manifest(dir).answers.region).toBeUndefined();
    expect(read(dir, 'README.md')).toBe(lf('# r', 'zone: ap-south', 'tier: large'));
    // the template's file moved: the team's edit went with it, and the template's change merged
    expect(exists(dir, 'config/app.ini')).toBe(false);
    expect(read(dir, 'config/app.toml')).toBe(lf('[app]', 'a = team', 'b = 1', 'c = 1', 'd = 2'));
    // the team's own folder moved, whole
    expect(read(dir, 'src/ported/job.py')).toBe(lf('print("job")'));
    expect(read(dir, 'src/ported/sub/two.py')).toBe(lf('print("two")'));
    expect(exists(dir, 'src/legacy')).toBe(false);
    // removed where unchanged; kept where the team changed it
    expect(exists(dir, 'docs/old.md')).toBe(false);
    expect(read(dir, 'notes/team.md')).toBe(lf('team notes v1', 'our own line'));
    const outcomes = JSON.parse(r.stdout).projects[0].outcomes as { path: string; status: string; note?: string }[];
    expect(outcomes.find((o) => o.path === 'notes/team.md')).toMatchObject({ status: 'kept', note: expect.stringContaining('the 2.0.0 migration removes it, but you changed it') });
    expect(outcomes.find((o) => o.path === 'src/ported/job.py')).toMatchObject({ status: 'renamed', note: 'moved by the 2.0.0 migration' });
    // the notes, in a file the team can follow and in the pull request body
    expect(read(dir, 'docs/template-updates/2.0.0.md')).toContain('Check **the tier** before merging.');
    expect(read(dir, 'docs/template-updates/2.0.0.md')).toContain('- moved `src/legacy` to `src/ported`');
    expect(read(path.dirname(dir), 'body.md')).toContain('Check **the tier** before merging.');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'sync');
    expect((await runCli(['sync', '--check'], { cwd: dir })).code).toBe(0);
  });

  it('crossing two versions: both migrations, in version order (moves chained, answers renamed then dropped)', async () => {
    const { dir } = await setup([v1, v2, v3]);
    // 3.0.0 drops the tier answer and still asks the question: asked again (--yes: its default)
    const r = await runCli(['sync', '--json', '--yes'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).projects[0].migrations.map((m: { version: string }) => m.version)).toEqual(['2.0.0', '3.0.0']);
    expect(read(dir, 'src/jobs/job.py')).toBe(lf('print("job")'));
    expect(exists(dir, 'src/ported')).toBe(false);
    expect(manifest(dir).answers).toMatchObject({ zone: 'ap-south', tier: 'small' });
    expect(read(dir, 'config/app.toml')).toBe(lf('[app]', 'a = team', 'b = 1', 'c = 1', 'd = 3'));
    expect(exists(dir, 'docs/template-updates/2.0.0.md')).toBe(true);
    expect(read(dir, 'docs/template-updates/3.0.0.md')).toContain('Workflows now live in `src/jobs`.');
  });

  it('a move never lands on a file that is there, and a team path in the ignore list is left alone', async () => {
    const { dir } = await setup([v1, v2]);
    mkdirSync(path.join(dir, 'src/ported'), { recursive: true });
    writeFileSync(path.join(dir, 'src/ported/job.py'), lf('already here'));
    writeFileSync(path.join(dir, '.migration-template.ignore'), lf('notes/'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'more');
    const r = await runCli(['sync', '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(read(dir, 'src/ported/job.py')).toBe(lf('already here'));
    expect(read(dir, 'src/legacy/job.py')).toBe(lf('print("job")'));
    expect(read(dir, 'src/ported/sub/two.py')).toBe(lf('print("two")'));
    const outcomes = JSON.parse(r.stdout).projects[0].outcomes as { path: string; status: string; note?: string }[];
    expect(outcomes.find((o) => o.path === 'src/legacy/job.py')).toMatchObject({ status: 'kept', note: expect.stringContaining('something stands there') });
    expect(outcomes.find((o) => o.path === 'notes/team.md')).toMatchObject({ status: 'skipped', note: 'in .migration-template.ignore' });
    expect(read(dir, 'notes/team.md')).toBe(lf('team notes v1', 'our own line'));
  });

  it('a template with a bad migration: exit 2 naming the migration and field, nothing written', async () => {
    const bad: Version = { ...v2, files: 'migrations:\n  "2.0.0":\n    move:\n      - {from: src/legacy, to: /etc/cron.d/x}\n' };
    const { dir } = await setup([v1, bad]);
    const r = await runCli(['sync'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('migrations."2.0.0".move[0].to: "/etc/cron.d/x" is absolute');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
