import fc from 'fast-check';

/**
 * Random documents built from a tiny alphabet so that equal lines, and hence
 * ambiguous alignments, are common.
 */
export interface Doc {
  lines: string[];
  eol: string;
  finalNewline: boolean;
}

export type Edit = { op: 'insert' | 'delete' | 'replace'; at: number; token: string };

const token = fc.constantFrom('a', 'b', 'c', 'd', 'e', '');

// Mostly LF, with enough CRLF and lone CR to exercise every line-ending path.
const eol = fc.oneof({ arbitrary: fc.constant('\n'), weight: 6 }, { arbitrary: fc.constant('\r\n'), weight: 3 }, { arbitrary: fc.constant('\r'), weight: 1 });

export const doc: fc.Arbitrary<Doc> = fc.record({
  lines: fc.array(token, { maxLength: 24 }),
  eol,
  finalNewline: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
});

export const editScript: fc.Arbitrary<Edit[]> = fc.array(
  fc.record({ op: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const), at: fc.nat(), token }),
  { minLength: 1, maxLength: 4 },
);

export function applyEdits(lines: readonly string[], script: readonly Edit[]): string[] {
  const out = [...lines];
  for (const { op, at, token: t } of script) {
    if (op === 'insert') out.splice(at % (out.length + 1), 0, t);
    else if (out.length > 0) out.splice(at % out.length, 1, ...(op === 'replace' ? [t] : []));
  }
  return out;
}

export function render(d: Doc): string {
  const text = d.lines.map((line) => line + d.eol).join('');
  return d.finalNewline || d.lines.length === 0 ? text : text.slice(0, -d.eol.length);
}

const flipFinalNewline = fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 });

/**
 * A base text plus two sides derived from it by independent edit scripts
 * (which may also drop or add the final newline). Half of the cases confine
 * each side's edits to its own half of the file, so clean merges of two
 * changed sides are common too.
 */
export const mergeCase = fc
  .record({
    base: doc,
    ours: editScript,
    theirs: editScript,
    separated: fc.boolean(),
    oursFlips: flipFinalNewline,
    theirsFlips: flipFinalNewline,
  })
  .map(({ base, ours, theirs, separated, oursFlips, theirsFlips }) => {
    const half = separated ? Math.ceil(base.lines.length / 2) : 0;
    const head = base.lines.slice(0, half);
    const tail = base.lines.slice(half);
    const oursLines = separated ? [...applyEdits(head, ours), ...tail] : applyEdits(base.lines, ours);
    const theirsLines = separated ? [...head, ...applyEdits(tail, theirs)] : applyEdits(base.lines, theirs);
    return {
      base: render(base),
      ours: render({ ...base, lines: oursLines, finalNewline: base.finalNewline !== oursFlips }),
      theirs: render({ ...base, lines: theirsLines, finalNewline: base.finalNewline !== theirsFlips }),
    };
  });

/** Two loosely related texts, for diff properties. */
export const textPair = fc
  .record({ a: doc, edits: editScript, bFinalNewline: fc.boolean() })
  .map(({ a, edits, bFinalNewline }) => ({ a: render(a), b: render({ ...a, lines: applyEdits(a.lines, edits), finalNewline: bFinalNewline }) }));

/** A small deterministic generator, so one drawn seed expands into a long text. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Lines that recur all over real files, and so match in many places.
const COMMON_LINES = ['', '}', '  }', '    return;', '---', '#', 'end'];

/**
 * Long texts (`minLength` to `maxLength` lines) whose two sides each rewrite
 * most of the base: fresh lines, lines from a pool that matches in many
 * places, and runs of base lines copied from elsewhere (moved blocks). These
 * reach what small documents never do: lines discarded before the search and
 * the search's cost limit; beyond about 30,000 lines per side the limit rises
 * above the point where the search may also cut behind a long run of equal lines.
 */
export const longMergeCase = (minLength: number, maxLength: number): fc.Arbitrary<{ base: string; ours: string; theirs: string }> =>
  fc
    .record({
      length: fc.integer({ min: minLength, max: maxLength }),
      poolShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
      keep: fc.double({ min: 0.01, max: 0.7, noNaN: true }),
      moves: fc.double({ min: 0, max: 0.02, noNaN: true }),
      eol: fc.constantFrom('\n', '\r\n'),
      seed: fc.integer(),
    })
    .map(({ length, poolShare, keep, moves, eol, seed }) => {
      const r = prng(seed);
      const pooled = (): string => COMMON_LINES[Math.floor(r() * COMMON_LINES.length)]!;
      const base = Array.from({ length }, (_, i) => (r() < poolShare ? pooled() : `base line ${i}`));
      const side = (name: string): string[] => {
        const out: string[] = [];
        for (let i = 0; i < base.length; i++) {
          if (r() < moves) {
            const from = Math.floor(r() * base.length);
            out.push(...base.slice(from, from + 20 + Math.floor(r() * 30)));
          }
          const roll = r();
          if (roll < keep) out.push(base[i]!);
          else if (roll < keep + (1 - keep) / 3) out.push(r() < poolShare ? pooled() : `${name} line ${i}`);
          else if (roll < keep + (2 * (1 - keep)) / 3) out.push(`${name} line ${i}`, pooled());
          // else: the line is deleted
        }
        return out;
      };
      const text = (lines: readonly string[]): string => lines.map((line) => line + eol).join('');
      return { base: text(base), ours: text(side('ours')), theirs: text(side('theirs')) };
    });
