import { cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDotGit } from '../src/project/path-rules.js';
import { runCli, snapshot, tempDir } from './helpers/cli.js';
import { git, writeTree } from './helpers/template-repo.js';

// Random path strings, as a template renders them from an answer, through a real generate and a
// real sync: whatever the string, nothing is created, changed or deleted outside the project
// folder, and nothing inside any .git except by git itself.

const RUNS = Number(process.env.BOUNDARY_RUNS ?? 20);
const MARKER = 'cm-boundary-marker-7f3a';

const SPEC = (version: string) => `name: t
version: ${version}
questions:
  - { key: project_name, type: slug, default: "{{dir_name}}" }
  - { key: p, type: text, default: "seed", max: 2000 }
`;

const PIECES = ['.', '..', '/', '//', '\\', '\u0000', '\t', '.git', '.GIT', '.Git', '.gIT.', 'git~1', 'GIT~1', 'dot_git', 'dot_GIT', '.g\u200cit', 'a', 'b', 'é', '中', '🚀', ' ', ':', 'x'.repeat(120), 'y'.repeat(300), '.migration-template.json', '.migration-template.journal', 'dot_migration-template.lock', '.cm-tmp', 'hooks', 'config', '/etc', '~'];
const pathString = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
      // Plain pieces, so that a good share of the strings are safe paths and get written.
      { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'docs', 'x.md', '/', '-', 'é', '中') },
      { weight: 1, arbitrary: fc.fullUnicodeString({ maxLength: 3 }) },
    ),
    { minLength: 1, maxLength: 10 },
  )
  .map((xs) => xs.join(''));

/** Every file under dir whose bytes hold the marker, '/'-separated and relative. */
function filesWithMarker(dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile() && readFileSync(path.join(dir, r)).includes(MARKER)) found.push(r);
    }
  };
  walk('');
  return found;
}

/** The marker may stand only in the project, outside every .git (any case), or git did not write it. */
function expectOnlyInProject(sandbox: string, project: string): void {
  for (const f of filesWithMarker(sandbox)) {
    expect(f.startsWith(`${project}/`), `${f} is outside the project`).toBe(true);
    expect(f.split('/').some(isDotGit), `${f} is inside a .git`).toBe(false);
  }
}

/** The sandbox as it was, but for what is inside the project folder. */
const outside = (snap: Record<string, string>, project: string) => Object.fromEntries(Object.entries(snap).filter(([k]) => k !== `${project}/` && !k.startsWith(`${project}/`)));

describe(`random path strings through a real generate and sync (${RUNS} runs each)`, () => {
  let tpl: string;
  let proto: string;

  beforeAll(async () => {
    const tmp = realpathSync(tempDir('cm-bprop-'));
    tpl = path.join(tmp, 'tpl');
    mkdirSync(tpl);
    git(tpl, 'init', '-q');
    writeTree(tpl, { 'template.yaml': SPEC('1.0.0'), 'files/README.md': '# {{project_name}}\n' });
    git(tpl, 'add', '-A');
    git(tpl, 'commit', '-qm', 'v1');
    git(tpl, 'tag', 'v1.0.0');
    writeTree(tpl, { 'template.yaml': SPEC('1.1.0'), 'files/{{p}}': `${MARKER}\n`, 'files/sub/{{p}}/inner': `${MARKER}\n` });
    git(tpl, 'add', '-A');
    git(tpl, 'commit', '-qm', 'v1.1');
    git(tpl, 'tag', 'v1.1.0');
    const r = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    proto = path.join(tmp, 'proj');
  }, 60_000);

  it('generate: exit 0 with every file inside the project, or exit 2 with nothing written', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(pathString, async (p) => {
        const sandbox = realpathSync(tempDir('cm-bprop-gen-'));
        mkdirSync(path.join(sandbox, 'victim'));
        writeFileSync(path.join(sandbox, 'victim/keep.txt'), 'keep\n');
        writeFileSync(path.join(sandbox, 'answers.json'), JSON.stringify({ p }));
        const before = snapshot(sandbox);
        const r = await runCli(['proj', '--yes', '--answers', 'answers.json', '--template', `${tpl}#v1.1.0`], { cwd: sandbox });
        expect([0, 2], `${JSON.stringify(p)}: ${r.stderr}`).toContain(r.code);
        if (r.code === 2) expect(snapshot(sandbox)).toEqual(before);
        else {
          written++;
          expect(outside(snapshot(sandbox), 'proj')).toEqual(before);
          expectOnlyInProject(sandbox, 'proj');
        }
      }),
      { seed: 21, numRuns: RUNS },
    );
    console.info(`generate: ${written} of ${RUNS} random paths were safe and written`);
  }, 240_000);

  it('sync: exit 0 with every file inside the project and .git changed only by git, or exit 2 with nothing written', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(pathString, async (p) => {
        const sandbox = realpathSync(tempDir('cm-bprop-sync-'));
        const dir = path.join(sandbox, 'proj');
        cpSync(proto, dir, { recursive: true });
        mkdirSync(path.join(sandbox, 'victim'));
        writeFileSync(path.join(sandbox, 'victim/keep.txt'), 'keep\n');
        const file = path.join(dir, '.migration-template.json');
        const m = JSON.parse(readFileSync(file, 'utf8'));
        m.answers.p = p;
        m.template.ref = undefined;
        writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
        git(dir, 'commit', '-qam', 'answer');
        const before = snapshot(sandbox);
        const gitOwn = () => Object.fromEntries(Object.entries(snapshot(path.join(dir, '.git'))).filter(([k]) => k === 'config' || k.startsWith('hooks/') || k.startsWith('info/')));
        const gitBefore = gitOwn();
        const r = await runCli(['sync'], { cwd: dir });
        expect([0, 1, 2], `${JSON.stringify(p)}: ${r.stderr}`).toContain(r.code);
        if (r.code === 2) expect(snapshot(sandbox)).toEqual(before);
        else {
          written++;
          expect(outside(snapshot(sandbox), 'proj')).toEqual(outside(before, 'proj'));
          expect(gitOwn()).toEqual(gitBefore);
          expectOnlyInProject(sandbox, 'proj');
        }
      }),
      { seed: 22, numRuns: RUNS },
    );
    console.info(`sync: ${written} of ${RUNS} random paths were safe and written`);
  }, 300_000);
});
