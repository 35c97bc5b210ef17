// Bundles the CLI into dist/ so that `npx create-kailash-migration` installs one package with no
// runtime dependencies.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assembleWasm } from './wasm.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and swap it in, so a CLI running from dist/ (a test, another build) never
// finds it half-written.
const out = `dist.build-${process.pid}`;
rmSync(out, { recursive: true, force: true });

// dist/ is CommonJS (dist/package.json says so): node starts a CommonJS file faster than an ES
// module, and a CommonJS bundle can be compiled from V8's code cache (see src/boot/launcher.ts).
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // CM_BUILD_PROFILE=1: readable code with source maps, for a CPU profile (node --cpu-prof).
  minify: !process.env.CM_BUILD_PROFILE,
  sourcemap: process.env.CM_BUILD_PROFILE ? 'linked' : false,
  legalComments: 'linked',
  define: { __CM_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
// In CommonJS, import.meta.url is this file's URL, as the sources expect.
const metaUrl = { 'import.meta.url': '__cmImportMetaUrl' };
const metaShim = 'var __cmImportMetaUrl = require("node:url").pathToFileURL(__filename).href;';
// The prompts (a third of the code) are read only when a terminal asks: a file of their own.
const promptsApart = {
  name: 'prompts-apart',
  setup(b) {
    b.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({ path: './prompts.js', external: true }));
  },
};
// node:child_process costs every start ~3 ms to load, and a sync or status of a committed project
// starts no process: the CLI bundles (and commander in them) get it through functions that load it
// on their first call. Only what the sources and commander call is forwarded.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'lazy-child-process' ? { path: 'node:child_process', external: true } : { path: 'child_process', namespace: 'lazy-child-process' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: [
        'let loaded;',
        "const cp = () => (loaded ??= require('node:child_process'));",
        ...['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork'].map((f) => `export const ${f} = (...args) => cp().${f}(...args);`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};
// The YAML and Handlebars parsers (half of what a sync would load) are needed only by a template
// read from a folder, or from git the first time: dist/sync.js requires them from files of their
// own, on first use, instead of carrying them. (The other bundles, recorded by other runs, keep them.)
const parsersApart = {
  name: 'parsers-apart',
  setup(b) {
    b.onResolve({ filter: /^(yaml|handlebars)$/ }, (args) => ({ path: `./${args.path}.js`, external: true }));
  },
};
// dist/generate.js and dist/fleet.js read the YAML parser from dist/yaml.js on first use: it is
// imported by the template spec's reader (a template folder's template.yaml) and the jobs.yaml
// reader (an inventory not yet cached), which a generate from the built-in template and most
// fleets never call.
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'lazy-yaml' }));
    b.onResolve({ filter: /^\.\/yaml\.js$/ }, () => ({ path: './yaml.js', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => ({
      contents: [
        'let loaded;',
        "const yaml = () => (loaded ??= require('./yaml.js'));",
        ...['parse', 'parseDocument', 'parseAllDocuments', 'stringify', 'isMap', 'isScalar', 'isSeq'].map((f) => `export const ${f} = (...args) => yaml().${f}(...args);`),
      ].join('\n'),
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};
// `import path from 'node:path'` in a CommonJS bundle makes esbuild copy every export of the
// module onto a new object, once for each file that imports it (__toESM): dist/sync.js did so 25
// times a start. The sync bundle imports them from a stand-in ES module instead, whose default is
// node's module itself and whose named exports are read from it once.
const plainBuiltins = {
  name: 'plain-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:(path|os)$/ }, (args) => (args.namespace === 'plain-builtins' ? { path: args.path, external: true } : { path: args.path, namespace: 'plain-builtins' }));
    b.onLoad({ filter: /.*/, namespace: 'plain-builtins' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default' && n !== 'matchesGlob' && /^[A-Za-z$][\w$]*$/.test(n)); // (matchesGlob: experimental)
      return { contents: [`const m = require(${JSON.stringify(args.path)});`, 'export default m;', ...names.map((n) => `export const ${n} = m.${n};`)].join('\n'), loader: 'js' };
    });
  },
};
await wasmStep();
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/package.json`, '{ "type": "commonjs" }\n');
await Promise.all([
  // The command users run: answers --help and --version by itself, else loads main.js.
  build({ ...common, entryPoints: ['src/boot/launcher.ts'], outfile: `${out}/cli.js`, format: 'cjs', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: `${out}/main.js`, format: 'cjs', define: { ...common.define, ...metaUrl }, banner: { js: metaShim }, plugins: [promptsApart, lazyChildProcess], supported: { 'dynamic-import': false } }),
  // `sync` and `recopy` alone (the launcher loads it for them): what they need of the CLI, no more.
  build({ ...common, entryPoints: ['src/cli/sync-bin.ts'], outfile: `${out}/sync.js`, format: 'cjs', define: { ...common.define, ...metaUrl }, banner: { js: metaShim }, plugins: [promptsApart, parsersApart, lazyChildProcess, plainBuiltins], supported: { 'dynamic-import': false } }),
  // A new project made without questions (the launcher loads it for those arguments): see generateBundle.
  generateBundle(),
  // `fleet` in its plain form (the launcher loads it for that): see fleetBundle.
  fleetBundle(),
  // `jobs` and `job` alone (the launcher loads it for them): what they need of the CLI, no more.
  build({ ...common, entryPoints: ['src/cli/jobs-bin.ts'], outfile: `${out}/jobs.js`, format: 'cjs', define: { ...common.define, ...metaUrl }, banner: { js: metaShim }, plugins: [promptsApart, lazyChildProcess], supported: { 'dynamic-import': false } }),
  build({ ...common, entryPoints: ['src/boot/prompts-entry.ts'], outfile: `${out}/prompts.js`, format: 'cjs' }),
  build({ ...common, entryPoints: ['yaml'], outfile: `${out}/yaml.js`, format: 'cjs' }),
  build({ ...common, entryPoints: ['handlebars'], outfile: `${out}/handlebars.js`, format: 'cjs' }),
  // The library entry, as an ES module. CommonJS dependencies (handlebars) call require(): give it one.
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: `${out}/index.mjs`,
    format: 'esm',
    banner: { js: "import { createRequire as __cmCreateRequire } from 'node:module';\nconst require = __cmCreateRequire(import.meta.url);" },
  }),
]);

// The CLI bundles as ASCII: the launcher then reads each as Latin-1, a copy, instead of decoding
// UTF-8 (about 1.5 ms for dist/main.js). esbuild escapes strings but leaves characters in regular
// expressions as written; as \uXXXX escapes they match the same. One after a backslash (an
// identity escape) would change meaning: the bundle is then left as it is.
for (const name of ['main', 'sync', 'jobs', 'generate', 'fleet']) {
  const file = `${out}/${name}.js`;
  const text = readFileSync(file, 'utf8');
  if (/\\[^\x00-\x7f]/.test(text)) continue;
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

// The built-in template as data: its validated spec, each text file's parse tree (locations
// dropped) and the file rules each path matches, beside the files' bytes, so the CLI neither
// parses YAML nor Handlebars for it. See src/edge/template-pack.ts and src/edge/builtin-bundle.ts.
{
  const lib = await import(new URL(`../${out}/index.mjs`, import.meta.url).href);
  const { default: Handlebars } = await import('handlebars');
  const hb = Handlebars.create();
  const tpl = await lib.loadTemplateDir(lib.BUILTIN_TEMPLATE_DIR);
  writeFileSync(`${out}/builtin.pack`, lib.packTemplate(tpl, (text) => hb.parse(text)));
}

// The top-level help as the argument parser prints it, for the launcher (src/boot/launcher.ts) to answer --help quickly.
{
  const { execFileSync } = await import('node:child_process');
  const help = execFileSync(process.execPath, [`${out}/cli.js`, '--json', '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });
  writeFileSync(`${out}/help.txt`, help);
}

// V8's code cache for main.js, so that a start does not parse and compile the CLI again: made by
// running the commands people run most (generate, sync of a project behind, status, check), each
// run adding what it compiled to what the previous one cached. See src/boot/launcher.ts.
{
  const { execFileSync } = await import('node:child_process');
  const { cpSync, mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'create-migration-cache-'));
  try {
    const ident = { GIT_AUTHOR_NAME: 'build', GIT_AUTHOR_EMAIL: 'build@localhost', GIT_COMMITTER_NAME: 'build', GIT_COMMITTER_EMAIL: 'build@localhost' };
    const env = { ...process.env, ...ident };
    const recording = { ...env, CREATE_MIGRATION_WRITE_CODE_CACHE: path.resolve(`${out}/main.${process.versions.v8}.cache`) };
    // dist/generate.js has its own, recorded by a generate (the one below, of `fresh`).
    const recordingGenerate = { ...env, CREATE_MIGRATION_WRITE_CODE_CACHE: path.resolve(`${out}/generate.${process.versions.v8}.cache`) };
    // dist/fleet.js has its own, recorded by a fleet of the projects made here (one with jobs and reports).
    const recordingFleet = { ...env, CREATE_MIGRATION_WRITE_CODE_CACHE: path.resolve(`${out}/fleet.${process.versions.v8}.cache`) };
    const recordingJobs = { ...env, CREATE_MIGRATION_WRITE_CODE_CACHE: path.resolve(`${out}/jobs.${process.versions.v8}.cache`) };
    // dist/sync.js has a cache of its own, recorded by syncs.
    const recordingSync = { ...env, CREATE_MIGRATION_WRITE_CODE_CACHE: path.resolve(`${out}/sync.${process.versions.v8}.cache`) };
    const run = (e) => (cwd, ...args) => execFileSync(process.execPath, [path.resolve(`${out}/cli.js`), ...args], { cwd, env: e, stdio: 'ignore' });
    // Only runs of the built-in template are recorded: what a template folder needs (the YAML and
    // Handlebars parsers) would make every start read a bigger cache.
    const cli = run(recording);
    const unrecorded = run(env);
    const gitIn = (cwd, ...args) => execFileSync('git', args, { cwd, env, stdio: 'ignore' });
    // A project one release behind: made from a copy of the built-in template an edit older.
    const older = path.join(tmp, 'older');
    cpSync('templates/kailash-migration', older, { recursive: true });
    const yaml = path.join(older, 'template.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^version: .*$/m, 'version: 0.0.1'));
    const readme = path.join(older, 'files/README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace(/\n## /, '\n## Older\n\n## '));
    unrecorded(tmp, 'behind', '--yes', '--template', older);
    const project = path.join(tmp, 'behind');
    const manifestFile = path.join(project, '.migration-template.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.template = { name: manifest.template.name, version: manifest.template.version, source: 'builtin' };
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(project, 'TASKS.md'), `${readFileSync(path.join(project, 'TASKS.md'), 'utf8')}\n- a team note\n`);
    gitIn(project, 'commit', '-qam', 'team edit');
    const syncCli = run(recordingSync);
    try {
      syncCli(tmp, 'sync', '--check', 'behind');
    } catch {
      // exit 1: behind, as meant
    }
    syncCli(tmp, 'sync', 'behind');
    // And a sync from a template kept in git, its parsed form cached (as after a first sync or
    // check): the code that reads the tags, proves and unpacks the cached template, not run by a
    // sync of the built-in template. The cache goes to a folder of the build's own.
    const withCache = (e) => ({ ...e, XDG_CACHE_HOME: path.join(tmp, 'cache') });
    const repo = path.join(tmp, 'tpl');
    cpSync('templates/kailash-migration', repo, { recursive: true });
    gitIn(tmp, 'init', '-q', repo);
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-qm', 'v1');
    gitIn(repo, 'tag', 'v1.0.0');
    writeFileSync(path.join(repo, 'template.yaml'), readFileSync(path.join(repo, 'template.yaml'), 'utf8').replace(/^version: .*$/m, 'version: 99.0.0'));
    writeFileSync(path.join(repo, 'files/README.md'), `${readFileSync(path.join(repo, 'files/README.md'), 'utf8')}\nNew.\n`);
    gitIn(repo, 'commit', '-qam', 'v2');
    gitIn(repo, 'tag', 'v99.0.0');
    run(withCache(env))(tmp, 'from-git', '--yes', '--template', `${repo}#v1.0.0`);
    const fromGit = path.join(tmp, 'from-git');
    writeFileSync(path.join(fromGit, 'TASKS.md'), `${readFileSync(path.join(fromGit, 'TASKS.md'), 'utf8')}\n- a team note\n`);
    gitIn(fromGit, 'commit', '-qam', 'team edit');
    try {
      run(withCache(env))(tmp, 'sync', '--check', 'from-git');
    } catch {
      // exit 1: behind; the parsed template is cached now
    }
    run(withCache(recordingSync))(tmp, 'sync', 'from-git');
    cli(tmp, 'status', 'behind');
    run(recordingGenerate)(tmp, 'fresh', '--yes');
    // jobs and job --to load dist/jobs.js: its own cache, recorded by a look at a job in parallel
    // with its reports (the gate's code) and a move. Each recorded run finds the inventory of its
    // jobs.yaml cached (an unrecorded look first), as most do: the YAML parser, which only an
    // edited jobs.yaml needs, would make every start read a cache twice the size.
    const fresh = path.join(tmp, 'fresh');
    unrecorded(fresh, 'add', 'workflow', 'nightly', '--pattern', 'etl', '--yes');
    const jobsCli = run(recordingJobs);
    unrecorded(fresh, 'jobs');
    jobsCli(fresh, 'jobs');
    jobsCli(fresh, 'job', 'nightly', '--to', 'ported');
    unrecorded(fresh, 'job', 'nightly', '--to', 'parallel', '--by', 'build');
    const reports = path.join(fresh, 'reports/parity/nightly');
    mkdirSync(reports, { recursive: true });
    for (const date of ['2026-12-03', '2026-12-04']) writeFileSync(path.join(reports, `${date}.json`), JSON.stringify({ schema: 'parity-report/1', job: 'nightly', date, verdict: 'green' }));
    unrecorded(fresh, 'jobs');
    jobsCli(fresh, 'jobs');
    // As for jobs: the recorded run finds each jobs.yaml's inventory cached (an unrecorded run first).
    for (const e of [withCache(env), withCache(recordingFleet)]) {
      try {
        run(e)(tmp, 'fleet', '--json', 'behind', 'from-git', 'fresh');
      } catch {
        // exit 1: projects behind, as meant
      }
    }
  } catch (e) {
    // The CLI works without the cache, only slower to start: a build that cannot record it
    // (no git here, say) says so and ships none.
    for (const name of ['main', 'sync', 'jobs', 'generate', 'fleet']) rmSync(`${out}/${name}.${process.versions.v8}.cache`, { force: true });
    console.warn(`build: no code cache recorded (${e.message.split('\n')[0]}); dist/ starts without one.`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

rmSync(`dist.old-${process.pid}`, { recursive: true, force: true });
try {
  renameSync('dist', `dist.old-${process.pid}`);
} catch {
  // no dist/ yet
}
renameSync(out, 'dist');
rmSync(`dist.old-${process.pid}`, { recursive: true, force: true });

/**
 * dist/generate.js: a new project in its plain form (`create-migration <dir> --yes`, see
 * src/boot/generate-args.ts), without the argument parser or any other command. What
 * `generate --assess` loads (assess, the generators) becomes a module that throws
 * NotInThisBundle when loaded, which hands the run to dist/main.js before anything is printed or
 * written (src/cli/handoff.ts); the launcher sends --assess there anyway. The built-in template
 * needs neither the YAML nor the Handlebars parser: each is read from its own file on first use.
 */
function generateBundle() {
  const handoffModule = path.resolve('src/cli/handoff.ts');
  const elsewhere = {
    name: 'elsewhere',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/\.\.\/flows\/assess\.js$|\/generators\/index\.js$/ }, (args) => ({ path: args.path, namespace: 'elsewhere' }));
      b.onLoad({ filter: /.*/, namespace: 'elsewhere' }, () => ({
        contents: `import { NotInThisBundle } from ${JSON.stringify(handoffModule)};\nthrow new NotInThisBundle();\n`,
        loader: 'ts',
        resolveDir: path.dirname(handoffModule),
      }));
    },
  };
  const handlebarsApart = { name: 'handlebars-apart', setup: (b) => b.onResolve({ filter: /^handlebars$/ }, () => ({ path: './handlebars.js', external: true })) };
  return build({
    ...common,
    entryPoints: ['src/cli/generate-bin.ts'],
    outfile: `${out}/generate.js`,
    format: 'cjs',
    define: { ...common.define, ...metaUrl },
    banner: { js: metaShim },
    plugins: [promptsApart, lazyYaml, lazyChildProcess, elsewhere, handlebarsApart],
    supported: { 'dynamic-import': false },
  });
}

/**
 * dist/fleet.js: `fleet` in its plain form (see src/boot/fleet-args.ts), without the argument
 * parser or any other command; anything else it hands to dist/main.js. Handlebars and YAML are
 * read from their own files on first use (a template folder, an inventory not yet cached).
 */
function fleetBundle() {
  const handlebarsApart = { name: 'handlebars-apart', setup: (b) => b.onResolve({ filter: /^handlebars$/ }, () => ({ path: './handlebars.js', external: true })) };
  return build({
    ...common,
    entryPoints: ['src/cli/fleet-bin.ts'],
    outfile: `${out}/fleet.js`,
    format: 'cjs',
    define: { ...common.define, ...metaUrl },
    banner: { js: metaShim },
    plugins: [promptsApart, lazyYaml, lazyChildProcess, handlebarsApart],
    supported: { 'dynamic-import': false },
  });
}

/** The merge's WebAssembly passes, assembled from its .wat into the sources before bundling (see scripts/wasm.mjs). */
async function wasmStep() {
  if (await assembleWasm()) console.log('build: src/core/merge/merge-wasm.ts assembled again from merge.wat');
}
