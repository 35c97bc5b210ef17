import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../src/core/answers/resolve.js';
import { InputError } from '../src/core/errors.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { planRender } from '../src/core/template/plan.js';
import type { Question } from '../src/core/template/types.js';
import { runCli, snapshot, tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';
import { asRendered, oneLine } from './helpers/markdown.js';
import { pythonCheck } from './helpers/python.js';

const SPEC = (extra = '') => `name: evil
version: 1.0.0
questions:
  - { key: project_name, type: slug, default: "{{dir_name}}" }
  - { key: where, type: text, default: "/etc" }
${extra}`;

function templateDir(root: string, files: Record<string, string | Buffer>, spec = SPEC()): string {
  const dir = path.join(root, 'tpl');
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  writeFileSync(path.join(dir, 'template.yaml'), spec);
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'files', p)), { recursive: true });
    writeFileSync(path.join(dir, 'files', p), data);
  }
  return dir;
}

async function refused(tmp: string, args: string[], message: RegExp): Promise<void> {
  const before = snapshot(tmp);
  const r = await runCli(args, { cwd: tmp });
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
  expect(snapshot(tmp)).toEqual(before);
}

describe('hostile templates are refused: exit 2, a clear message, nothing written', () => {
  it('a path expression that renders to ..', async () => {
    const tmp = tempDir();
    templateDir(tmp, { '{{#if project_name}}..{{/if}}/escape.txt': 'x' });
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], /output path "\.\.\/escape\.txt" leaves the project folder/);
  });

  it('a path expression that renders to an absolute path', async () => {
    const tmp = tempDir();
    templateDir(tmp, { '{{where}}/x.txt': 'x' });
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], /output path "\/etc\/x\.txt" is absolute/);
  });

  it('a symbolic link inside a template folder', async () => {
    const tmp = tempDir();
    const dir = templateDir(tmp, { 'ok.txt': 'x' });
    symlinkSync('/etc/passwd', path.join(dir, 'files/passwd'));
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], /files\/passwd: is a symbolic link/);
  });

  it('a symbolic link committed to a git template', async () => {
    const tmp = tempDir();
    const dir = templateDir(tmp, { 'ok.txt': 'x' });
    symlinkSync('../../outside', path.join(dir, 'files/link'));
    gitIn(dir, 'init', '-q');
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'evil');
    await refused(tmp, ['p', '--yes', '--template', dir], /files\/link: is a symbolic link/);
  });

  it('a project folder symlinked out of the target (--force)', async () => {
    const tmp = tempDir();
    const outside = path.join(tmp, 'outside');
    mkdirSync(outside);
    mkdirSync(path.join(tmp, 'p'));
    symlinkSync(outside, path.join(tmp, 'p/src'));
    await refused(tmp, ['p', '--yes', '--force'], /would replace existing ones \(src[,)]/);
  });

  it.each([
    ['__proto__ in template.yaml', SPEC('__proto__: { polluted: true }\n'), /__proto__: this key name is not allowed/],
    ['constructor in a question', SPEC('  - { key: x, type: text, constructor: 1 }\n'), /constructor: this key name is not allowed/],
    ['invalid YAML', 'name: [', /not valid YAML/],
    ['NUL bytes in template.yaml', `${SPEC()}\u0000\n`, /template\.yaml/],
  ])('%s', async (_name, spec, message) => {
    const tmp = tempDir();
    templateDir(tmp, { 'a.txt': 'a' }, spec);
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], message);
  });

  it.each([
    ['{{constructor.constructor "return process"}}', /cannot render/],
    ['{{#with (lookup this "__proto__")}}{{constructor.name}}{{/with}}', /cannot render|.*/],
    ['{{> partial}}', /cannot render/],
    ['{{log "x"}}{{undefinedHelper 1}}', /cannot render/],
  ])('Handlebars reaching for code or prototypes: %s', async (source) => {
    const tmp = tempDir();
    templateDir(tmp, { 'a.md': source });
    const before = snapshot(tmp);
    const r = await runCli(['p', '--yes', '--template', 'tpl'], { cwd: tmp });
    if (r.code === 0) {
      // Rendered without error: then it must have produced nothing from a prototype.
      expect(readFileSync(path.join(tmp, 'p/a.md'), 'utf8')).not.toMatch(/function|Object|native/);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/template file a\.md: cannot render/);
      expect(snapshot(tmp)).toEqual(before);
    }
  });

  it('a file over the size limit', async () => {
    const tmp = tempDir();
    templateDir(tmp, { 'big.bin': Buffer.alloc(6 * 1024 * 1024, 1) });
    await refused(tmp, ['p', '--yes', '--template', 'tpl'], /big\.bin: \d+ bytes is over the \d+-byte limit/);
  });

  it('binary blobs are copied byte for byte and never rendered', async () => {
    const tmp = tempDir();
    const blob = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0x7b, 0x7b, 0x70, 0x7d, 0x7d, 0xff]);
    templateDir(tmp, { 'logo.png': blob });
    const r = await runCli(['p', '--yes', '--template', 'tpl', '--no-git'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(tmp, 'p/logo.png')).equals(blob)).toBe(true);
  });
});

describe('hostile answers', () => {
  const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 25);
  // Strings built from the characters that break encoders, plus anything unicode.
  const nasty = fc.stringOf(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('"', "'", '\\', '{{', '}}', '&', '<', '>', '#', ':', '-', '|', '`', '$', '%', '\u202e', '🚀', 'ü', '中', ' ', 'a', 'Z') },
      { weight: 3, arbitrary: fc.fullUnicode() },
      { weight: 1, arbitrary: fc.constantFrom('\t', '\n', '\r', '\u0000', '\u2028', '\ufeff') },
    ),
    { maxLength: 40 },
  );
  /** Per question: a valid value of its type most of the time, hostile text otherwise. */
  const forQuestion = (q: Question): fc.Arbitrary<unknown> => {
    const values = q.choices?.map((c) => c.value) ?? [];
    const valid = (): fc.Arbitrary<unknown> => {
      switch (q.type) {
        case 'text': return nasty;
        case 'slug': return fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5})?$/);
        case 'choice': return fc.constantFrom(...values);
        case 'multi': return fc.subarray(values, { minLength: 1 });
        case 'number': return fc.nat();
        case 'date': return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31') }).map((d) => d.toISOString().slice(0, 10));
      }
    };
    // Mostly valid, so that with every question given some runs still make a whole project.
    return fc.oneof({ weight: 9, arbitrary: valid() }, { weight: 1, arbitrary: nasty });
  };

  it(`every question, fuzzed (${FUZZ_RUNS} runs, seed 7): a validation error naming the key, or a project whose every file parses and shows the answer`, async () => {
    const template = await loadTemplateDir(BUILTIN_TEMPLATE_DIR);
    let generated = 0;
    let refusedCount = 0;
    await fc.assert(
      // Text answers are mostly given; the others now and then, to hit their validation too.
      fc.asyncProperty(fc.record(Object.fromEntries(template.spec.questions.map((q) => [q.key, fc.option(forQuestion(q), { freq: 4 })]))), async (raw) => {
        const provided = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
        let answers;
        try {
          answers = await resolveAnswers(template.spec, { provided, dirName: 'fuzz', useDefaults: true });
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          // One wrong answer: the message starts with its key; several: one line each, every key named.
          const msg = (e as Error).message;
          const keys = /^\d+ answers are wrong:/.test(msg) ? [...msg.matchAll(/\n {2}- ([a-z_]+) \(/g)].map((m) => m[1]!) : [msg.split(' ')[0]!];
          expect(keys.length).toBeGreaterThan(0);
          for (const key of keys) expect(Object.keys(provided)).toContain(key);
          refusedCount++;
          return;
        }
        const files = planRender(template, answers);
        const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-fuzz-'));
        try {
          for (const f of files) {
            mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
            writeFileSync(path.join(dir, f.path), f.data);
          }
          expect(pythonCheck(dir, files.map((f) => f.path))).toEqual([]);
          const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
          for (const key of ['system_name', 'owner']) expect(asRendered(readme)).toContain(oneLine(answers[key]));
          generated++;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: 7, numRuns: FUZZ_RUNS },
    );
    expect(generated + refusedCount).toBe(FUZZ_RUNS);
    expect(generated).toBeGreaterThan(0);
  }, 120_000);

  it('a 100 KB answer is refused with the limit named', async () => {
    const tmp = tempDir();
    await refused(tmp, ['p', '--yes', '--set', `owner=${'x'.repeat(100_000)}`], /owner \(--set\): is 100000 characters long; the limit is 200/);
  });
});
