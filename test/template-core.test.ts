import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultFor, resolveAnswers, slugify } from '../src/core/answers/resolve.js';
import { checkAnswer } from '../src/core/answers/validate.js';
import { InputError } from '../src/core/errors.js';
import { planRender } from '../src/core/template/plan.js';
import { createRenderer } from '../src/core/template/render.js';
import { sharedTrees } from '../src/edge/parse-trees.js';
import { parseTemplateSpec } from '../src/core/template/spec.js';
import type { LoadedTemplate, Question } from '../src/core/template/types.js';

const BUILTIN_YAML = readFileSync(new URL('../templates/kailash-migration/template.yaml', import.meta.url), 'utf8');
const builtin = parseTemplateSpec(BUILTIN_YAML);
const q = (key: string) => builtin.questions.find((x) => x.key === key)!;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function tpl(yaml: string, files: Record<string, string>): LoadedTemplate {
  return { spec: parseTemplateSpec(yaml), files: new Map(Object.entries(files).map(([k, v]) => [k, enc(v)])), trees: sharedTrees };
}

const MINI = `
name: mini
version: 1.0.0
questions:
  - { key: name, type: text, default: x }
  - { key: kinds, type: multi, choices: [a, b], default: [a] }
files:
  conditional:
    - { path: "only-b/**", when: { kinds: b } }
  verbatim: ["raw/**"]
`;

describe('template.yaml', () => {
  it('the built-in template asks every key of the design', () => {
    const keys = builtin.questions.map((x) => x.key);
    for (const k of ['project_name', 'system_name', 'owner', 'legacy_stack', 'data_sources', 'database_kind', 'daily_volume', 'patterns', 'llm_provider', 'compliance', 'cutover', 'target_date', 'python_version', 'ci']) {
      expect(keys).toContain(k);
    }
  });

  it.each([
    ['not yaml', 'name: [unclosed', /not valid YAML/],
    ['no version', 'name: x\nquestions: []', /version/],
    ['bad semver', 'name: x\nversion: one', /"one" is not a semantic version/],
    ['unknown type', 'name: x\nversion: 1.0.0\nquestions: [{key: a, type: magic}]', /questions\[0\]\.type: "magic"/],
    ['choice without choices', 'name: x\nversion: 1.0.0\nquestions: [{key: a, type: choice}]', /questions\[0\]\.choices/],
    ['duplicate key', 'name: x\nversion: 1.0.0\nquestions: [{key: a, type: text}, {key: a, type: text}]', /asked twice/],
    ['condition on unknown key', 'name: x\nversion: 1.0.0\nquestions: [{key: a, type: text, when: {zzz: 1}}]', /"zzz", which is not a question/],
    ['__proto__ key', 'name: x\nversion: 1.0.0\n__proto__: {polluted: true}', /__proto__: this key name is not allowed/],
    ['constructor in a question', 'name: x\nversion: 1.0.0\nquestions: [{key: a, type: text, constructor: 1}]', /constructor: this key name is not allowed/],
    ['alias bomb', `name: x\nversion: 1.0.0\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]`, /not valid YAML/],
  ])('refuses %s with a message naming the field', (_name, yaml, re) => {
    expect(() => parseTemplateSpec(yaml)).toThrow(InputError);
    expect(() => parseTemplateSpec(yaml)).toThrow(re);
  });
});

describe('answers', () => {
  it.each<[string, unknown, boolean, RegExp?]>([
    ['project_name', 'billing-etl', true],
    ['project_name', '../x', false, /lowercase letters/],
    ['project_name', '/abs', false, /lowercase letters/],
    ['project_name', 'class', false, /Python keyword/],
    ['project_name', 'a'.repeat(65), false, /64/],
    ['system_name', 'R&D "Ops" <legacy> \\ {{x}}', true],
    ['system_name', 'two\nlines', false, /single line/],
    ['system_name', 'nul\u0000', false, /control characters/],
    ['system_name', 'x'.repeat(100_000), false, /limit is 200/],
    ['description', 'two\nlines are fine here', true],
    ['daily_volume', '1500', true],
    ['daily_volume', 'lots', false, /not a number/],
    ['daily_volume', -1, false, /below the minimum/],
    ['daily_volume', 1.5, false, /whole number/],
    ['target_date', '2027-02-30', false, /not a real calendar date/],
    ['target_date', '30/01/2027', false, /YYYY-MM-DD/],
    ['ci', 'jenkins', false, /not one of github, gitlab, none/],
    ['data_sources', 'csv,ftp', false, /"ftp" is not one of/],
    ['legacy_stack', [], false, /at least 1/],
  ])('%s case %# is valid: %s', (key, value, ok, re) => {
    const r = checkAnswer(q(key), value);
    expect(r.ok).toBe(ok);
    if (!r.ok && re) expect(r.error).toMatch(re);
  });

  it('canonicalises lists from --set into the template order', () => {
    expect(checkAnswer(q('data_sources'), 'sftp, csv')).toEqual({ ok: true, value: ['csv', 'sftp'] });
  });

  it('defaults patterns from the legacy stack', () => {
    expect(defaultFor(q('patterns'), { legacy_stack: ['point_to_point', 'static_reports'] }, 'x')).toEqual(['api', 'reporting']);
    expect(defaultFor(q('patterns'), { legacy_stack: ['cron_shell'] }, 'x')).toEqual(['etl']);
  });

  it('defaults the project name from the folder name as a slug', () => {
    expect(slugify('My Billing ETL!')).toBe('my-billing-etl');
    expect(slugify('123')).toBe('migration');
    expect(defaultFor(q('project_name'), {}, 'Legacy Jobs')).toBe('legacy-jobs');
  });

  it('lists every missing key at once when it cannot ask', async () => {
    await expect(resolveAnswers(builtin, { provided: { system_name: 'S' }, dirName: 'p', useDefaults: false })).rejects.toThrow(
      /Missing answers for: project_name, owner, legacy_stack, data_sources, daily_volume, patterns, compliance, cutover, target_date, deployment, python_version, ci\./,
    );
  });

  it('asks conditional questions only when their condition holds', async () => {
    const without = await resolveAnswers(builtin, { provided: { data_sources: ['csv'] }, dirName: 'p', useDefaults: true });
    expect(without).not.toHaveProperty('database_kind');
    const withDb = await resolveAnswers(builtin, { provided: { data_sources: 'csv,database', database_kind: 'oracle' }, dirName: 'p', useDefaults: true });
    expect(withDb.database_kind).toBe('oracle');
  });

  it('names the key, and where it came from, when an answer is wrong or unknown', async () => {
    await expect(resolveAnswers(builtin, { provided: { daily_volume: 'x' }, origins: { daily_volume: '--set' }, dirName: 'p', useDefaults: true })).rejects.toThrow(
      /^daily_volume \(--set\): "x" is not a number/,
    );
    await expect(resolveAnswers(builtin, { provided: { colour: 'x' }, origins: { colour: '--set' }, dirName: 'p', useDefaults: true })).rejects.toThrow(
      /--set: "colour" is not a question/,
    );
  });

  it('asks through the asker it is given, in question order', async () => {
    const asked: string[] = [];
    const answers = await resolveAnswers(builtin, {
      provided: {},
      dirName: 'p',
      useDefaults: false,
      ask: async (question: Question, def) => {
        asked.push(question.key);
        return def ?? '';
      },
    });
    expect(asked[0]).toBe('project_name');
    expect(asked).not.toContain('database_kind');
    expect(answers.project_name).toBe('p');
  });
});

describe('rendering', () => {
  const spec = parseTemplateSpec(MINI);

  it('does no HTML escaping and never re-evaluates an answer', () => {
    const r = createRenderer(spec, { name: 'R&D "Ops" <legacy> {{kinds}}', kinds: ['a'] }, {}, sharedTrees);
    expect(r.render('{{name}}|{{py name}}', 't')).toBe('R&D "Ops" <legacy> {{kinds}}|"R&D \\"Ops\\" <legacy> {{kinds}}"');
  });

  it.each([
    ['{{constructor}}'],
    ['{{__proto__}}'],
    ['{{lookup this "constructor"}}x'],
    ['{{#with this}}{{constructor.constructor}}{{/with}}'],
    ['{{missingHelper name}}'],
    ['{{unknown_field}}'],
  ])('refuses to reach outside the answers: %s', (source) => {
    const r = createRenderer(spec, { name: 'n', kinds: [] }, {}, sharedTrees);
    let out: string | undefined;
    try {
      out = r.render(source, 'evil.md');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as Error).message).toMatch(/template file evil\.md/);
    }
    if (out !== undefined) expect(out).not.toMatch(/function|Object|\[native code\]/);
  });
});

describe('planning', () => {
  it('renames dot_ segments, renders path expressions and applies conditions', () => {
    const t = tpl(MINI, {
      'dot_gitignore': 'x',
      'dot_github/ci.yml': 'name: {{yaml name}}',
      'only-b/{{name}}.md': '{{name}}',
      'raw/keep.txt': '{{not rendered}}',
      '__init__.py': '',
    });
    const a = planRender(t, { name: 'hello', kinds: ['a'] });
    expect(a.map((f) => f.path).sort()).toEqual(['.github/ci.yml', '.gitignore', '__init__.py', 'raw/keep.txt']);
    expect(dec(a.find((f) => f.path === 'raw/keep.txt')!.data)).toBe('{{not rendered}}');
    const b = planRender(t, { name: 'hello', kinds: ['a', 'b'] });
    expect(b.map((f) => f.path)).toContain('only-b/hello.md');
  });

  it('copies binary files byte for byte', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x7b, 0x7b]);
    const t: LoadedTemplate = { spec: parseTemplateSpec(MINI), files: new Map([['logo.png', png]]) };
    const [f] = planRender(t, { name: 'n', kinds: [] });
    expect(f!.binary).toBe(true);
    expect([...f!.data]).toEqual([...png]);
  });

  it.each([['../escape.txt'], ['{{name}}/../../x'], ['/etc/passwd'], ['a/./b']])('refuses an output path that escapes: %s', (p) => {
    const t = tpl(MINI, { [p]: 'x' });
    expect(() => planRender(t, { name: '..', kinds: [] })).toThrow(/output path/);
  });

  it('refuses two template files that write one path', () => {
    const t = tpl(MINI, { 'dot_x': '1', '{{name}}': '2' });
    expect(() => planRender(t, { name: '.x', kinds: [] })).toThrow(/both write \.x/);
  });
});

describe('template.yaml strictness and arithmetic', () => {
  it('refuses an unknown field, as a stray comma in YAML flow style makes one', () => {
    expect(() => parseTemplateSpec('name: x\nversion: 1.0.0\nquestions:\n  - key: c\n    type: choice\n    choices:\n      - { value: a, label: One, two }\n')).toThrow(
      /questions\[0\]\.choices\[0\]\.two: is not a known field/,
    );
  });

  it('derives sizing figures with mul, div and round', () => {
    const r = createRenderer(parseTemplateSpec(MINI), { name: 'n', kinds: [] }, { v: 2_500_000 }, sharedTrees);
    expect(r.render('{{number (round (div v 24))}} {{number (round (div v 86400) 2)}} {{div v 0}} {{mul "x" 2}}', 't')).toBe('104,167 28.94 0 0');
  });
});
