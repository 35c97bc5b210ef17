/**
 * Glob matching for template file rules: `**` spans segments, `*` and `?` stay inside one
 * segment. Enough for rules like `docs/**` or `**\/*.png`, with no dependency to load.
 *
 * Matched by stepping a set of pattern positions along the path, one character at a time (a
 * Thompson simulation): time is at most path length x pattern length, whatever the pattern.
 * A backtracking regular expression took minutes on `**\/**\/…` against a deep path, and a
 * template's globs are hostile input.
 */

type Token =
  | { kind: 'char'; c: string }
  | { kind: 'one' } // ?
  | { kind: 'star' } // * within a segment
  | { kind: 'any' } // ** at the end, or not before a slash: anything, slashes included
  | { kind: 'dirs' }; // **/ : zero or more whole segments

export function compileGlob(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        tokens.push({ kind: 'dirs' });
        i += 2;
      } else {
        tokens.push({ kind: 'any' });
        i += 1;
      }
    } else if (c === '*') tokens.push({ kind: 'star' });
    else if (c === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', c });
  }
  return tokens;
}

/**
 * The simulation's states: `at[p]` = the next token to match is p; `inDirs[p]` = inside the
 * segments a `**\/` at p spans, where only a slash can end them.
 */
interface States {
  at: Uint8Array;
  inDirs: Uint8Array;
}

const empty = (n: number): States => ({ at: new Uint8Array(n + 1), inDirs: new Uint8Array(n) });

/** Adds position `p` and every position reachable from it without reading a character. */
function close(tokens: Token[], s: States, p: number): void {
  while (p <= tokens.length && !s.at[p]) {
    s.at[p] = 1;
    if (p === tokens.length) return;
    const k = tokens[p]!.kind;
    if (k === 'dirs') s.inDirs[p] = 1;
    else if (k !== 'star' && k !== 'any') return;
    p++; // each of these may match nothing
  }
}

/** The two state sets a match steps between, kept with a compiled glob: a match allocates nothing. */
interface Matcher {
  tokens: Token[];
  /** The literal characters before the first wildcard, and after the last: a path that lacks them cannot match. */
  prefix: string;
  suffix: string;
  a: States;
  b: States;
}

function matcher(tokens: Token[]): Matcher {
  let first = tokens.findIndex((t) => t.kind !== 'char');
  if (first < 0) first = tokens.length;
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last]!.kind === 'char') last--;
  const literal = (from: number, to: number) => tokens.slice(from, to).map((t) => (t.kind === 'char' ? t.c : '')).join('');
  return { tokens, prefix: literal(0, first), suffix: literal(Math.max(last + 1, first), tokens.length), a: empty(tokens.length), b: empty(tokens.length) };
}

function run(m: Matcher, path: string): boolean {
  const { tokens } = m;
  let s = m.a;
  let next = m.b;
  s.at.fill(0);
  s.inDirs.fill(0);
  close(tokens, s, 0);
  for (const c of path) {
    next.at.fill(0);
    next.inDirs.fill(0);
    let alive = false;
    for (let p = 0; p < tokens.length; p++) {
      if (s.inDirs[p]) {
        next.inDirs[p] = 1;
        alive = true;
        if (c === '/') close(tokens, next, p + 1);
      }
      if (!s.at[p]) continue;
      const t = tokens[p]!;
      if (t.kind === 'char' ? t.c === c : t.kind === 'one' ? c !== '/' : false) close(tokens, next, p + 1);
      else if ((t.kind === 'star' && c !== '/') || t.kind === 'any') close(tokens, next, p);
    }
    if (!alive && !next.at.includes(1)) return false;
    [s, next] = [next, s];
  }
  return s.at[tokens.length] === 1;
}

/**
 * Whether `path` matches. A path without the glob's literal start or end is answered at once (a
 * render asks every file against every rule, and most are that far off); the others are stepped.
 */
function test(m: Matcher, path: string): boolean {
  if (!path.startsWith(m.prefix) || !path.endsWith(m.suffix)) return false;
  return run(m, path);
}

export function matchGlob(tokens: Token[], path: string): boolean {
  return test(matcher(tokens), path);
}

// A render checks every file against every rule: compile each glob once. Each answer is kept
// too (a bounded number of them): a check over many projects asks the same paths again and again.
const compiled = new Map<string, { m: Matcher; answers: Map<string, boolean> }>();
const MAX_ANSWERS = 20_000;

export function matchesAny(path: string, globs: readonly string[]): boolean {
  for (const g of globs) if (matchesGlob(path, g)) return true;
  return false;
}

/** Whether `path` matches `glob` (see matchesAny). */
export function matchesGlob(path: string, glob: string): boolean {
  let c = compiled.get(glob);
  if (!c) compiled.set(glob, (c = { m: matcher(compileGlob(glob)), answers: new Map() }));
  // Most paths are told apart by the glob's literal start or end, at once.
  if (!path.startsWith(c.m.prefix) || !path.endsWith(c.m.suffix)) return false;
  let answer = c.answers.get(path);
  if (answer === undefined) {
    answer = run(c.m, path);
    if (c.answers.size >= MAX_ANSWERS) c.answers.clear();
    c.answers.set(path, answer);
  }
  return answer;
}
