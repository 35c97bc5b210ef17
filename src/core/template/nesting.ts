/**
 * How deep a template text nests, measured in one pass before Handlebars parses it. Handlebars'
 * parser takes time that grows with the size of the text times its nesting (4,000 nested
 * `{{#if}}` blocks: 26 s; 8,000: minutes, then a stack overflow), so a text nested deeper than
 * the limit is refused unparsed. Every kind of nesting counts: blocks (`{{#x}}`, `{{^x}}`), each
 * `{{else x}}` of a chain (Handlebars nests each one inside the last), and subexpressions
 * `(x (y ...))`. The count may only overestimate: a comment, an escaped `\{{`, a string or a
 * `[segment]` is skipped as Handlebars skips it, anything else inside `{{ }}` is scanned. Pure.
 */

/** Deeper than any real template needs (the built-in one nests 4 deep); the cost stays linear. */
export const MAX_NESTING = 64;

export interface NestingProblem {
  depth: number;
  line: number;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** How deep the text nests (an upper bound of the depth of Handlebars' tree of it). */
export function nestingDepth(source: string): number {
  let deepest = 0;
  scan(source, (d) => {
    deepest = Math.max(deepest, d);
    return false;
  });
  return deepest;
}

/** The first place the text nests deeper than `limit`, or undefined. Linear in the text's length. */
export function nestingProblem(source: string, limit = MAX_NESTING): NestingProblem | undefined {
  let found: NestingProblem | undefined;
  scan(source, (depth, pos) => {
    if (depth <= limit) return false;
    let line = 1;
    for (let i = source.indexOf('\n'); i >= 0 && i < pos; i = source.indexOf('\n', i + 1)) line++;
    found = { depth, line };
    return true;
  });
  return found;
}

/** Calls `report` with the depth reached at each tag; stops when it answers true. */
function scan(source: string, report: (depth: number, pos: number) => boolean): void {
  /** Per open block: how many levels it adds (1, plus one per `{{else x}}` of its chain). */
  const blocks: number[] = [];
  let depth = 0;
  let from = 0;
  while (from < source.length) {
    const open = source.indexOf('{{', from);
    if (open < 0) break;
    // `\{{` is text up to the next `{{` (`\\{{` is a backslash, then a tag).
    if (source[open - 1] === '\\' && source[open - 2] !== '\\') {
      from = open + 2;
      continue;
    }
    let i = open + 2;
    while (source[i] === '{') i++;
    if (source[i] === '~') i++;
    if (source[i] === '!') {
      // A comment: `{{!-- ... --}}` ends at the first `--}}` (or `--~}}`, the opening `--` too:
      // `{{!--}}` is a whole comment), `{{! ... }}` at the first `}}`.
      if (source.startsWith('--', i + 1)) {
        let end = i + 1;
        while (end >= 0 && !/^--~?\}\}/.test(source.slice(end, end + 5))) end = source.indexOf('--', end + 1);
        from = end < 0 ? source.length : source.indexOf('}}', end) + 2;
      } else {
        const end = source.indexOf('}}', i);
        from = end < 0 ? source.length : end + 2;
      }
      continue;
    }
    const sigil = source[i];
    let j = i;
    if (sigil === '#' || sigil === '^' || sigil === '/') j++;
    else while (isSpace(source[j])) j++;
    // Where the tag ends, and how deep its subexpressions go.
    let k = j;
    let parens = 0;
    let deepest = 0;
    let chars = 0;
    while (k < source.length && !(source[k] === '}' && source[k + 1] === '}')) {
      const c = source[k]!;
      chars++;
      if (c === '"' || c === "'" || c === '[') {
        // A string or a [segment]: a backslash escapes its closing character only, as in Handlebars.
        const close = c === '[' ? ']' : c;
        k++;
        while (k < source.length && source[k] !== close) k += source[k] === '\\' && source[k + 1] === close ? 2 : 1;
        k++;
        continue;
      }
      if (c === '(') deepest = Math.max(deepest, ++parens);
      else if (c === ')') parens = Math.max(0, parens - 1);
      else if (isSpace(c) || c === '~') chars--;
      k++;
    }
    const body = source.slice(j, Math.min(k, j + 5));
    if (sigil === '#' || (sigil === '^' && chars > 0)) {
      blocks.push(1);
      depth++;
    } else if (sigil === '/') {
      depth -= blocks.pop() ?? 0;
    } else if (sigil !== '^' && body.startsWith('else') && chars > 4) {
      // `{{else if x}}` (or `{{elseif x}}`: Handlebars' lexer takes any `{{else` so) opens a block
      // inside the last one, closed by the same `{{/if}}`.
      if (blocks.length) blocks[blocks.length - 1]!++;
      depth++;
    }
    if (report(depth + deepest, open)) return;
    from = k + 2;
  }
}
