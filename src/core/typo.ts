/**
 * Telling a command from a folder name: `create-migration stauts` is a typo of `status`, not a
 * project to create. Pure.
 */

/** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The command a bare word equals or is one edit away from (case aside), if any. */
export function nearCommand(word: string, commands: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  return commands.find((c) => c === w) ?? commands.find((c) => editDistance(w, c) <= 1);
}

/**
 * The first bare argument before a command's own options take over: what commander would take
 * as the command name, or as the default command's folder. `valueFlags` are the options that
 * take the next argument as their value. Undefined after `--` (everything is literal there).
 */
export function firstBareArgument(args: readonly string[], valueFlags: ReadonlySet<string>): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-') && a !== '-') {
      if (valueFlags.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}
