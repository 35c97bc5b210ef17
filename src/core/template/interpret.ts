// Handlebars' AST types are declared globally, as hbs.AST, by its type definitions.
import type {} from 'handlebars';

/**
 * Evaluates a parsed Handlebars template (the AST that Handlebars' own parser produces, with its
 * whitespace control applied) against a context, with the semantics of Handlebars' strict mode,
 * `noEscape` and `knownHelpersOnly`.
 *
 * Why not `Handlebars.compile`: compiling generates JavaScript source from the template and
 * evaluates it with `new Function`. Interpreting the tree instead means no code is ever
 * generated from a template (which may come from any git URL), and it is several times faster
 * for the one-shot renders a generator does, where compilation dominated the run time.
 * Only own properties are looked up, so prototypes are out of reach.
 */

export type Helper = (...args: unknown[]) => unknown;

/**
 * What one render may cost, whatever tree it is given: how deep blocks and subexpressions nest
 * (the parser refuses deeper texts already), how many statements and loop turns it evaluates
 * (nested #each over lists multiplies them), and how many characters it makes. A text under the
 * 5 MiB file limit renders in well under these; a tree that would not is stopped with an error.
 */
export const RENDER_LIMITS = { depth: 64, steps: 5_000_000, chars: 64 * 1024 * 1024 };

export class RenderError extends Error {}

interface Frame {
  context: unknown;
  data: Record<string, unknown>;
}

/** Block helpers built into Handlebars that templates may use. */
const BLOCKS = new Set(['if', 'unless', 'each', 'with']);

const own = (o: unknown, key: string): boolean =>
  o !== null && (typeof o === 'object' || typeof o === 'function') && Object.prototype.hasOwnProperty.call(o, key);

/** Handlebars' notion of empty (for #with): false-ish but 0, or an empty list. */
const isEmpty = (v: unknown) => (!v && v !== 0) || (Array.isArray(v) && v.length === 0);
/** What #if and #unless treat as false: anything false-ish, 0 included, or an empty list. */
const isFalse = (v: unknown) => !v || isEmpty(v);

function where(node: { loc?: { start: { line: number; column: number } } }): string {
  return node.loc ? ` (line ${node.loc.start.line}, column ${node.loc.start.column + 1})` : '';
}

/** A path as written; bundled trees leave `original` out, so it is rebuilt from the parts. */
function pathName(p: hbs.AST.PathExpression): string {
  return p.original ?? `${p.data ? '@' : ''}${'../'.repeat(p.depth)}${p.parts.join('.')}`;
}

export class Interpreter {
  private depth = 0;
  private steps = 0;
  private chars = 0;

  constructor(
    private readonly helpers: Readonly<Record<string, Helper>>,
    private readonly limits = RENDER_LIMITS,
  ) {}

  render(program: hbs.AST.Program, context: unknown): string {
    this.depth = 0;
    this.steps = 0;
    this.chars = 0;
    return this.program(program, [{ context, data: { root: context } }]);
  }

  private program(p: hbs.AST.Program, stack: Frame[]): string {
    let out = '';
    for (const s of p.body) out += this.statement(s, stack);
    return out;
  }

  /** Counts one step of work (and `chars` of output) against the render's limits. */
  private spend(chars: number, node: hbs.AST.Node): void {
    this.chars += chars;
    if (++this.steps > this.limits.steps) throw new RenderError(`rendering takes more than ${this.limits.steps} steps (loops nested in loops?)${where(node)}`);
    if (this.chars > this.limits.chars) throw new RenderError(`the output grows over ${this.limits.chars} characters${where(node)}`);
  }

  /** Runs `f` one level deeper, refusing to go past the depth limit. */
  private deeper<T>(node: hbs.AST.Node, f: () => T): T {
    if (++this.depth > this.limits.depth) throw new RenderError(`blocks and subexpressions nested more than ${this.limits.depth} deep${where(node)}`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private statement(s: hbs.AST.Statement, stack: Frame[]): string {
    switch (s.type) {
      case 'ContentStatement': {
        const value = (s as hbs.AST.ContentStatement).value;
        this.spend(value.length, s);
        return value;
      }
      case 'CommentStatement':
        return '';
      case 'MustacheStatement': {
        const m = s as hbs.AST.MustacheStatement;
        const v = this.call(m.path, m.params, m.hash, stack, m);
        const text = v === null || v === undefined ? '' : String(v);
        this.spend(text.length, s);
        return text;
      }
      case 'BlockStatement':
        this.spend(0, s);
        return this.deeper(s, () => this.block(s as hbs.AST.BlockStatement, stack));
      default:
        throw new RenderError(`${s.type.replace('Statement', '').toLowerCase()}s are not allowed in templates${where(s)}`);
    }
  }

  private block(b: hbs.AST.BlockStatement, stack: Frame[]): string {
    const path = b.path as hbs.AST.PathExpression;
    const name = path.type === 'PathExpression' && path.parts.length === 1 && !path.data && path.depth === 0 ? path.parts[0]! : '';
    if (!BLOCKS.has(name)) throw new RenderError(`"${pathName(path)}" is not a block helper; use if, unless, each or with${where(b)}`);
    if (b.params.length !== 1) throw new RenderError(`#${name} takes one argument${where(b)}`);
    const value = this.expr(b.params[0]!, stack);
    const top = stack[stack.length - 1]!;
    const inverse = () => (b.inverse ? this.program(b.inverse, stack) : '');
    const within = (context: unknown, data: Record<string, unknown> = {}) =>
      this.program(b.program, [...stack, { context, data: { ...top.data, ...data } }]);
    switch (name) {
      case 'if':
        return isFalse(value) ? inverse() : this.program(b.program, stack);
      case 'unless':
        return isFalse(value) ? this.program(b.program, stack) : inverse();
      case 'with':
        return isEmpty(value) ? inverse() : within(value);
      default: {
        const entries: [string | number, unknown][] = Array.isArray(value)
          ? value.map((v, i) => [i, v])
          : value !== null && typeof value === 'object'
            ? Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]])
            : [];
        if (!entries.length) return inverse();
        return entries
          .map(([key, item], i) => {
            this.spend(0, b);
            return within(item, { index: i, key, first: i === 0, last: i === entries.length - 1 });
          })
          .join('');
      }
    }
  }

  /** A mustache or subexpression: a helper call when it names one, else a value lookup. */
  private call(path: hbs.AST.Expression, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, stack: Frame[], node: hbs.AST.Node): unknown {
    if (path.type === 'PathExpression') {
      const p = path as hbs.AST.PathExpression;
      const simple = p.parts.length === 1 && !p.data && p.depth === 0;
      if (simple && own(this.helpers, p.parts[0]!)) {
        const args = params.map((e) => this.expr(e, stack));
        const options = { hash: Object.fromEntries((hash?.pairs ?? []).map((h) => [h.key, this.expr(h.value, stack)])), data: stack[stack.length - 1]!.data };
        return this.helpers[p.parts[0]!]!(...args, options);
      }
      if (params.length || hash?.pairs.length) throw new RenderError(`"${pathName(p)}" is not a known helper${where(node)}`);
      return this.lookup(p, stack);
    }
    if (params.length) throw new RenderError(`a literal cannot be called as a helper${where(node)}`);
    return this.expr(path, stack);
  }

  private expr(e: hbs.AST.Expression, stack: Frame[]): unknown {
    switch (e.type) {
      case 'StringLiteral':
        return (e as hbs.AST.StringLiteral).value;
      case 'NumberLiteral':
        return (e as hbs.AST.NumberLiteral).value;
      case 'BooleanLiteral':
        return (e as hbs.AST.BooleanLiteral).value;
      case 'NullLiteral':
        return null;
      case 'UndefinedLiteral':
        return undefined;
      case 'SubExpression': {
        const s = e as hbs.AST.SubExpression;
        this.spend(0, s);
        return this.deeper(s, () => this.call(s.path, s.params, s.hash, stack, s));
      }
      case 'PathExpression':
        return this.lookup(e as hbs.AST.PathExpression, stack);
      default:
        throw new RenderError(`unsupported expression ${e.type}${where(e)}`);
    }
  }

  /** Strict lookup of own properties only: a missing name is an error, never a silent blank. */
  private lookup(p: hbs.AST.PathExpression, stack: Frame[]): unknown {
    const frame = stack[Math.max(0, stack.length - 1 - p.depth)]!;
    let value: unknown = p.data ? frame.data : frame.context;
    for (const part of p.parts) {
      if (!own(value, part)) throw new RenderError(`"${pathName(p)}" is not defined${where(p)}`);
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  }
}
