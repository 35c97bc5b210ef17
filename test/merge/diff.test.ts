import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff, splitLfLines, unifiedDiff, type Hunk } from '../../src/core/merge/index.js';
import { applyPatch } from './apply-patch.js';
import { doc, longMergeCase, render, textPair } from './arbitraries.js';

const chars = (s: string): string[] => s.split('');
const labels = { oldLabel: 'a/f', newLabel: 'b/f' };

/** Rebuilds b from a and the hunks, checking that unchanged stretches really match. */
function applyHunks(a: readonly string[], b: readonly string[], hunks: readonly Hunk[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  for (const h of hunks) {
    expect(h.aStart - i).toBe(h.bStart - j);
    expect(a.slice(i, h.aStart)).toEqual(b.slice(j, h.bStart));
    out.push(...a.slice(i, h.aStart), ...b.slice(h.bStart, h.bEnd));
    i = h.aEnd;
    j = h.bEnd;
  }
  expect(a.slice(i)).toEqual(b.slice(j));
  return [...out, ...a.slice(i)];
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    b.forEach((y, j) => row.push(x === y ? prev[j]! + 1 : Math.max(prev[j + 1]!, row[j]!)));
    prev = row;
  }
  return prev[b.length]!;
}

const editCount = (hunks: readonly Hunk[]): number => hunks.reduce((n, h) => n + (h.aEnd - h.aStart) + (h.bEnd - h.bStart), 0);

describe('diff', () => {
  it.each<[string, string, Hunk[]]>([
    ['', '', []],
    ['abc', 'abc', []],
    ['', 'ab', [{ aStart: 0, aEnd: 0, bStart: 0, bEnd: 2 }]],
    ['ab', '', [{ aStart: 0, aEnd: 2, bStart: 0, bEnd: 0 }]],
    ['abc', 'aXc', [{ aStart: 1, aEnd: 2, bStart: 1, bEnd: 2 }]],
    ['abc', 'abXc', [{ aStart: 2, aEnd: 2, bStart: 2, bEnd: 3 }]],
    ['abcd', 'ad', [{ aStart: 1, aEnd: 3, bStart: 1, bEnd: 1 }]],
  ])('%j -> %j', (a, b, hunks) => {
    expect(diff(chars(a), chars(b))).toEqual(hunks);
  });

  it('finds a minimal edit script for the classic Myers example', () => {
    const hunks = diff(chars('abcabba'), chars('cbabac'));
    expect(editCount(hunks)).toBe(5);
    expect(applyHunks(chars('abcabba'), chars('cbabac'), hunks).join('')).toBe('cbabac');
  });

  // Git's diff discards repeated lines only amid runs of lines the other side lacks; over four
  // letters every line has partners, so the search is exact and the diff minimal.
  it('is a correct, minimal diff with hunks separated by unchanged lines', () => {
    const seq = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 20 });
    fc.assert(
      fc.property(seq, seq, (a, b) => {
        const hunks = diff(a, b);
        expect(applyHunks(a, b, hunks)).toEqual(b);
        expect(editCount(hunks)).toBe(a.length + b.length - 2 * lcsLength(a, b));
        for (const h of hunks) expect(h.aEnd - h.aStart + h.bEnd - h.bStart).toBeGreaterThan(0);
        for (let k = 1; k < hunks.length; k++) expect(hunks[k]!.aStart).toBeGreaterThan(hunks[k - 1]!.aEnd);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  // The merge conflicts where git's does only if both cut the same hunks, so the hunks are
  // compared with git's own diff (its default algorithm, without the indent heuristic, which
  // `git merge-file` does not use), many file pairs in one `git diff --no-index` of two folders.
  it.runIf(spawnSync('git', ['--version']).status === 0)('cuts exactly the hunks git diff cuts', () => {
    const small = fc.sample(textPair, { seed: 11, numRuns: 300 }).map(({ a, b }) => ({ a, b }));
    const long = fc.sample(longMergeCase(100, 3000), { seed: 11, numRuns: 20 }).map((c) => ({ a: c.base, b: c.ours }));
    const pairs = [...small, ...long].filter(({ a, b }) => a !== b && !/\r(?!\n)/.test(a + b));
    const dir = mkdtempSync(join(tmpdir(), 'merge-hunks-'));
    try {
      mkdirSync(join(dir, 'a'));
      mkdirSync(join(dir, 'b'));
      pairs.forEach(({ a, b }, i) => {
        writeFileSync(join(dir, 'a', `f${i}`), a);
        writeFileSync(join(dir, 'b', `f${i}`), b);
      });
      const args = ['-c', 'diff.algorithm=myers', 'diff', '--no-index', '--no-color', '--no-renames', '-U0', '--no-indent-heuristic', 'a', 'b'];
      const out = spawnSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(out.status).toBe(1);
      const git = new Map<number, string[]>();
      let file = -1;
      for (const line of out.stdout.split('\n')) {
        const name = /^diff --git a\/a\/f(\d+) /.exec(line);
        if (name) git.set((file = Number(name[1])), []);
        const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
        if (!h) continue;
        const [oldCount, newCount] = [Number(h[2] ?? 1), Number(h[4] ?? 1)];
        // An empty range names the line before it.
        const aStart = oldCount ? Number(h[1]) - 1 : Number(h[1]);
        const bStart = newCount ? Number(h[3]) - 1 : Number(h[3]);
        git.get(file)!.push(`${aStart}+${oldCount} ${bStart}+${newCount}`);
      }
      pairs.forEach(({ a, b }, i) => {
        const ours = diff(splitLfLines(a), splitLfLines(b)).map((h) => `${h.aStart}+${h.aEnd - h.aStart} ${h.bStart}+${h.bEnd - h.bStart}`);
        expect(ours, `pair ${i}`).toEqual(git.get(i));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Speed is measured by `npm run bench`, never asserted here: these machines are shared and noisy.
  it('finds the exact hunks in a large input', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`);
    const b = [...a];
    b[10] = 'changed\n';
    b.splice(2500, 3);
    b.splice(4000, 0, 'new\n');
    const hunks = diff(a, b);
    expect(hunks).toEqual([
      { aStart: 10, aEnd: 11, bStart: 10, bEnd: 11 },
      { aStart: 2500, aEnd: 2503, bStart: 2500, bEnd: 2500 },
      { aStart: 4003, aEnd: 4003, bStart: 4000, bEnd: 4001 },
    ]);
  });

  it('copes with completely different large inputs', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `old ${i}\n`);
    const b = Array.from({ length: 3000 }, (_, i) => `new ${i}\n`);
    expect(diff(a, b)).toEqual([{ aStart: 0, aEnd: 3000, bStart: 0, bEnd: 3000 }]);
  });
});

describe('unifiedDiff', () => {
  it('returns an empty string for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', labels)).toBe('');
  });

  it('formats a change with context and splits distant changes into hunks', () => {
    const old = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    const changed = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n';
    expect(unifiedDiff(old, changed, labels)).toBe(
      [
        '--- a/f',
        '+++ b/f',
        '@@ -1,5 +1,5 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        '@@ -9,3 +9,4 @@',
        ' i',
        ' j',
        ' k',
        '+l',
        '',
      ].join('\n'),
    );
  });

  it('merges nearby changes into one hunk and honours the context option', () => {
    expect(unifiedDiff('a\nb\nc\nd\n', 'A\nb\nc\nD\n', { ...labels, context: 1 })).toBe(
      '--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n-d\n+D\n',
    );
    expect(unifiedDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\n', { ...labels, context: 0 })).toBe('--- a/f\n+++ b/f\n@@ -2 +2 @@\n-b\n+B\n');
    expect(unifiedDiff('a\nb\n', 'a\nx\nb\n', { ...labels, context: 0 })).toBe('--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+x\n');
  });

  it('marks a missing final newline on either side', () => {
    expect(unifiedDiff('a\nb', 'a\nb\n', labels)).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
    expect(unifiedDiff('a\n', 'a\nb', labels)).toBe('--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n');
  });

  it('describes added and removed files', () => {
    expect(unifiedDiff('', 'x\ny\n', { oldLabel: '/dev/null', newLabel: 'b/f' })).toBe(
      '--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n',
    );
    expect(unifiedDiff('x\ny', '', { oldLabel: 'a/f', newLabel: '/dev/null' })).toBe(
      '--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n\\ No newline at end of file\n',
    );
  });

  it('keeps CRLF inside diff lines and treats a lone CR as part of a line', () => {
    expect(unifiedDiff('a\r\nb\r\n', 'a\r\nB\r\n', labels)).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n');
    expect(unifiedDiff('a\rb\n', 'a\rc\n', labels)).toBe('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\rb\n+a\rc\n');
  });

  const pairs = fc.oneof(
    textPair,
    fc.record({ a: doc.map(render), b: doc.map(render) }),
  );

  it('produces patches that turn the old text into the new one', () => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 4 }), ({ a, b }, context) => {
        const patch = unifiedDiff(a, b, { ...labels, context });
        expect(patch === '').toBe(a === b);
        expect(applyPatch(a, patch, { split: splitLfLines, checkNewStart: true })).toBe(b);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  describe.runIf(spawnSync('git', ['--version']).status === 0)('agrees with git', () => {
    const samples = [
      { a: '', b: 'x\ny' },
      { a: 'x\r\ny\r\n', b: '' },
      ...fc.sample(pairs, { seed: 7, numRuns: 40 }).filter(({ a, b }) => a !== b),
    ];

    it.each(samples.map((pair, i) => [i, pair] as const))('sample %i', (_i, { a, b }) => {
      const dir = mkdtempSync(join(tmpdir(), 'merge-diff-'));
      try {
        writeFileSync(join(dir, 'old'), a);
        writeFileSync(join(dir, 'new'), b);
        // Both diffs are minimal, so they agree on how many lines go and come
        // even where they pick different (equally short) alignments.
        const git = spawnSync('git', ['diff', '--no-index', '--no-color', '--minimal', 'old', 'new'], { cwd: dir, encoding: 'utf8' });
        expect(git.status).toBe(1);
        const ours = unifiedDiff(a, b, labels);
        expect(changeCounts(ours)).toEqual(changeCounts(git.stdout));

        writeFileSync(join(dir, 'f'), a);
        writeFileSync(join(dir, 'f.patch'), ours);
        const apply = spawnSync('git', ['apply', '--whitespace=nowarn', 'f.patch'], { cwd: dir, encoding: 'utf8' });
        expect(apply.stderr).toBe('');
        expect(readFileSync(join(dir, 'f'), 'utf8')).toBe(b);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

function changeCounts(patch: string): { removed: number; added: number } {
  const lines = splitLfLines(patch);
  const body = lines.slice(lines.findIndex((line) => line.startsWith('@@')));
  return {
    removed: body.filter((line) => line.startsWith('-')).length,
    added: body.filter((line) => line.startsWith('+')).length,
  };
}
