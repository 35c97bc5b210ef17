// Handlebars' AST types are declared globally, as hbs.AST, by its type definitions.
import type {} from 'handlebars';

/**
 * A compact form of a Handlebars parse tree, for shipping the built-in template's trees with the
 * package (dist/builtin.pack). The plain tree as JSON is twice the size of the text it came from
 * (every node an object with named keys, every piece of content a copy of the text), and parsing
 * that JSON was the largest single cost of starting a sync. Here:
 *
 * - a statement list is an array; content is two numbers, the start and end of the content in
 *   the source text (or, if it is not a piece of it, a string);
 * - `[1, path, params, hash]` is a mustache, `[2, path, params, hash, program, inverse]` a block,
 *   `[3]` a comment;
 * - in an expression's place, a string is a plain path (`name`, `a.b`), `[4, data, depth, parts]`
 *   any other path, `[5, value]` a literal, `[6]` undefined, `[7, path, params, hash]` a subexpression;
 * - a hash is null or a list of `[key, expression]`.
 *
 * Only what the interpreter reads survives (no locations, no whitespace-control flags). `pack`
 * runs at build time, `unpack` when the bundle loads; tests check the round trip on every file.
 */

type Packed = unknown;
type AnyNode = { type: string } & Record<string, unknown>;

export function packProgram(program: hbs.AST.Program, source: string): Packed[] {
  let cursor = 0;
  const expr = (e: hbs.AST.Expression): Packed => {
    const n = e as unknown as AnyNode;
    switch (e.type) {
      case 'PathExpression': {
        const p = e as hbs.AST.PathExpression;
        const plain = !p.data && p.depth === 0 && p.parts.length > 0 && p.parts.every((x) => /^[A-Za-z_$][\w$-]*$/.test(x));
        return plain ? p.parts.join('.') : [4, p.data ? 1 : 0, p.depth, p.parts];
      }
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return [5, n.value];
      case 'NullLiteral':
        return [5, null];
      case 'UndefinedLiteral':
        return [6];
      case 'SubExpression': {
        const s = e as hbs.AST.SubExpression;
        return [7, expr(s.path), s.params.map(expr), hash(s.hash)];
      }
      default:
        throw new Error(`cannot pack a ${e.type}`);
    }
  };
  const hash = (h: hbs.AST.Hash | undefined): Packed => (h?.pairs.length ? h.pairs.map((p) => [p.key, expr(p.value)]) : null);
  const statements = (p: hbs.AST.Program | undefined): Packed[] | null => {
    if (!p) return null;
    const out: Packed[] = [];
    for (const s of p.body) {
      switch (s.type) {
        case 'ContentStatement': {
          const value = (s as hbs.AST.ContentStatement).value;
          const at = source.indexOf(value, cursor);
          if (at < 0) out.push(value);
          else {
            out.push(at, at + value.length);
            cursor = at + value.length;
          }
          break;
        }
        case 'MustacheStatement': {
          const m = s as hbs.AST.MustacheStatement;
          out.push([1, expr(m.path as hbs.AST.Expression), m.params.map(expr), hash(m.hash)]);
          break;
        }
        case 'BlockStatement': {
          const b = s as hbs.AST.BlockStatement;
          out.push([2, expr(b.path as hbs.AST.Expression), b.params.map(expr), hash(b.hash), statements(b.program), statements(b.inverse)]);
          break;
        }
        case 'CommentStatement':
          out.push([3]);
          break;
        default:
          throw new Error(`cannot pack a ${s.type}`);
      }
    }
    return out;
  };
  return statements(program)!;
}

const LITERAL_TYPES: Record<string, string> = { string: 'StringLiteral', number: 'NumberLiteral', boolean: 'BooleanLiteral' };

export function unpackProgram(packed: Packed[], source: string): hbs.AST.Program {
  const path = (parts: string[], data: boolean, depth: number) => ({ type: 'PathExpression', data, depth, parts });
  const expr = (e: Packed): unknown => {
    if (typeof e === 'string') return path(e.split('.'), false, 0);
    const a = e as unknown[];
    switch (a[0]) {
      case 4:
        return path(a[3] as string[], a[1] === 1, a[2] as number);
      case 5:
        return a[1] === null ? { type: 'NullLiteral', value: null } : { type: LITERAL_TYPES[typeof a[1]], value: a[1] };
      case 6:
        return { type: 'UndefinedLiteral', value: undefined };
      case 7:
        return { type: 'SubExpression', path: expr(a[1]), params: (a[2] as Packed[]).map(expr), hash: hash(a[3]) };
      default:
        throw new Error(`bad packed expression ${JSON.stringify(e)}`);
    }
  };
  const hash = (h: Packed) =>
    h === null ? undefined : { type: 'Hash', pairs: (h as [string, Packed][]).map(([key, value]) => ({ type: 'HashPair', key, value: expr(value) })) };
  const program = (list: Packed[] | null): hbs.AST.Program | undefined => {
    if (list === null) return undefined;
    const body: unknown[] = [];
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (typeof s === 'number') {
        body.push({ type: 'ContentStatement', value: source.slice(s, list[++i] as number) });
        continue;
      }
      if (typeof s === 'string') {
        body.push({ type: 'ContentStatement', value: s });
        continue;
      }
      const a = s as unknown[];
      switch (a[0]) {
        case 1:
          body.push({ type: 'MustacheStatement', path: expr(a[1]), params: (a[2] as Packed[]).map(expr), hash: hash(a[3]) });
          break;
        case 2:
          body.push({
            type: 'BlockStatement',
            path: expr(a[1]),
            params: (a[2] as Packed[]).map(expr),
            hash: hash(a[3]),
            program: program(a[4] as Packed[] | null),
            inverse: program(a[5] as Packed[] | null),
          });
          break;
        case 3:
          body.push({ type: 'CommentStatement', value: '' });
          break;
        default:
          throw new Error(`bad packed statement ${JSON.stringify(s)}`);
      }
    }
    return { type: 'Program', body, blockParams: [] } as unknown as hbs.AST.Program;
  };
  return program(packed)!;
}
