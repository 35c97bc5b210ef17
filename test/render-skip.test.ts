import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { ALL, RENDER_ENGINE, namesOf, renderKeys, sourceDigest } from '../src/core/template/deps.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/cli.js';
import { planRender, type PlannedFile, type RenderSkip } from '../src/core/template/plan.js';
import { buildContext } from '../src/core/template/render.js';
import { parseTemplateSpec } from '../src/core/template/spec.js';
import type { Answers, LoadedTemplate } from '../src/core/template/types.js';
import { buildManifest, parseManifest, serializeManifest } from '../src/core/manifest.js';
import { prepareTemplate, sharedTrees } from '../src/edge/parse-trees.js';
import { packTemplate, unpackTemplate } from '../src/edge/template-pack.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { resolveAnswers } from '../src/core/answers/resolve.js';

// The render skip (src/core/template/deps.ts, planRender's `skip`): a file whose render key is
// the recorded one, and whose project file still has the recorded hash, is taken from the
// project unrendered. It must give byte for byte what a full render gives.

const hb = Handlebars.create();
const enc = new TextEncoder();
const names = (source: string) => namesOf(hb.parse(source));

describe('the root names a text reads', () => {
  it.each([
    ['plain {{title}} and {{project.name}}', ['project', 'title']],
    ['{{py title}} {{upper (join items ", ")}}', ['items', 'title']],
    ['{{#each items}}{{this}} {{@index}} {{name}} {{../title}}{{/each}}', ['items', 'title']],
    ['{{#with owner}}{{name}}{{else}}{{fallback}}{{/with}}', ['fallback', 'owner']],
    ['{{#each a}}{{#each b}}{{../../c}} {{../d}}{{/each}}{{/each}}', ['a', 'c']],
    ['{{#if (eq kind "x")}}{{label "kind" kind}}{{/if}}', ['kind', 'label']],
    ['{{this.title}}', ['title']],
    ['{{template.version}} {{tool.version}}', ['template', 'tool']],
    // What may read anything: the whole context, @root, a data name outside a loop.
    ['{{this}}', [ALL]],
    ['{{lookup this "title"}}', [ALL]],
    ['{{#each items}}{{lookup ../this "title"}}{{/each}}', [ALL]],
    ['{{@root.title}}', [ALL]],
    ['{{#each items}}{{@root.title}}{{/each}}', [ALL]],
    ['{{@index}}', [ALL]],
    ['{{> partial}}', [ALL]],
    // A name that is not a helper is looked up (a render error, but counted all the same).
    ['{{nothelper title}}', ['nothelper', 'title']],
  ])('%j reads %j', (source, expected) => {
    expect(names(source)).toEqual(expected);
  });
});

const SPEC = (version: string, labels = 'Ex') => `name: skip
version: ${version}
questions:
  - { key: project_name, type: slug, message: Name }
  - { key: title, type: text, message: Title }
  - { key: owner, type: text, message: Owner }
  - { key: items, type: multi, message: Items, choices: [a, b, c] }
  - key: kind
    type: choice
    message: Kind
    choices: [{ value: x, label: ${labels} }, { value: y, label: Why }]
files:
  conditional:
    - { path: only-x.md, when: { kind: x } }
  verbatim:
    - verbatim.md
`;

/** Template sources, each exercising one way an output depends on its inputs. */
const BASE_FILES: Record<string, string> = {
  'title.md': '# {{title}}\n',
  'each.md': '{{#each items}}- {{this}} {{@index}} of {{../title}}\n{{/each}}',
  'version.md': 'made from {{template.name}} {{template.version}}\n',
  'lookup.md': '{{#each items}}{{lookup ../this "owner"}};{{/each}}\n',
  'root.md': '{{@root.owner}}\n',
  'label.md': '{{label "kind" kind}} {{#if (eq kind "x")}}X{{else}}Y{{/if}} {{upper owner}}\n',
  '{{package_name}}/mod.py': 'NAME = {{py project_name}}\n',
  'only-x.md': 'x for {{owner}}\n',
  'plain.txt': 'no substitutions\n',
  'verbatim.md': 'kept {{title}} as is\n',
  'tool.md': '{{tool.spec}}\n',
};

async function template(version: string, files: Record<string, string>, labels?: string): Promise<LoadedTemplate> {
  const t: LoadedTemplate = { spec: parseTemplateSpec(SPEC(version, labels)), files: new Map(Object.entries(files).map(([p, s]) => [p, enc.encode(s)])), executable: new Set(['{{package_name}}/mod.py']) };
  return prepareTemplate(t);
}

/** The same template through a pack (as the built-in template and the cache load it): keys from the pack's deps. */
function packed(t: LoadedTemplate): LoadedTemplate {
  const u = unpackTemplate(packTemplate(t, (s) => sharedTrees.get(s)));
  expect(u?.deps?.size).toBeGreaterThan(0);
  return u!;
}

const asRendered = (files: PlannedFile[]) => new Map(files.map((f) => [f.path, f.data]));
const keysOf = (files: PlannedFile[]) => Object.fromEntries(files.filter((f) => f.key).map((f) => [f.path, f.key!]));
const view = (files: PlannedFile[]) => files.map((f) => ({ path: f.path, templatePath: f.templatePath, data: Buffer.from(f.data).toString('latin1'), binary: f.binary, executable: f.executable, key: f.key }));

/** A seeded generator, so a failure names its case. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

describe('a render with the skip is the full render', () => {
  it('over versions with changed and unchanged files, changed answers, labels, loops, lookup, @root and conditional files', async () => {
    let skippedSome = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = prng(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const answers1: Answers = { project_name: 'proj', title: 'T', owner: 'o', items: ['a', 'b'], kind: 'x' };
      const v2files = { ...BASE_FILES };
      for (const p of Object.keys(v2files)) if (rnd() < 0.25) v2files[p] += 'changed in 2\n';
      if (rnd() < 0.2) v2files['new.md'] = 'new {{title}}\n';
      const answers2: Answers = { ...answers1 };
      if (rnd() < 0.3) answers2.title = pick(['T', 'T2', 'Other']);
      if (rnd() < 0.3) answers2.owner = pick(['o', 'p']);
      if (rnd() < 0.3) answers2.items = pick([['a'], ['a', 'b'], ['c', 'a']]);
      if (rnd() < 0.3) answers2.kind = pick(['x', 'y']);
      if (rnd() < 0.2) answers2.project_name = 'renamed';
      const sameVersion = rnd() < 0.3;
      const t1 = await template('1.0.0', BASE_FILES);
      let t2 = await template(sameVersion ? '1.0.0' : '2.0.0', v2files, rnd() < 0.2 ? 'Ex (renamed)' : 'Ex');
      if (rnd() < 0.5) t2 = packed(t2);
      const first = planRender(rnd() < 0.5 ? packed(t1) : t1, answers1, {}, { keys: true });
      const mine = asRendered(first);
      // A file the team edited no longer has the recorded hash: it is not among the files as rendered.
      if (rnd() < 0.3) mine.delete(pick([...mine.keys()]));
      const skip: RenderSkip = { keys: keysOf(first), asRendered: mine };
      const full = planRender(t2, answers2, {}, { keys: true });
      const skipped = planRender(t2, answers2, {}, { skip });
      expect(view(skipped), `seed ${seed}`).toEqual(view(full));
      skippedSome += skipped.filter((f, i) => f.data === mine.get(f.path) && full[i]!.data !== f.data).length;
    }
    // The cases do exercise the skip (files taken from the project, equal to the render).
    expect(skippedSome).toBeGreaterThan(50);
  });

  it('the built-in template: the pack gives the keys a template folder gives, and a sync-like render skips all but what changed', async () => {
    const dir = await loadTemplateDir(BUILTIN_TEMPLATE_DIR);
    const pack = packed(dir);
    const answers = await resolveAnswers(dir.spec, { provided: { owner: 'Team <a@b>', patterns: ['etl', 'api'] }, dirName: 'proj', useDefaults: true });
    const fromDir = planRender(dir, answers, {}, { keys: true });
    const fromPack = planRender(pack, answers, {}, { keys: true });
    expect(view(fromPack)).toEqual(view(fromDir));
    expect(Object.keys(keysOf(fromDir)).length).toBeGreaterThan(40);
    const older = { ...dir, spec: { ...dir.spec, version: '0.9.0' } };
    const first = planRender(older, answers, {}, { keys: true });
    const skipped = planRender(pack, answers, {}, { skip: { keys: keysOf(first), asRendered: asRendered(first) } });
    expect(view(skipped)).toEqual(view(fromDir));
    const rendered = skipped.filter((f) => f.key && f.data !== asRendered(first).get(f.path)).map((f) => f.path);
    // Only the files that read the template's version render again.
    const reading = [...pack.deps!].filter(([, d]) => d.names.includes('template') || d.names.includes(ALL)).map(([p]) => p);
    expect(rendered.length).toBe(reading.length);
  });
});

describe('what makes a file render again', () => {
  const bogus = enc.encode('not what the template renders\n');
  /** A skip whose files "as rendered" are all bogus: any file taken from it shows. */
  const skipOf = (first: PlannedFile[]): RenderSkip => ({ keys: keysOf(first), asRendered: new Map(first.map((f) => [f.path, bogus])) });
  const taken = (files: PlannedFile[]) => files.filter((f) => f.data === bogus).map((f) => f.path).sort();
  const answers: Answers = { project_name: 'proj', title: 'T', owner: 'o', items: ['a'], kind: 'x' };

  it('nothing changed: every rendered text and copied file is taken from the project', async () => {
    for (const t of [await template('1.0.0', BASE_FILES), packed(await template('1.0.0', BASE_FILES))]) {
      const first = planRender(t, answers, {}, { keys: true });
      expect(taken(planRender(t, answers, {}, { skip: skipOf(first) }))).toEqual(Object.keys(keysOf(first)).sort());
      // A file copied as it is has a key too (a pack's from its row: its cached bytes are not
      // read); a verbatim one has none, since a rule, not its bytes, says it is copied.
      expect(Object.keys(keysOf(first))).toContain('plain.txt');
      expect(Object.keys(keysOf(first))).not.toContain('verbatim.md');
    }
  });

  it('an answer a file reads renders that file (and the files reading everything), not the others', async () => {
    const t = await template('1.0.0', BASE_FILES);
    const first = planRender(t, answers, {}, { keys: true });
    const again = (a: Answers) => planRender(t, a, {}, { skip: skipOf(first) }).filter((f) => f.key && f.data !== bogus).map((f) => f.path).sort();
    expect(again({ ...answers, title: 'New' })).toEqual(['each.md', 'lookup.md', 'root.md', 'title.md']);
    expect(again({ ...answers, owner: 'p' })).toEqual(['label.md', 'lookup.md', 'only-x.md', 'root.md']);
    expect(again({ ...answers, project_name: 'other' })).toEqual(['lookup.md', 'other/mod.py', 'root.md']);
  });

  it('a new template version renders what reads it; changed bytes or choice labels render the file', async () => {
    const t = await template('1.0.0', BASE_FILES);
    const first = planRender(t, answers, {}, { keys: true });
    const again = (t2: LoadedTemplate) => planRender(t2, answers, {}, { skip: skipOf(first) }).filter((f) => f.key && f.data !== bogus).map((f) => f.path).sort();
    expect(again(await template('1.0.1', BASE_FILES))).toEqual(['lookup.md', 'root.md', 'version.md']);
    expect(again(await template('1.0.0', { ...BASE_FILES, 'each.md': `${BASE_FILES['each.md']}!` }))).toEqual(['each.md']);
    expect(again(await template('1.0.0', BASE_FILES, 'Ex 2'))).toEqual(['label.md', 'lookup.md', 'root.md']);
    expect(again(packed(await template('1.0.1', BASE_FILES)))).toEqual(['lookup.md', 'root.md', 'version.md']);
  });

  it('another engine or tool version makes other keys: every file renders', async () => {
    const t = await template('1.0.0', BASE_FILES);
    const ctx = buildContext(t.spec, answers);
    const deps = { digest: sourceDigest(enc.encode(BASE_FILES['title.md']!)), names: ['title'] };
    const now = renderKeys(ctx, t.spec.questions)('title.md', deps);
    expect(renderKeys(ctx, t.spec.questions, '2/0.1.0')('title.md', deps)).not.toBe(now);
    expect(renderKeys(ctx, t.spec.questions, '1/9.9.9')('title.md', deps)).not.toBe(now);
    expect(planRender(t, answers, {}, { keys: true }).find((f) => f.path === 'title.md')!.key).toBe(now);
    expect(planRender(t, answers).every((f) => f.key === undefined)).toBe(true);
    // Keys recorded by another engine: nothing is taken from the project.
    const first = planRender(t, answers, {}, { keys: true });
    const other = renderKeys(ctx, t.spec.questions, '2/0.1.0');
    const keys = Object.fromEntries(first.filter((f) => f.key).map((f) => [f.path, other(f.templatePath, t.deps?.get(f.templatePath) ?? { digest: sourceDigest(t.files.get(f.templatePath)!), names: [ALL] })]));
    expect(taken(planRender(t, answers, {}, { skip: { keys, asRendered: new Map(first.map((f) => [f.path, bogus])) } }))).toEqual([]);
  });

  it('the render engine\'s sources are the ones its version was set for', () => {
    // A key promises that the output is what it was. When the interpreter, a helper, a format,
    // the small parser or the packed trees change, a file may render differently from the same
    // text and values: bump RENDER_ENGINE (src/core/template/deps.ts) when the output may
    // differ, and in any case set the digest below to the new one.
    const files = ['interpret', 'render', 'formats', 'parse', 'compact', 'deps'].map((f) => readFileSync(path.join(ROOT, `src/core/template/${f}.ts`), 'utf8').replace(/\r\n/g, '\n'));
    const digest = createHash('sha256').update(files.join('\0')).digest('hex').slice(0, 16);
    expect({ engine: RENDER_ENGINE, digest }).toEqual({ engine: 1, digest: 'a3b69cdbcf682c49' });
  });

  it('partials are not a dependency to follow: a template cannot use one', async () => {
    const t = await template('1.0.0', { 'p.md': '{{> other}}\n' });
    expect(() => planRender(t, answers)).toThrow(/partials are not allowed/);
  });
});

describe('manifest render keys', () => {
  const files = [
    { path: 'b.md', data: enc.encode('b'), key: '0123456789abcdef' },
    { path: 'a.md', data: enc.encode('a'), key: 'fedcba9876543210' },
    { path: 'c.bin', data: Uint8Array.of(0, 1) },
  ];
  const m = buildManifest('create-kailash-migration@0.1.0', { name: 't', version: '1.0.0', source: 'builtin' }, {}, files);

  it('are recorded sorted, survive a round trip, and are left out when no file has one', () => {
    expect(Object.keys(m.renderKeys!)).toEqual(['a.md', 'b.md']);
    expect(parseManifest(serializeManifest(m))).toEqual(m);
    expect(serializeManifest(parseManifest(serializeManifest(m)))).toBe(serializeManifest(m));
    const none = buildManifest('g', { name: 't', version: '1.0.0', source: 'builtin' }, {}, [files[2]!]);
    expect('renderKeys' in none).toBe(false);
  });

  it('a manifest whose keys name unlisted files or are not hex is refused', () => {
    const bad = (renderKeys: unknown) => () => parseManifest(JSON.stringify({ ...m, renderKeys }));
    expect(bad({ 'x.md': '0123456789abcdef' })).toThrow(/renderKeys/);
    expect(bad({ 'a.md': 'zz' })).toThrow(/renderKeys/);
    expect(bad(['a.md'])).toThrow(/renderKeys/);
    expect(bad({ 'a.md': 12 })).toThrow(/renderKeys/);
  });
});
