/**
 * A quick look at a git config file's text for the few settings that make create-migration leave
 * a repository to git (a bare repository, another object format, reftable, extensions, line-ending
 * conversion...). The checks are case-insensitive, line-anchored regular expressions, and compiling
 * those costs a sync more than reading the files: each is asked only after this look found a line
 * that could match it. The look is exact for what it reads (ASCII letters in either case, the
 * blanks JavaScript's `\s` matches, every line start `^` finds under the `m` flag), and answers
 * "could match" for anything else, so the expression behind it still decides.
 */

/** What `\s` matches: JavaScript's white space and line terminators. */
function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** What `\w` matches (no `u` flag). */
const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * One way a line can start: its steps in order, blanks allowed before each. A step is text in
 * lower case (matched whatever the case of its ASCII letters), `\b` (a word ends here), or `[^0\s]`
 * (after blanks, some character other than `0`); the first step is text.
 */
export type LineStart = readonly string[];

function stepsMatch(text: string, at: number, steps: LineStart): boolean {
  for (const step of steps) {
    if (step === '\\b') {
      if (at < text.length && isWordChar(text.charCodeAt(at))) return false;
      continue;
    }
    while (at < text.length && isBlank(text.charCodeAt(at))) at++;
    if (step === '[^0\\s]') {
      if (at >= text.length || text.charCodeAt(at) === 48) return false;
      at++;
      continue;
    }
    if (at + step.length > text.length) return false;
    for (let k = 0; k < step.length; k++) {
      let c = text.charCodeAt(at + k);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== step.charCodeAt(k)) return false;
    }
    at += step.length;
  }
  return true;
}

/** Whether some line of `text` can start as one of `starts` says (blanks first). */
export function someLineStarts(text: string, starts: readonly LineStart[]): boolean {
  // Lines found with indexOf: "\n", and the other terminators only in a text that has them.
  const others = ['\r', '\u2028', '\u2029'].filter((t) => text.includes(t));
  for (let at = 0; ; ) {
    // Every start begins with blanks (`^\s*`): skipped once for all of them.
    let from = at;
    while (from < text.length && isBlank(text.charCodeAt(from))) from++;
    if (from < text.length) {
      let c = text.charCodeAt(from);
      if (c >= 65 && c <= 90) c += 32;
      for (const steps of starts) {
        if (steps[0]!.charCodeAt(0) === c && stepsMatch(text, from, steps)) return true;
      }
    }
    let next = text.indexOf('\n', at);
    for (const t of others) {
      const k = text.indexOf(t, at);
      if (k >= 0 && (next < 0 || k < next)) next = k;
    }
    if (next < 0) return false;
    at = next + 1;
  }
}

/** `^\s*(w1|w2|...)` with blanks and the given steps after each word: one LineStart per word. */
export const words = (list: readonly string[], ...after: string[]): LineStart[] => list.map((w) => [w, ...after]);

/** `re` (case-insensitive, line-anchored) tested on `text` only where some line can start as `starts` says: the same answer. */
export function configMatches(text: string, starts: readonly LineStart[], re: RegExp): boolean {
  return someLineStarts(text, starts) && re.test(text);
}
