import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coveringSet } from '../src/core/template-check/combos.js';
import { markdownLinks } from '../src/core/template-check/links.js';
import { evaluate } from '../src/core/template/conditions.js';
import { parseTemplateSpec } from '../src/core/template/spec.js';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';
import { writeTree } from './helpers/template-repo.js';

const SPEC = `name: planted
version: 1.1.0
questions:
  - { key: project_name, type: slug, default: "{{dir_name}}" }
  - { key: title, type: text, default: Plain }
  - { key: mode, type: choice, choices: [a, b, c], default: a }
  - { key: kinds, type: multi, choices: [x, y, z], default: [x], min: 1 }
  - { key: flavour, type: choice, when: { kinds: y }, choices: [sweet, sour], default: sweet }
  - { key: where, type: choice, choices: [docs, ".."], default: docs }
  - { key: unused, type: text, default: nobody reads me }
files:
  conditional:
    - { path: "only-y/**", when: { kinds: y } }
    - { path: never.md, when: { mode: d } }
`;

describe('covering set', () => {
  const spec = parseTemplateSpec(SPEC);
  const combos = coveringSet(spec, [...spec.questions.flatMap((q) => (q.when ? [q.when] : [])), ...spec.files.conditional.map((c) => c.when)]);
  const answers = combos.map((c) => c.answers);

  it('tries every choice value, and every pair of values of two choice/multi questions that can meet', () => {
    for (const v of ['a', 'b', 'c']) expect(answers.some((a) => a.mode === v)).toBe(true);
    for (const v of ['x', 'y', 'z']) expect(answers.some((a) => (a.kinds as string[]).includes(v))).toBe(true);
    for (const m of ['a', 'b', 'c']) for (const f of ['sweet', 'sour']) expect(answers.some((a) => a.mode === m && a.flavour === f), `${m}+${f}`).toBe(true);
    for (const m of ['a', 'b', 'c']) for (const w of ['docs', '..']) expect(answers.some((a) => a.mode === m && a.where === w), `${m}+${w}`).toBe(true);
  });

  it('holds every condition both ways where it can, and tries awkward text', () => {
    const when = { kinds: 'y' };
    expect(answers.some((a) => evaluate(when, a))).toBe(true);
    expect(answers.some((a) => !evaluate(when, a))).toBe(true);
    expect(answers.some((a) => a.flavour === undefined)).toBe(true);
    expect(answers.some((a) => typeof a.title === 'string' && a.title.includes('"') && a.title.includes('\\'))).toBe(true);
  });
});

describe('markdown links', () => {
  it('resolves relative links, skips URLs, anchors and code', () => {
    const text = '[a](other.md) [b](../README.md#top) [c](https://x.y) [d](#here)\n`[e](code.md)`\n```\n[f](fenced.md)\n```\n[g]: ./ref.md\n[h](../../up.md)';
    expect(markdownLinks('docs/page.md', text).map((l) => [l.resolved, l.outside])).toEqual([
      ['docs/other.md', false],
      ['README.md', false],
      ['docs/ref.md', false],
      ['../up.md', true],
    ]);
  });
});

function plantedTemplate(dir: string): string {
  writeFileSync(path.join(dir, 'template.yaml'), SPEC);
  writeTree(path.join(dir, 'files'), {
    'README.md': '# {{title}}\n\nSee [the guide](docs/guide.md), [the flavours](only-y/flavours.md) and [nothing](docs/missing.md).\n',
    'docs/guide.md': '# Guide for {{project_name}}\n',
    'only-y/flavours.md': '# {{flavour}}\n',
    'never.md': 'no combination renders me\n',
    'src/app.py': 'MODE = {{py mode}}\n{{#if (eq mode "b")}}def broken(:\n{{/if}}',
    'config.yml': 'title: {{title}}\nmode: {{yaml mode}}\n',
    'settings.toml': '[tool]\n{{#if (includes kinds "z")}}name = {{/if}}\n',
    'data.json': '{"mode": {{json mode}}{{#if (eq mode "c")}},{{/if}} }\n',
    'strict.md': '{{#if (eq mode "c")}}{{no_such_value}}{{/if}}\n',
    '{{where}}/notes.md': 'notes\n',
  });
  return dir;
}

describe('template check', () => {
  it('the built-in template is clean', async () => {
    const r = await runCli(['template', 'check', path.join(ROOT, 'templates/kailash-migration'), '--json'], { cwd: ROOT });
    const out = JSON.parse(r.stdout);
    expect(out.findings).toEqual([]);
    expect(r.code).toBe(0);
    expect(out.combinations).toBeGreaterThan(20);
  });

  it("renders the built-in template's SFTP delivery: every delivery target is tried, asked only with the API pattern", () => {
    const spec = parseTemplateSpec(readFileSync(path.join(ROOT, 'templates/kailash-migration/template.yaml'), 'utf8'));
    const combos = coveringSet(spec, [...spec.questions.flatMap((q) => (q.when ? [q.when] : [])), ...spec.files.conditional.map((c) => c.when)]);
    const answers = combos.map((c) => c.answers);
    for (const target of ['api', 'sftp']) {
      expect(answers.some((a) => a.delivery_target === target && (a.patterns as string[]).includes('api')), target).toBe(true);
    }
    expect(answers.some((a) => a.delivery_target === 'sftp' && (a.data_sources as string[]).includes('sftp'))).toBe(true);
    for (const a of answers) {
      if (!(a.patterns as string[]).includes('api')) expect(a.delivery_target, JSON.stringify(a)).toBeUndefined();
    }
    const sftpFiles = spec.files.conditional.filter((c) => JSON.stringify(c.when) === JSON.stringify({ delivery_target: 'sftp' }));
    expect(sftpFiles.map((c) => c.path).sort()).toEqual(['src/*/nodes/sftp_target.py', 'tests/e2e/test_sftp_delivery.py', 'tests/sftp_partner.py', 'tests/test_sftp_target.py']);
  });

  it('finds a planted failure of each kind, with the answers that cause it; exit 1', async () => {
    const dir = plantedTemplate(tempDir());
    gitIn(dir, 'init', '-q');
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'planted');
    gitIn(dir, 'tag', 'v1.1.0');
    gitIn(dir, 'tag', 'v1.2.0'); // template.yaml still says 1.1.0
    const r = await runCli(['template', 'check', dir, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const found = JSON.parse(r.stdout).findings as { kind: string; file: string; message: string; answers?: Record<string, unknown> }[];
    const one = (kind: string, file: string) => {
      const f = found.find((x) => x.kind === kind && x.file === file);
      expect(f, `${kind} ${file} in ${JSON.stringify(found, null, 1)}`).toBeDefined();
      return f!;
    };
    expect(one('parse', 'src/app.py').answers).toEqual({ mode: 'b' });
    expect(one('parse', 'src/app.py').message).toMatch(/Python: .*line 2/);
    expect(one('parse', 'config.yml').answers).toMatchObject({ title: expect.stringContaining('"') });
    expect(one('parse', 'settings.toml').message).toMatch(/TOML/);
    expect(one('parse', 'settings.toml').answers).toEqual({ kinds: { includes: 'z' } });
    expect(one('parse', 'data.json').answers).toEqual({ mode: 'c' });
    expect(one('render', 'strict.md').answers).toEqual({ mode: 'c' });
    const links = found.filter((x) => x.kind === 'link' && x.file === 'README.md');
    expect(links.find((l) => l.message.includes('docs/missing.md'))?.answers).toEqual({});
    expect(links.find((l) => l.message.includes('only-y/flavours.md'))?.answers).toMatchObject({ kinds: expect.anything() });
    expect(links).toHaveLength(2); // the guide link resolves
    expect(one('path', '{{where}}/notes.md').answers).toEqual({ where: '..' });
    expect(one('unrendered', 'never.md').message).toMatch(/no combination/);
    expect(one('unused-question', 'unused').message).toMatch(/unused/);
    expect(one('tag', 'v1.2.0').message).toMatch(/says version 1\.1\.0/);
    expect(found.some((x) => x.kind === 'tag' && x.file === 'v1.1.0')).toBe(false);

    const text = await runCli(['template', 'check', dir], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/parse src\/app\.py: .*\n  with mode="b"/);
    expect(text.stderr).toMatch(/parse settings\.toml: .*\n  with kinds includes z/);
  });

  it('a template.yaml that does not validate is a finding; a folder without one is bad input', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'files'));
    writeFileSync(path.join(dir, 'template.yaml'), 'name: x\nversion: one\n');
    const r = await runCli(['template', 'check', dir, '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ kind: 'spec', message: expect.stringMatching(/version: "one" is not a semantic version/) });
    const none = await runCli(['template', 'check', path.join(dir, 'files')], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no template\.yaml/);
  });
});
