import Handlebars from 'handlebars';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interpreter, RenderError } from '../src/core/template/interpret.js';
import { MAX_NESTING, nestingDepth, nestingProblem } from '../src/core/template/nesting.js';
import { ParseTrees } from '../src/core/template/parse.js';
import { runCli, tempDir } from './helpers/cli.js';
import { builtinTemplateRepo, gitIn } from './helpers/git.js';
import { writeTree } from './helpers/template-repo.js';

// Handlebars' parser takes time that grows with a text's size times its nesting: 4,000 nested
// {{#if}} blocks (108 KB) took 26 s to render, 8,000 never finished. Every kind of nesting is
// refused past MAX_NESTING before the parser sees it, and the interpreter bounds what any tree
// may cost.

const hb = Handlebars.create();

/** The depth of Handlebars' own tree: blocks (an else-if chain nests each link) and subexpressions. */
function treeDepth(node: unknown): number {
  if (Array.isArray(node)) return Math.max(0, ...node.map(treeDepth));
  if (node === null || typeof node !== 'object') return 0;
  const n = node as Record<string, unknown>;
  const here = n.type === 'BlockStatement' || n.type === 'SubExpression' || n.type === 'PartialBlockStatement' || n.type === 'DecoratorBlock' ? 1 : 0;
  let below = 0;
  for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'strip' && k !== 'openStrip' && k !== 'closeStrip' && k !== 'inverseStrip') below = Math.max(below, treeDepth(v));
  return here + below;
}

/** n nested levels of each construct. */
const NESTED: Record<string, (n: number) => string> = {
  if: (n) => '{{#if a}}x\n'.repeat(n) + '{{/if}}\n'.repeat(n),
  unless: (n) => '{{#unless a}}x\n'.repeat(n) + '{{/unless}}\n'.repeat(n),
  each: (n) => '{{#each list}}x\n'.repeat(n) + '{{/each}}\n'.repeat(n),
  with: (n) => '{{#with @root.obj}}x\n'.repeat(n) + '{{/with}}\n'.repeat(n),
  inverse: (n) => '{{^a}}x\n'.repeat(n) + '{{/a}}\n'.repeat(n),
  'else-if chain': (n) => `{{#if a}}x${'{{else if b}}y'.repeat(n)}{{/if}}`,
  'else-unless chain, ~ and spaces': (n) => `{{~#unless a~}}x${'{{~ else  unless b ~}}y'.repeat(n)}{{~/unless~}}`,
  subexpressions: (n) => `{{eq ${'(eq '.repeat(n)}a${' 1)'.repeat(n)} 1}}`,
  'subexpressions in a block': (n) => `{{#if ${'(not '.repeat(n)}a${')'.repeat(n)}}}x{{/if}}`,
  'mixed blocks': (n) => Array.from({ length: n }, (_, i) => ['{{#if a}}', '{{#each list}}', '{{#with obj}}', '{{#unless b}}'][i % 4]).join('') + Array.from({ length: n }, (_, i) => ['{{/if}}', '{{/each}}', '{{/with}}', '{{/unless}}'][(n - 1 - i) % 4]).join(''),
};

describe('nesting is measured before parsing', () => {
  for (const [name, make] of Object.entries(NESTED)) {
    it(`${name}: the measure is never under Handlebars' own depth; past ${MAX_NESTING} levels the text is refused unparsed`, () => {
      for (const n of [1, 3, 10, MAX_NESTING - 1]) {
        const text = make(n);
        expect(nestingDepth(text), `${name} ${n}`).toBeGreaterThanOrEqual(treeDepth(hb.parse(text)));
        expect(nestingProblem(text), `${name} ${n}`).toBeUndefined();
      }
      for (const n of [MAX_NESTING + 1, 4000, 8000]) {
        const deep = nestingProblem(make(n));
        expect(deep?.depth, `${name} ${n}`).toBeGreaterThan(MAX_NESTING);
        const trees = new ParseTrees(() => {
          throw new Error('the parser must not be reached');
        });
        expect(() => trees.get(make(n))).toThrow(/nested \d+ levels deep at line \d+/);
      }
    });
  }

  it('comments, escapes, strings and [segments] are skipped as Handlebars skips them; what it parses is never deeper than measured', () => {
    const cases = [
      '{{!-- {{#if a}} --}}{{#if b}}x{{/if}}',
      '{{! {{#if a}} }}',
      '\\{{#if a}}not a block {{b}}',
      '\\\\{{#if a}}a block{{/if}}',
      '{{eq "(((" \')))\'}} {{#if "}}"}}x{{/if}}',
      '{{[a}}(b]}} {{#if [x]}}y{{/if}}',
      '{{#each list as |item i|}}{{item}}{{else}}none{{/each}}',
      '{{#if a}}x{{^}}y{{/if}}',
      '{{#if a}}x{{else}}y{{/if}}',
      '{{{raw}}} {{&a}}',
      '{{#> p}}x{{/p}}',
    ];
    for (const text of cases) expect(nestingDepth(text), text).toBeGreaterThanOrEqual(treeDepth(hb.parse(text)));
    expect(nestingDepth('{{#if a}}{{#if b}}{{/if}}{{/if}}{{#if c}}{{/if}}')).toBe(2);
    expect(nestingDepth('{{!-- {{#if a}}{{#if a}} --}}')).toBe(0);
    expect(nestingDepth('\\{{#if a}}')).toBe(0);
  });

  it('random texts of tags, strings, comments and escapes: the measure is never under the depth of what Handlebars parses', () => {
    const piece = fc.constantFrom('{{#if a}}', '{{/if}}', '{{#each l}}', '{{/each}}', '{{else}}', '{{else if b}}', '{{^}}', '{{^a}}', '{{/a}}', '{{x}}', '(', ')', '{{eq (eq a', ') b}}', '"', "'", '[', ']', '\\', '{{!', '{{!--', '--}}', '}}', '{{', '~', ' ', 'x', '\n', '{{{', '}}}', '{{else', 'where', '{{elsewhere a}}', '{{!--}}', '--~}}', '{{~', '~}}');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        let tree: hbs.AST.Program;
        try {
          tree = hb.parse(text);
        } catch {
          return true; // not a template: Handlebars refuses it, whatever its depth
        }
        return nestingDepth(text) >= treeDepth(tree);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });
});

describe('the interpreter bounds what any tree costs', () => {
  const context = { a: true, list: [1, 2, 3, 4, 5, 6], obj: { a: true } };
  it('a tree nested past the limit (made without the guard) is a render error, not a stack overflow', () => {
    const tree = hb.parse(NESTED.with!(200));
    expect(() => new Interpreter({}).render(tree, context)).toThrow(RenderError);
    expect(() => new Interpreter({}).render(tree, context)).toThrow(/nested more than 64 deep/);
  });

  it('loops nested in loops stop at the step limit; a long flat file renders', () => {
    const tree = hb.parse('{{#each @root.list}}'.repeat(12) + 'x' + '{{/each}}'.repeat(12)); // 6^12 turns
    expect(() => new Interpreter({}).render(tree, context)).toThrow(/more than 5000000 steps/);
    const wide = hb.parse('{{#each list}}{{this}}{{/each}}\n'.repeat(20_000));
    expect(new Interpreter({}).render(wide, context)).toHaveLength(20_000 * 7);
  });

  it('output past the character limit stops', () => {
    const tree = hb.parse(`{{#each @root.list}}{{#each @root.list}}{{#each @root.list}}{{#each @root.list}}${'y'.repeat(60_000)}{{/each}}{{/each}}{{/each}}{{/each}}`);
    expect(() => new Interpreter({}, { depth: 64, steps: 5_000_000, chars: 1_000_000 }).render(tree, context)).toThrow(/output grows over 1000000 characters/);
  });
});

describe('deep templates from the CLI: refused fast, naming the file', () => {
  const DEEP: Record<string, string> = {
    'deep-if.md': NESTED.if!(8000),
    'deep-each.md': NESTED.each!(4000),
    'deep-unless.md': NESTED.unless!(4000),
    'deep-with.md': NESTED.with!(4000),
    'deep-else.md': NESTED['else-if chain']!(4000),
    'deep-sub.md': NESTED.subexpressions!(4000),
  };

  it('generate and sync exit 2 naming the file; template check reports each file', async () => {
    const tmp = tempDir('cm-deep-');
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => writeTree(path.join(repo, 'files'), DEEP));
    const check = await runCli(['template', 'check', tpl, '--json'], { cwd: tmp, timeoutMs: 120_000 });
    expect(check.timedOut).toBeUndefined();
    expect(check.code, check.stderr).toBe(1);
    const found = JSON.parse(check.stdout).findings as { kind: string; file: string; message: string }[];
    for (const file of Object.keys(DEEP)) expect(found.find((f) => f.file === file)?.message, file).toMatch(/nested \d+ levels deep at line \d+/);

    const gen = await runCli(['fresh', '--yes', '--template', tpl], { cwd: tmp, timeoutMs: 120_000 });
    expect(gen.timedOut).toBeUndefined();
    expect(gen.code).toBe(2);
    expect(gen.stderr).toMatch(/template file deep-[a-z]+\.md: cannot render: nested \d+ levels deep/);
    expect(gen.stderr.trim().split('\n')).toHaveLength(1);

    const old = await runCli(['proj', '--yes', '--template', `${tpl}#v1.0.0`], { cwd: tmp });
    expect(old.code, old.stderr).toBe(0);
    const project = path.join(tmp, 'proj');
    const before = gitIn(project, 'status', '--porcelain');
    const sync = await runCli(['sync'], { cwd: project, timeoutMs: 120_000 });
    expect(sync.timedOut).toBeUndefined();
    expect(sync.code).toBe(2);
    expect(sync.stderr).toMatch(/template file deep-[a-z]+\.md: cannot render: nested \d+ levels deep/);
    expect(gitIn(project, 'status', '--porcelain')).toBe(before);
  }, 300_000);
});
