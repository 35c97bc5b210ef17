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

export function matchGlob(tokens: Token[], path: string): boolean {
  let s = empty(tokens.length);
  close(tokens, s, 0);
  for (const c of path) {
    const next = empty(tokens.length);
    for (let p = 0; p < tokens.length; p++) {
      if (s.inDirs[p]) {
        next.inDirs[p] = 1;
        if (c === '/') close(tokens, next, p + 1);
      }
      if (!s.at[p]) continue;
      const t = tokens[p]!;
      if (t.kind === 'char' ? t.c === c : t.kind === 'one' ? c !== '/' : false) close(tokens, next, p + 1);
      else if ((t.kind === 'star' && c !== '/') || t.kind === 'any') close(tokens, next, p);
    }
    if (!next.at.includes(1) && !next.inDirs.includes(1)) return false;
    s = next;
  }
  return s.at[tokens.length] === 1;
}

// A render checks every file against every rule: compile each glob once.
const compiled = new Map<string, Token[]>();

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => {
    let tokens = compiled.get(g);
    if (!tokens) compiled.set(g, (tokens = compileGlob(g)));
    return matchGlob(tokens, path);
  });
}
