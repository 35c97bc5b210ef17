import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli, snapshot, tempDir } from './helpers/cli.js';
import { KEY, runInPty } from './helpers/pty.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/assess');
const SECRETS = ['pin123', 'r2cs2c2r24', 'Abcd.1234', 'secret1', 'secret2', '-pPWD', ' tiger ']; // ' tiger ': the census' TIGER shapefiles in a held-out URL are not the password

/** A small legacy system: a crontab with a time zone, the script it runs, a password on the command line. */
function legacy(dir: string) {
  mkdirSync(path.join(dir, 'cron'), { recursive: true });
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'cron/etl.crontab'), 'MAILTO=ops@example.com\nCRON_TZ=Europe/Paris\n15 2 * * * /opt/etl/bin/load_sales.sh scott tiger ORCL\n');
  writeFileSync(
    path.join(dir, 'bin/load_sales.sh'),
    '#!/bin/sh\nuser="$1"\npass="$2"\nsqlplus -s $user/$pass@$3 <<EOF\nspool /data/out/sales.csv\nselect region, sum(amount) from sales where day = trunc(sysdate) group by region;\nEOF\nsort -t, -k2 -n /data/out/sales.csv > /data/out/sorted.csv\nmailx -s "sales" finance@example.com < /data/out/sorted.csv\n',
  );
  return dir;
}

async function project(parent: string, name = 'proj') {
  const r = await runCli([name, '--yes', '--no-git'], { cwd: parent });
  expect(r.code, r.stderr).toBe(0);
  return path.join(parent, name);
}

describe('create-migration assess', () => {
  it('reports the fixtures as JSON and as text, every fact with its file and line, no password anywhere', async () => {
    const json = await runCli(['assess', '.', '--json'], { cwd: FIXTURES });
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ ok: true, command: 'assess' });
    // 34 in the labelled set, 8 and 3 in the held-out sets of issue 22 (8 installed by scripts, two with deploy-time fields).
    expect(out.schedules).toHaveLength(45);
    expect(out.schedules.filter((s: { installed?: boolean }) => s.installed)).toHaveLength(8);
    // The held-out set tips the majority: mysql in 12 files, oracle in 11 (the labelled set alone says oracle).
    expect(out.answers).toMatchObject({ database_kind: 'mysql' });
    for (const list of [out.schedules, out.accesses, out.rules, out.config, out.artifacts]) {
      for (const f of list) expect(typeof f.file === 'string' && Number.isInteger(f.line) && f.line > 0, JSON.stringify(f)).toBe(true);
    }
    const text = await runCli(['assess', '.'], { cwd: FIXTURES });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Schedules (45)');
    expect(text.stdout).toContain('dhis2/pg_backup.cron:1  0 23 * * *: every day at 23:00');
    expect(text.stdout).toContain('script dhis2/pg_backup.sh');
    expect(text.stdout).toContain('eldie/controles.sh:11  connection (sqlplus) = sqlplus sacar/REDACTED@balanceo');
    for (const s of SECRETS) for (const o of [json.stdout, json.stderr, text.stdout, text.stderr]) expect(o, s).not.toContain(s);
  });

  it('refuses what is not a folder with exit 2, and writes nothing', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'crontab'), '0 1 * * * /a.sh\n');
    const before = snapshot(tmp);
    const file = await runCli(['assess', 'crontab'], { cwd: tmp });
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('<legacy-dir>: crontab is not a folder');
    const missing = await runCli(['assess', 'nope', '--json'], { cwd: tmp });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, exitCode: 2, error: '<legacy-dir>: nope does not exist.' });
    const gen = await runCli(['proj', '--assess', 'crontab', '--yes'], { cwd: tmp });
    expect(gen.code).toBe(2);
    expect(gen.stderr).toContain('--assess: crontab is not a folder');
    const bad = await runCli(['assess', '.', '--max-files', 'lots'], { cwd: tmp });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-files');
    expect(snapshot(tmp)).toEqual(before);
  });

  it('never follows a link, skips binary and huge files, reads other encodings with a note, and stops at --max-files', async () => {
    const tmp = tempDir();
    const outside = path.join(tmp, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.crontab'), '0 4 * * * /outside/job.sh\n');
    const dir = path.join(tmp, 'legacy');
    mkdirSync(path.join(dir, 'cron'), { recursive: true });
    symlinkSync(outside, path.join(dir, 'cron/linked'));
    symlinkSync(path.join(outside, 'secret.crontab'), path.join(dir, 'cron/other.crontab'));
    writeFileSync(path.join(dir, 'cron/real.crontab'), '30 6 * * 1-5 /opt/job.sh\n');
    writeFileSync(path.join(dir, 'blob.crontab'), Buffer.concat([Buffer.from('0 5 * * * /bin/x.sh\n'), Buffer.alloc(16, 0)]));
    writeFileSync(path.join(dir, 'huge.crontab'), `0 7 * * * /bin/y.sh\n${'#'.repeat(1_200_000)}\n`);
    writeFileSync(path.join(dir, 'rapport.sh'), Buffer.from('#!/bin/sh\n# r\xe9sum\xe9 du jour\npsql -c "select 1"\n', 'latin1'));
    const unreadable = path.join(dir, 'locked.sh');
    writeFileSync(unreadable, 'psql -c "select 2"\n');
    chmodSync(unreadable, 0o000);
    const r = await runCli(['assess', 'legacy', '--json'], { cwd: tmp });
    chmodSync(unreadable, 0o600);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schedules.map((s: { file: string; cron: string }) => `${s.file} ${s.cron}`)).toEqual(['legacy/cron/real.crontab 30 6 * * 1-5']);
    expect(out.notes).toEqual(expect.arrayContaining([
      { file: 'legacy/cron/linked', note: 'symbolic link, not followed' },
      { file: 'legacy/cron/other.crontab', note: 'symbolic link, not followed' },
      { file: 'legacy/huge.crontab', note: expect.stringMatching(/^larger than 1024 KB/) },
      { file: 'legacy/rapport.sh', note: 'not UTF-8: read as Latin-1' },
    ]));
    expect(out.skipped).toMatchObject({ binary: 1, large: 1, links: 2 });
    if (process.getuid?.() !== 0) expect(out.notes).toContainEqual({ file: 'legacy/locked.sh', note: 'not readable (EACCES)' });
    const few = await runCli(['assess', 'legacy', '--max-files', '2', '--json'], { cwd: tmp });
    expect(few.code).toBe(0);
    expect(JSON.parse(few.stdout).notes[0]).toEqual({ file: 'legacy', note: 'stopped after 2 files (--max-files); the rest was not read' });
  });

  it('--answers-out writes answers that create-migration --answers takes, and never replaces a file', async () => {
    const tmp = tempDir();
    legacy(path.join(tmp, 'legacy'));
    const r = await runCli(['assess', 'legacy', '--answers-out', 'answers.json'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const answers = JSON.parse(readFileSync(path.join(tmp, 'answers.json'), 'utf8'));
    expect(answers).toEqual({ legacy_stack: ['cron_shell', 'static_reports'], data_sources: ['csv', 'database'], database_kind: 'oracle', patterns: ['etl', 'reporting'] });
    const again = await runCli(['assess', 'legacy', '--answers-out', 'answers.json'], { cwd: tmp });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--answers-out: answers.json already exists');
    const gen = await runCli(['proj', '--answers', 'answers.json', '--yes', '--no-git'], { cwd: tmp });
    expect(gen.code, gen.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(tmp, 'proj/.migration-template.json'), 'utf8')).answers).toMatchObject(answers);
  });

  it('create-migration --assess takes the findings as defaults with --yes, and shows where they came from on a terminal', async () => {
    const tmp = tempDir();
    legacy(path.join(tmp, 'legacy'));
    const r = await runCli(['proj', '--assess', 'legacy', '--yes', '--no-git'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('assess suggests database_kind = oracle (legacy/bin/load_sales.sh:4)');
    expect(JSON.parse(readFileSync(path.join(tmp, 'proj/.migration-template.json'), 'utf8')).answers).toMatchObject({
      legacy_stack: ['cron_shell', 'static_reports'],
      data_sources: ['csv', 'database'],
      database_kind: 'oracle',
      patterns: ['etl', 'reporting'],
    });
    const { code, failedAt, transcript } = runInPty(tmp, ['asked', '--assess', 'legacy', '--no-git'], [
      { expect: 'display name', send: KEY.enter },
      { expect: 'description', send: KEY.enter },
      { expect: 'accountable', send: KEY.enter },
      { expect: 'suggested by assess', send: KEY.ctrlC, timeout: 20 },
    ]);
    expect(failedAt, transcript).toBeNull();
    expect(transcript.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\s+/g, ' ')).toContain('consist of? (suggested by assess from legacy/cron/etl.crontab:3 and');
    expect(code).toBe(130);
    expect(existsSync(path.join(tmp, 'asked'))).toBe(false);
  });

  it('--write fills only the assess region of docs/assessment.md, linked to the evidence, and re-running updates it', async () => {
    const tmp = tempDir();
    const legacyDir = legacy(path.join(tmp, 'legacy'));
    const proj = await project(tmp);
    const doc = path.join(proj, 'docs/assessment.md');
    const edited = readFileSync(doc, 'utf8').replace('## 2. Architecture', 'A line the team wrote.\n\n## 2. Architecture');
    writeFileSync(doc, edited);
    const plain = await runCli(['assess', '../legacy'], { cwd: proj });
    expect(plain.code).toBe(0);
    expect(readFileSync(doc, 'utf8')).toBe(edited); // nothing written without --write
    const r = await runCli(['assess', '../legacy', '--write'], { cwd: proj });
    expect(r.code, r.stderr).toBe(0);
    const after = readFileSync(doc, 'utf8');
    const region = after.slice(after.indexOf('<!-- assess:start -->'), after.indexOf('<!-- assess:end -->'));
    // The legacy folder is outside the project: a link there is dead once the project is pushed, so its path is text.
    expect(region).toContain('`../legacy/cron/etl.crontab:3`');
    expect(region).toContain('`../legacy/bin/load_sales.sh`');
    expect(region).not.toMatch(/\]\(\.\.\/\.\./);
    expect(region).toContain('`where day = trunc(sysdate) group by region;`');
    expect(region).toContain('`sort -t, -k2 -n`');
    expect(region).not.toContain('tiger');
    const outside = (t: string) => t.slice(0, t.indexOf('<!-- assess:start -->')) + t.slice(t.indexOf('<!-- assess:end -->'));
    expect(outside(after)).toBe(outside(edited));
    writeFileSync(path.join(legacyDir, 'cron/etl.crontab'), `${readFileSync(path.join(legacyDir, 'cron/etl.crontab'), 'utf8')}@weekly /opt/etl/bin/purge.sh\n`);
    const again = await runCli(['assess', path.join(tmp, 'legacy'), '--write', '--project', proj], { cwd: tmp });
    expect(again.code, again.stderr).toBe(0);
    const third = readFileSync(doc, 'utf8');
    expect(third).toContain('`@weekly`: at 00:00 on Sunday (Europe/Paris)');
    expect(third).not.toContain('(@weekly)');
    expect(outside(third)).toBe(outside(edited));
    const noProject = await runCli(['assess', 'legacy', '--write'], { cwd: tmp });
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain('has no .migration-template.json');
  });

  it('--workflows adds one workflow per scheduled job, and a second run replaces none', async () => {
    const tmp = tempDir();
    legacy(path.join(tmp, 'legacy'));
    const proj = await project(tmp);
    const r = await runCli(['assess', '../legacy', '--workflows', '--json'], { cwd: proj });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.workflows).toEqual([expect.objectContaining({ name: 'legacy_load_sales', schedule: '15 2 * * *', timeZone: 'Europe/Paris', script: '../legacy/bin/load_sales.sh', pattern: 'etl' })]);
    expect(existsSync(path.join(proj, 'src/proj/workflows/legacy_load_sales.py'))).toBe(true);
    expect(readFileSync(path.join(proj, 'docs/kailash-mapping.md'), 'utf8')).toContain('legacy_load_sales.py');
    const before = snapshot(proj);
    const again = await runCli(['assess', '../legacy', '--workflows'], { cwd: proj });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('skipped  legacy_load_sales');
    expect(snapshot(proj)).toEqual(before);
  });

  // Needs the workflows branch (issue 11): the add-workflow generator learns the `schedule` and
  // `time_zone` answers and writes deploy/kubernetes/<name>-cronjob.yaml. Enabled at merge.
  const cronjobTemplate = path.join(ROOT, 'templates/kailash-migration/generators/workflow/etl/deploy/kubernetes/{{workflow_name}}-cronjob.yaml');
  it.skipIf(!existsSync(cronjobTemplate))('--workflows carries the legacy schedule and time zone into the CronJob', async () => {
    const tmp = tempDir();
    legacy(path.join(tmp, 'legacy'));
    const proj = await project(tmp);
    const r = await runCli(['assess', '../legacy', '--workflows'], { cwd: proj });
    expect(r.code, r.stderr).toBe(0);
    const job = parse(readFileSync(path.join(proj, 'deploy/kubernetes/legacy_load_sales-cronjob.yaml'), 'utf8'));
    expect(job.spec.schedule).toBe('15 2 * * *');
    expect(job.spec.timeZone).toBe('Europe/Paris');
  });
});
