/**
 * Minimal glob matching for template file rules: `**` spans segments, `*` and `?` stay inside
 * one segment. Enough for rules like `docs/**` or `**\/*.png`, with no dependency to load.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches the rest.
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// A render checks every file against every rule: compile each glob once.
const compiled = new Map<string, RegExp>();

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => {
    let re = compiled.get(g);
    if (!re) compiled.set(g, (re = globToRegExp(g)));
    return re.test(path);
  });
}
