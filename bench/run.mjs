// npm run bench: times create-migration against floors measured in the same run, on this
// machine, and prints ratios (medians of repeated runs, with min-max). Figures go to stdout as
// a table and to bench-results/bench.json. Nothing here asserts: it measures.
//
// BENCH_RUNS=N sets the repetitions (default 11). BENCH_PEERS=0 skips installing peers from npm.
// BENCH_ONLY=jobs,gitsync runs only those sections (generate, sync, gitsync, check, fleet, start,
// jobs, assess, merge, pack). BENCH_CLI=<path to a cli.js> measures another build (a before).
// BENCH_FLEET_SIZES=100 sets the fleet sizes (default 100,1000); BENCH_FLEET_JOBS=10 the copies of
// the project with 100 jobs that fleet reads, BENCH_FLEET_JOBS_MANY=100 the larger such fleet (0: none).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { legacyTree } from './legacy-tree.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.join(ROOT, 'dist/cli.js');
const ONLY = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
const want = (section) => !ONLY || ONLY.includes(section);
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.com' };
delete env.NODE_EXTRA_CA_CERTS; // costs every node start ~40 ms here that users do not pay
const loadAtStart = os.loadavg();
const work = mkdtempSync(path.join(os.tmpdir(), 'cm-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const run = (cmd, args, cwd = work) => {
  const r = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
};
const git = (cwd, ...args) => run('git', args, cwd);
const node = (...args) => [process.execPath, args];

const stats = (times) => {
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
};

function timeOnce(fn, prepare, i) {
  const ctx = prepare(i);
  const t = process.hrtime.bigint();
  fn(ctx, i);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Wall time of fn in ms, repeated; `prepare` runs before each repetition, untimed. */
function measure(fn, prepare = () => undefined) {
  return stats(Array.from({ length: RUNS }, (_, i) => timeOnce(fn, prepare, i)));
}

/**
 * A subject and its floor, measured in alternation: on a shared machine whose speed drifts,
 * each ratio compares runs made side by side rather than minutes apart. The ratio reported is
 * the median of those per-pair ratios (with their min-max), which a slow minute moves less
 * than it moves either median.
 */
function paired(fn, prepare, floorFn, floorPrepare = () => undefined) {
  const a = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    b.push(timeOnce(floorFn, floorPrepare, i));
    a.push(timeOnce(fn, prepare, i));
  }
  const ratios = stats(a.map((t, i) => t / b[i]));
  return [{ ...stats([...a]), ratios }, stats([...b])];
}

const nodeFloor = () => run(process.execPath, ['-e', '']);

/** Peak resident memory (MB) of a command and the processes it waits for. */
function peakMb(cmd, args, cwd = work) {
  const py = 'import resource,subprocess,sys; subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
  const r = spawnSync('python3', ['-c', py, cmd, ...args], { cwd, env, encoding: 'utf8' });
  return Number(r.stdout.trim()) / 1024;
}

let seq = 0;
const fresh = (name) => {
  const d = path.join(work, `${name}-${seq++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

/** The floor of generating: a node start, and git init/add/commit of the same files. */
function gitFloorRun(d) {
  run(process.execPath, ['-e', '']);
  git(d, 'init', '-q');
  git(d, 'add', '-A');
  git(d, 'commit', '-qm', 'x');
}

const copyTree = (tree) => () => {
  const d = fresh('floor');
  cpSync(tree, d, { recursive: true, filter: (src) => !src.includes(`${path.sep}.git`) });
  return d;
};

function templateRepo(name, makeV1, makeV2) {
  const repo = fresh(name);
  makeV1(repo);
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'v1');
  git(repo, 'tag', 'v1.0.0');
  makeV2(repo);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'v2');
  git(repo, 'tag', 'v1.1.0');
  return repo;
}

function bump(repo) {
  const y = path.join(repo, 'template.yaml');
  writeFileSync(y, readFileSync(y, 'utf8').replace(/^version: .*$/m, 'version: 1.1.0'));
}

function projectBehind(repo, edit) {
  const parent = fresh('proj');
  run(...node(CLI, 'p', '--template', `${repo}#v1.0.0`, '--yes'), parent);
  const dir = path.join(parent, 'p');
  edit(dir);
  git(dir, 'commit', '-qam', 'team edit');
  return dir;
}

const copyOf = (dir) => {
  const d = fresh('copy');
  cpSync(dir, d, { recursive: true });
  return d;
};

const rows = [];
const notes = [];
const add = (name, m, floor, target, extra = {}) =>
  rows.push({ name, ...m, floor: floor.median, ratio: m.ratios?.median ?? m.median / floor.median, ratioRange: m.ratios && [m.ratios.min, m.ratios.max], target, ...extra });

// 0. Floors.
const nodeStart = measure(nodeFloor);

// 1. Generate with git init + commit.
let genFloor = { median: NaN };
if (want('generate')) {
const sample = fresh('sample');
run(...node(CLI, 'p', '--yes', '--no-git'), sample);
const fileCount = readdirSync(path.join(sample, 'p'), { recursive: true }).length;
let gen;
[gen, genFloor] = paired((d) => run(...node(CLI, 'p', '--yes'), d), () => fresh('gen'), gitFloorRun, copyTree(path.join(sample, 'p')));
add(`generate + git (${fileCount} entries)`, gen, genFloor, '≤ 1.25× (node + git init/add/commit)', { mb: peakMb(process.execPath, [CLI, 'p', '--yes'], fresh('mem')) });
}

// 2a. Sync of the built-in template, one version behind, with a user edit: a project made by an
// older release of this package (its template a little older), synced to the template shipped now.
const olderBuiltin = fresh('older-builtin');
cpSync(path.join(ROOT, 'templates/kailash-migration'), olderBuiltin, { recursive: true });
{
  const y = path.join(olderBuiltin, 'template.yaml');
  writeFileSync(y, readFileSync(y, 'utf8').replace(/^version: .*$/m, 'version: 0.9.0'));
  const readme = path.join(olderBuiltin, 'files/README.md');
  writeFileSync(readme, readFileSync(readme, 'utf8').replace(/\n## Quick start\n/, '\n'));
  const gi = path.join(olderBuiltin, 'files/dot_gitignore');
  writeFileSync(gi, readFileSync(gi, 'utf8').split('\n').slice(0, -3).join('\n'));
}
const builtinProject = (() => {
  const parent = fresh('proj');
  run(...node(CLI, 'p', '--template', olderBuiltin, '--yes'), parent);
  const dir = path.join(parent, 'p');
  const f = path.join(dir, 'TASKS.md');
  writeFileSync(f, `${readFileSync(f, 'utf8')}\n- team note\n`);
  const m = path.join(dir, '.migration-template.json');
  const manifest = JSON.parse(readFileSync(m, 'utf8'));
  manifest.template = { name: manifest.template.name, version: manifest.template.version, source: 'builtin' };
  writeFileSync(m, `${JSON.stringify(manifest, null, 2)}\n`);
  git(dir, 'commit', '-qam', 'team edit');
  return dir;
})();
if (want('sync')) {
const [syncB, syncBFloor] = paired((d) => run(...node(CLI, 'sync', d)), () => copyOf(builtinProject), nodeFloor);
add('sync built-in template (1 version, user edit)', syncB, syncBFloor, '≤ 3× node start', { mb: peakMb(process.execPath, [CLI, 'sync', copyOf(builtinProject)]) });

// 2b. Sync of a 500-file template.
const big = templateRepo(
  'big-tpl',
  (d) => {
    writeFileSync(path.join(d, 'template.yaml'), 'name: big\nversion: 1.0.0\nquestions:\n  - { key: project_name, type: slug, default: "{{dir_name}}" }\n  - { key: title, type: text, default: Big }\n');
    mkdirSync(path.join(d, 'files/docs'), { recursive: true });
    for (let i = 0; i < 500; i++) {
      const lines = Array.from({ length: 30 }, (_, j) => `line ${j} of file ${i}`);
      writeFileSync(path.join(d, `files/docs/f${String(i).padStart(3, '0')}.md`), `# {{title}} ${i}\n${lines.join('\n')}\n`);
    }
  },
  (d) => {
    bump(d);
    for (let i = 0; i < 500; i += 10) {
      const f = path.join(d, `files/docs/f${String(i).padStart(3, '0')}.md`);
      writeFileSync(f, readFileSync(f, 'utf8').replace('line 20 ', 'line 20 (v1.1) '));
    }
  },
);
const bigProject = projectBehind(big, (d) => {
  for (let i = 0; i < 500; i += 25) {
    const f = path.join(d, `docs/f${String(i).padStart(3, '0')}.md`);
    writeFileSync(f, readFileSync(f, 'utf8').replace('line 3 ', 'line 3 (team) '));
  }
});
const [syncBig, syncBigFloor] = paired((d) => run(...node(CLI, 'sync', d)), () => copyOf(bigProject), nodeFloor);
add('sync 500-file template (1 version, user edits)', syncBig, syncBigFloor, '≤ 10× node start', { mb: peakMb(process.execPath, [CLI, 'sync', copyOf(bigProject)]) });
}

// 2c. Sync from a template kept in git (the built-in one, ~70 files): 4 files changed and 1
// added in the new version, a team edit in the project; the parsed-template cache warm.
if (want('gitsync')) {
  const tpl = templateRepo(
    'gitsync-tpl',
    (d) => cpSync(path.join(ROOT, 'templates/kailash-migration'), d, { recursive: true }),
    (d) => {
      bump(d);
      for (const f of ['files/README.md', 'files/TASKS.md', 'files/CHECKLIST.md', 'files/docs/phases/phase-1-assessment.md']) {
        const file = path.join(d, f);
        if (existsSync(file)) writeFileSync(file, `${readFileSync(file, 'utf8')}\nChanged in 1.1.0.\n`);
      }
      writeFileSync(path.join(d, 'files/docs/new-in-1.1.md'), '# New in 1.1\n\nA page the new version adds.\n');
    },
  );
  const proj = projectBehind(tpl, (d) => writeFileSync(path.join(d, 'TASKS.md'), `${readFileSync(path.join(d, 'TASKS.md'), 'utf8')}\n- team note\n`));
  run(...node(CLI, 'sync', '--check', proj)); // the cache, warm
  const [s, sFloor] = paired((d) => run(...node(CLI, 'sync', d)), () => copyOf(proj), nodeFloor);
  add('sync from a git template (4 changed, 1 added, user edit)', s, sFloor, '≤ 3× node start', { mb: peakMb(process.execPath, [CLI, 'sync', copyOf(proj)]) });
}

// 3. sync --check over 100 projects in one call: current ones (the usual CI case), and behind ones.
if (want('check')) {
const current = path.join(fresh('current'), 'p');
run(...node(CLI, current, '--yes'));
const hundred = (src) => {
  const parent = fresh('hundred');
  return Array.from({ length: 100 }, (_, i) => {
    const d = path.join(parent, `p${i}`);
    cpSync(src, d, { recursive: true });
    return d;
  });
};
const currentDirs = hundred(current);
const check = measure(() => run(...node(CLI, 'sync', '--check', ...currentDirs)));
const perProject = (m) => ({ median: m.median / 100, min: m.min / 100, max: m.max / 100 });
add('sync --check ×100 current, per project', perProject(check), { median: 30 }, '≤ 30 ms per project', { mb: peakMb(process.execPath, [CLI, 'sync', '--check', ...currentDirs]), unit: 'vs 30 ms' });
const behindDirs = hundred(builtinProject);
const checkBehind = measure(() => run(...node(CLI, 'sync', '--check', ...behindDirs)));
add('sync --check ×100 behind, per project', perProject(checkBehind), { median: 30 }, '≤ 30 ms per project', { mb: peakMb(process.execPath, [CLI, 'sync', '--check', ...behindDirs]), unit: 'vs 30 ms' });
}

// 5. The fleet (issue 16): a platform team's template in its own git repository, and N projects
// one version behind it. `fleet` and `sync --check` over all of them in one call, per project
// against a 10 ms floor, with peak memory at 100 and at 1,000 (it should stay flat).
let fleetProject;
if (want('fleet') || want('check')) {
const fleetTpl = templateRepo(
  'fleet-tpl',
  (d) => cpSync(path.join(ROOT, 'templates/kailash-migration'), d, { recursive: true }),
  (d) => {
    bump(d);
    const readme = path.join(d, 'files/README.md');
    writeFileSync(readme, `${readFileSync(readme, 'utf8')}\nNew in 1.1.0.\n`);
  },
);
fleetProject = projectBehind(fleetTpl, (d) => writeFileSync(path.join(d, 'TASKS.md'), `${readFileSync(path.join(d, 'TASKS.md'), 'utf8')}\n- team note\n`));
const fleetOf = (n) => {
  const parent = fresh(`fleet-${n}`);
  return Array.from({ length: n }, (_, i) => {
    const d = path.join(parent, `p${i}`);
    cpSync(fleetProject, d, { recursive: true });
    return d;
  });
};
for (const n of want('fleet') ? (process.env.BENCH_FLEET_SIZES ?? '100,1000').split(',').map(Number) : []) {
  const projects = fleetOf(n);
  const per = (m) => ({ median: m.median / n, min: m.min / n, max: m.max / n });
  // Fewer repetitions at 1,000: each takes seconds.
  const reps = n > 100 ? Math.max(3, Math.floor(RUNS / 3)) : RUNS;
  const timeN = (args) => stats(Array.from({ length: reps }, () => timeOnce(() => run(...node(CLI, ...args, ...projects)), () => undefined)));
  add(`fleet ×${n} behind (template repo), per project`, per(timeN(['fleet', '--json'])), { median: 10 }, '≤ 10 ms per project, ≤ 150 MB', { mb: peakMb(process.execPath, [CLI, 'fleet', '--json', ...projects]), unit: 'vs 10 ms' });
  add(`sync --check ×${n} behind (template repo), per project`, per(timeN(['sync', '--check'])), { median: 10 }, '≤ 10 ms per project, ≤ 150 MB', { mb: peakMb(process.execPath, [CLI, 'sync', '--check', ...projects]), unit: 'vs 10 ms' });
  rmSync(path.dirname(projects[0]), { recursive: true, force: true });
}

}

// One `sync --check` of a project made from a template repository, beside one of the built-in
// template (its floor here): the parsed-template cache (src/edge/template-cache.ts) is warm after
// the first run, as it is on a CI runner that keeps its cache, or on a developer's machine.
if (want('check')) {
const benchCache = fresh('xdg-cache');
const cacheEnv = { ...env, XDG_CACHE_HOME: benchCache };
const runCached = (args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: work, env: cacheEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
};
runCached(['sync', '--check', fleetProject]); // fills the cache
const [gitCheck, builtinCheck] = paired(() => runCached(['sync', '--check', fleetProject]), () => undefined, () => runCached(['sync', '--check', builtinProject]));
add('sync --check, template repo (warm cache) vs built-in', gitCheck, builtinCheck, '≤ 1.5× the built-in template', { mb: peakMb(process.execPath, [CLI, 'sync', '--check', fleetProject]) });
const [coldCheck, builtinCheck2] = paired(
  () => runCached(['sync', '--check', fleetProject]),
  () => rmSync(path.join(benchCache, 'create-migration'), { recursive: true, force: true }),
  () => runCached(['sync', '--check', builtinProject]),
);
add('sync --check, template repo (cold cache) vs built-in', coldCheck, builtinCheck2, 'no target (the first run)');
}

// 4. Start-up.
if (want('start')) {
const [help, helpFloor] = paired(() => run(...node(CLI, '--help')), () => undefined, nodeFloor);
add('--help start-up', help, helpFloor, '≤ 1.5× node start', { mb: peakMb(process.execPath, [CLI, '--help']) });

// 4b. What the start-up machinery buys: the same commands from a copy of dist/ without the V8
// code cache the build recorded (the plain bundle), and, on a node that has one (22+), the plain
// bundle under node's own module compile cache, warmed by one run first.
const plainDist = fresh('dist-plain');
cpSync(path.join(ROOT, 'dist'), plainDist, { recursive: true });
// Every bundle's cache goes: sync --check loads dist/sync.js, status dist/main.js.
for (const name of readdirSync(plainDist)) if (/\.cache$/.test(name)) rmSync(path.join(plainDist, name));
const PLAIN_CLI = path.join(plainDist, 'cli.js');
const startRun = (cli, args, extra) => () => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
};
const noNodeCache = { NODE_DISABLE_COMPILE_CACHE: '1' };
const hasCompileCache = typeof (await import('node:module')).enableCompileCache === 'function';
for (const [label, args] of [['sync --check built-in', ['sync', '--check', builtinProject]], ['status', ['status', builtinProject]]]) {
  const [cached, plain] = paired(startRun(CLI, args, {}), () => undefined, startRun(PLAIN_CLI, args, noNodeCache));
  add(`${label}: recorded V8 code cache vs plain bundle`, cached, plain, 'no target (below 1: what the cache saves)');
  if (hasCompileCache) {
    const dir = fresh('node-compile-cache');
    startRun(PLAIN_CLI, args, { NODE_COMPILE_CACHE: dir })();
    const [nodeCached, plain2] = paired(startRun(PLAIN_CLI, args, { NODE_COMPILE_CACHE: dir }), () => undefined, startRun(PLAIN_CLI, args, noNodeCache));
    add(`${label}: node's module.enableCompileCache() vs plain bundle`, nodeCached, plain2, 'no target (below 1: what node alone saves)');
  }
}
if (!hasCompileCache) notes.push(`node ${process.version} has no module.enableCompileCache() (node 22+): only the recorded cache and the plain bundle are compared.`);
}

// 4c. The job views (issues 20, 21) must not slow the everyday commands. A project with 100 jobs
// in parallel running, each with a year of daily parity reports (36,500 files), beside a project
// with none: `status` (≤ 3×), `fleet` over several such projects (per project, ≤ 10 ms; the
// copies share their report files as hard links, so that making them costs no disk), and the
// start of `jobs` and of a move `job <id> --to ...` against `--help` (≤ 1.5×).
if (want('jobs')) {
  const withJobs = (parent, n, days, parallel = true) => {
    mkdirSync(path.join(parent, 'legacy'), { recursive: true });
    writeFileSync(path.join(parent, 'legacy/crontab'), Array.from({ length: n }, (_, i) => `${i % 60} ${i % 24} * * 1-5 /opt/app/bin/job${i}.sh\n`).join(''));
    run(...node(CLI, 'proj', '--assess', 'legacy', '--yes', '--no-git'), parent);
    const proj = path.join(parent, 'proj');
    const y = path.join(proj, 'jobs.yaml');
    // Every job in parallel running (what the gate reads reports for), as moves would leave them.
    if (parallel) writeFileSync(y, readFileSync(y, 'utf8').replace(/^ {4}state: inventoried$/gm, '    state: parallel').replace(/to: inventoried,/g, 'to: parallel,'));
    const ids = [...readFileSync(y, 'utf8').matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1]);
    const last = Date.parse('2026-12-04T00:00:00Z');
    for (const id of ids) {
      const dir = path.join(proj, 'reports/parity', id);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < days; i++) {
        const date = new Date(last - i * 86_400_000).toISOString().slice(0, 10);
        writeFileSync(path.join(dir, `${date}.json`), JSON.stringify({ schema: 'parity-report/1', job: id, date, verdict: 'green', generated_at: `${date}T03:00:00Z` }));
      }
    }
    return proj;
  };
  const big = withJobs(fresh('jobs100'), 100, 365);
  const plainParent = fresh('nojobs');
  run(...node(CLI, 'proj', '--yes', '--no-git'), plainParent);
  const plain = path.join(plainParent, 'proj');
  // A year of reports is old in a real project: wait out the parity index's margin (3 s, see
  // below) once, so that the row is the status after the first, not reports made a moment ago.
  const outwaitMargin = () => new Promise((r) => setTimeout(r, 3100));
  await outwaitMargin();
  run(...node(CLI, 'status', big));
  const [st, stFloor] = paired(() => run(...node(CLI, 'status', big)), () => undefined, () => run(...node(CLI, 'status', plain)));
  add('status: 100 jobs × 365 daily reports vs no jobs', st, stFloor, '≤ 3× status without jobs', { mb: peakMb(process.execPath, [CLI, 'status', big]) });
  const k = Number(process.env.BENCH_FLEET_JOBS ?? 10);
  const fleetParent = fresh('fleet-jobs');
  const copies = [];
  const plainCopies = [];
  /** Copies of the project with jobs (hard links: no disk for the reports) and of the one without, up to n of each. */
  const copiesUpTo = (n) => {
    for (let i = copies.length; i < n; i++) {
      copies.push(path.join(fleetParent, `p${i}`));
      execFileSync('cp', ['-al', big, copies[i]]);
      plainCopies.push(path.join(fleetParent, `plain${i}`));
      cpSync(plain, plainCopies[i], { recursive: true });
    }
  };
  const perProject = (m, n) => ({ median: m.median / n, min: m.min / n, max: m.max / n });
  const fleetOf = (list) => () => run(...node(CLI, 'fleet', '--json', ...list));
  copiesUpTo(k);
  // Linking the copies just now changed every report's ctime: a view records a report's stamp in
  // its index only once the report is older than the index's margin (3 s, for coarse file-system
  // clocks), as a year of reports is in a real project. The first fleet after that reads them all
  // (measured once here, for reference); the row is the fleet after it.
  await outwaitMargin();
  const firstFleet = Date.now();
  fleetOf(copies)();
  notes.push(`fleet ×${k} with jobs, the first run after the reports changed (it reads them all and records them): ${((Date.now() - firstFleet) / k).toFixed(1)} ms per project.`);
  const [fl, flPlain] = paired(fleetOf(copies), () => undefined, fleetOf(plainCopies));
  add(`fleet ×${k} projects with 100 jobs × 365 reports, per project`, perProject(fl, k), { median: 10 }, '≤ 10 ms per project', { mb: peakMb(process.execPath, [CLI, 'fleet', '--json', ...copies]), unit: 'vs 10 ms' });
  add(`fleet ×${k} projects without jobs, per project`, perProject(flPlain, k), { median: 10 }, 'reference', { unit: 'vs 10 ms' });
  // The issue states this target over 1,000 such projects, where node's start and the module
  // load are a thousandth of each project's share; over 10 they are a tenth (~3-5 ms each). So
  // the fleet is also measured over more copies (BENCH_FLEET_JOBS_MANY, default 100; 0 skips it:
  // making them links 3.7 million report names, about a minute).
  const many = Number(process.env.BENCH_FLEET_JOBS_MANY ?? 100);
  if (many > k) {
    copiesUpTo(many);
    await outwaitMargin();
    fleetOf(copies)();
    const [flMany, flManyPlain] = paired(fleetOf(copies), () => undefined, fleetOf(plainCopies));
    add(`fleet ×${many} projects with 100 jobs × 365 reports, per project`, perProject(flMany, many), { median: 10 }, '≤ 10 ms per project', { unit: 'vs 10 ms' });
    add(`fleet ×${many} projects without jobs, per project`, perProject(flManyPlain, many), { median: 10 }, 'reference', { unit: 'vs 10 ms' });
  }
  // A project as assess makes it: three jobs (inventoried), two weeks of reports each.
  const small = withJobs(fresh('jobs3'), 3, 14, false);
  const help = () => run(...node(CLI, '--help'));
  const [jobsRun, jobsFloor] = paired(() => run(...node(CLI, 'jobs'), small), () => undefined, help);
  add('jobs start-up (3 jobs) vs --help', jobsRun, jobsFloor, '≤ 1.5× --help');
  const [jobsBig, jobsBigFloor] = paired(() => run(...node(CLI, 'jobs'), big), () => undefined, help);
  add('jobs (100 jobs × 365 reports) vs --help', jobsBig, jobsBigFloor, 'no target (the inventory itself)');
  const [move, moveFloor] = paired((d) => run(...node(CLI, 'job', 'job1', '--to', 'ported'), d), () => {
    const d = fresh('move');
    cpSync(small, d, { recursive: true });
    return d;
  }, help);
  add('job <id> --to ported (3 jobs) vs --help', move, moveFloor, '≤ 1.5× --help');
}

// 5. assess reading a legacy tree of 10,000 files (JSON on stdout, not kept).
if (want('assess')) {
  const legacyDir = fresh('legacy10k');
  legacyTree(legacyDir, 10_000);
  const once = () => {
    const r = spawnSync(process.execPath, [CLI, 'assess', legacyDir, '--json'], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`assess failed (${r.status}): ${r.stderr}`);
  };
  const times = Array.from({ length: Math.min(RUNS, 5) }, () => {
    const t = process.hrtime.bigint();
    once();
    return Number(process.hrtime.bigint() - t) / 1e6;
  });
  add('assess 10,000 legacy files (--json)', stats(times), { median: 5000 }, '≤ 5 s (a few seconds)', { mb: peakMb(process.execPath, [CLI, 'assess', legacyDir, '--json']), unit: 'vs 5000 ms' });
}

// 6. Three-way merge of one big file that both sides rewrote, beside `git merge-file --diff3` on
// the same three files. The merge is the package's own source, bundled here; the subject reads
// the three files and merges them in this process, the floor is a git process whose output is
// discarded. Lines are code-like: one in seven is blank or a closing brace (they repeat all
// over the file), the rest unique; ours rewrites 3 lines of every 5, theirs 3 of every 5 shifted
// by two, so the sides overlap on one line in five and conflict all along the file.
if (want('merge')) {
const { buildSync } = await import('esbuild');
const mergeBundle = path.join(work, 'merge.mjs');
buildSync({ entryPoints: [path.join(ROOT, 'src/core/merge/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: mergeBundle, logLevel: 'error' });
const { merge3 } = await import(pathToFileURL(mergeBundle).href);
const codeLine = (i, tag) => (i % 7 === 0 ? '' : i % 7 === 6 ? '  }' : `  const value${i} = compute(${tag}, ${i});`);
for (const lines of [20_000, 100_000]) {
  const d = fresh('merge');
  const textOf = (tag, rewrites) => Array.from({ length: lines }, (_, i) => `${codeLine(i, rewrites(i) ? tag : 'base')}\n`).join('');
  writeFileSync(path.join(d, 'base'), textOf('base', () => false));
  writeFileSync(path.join(d, 'ours'), textOf('ours', (i) => i % 5 < 3));
  writeFileSync(path.join(d, 'theirs'), textOf('theirs', (i) => (i + 2) % 5 < 3));
  const labels = { ours: 'ours', base: 'base', theirs: 'theirs' };
  const ours = () => {
    const [b, o, t] = ['base', 'ours', 'theirs'].map((f) => readFileSync(path.join(d, f), 'utf8'));
    merge3(b, o, t, { labels });
  };
  const gitMerge = () => {
    const r = spawnSync('git', ['merge-file', '-p', '--diff3', 'ours', 'base', 'theirs'], { cwd: d, env, stdio: 'ignore' });
    if (r.status === null || r.status < 0) throw new Error('git merge-file failed');
  };
  const [m, mFloor] = paired(ours, () => undefined, gitMerge);
  add(`merge3 ${lines.toLocaleString('en')}-line file rewritten on both sides`, m, mFloor, '≤ 2× git merge-file --diff3');
  if (lines !== 100_000) continue;
  // The same merge through a real sync (the CLI, a template repository, a project with the
  // team's rewrite committed): the whole command against git merge-file on the three files.
  const bigTpl = templateRepo(
    'merge-tpl',
    (t) => {
      writeFileSync(path.join(t, 'template.yaml'), 'name: merge\nversion: 1.0.0\nquestions:\n  - { key: project_name, type: slug, default: "{{dir_name}}" }\n');
      mkdirSync(path.join(t, 'files/src'), { recursive: true });
      writeFileSync(path.join(t, 'files/src/big.py'), readFileSync(path.join(d, 'base')));
    },
    (t) => {
      bump(t);
      writeFileSync(path.join(t, 'files/src/big.py'), readFileSync(path.join(d, 'theirs')));
    },
  );
  const mergeProject = projectBehind(bigTpl, (p) => writeFileSync(path.join(p, 'src/big.py'), readFileSync(path.join(d, 'ours'))));
  const [ms, msFloor] = paired((p) => run(...node(CLI, 'sync', p)), () => copyOf(mergeProject), gitMerge);
  add(`sync merging a ${lines.toLocaleString('en')}-line file rewritten on both sides`, ms, msFloor, '≤ 2× git merge-file --diff3', { mb: peakMb(process.execPath, [CLI, 'sync', copyOf(mergeProject)]) });
}
}

// 6. What `npx create-kailash-migration` downloads.
let packed = { size: NaN, entryCount: NaN, unpackedSize: NaN };
let installed = NaN;
if (want('pack')) {
const packDir = fresh('pack');
packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
const installDir = fresh('install');
writeFileSync(path.join(installDir, 'package.json'), '{"name":"probe","private":true}');
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', path.join(packDir, packed.filename)], { cwd: installDir, env, stdio: 'ignore' });
const lock = JSON.parse(readFileSync(path.join(installDir, 'package-lock.json'), 'utf8'));
installed = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/')).length;
}

// Peers, installed from npm and timed in the same run.
const peers = [];
if (process.env.BENCH_PEERS !== '0' && want('pack')) {
  const peerDir = fresh('peers');
  writeFileSync(path.join(peerDir, 'package.json'), '{"name":"peers","private":true}');
  const ok = spawnSync('npm', ['install', '--no-audit', '--no-fund', 'create-vite@6', 'plop@4'], { cwd: peerDir, env, stdio: 'ignore' }).status === 0;
  if (ok) {
    const vite = path.join(peerDir, 'node_modules/create-vite/index.js');
    const plopBin = path.join(peerDir, 'node_modules/plop/bin/plop.js');
    peers.push({ name: 'peer: create-vite scaffold (vanilla, no git)', ...measure((d) => run(process.execPath, [vite, 'app', '--template', 'vanilla'], d), () => fresh('vite')) });
    peers.push({ name: 'peer: plop start-up (--version)', ...measure(() => run(process.execPath, [plopBin, '--version'])) });
  } else peers.push({ name: 'peers: npm install failed (offline?)', median: NaN, min: NaN, max: NaN });
}

for (const n of notes) console.log(`note: ${n}`);
const f = (n) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
console.log(`\ncreate-migration bench: ${RUNS} runs each, node ${process.version}, ${os.cpus().length} cores, load average ${loadAtStart.map((x) => x.toFixed(2)).join(' ')} at the start, ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end\n`);
console.log(`floors: node start ${f(nodeStart.median)} ms (${f(nodeStart.min)}-${f(nodeStart.max)}); node + git init/add/commit ${f(genFloor.median)} ms\n`);
console.log('| measure | median ms | min-max ms | floor ms | ratio (min-max) | target | peak MB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ratio = r.unit ? `${f(r.median)} ms ${r.unit}` : `${r.ratio.toFixed(2)}×${r.ratioRange ? ` (${r.ratioRange.map((x) => x.toFixed(2)).join('-')})` : ''}`;
  console.log(`| ${r.name} | ${f(r.median)} | ${f(r.min)}-${f(r.max)} | ${f(r.floor)} | ${ratio} | ${r.target} | ${f(r.mb)} |`);
}
console.log('\nratio: for subjects measured in alternation with their floor, the median of the per-pair ratios.');
for (const p of peers) console.log(`| ${p.name} | ${f(p.median)} | ${f(p.min)}-${f(p.max)} | ${f(nodeStart.median)} | ${(p.median / nodeStart.median).toFixed(2)}× | - | - |`);
console.log(`\nnpx download: tarball ${(packed.size / 1024).toFixed(1)} KB (${packed.entryCount} files, ${(packed.unpackedSize / 1024).toFixed(0)} KB unpacked), installs ${installed} package(s)  [targets: ≤ 1 MB, ≤ 5 packages]`);

mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = { date: new Date().toISOString(), runs: RUNS, load: { start: loadAtStart, end: os.loadavg() }, only: ONLY, node: process.version, nodeStart, genFloor, rows, notes, peers, pack: { size: packed.size, files: packed.entryCount, unpacked: packed.unpackedSize, installed } };
writeFileSync(path.join(ROOT, 'bench-results/bench.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('JSON: bench-results/bench.json');
if (!existsSync(CLI)) process.exitCode = 1;
