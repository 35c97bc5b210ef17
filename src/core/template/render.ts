import { toolContext } from '../tool.js';
import { InputError } from '../errors.js';
import { Interpreter } from './interpret.js';
import { ParseTrees } from './parse.js';
import { dnsName, encode, lineComment, mdCell, mdInline, mdText, pyComment } from './formats.js';
import type { Answers, AnswerValue, TemplateSpec } from './types.js';

export type RenderContext = Record<string, unknown>;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);
/** 2500000 -> "2,500,000", 28.935 -> "28.94": as en-US formatting, without loading Intl's data. */
export function groupThousands(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = (Math.round(Math.abs(n) * 100) / 100).toString().split('.');
  return `${n < 0 ? '-' : ''}${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const words = (s: unknown) => String(s ?? '').split(/[^A-Za-z0-9]+/).filter(Boolean);

/**
 * The helpers every template can use. They are plain functions of their arguments; templates
 * cannot register helpers of their own, so rendering never runs code that came with a template.
 */
export function helpersFor(spec: TemplateSpec): Record<string, (...args: unknown[]) => unknown> {
  const label = (key: unknown, value: unknown) =>
    spec.questions.find((q) => q.key === key)?.choices?.find((c) => c.value === value)?.label ?? String(value ?? '');
  return {
    py: (v) => encode(v as AnswerValue, 'py'),
    yaml: (v) => encode(v as AnswerValue, 'yaml'),
    toml: (v) => encode(v as AnswerValue, 'toml'),
    json: (v) => encode(v as AnswerValue, 'json'),
    py_comment: (v) => pyComment(String(v ?? '')),
    md_cell: (v) => mdCell(String(v ?? '')),
    md_inline: (v) => mdInline(String(v ?? '')),
    md_text: (v) => mdText(String(v ?? '')),
    line_comment: (v) => lineComment(String(v ?? '')),
    // The last argument is Handlebars' options object; empty parts are left out.
    dns_name: (...args) => dnsName(...args.slice(0, -1).map((a) => String(a ?? ''))),
    includes: (list, value) => asList(list).includes(value),
    eq: (a, b) => a === b,
    ne: (a, b) => a !== b,
    // The last argument of a helper is Handlebars' options object: leave it out.
    and: (...args) => args.slice(0, -1).every(Boolean),
    or: (...args) => args.slice(0, -1).some(Boolean),
    not: (v) => !v || (Array.isArray(v) && v.length === 0),
    empty: (v) => asList(v).length === 0,
    join: (list, sep) => asList(list).join(typeof sep === 'string' ? sep : ', '),
    lookup: (obj, key) =>
      obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, String(key)) ? (obj as Record<string, unknown>)[String(key)] : undefined,
    label,
    labels: (key, list) => asList(list).map((v) => label(key, v)).join(', '),
    pascal: (s) => words(s).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''),
    snake: (s) => words(s).map((w) => w.toLowerCase()).join('_'),
    upper: (s) => String(s ?? '').toUpperCase(),
    number: (n) => (typeof n === 'number' ? groupThousands(n) : String(n ?? '')),
    // Arithmetic for sizing figures (records per hour from a daily volume); non-numbers give 0.
    mul: (a, b) => num(a) * num(b),
    div: (a, b) => (num(b) === 0 ? 0 : num(a) / num(b)),
    // Numbering rows some of which are conditional: add counts a true condition as 1, so
    // `R-{{pad (add 10 (includes legacy_stack "cron_shell")) 2}}` numbers on without a gap.
    add: (...args) => args.slice(0, -1).reduce((sum: number, a) => sum + (a === true ? 1 : num(a)), 0),
    pad: (n, width) => String(Math.trunc(num(n))).padStart(typeof width === 'number' ? Math.max(0, Math.min(10, width)) : 2, '0'),
    round: (a, digits) => {
      const f = 10 ** (typeof digits === 'number' ? Math.max(0, Math.min(6, digits)) : 0);
      return Math.round(num(a) * f) / f;
    },
  };
}

export interface Renderer {
  /** `tree`: the source's parse tree where the caller has it (else the store's, or parsed). */
  render(source: string, file: string, tree?: () => hbs.AST.Program): string;
  context: RenderContext;
}

/**
 * Values derived from the answers that templates may use beside the answers themselves;
 * `extra` carries a generator's own answers (`add workflow` adds the workflow's name).
 */
export function buildContext(spec: TemplateSpec, answers: Answers, extra: Record<string, unknown> = {}): RenderContext {
  const ctx: RenderContext = { ...extra };
  for (const q of spec.questions) ctx[q.key] = Object.hasOwn(answers, q.key) ? answers[q.key] : null;
  const name = typeof answers.project_name === 'string' ? answers.project_name : spec.name;
  ctx.package_name = name.replace(/-/g, '_');
  ctx.template = { name: spec.name, version: spec.version };
  // The tool that renders (or, for a base, rendered) these files: generated CI pins it.
  ctx.tool = toolContext(typeof extra.toolVersion === 'string' ? extra.toolVersion : undefined);
  delete ctx.toolVersion;
  return ctx;
}

/** The tree the caller gave, or undefined when it gave none or that one does not unpack (the text is then parsed). */
function treeOf(tree: (() => hbs.AST.Program) | undefined): hbs.AST.Program | undefined {
  if (!tree) return undefined;
  try {
    return tree();
  } catch {
    return undefined;
  }
}

/**
 * A renderer: templates are parsed by Handlebars (an isolated instance) and evaluated by an
 * interpreter with no HTML escaping, strict lookups of own properties, and known helpers only.
 */
export function createRenderer(spec: TemplateSpec, answers: Answers, extra: Record<string, unknown> = {}, trees: ParseTrees = new ParseTrees()): Renderer {
  const interpreter = new Interpreter(helpersFor(spec));
  const context = buildContext(spec, answers, extra);
  return {
    context,
    render(source, file, tree) {
      try {
        return interpreter.render(treeOf(tree) ?? trees.get(source), context);
      } catch (e) {
        const msg = (e as Error).message.split('\n').slice(0, 3).join(' ');
        throw new InputError(`template file ${file}: cannot render: ${msg}`, file);
      }
    },
  };
}
