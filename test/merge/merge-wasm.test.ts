import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffIdsPacked } from '../../src/core/merge/diff.js';
import { bytesHunks, bytesPass, unitsPass } from '../../src/core/merge/merge3.js';
import { MERGE_WASM } from '../../src/core/merge/merge-wasm.js';
import { longMergeCase } from './arbitraries.js';
// @ts-expect-error: a build script, plain JavaScript
import { MODULE, wasmModuleSource } from '../../scripts/wasm.mjs';

/**
 * A merge of UTF-8 bytes cuts and numbers its lines in WebAssembly (merge.wat), a merge of UTF-16
 * units in JavaScript: on the same bytes both must give the same lines, ids and line endings,
 * whatever the lines' lengths (the module reads eight bytes at a time) and endings.
 */

const utf8 = new TextEncoder();
const piece = fc.constantFrom('a', 'b', 'abcdefg', 'é', '😀', 'x\r', '\r', '\n', '\r\n', '', ' ', '}', 'const value = 1;');
const line = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
const text = fc.array(line, { maxLength: 30 }).map((ls) => ls.join(''));
// Sides that share lines with base (and each other), as merges see them.
const related = fc.tuple(fc.array(line, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), line).map(([ls, a, b, extra]) => {
  const pick = (ns: number[]): string => ns.map((n) => (ls.length && n % 3 ? ls[n % ls.length] : extra)).join('\n');
  return [ls.join('\n'), pick(a), pick(b)] as const;
});

function agree(base: string, ours: string, theirs: string, offset: number): void {
  // At an offset in a bigger buffer too: a file read into a pooled Buffer starts anywhere.
  const at = (s: string): Uint8Array => {
    const b = utf8.encode(s);
    const big = new Uint8Array(b.length + offset + 5).fill(0x0a);
    big.set(b, offset);
    return big.subarray(offset, offset + b.length);
  };
  const [b, o, t] = [at(base), at(ours), at(theirs)];
  const w = bytesPass(b, o, t);
  const j = unitsPass(b, o, t);
  expect(w.size).toBe(j.size);
  for (let k = 0; k < 3; k++) {
    expect(w.sides[k]!.count).toBe(j.sides[k]!.count);
    expect([...w.sides[k]!.at]).toEqual([...j.sides[k]!.at.subarray(0, j.sides[k]!.count + 1)]);
    expect([...w.ids[k]!]).toEqual([...j.ids[k]!]);
    expect([...w.eols[k]!]).toEqual([...j.eols[k]!]);
  }
}

describe('the WebAssembly line pass', () => {
  it('cuts and numbers lines as the JavaScript one does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(text, text, text), related), fc.nat(9), ([base, ours, theirs], offset) => agree(base, ours, theirs, offset)),
      { seed: 26, numRuns: 2000 },
    );
  });

  it('handles lines of every length around its eight-byte words, with each ending or none', () => {
    for (let n = 0; n <= 20; n++) {
      for (const end of ['', '\n', '\r', '\r\n']) {
        const l = 'x'.repeat(n) + end;
        agree(l + l + 'y' + end, l, 'z' + l, 0);
        agree(l, l + l, '', 3);
      }
    }
  });

  it('tells apart lines of the same length whose hashes are the same', () => {
    // Pairs of such lines, found with the module's own line hashes (scan) among 300,000 lines.
    const n = 300_000;
    const lines = Array.from({ length: n }, (_, i) => `c${String(i).padStart(7, '0')}\n`);
    const bytes = utf8.encode(lines.join(''));
    const memory = new WebAssembly.Memory({ initial: Math.ceil((bytes.length + 8 + 8 * (n + 1) + 64) / 65536) });
    const x = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(MERGE_WASM, 'base64')), { m: { mem: memory } }).exports as unknown as { scan(p: number, len: number, at: number, hash: number, room: number): number };
    new Uint8Array(memory.buffer).set(bytes, 64);
    const atAt = 64 + bytes.length + 8 + (8 - (bytes.length % 8));
    const hashAt = atAt + 4 * (n + 1);
    expect(x.scan(64, bytes.length, atAt, hashAt, n)).toBe(n);
    const hashes = new Int32Array(memory.buffer, hashAt, n);
    const seen = new Map<number, number>();
    const pairs: [string, string][] = [];
    for (let i = 0; i < n; i++) {
      const j = seen.get(hashes[i]!);
      if (j === undefined) seen.set(hashes[i]!, i);
      else pairs.push([lines[j]!, lines[i]!]);
    }
    expect(pairs.length).toBeGreaterThan(0);
    for (const [a, b] of pairs.slice(0, 3)) {
      // In base, in a side only, in both orders, repeated: each keeps an id of its own.
      agree(a + b + a, b + a + b + b, a + 'x\n' + b, 0);
      agree(a, b, a + b, 1);
      agree(b + b, a + a, '', 2);
    }
  });

  it('makes room when lines are shorter than its first guess', () => {
    agree('\n'.repeat(1000), '\r'.repeat(999) + 'a', '\r\n'.repeat(500), 1);
  });

  it('is the module assembled from merge.wat', async () => {
    expect(readFileSync(MODULE, 'utf8')).toBe(await wasmModuleSource());
  });
});

/**
 * A merge of bytes diffs in WebAssembly too: it must find the very hunks diffIdsPacked finds, also
 * where the discarding of repeated lines, the search's cost limit and shortcuts, and the sliding
 * of groups decide them.
 */
describe('the WebAssembly diff passes', () => {
  const hunksAgree = (a: string, b: string): void => {
    const [x, y] = [utf8.encode(a), utf8.encode(b)];
    const { ids, size } = unitsPass(x, y, y);
    const want = [...diffIdsPacked(ids[0], ids[1], size)];
    expect([...bytesHunks(x, y)]).toEqual(want);
    // Its work list grown from room for one box (the module grows the memory for it as it needs).
    expect([...bytesHunks(x, y, true)]).toEqual(want);
  };

  it('find the hunks diffIdsPacked finds, on small texts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(text, text), related.map(([a, b]) => [a, b] as const)), ([a, b]) => hunksAgree(a, b)),
      { seed: 26, numRuns: 2000 },
    );
  });

  it('and on long rewrites full of repeated lines', () => {
    fc.assert(
      fc.property(longMergeCase(200, 6000), ({ base, ours, theirs }) => {
        hunksAgree(base, ours);
        hunksAgree(ours, theirs);
      }),
      { seed: 26, numRuns: 40 },
    );
  });

  it('and on rewrites long enough for the search to cut behind a long run of equal lines', () => {
    // Over about 30,000 lines a side the search's cost limit rises above the point where it may
    // take such a cut (promisingCut): what shorter texts never reach.
    fc.assert(
      fc.property(longMergeCase(34_000, 40_000), ({ base, ours }) => hunksAgree(base, ours)),
      { seed: 26, numRuns: 4 },
    );
  }, 60_000);

  // Lines that all match once on the other side, in another order: nothing is set aside, and the
  // search runs into its cost limit (furthestCut); over 34,000 lines a side with long runs of equal
  // lines between changes, it also cuts behind such a run (promisingCut).
  const shuffled = (n: number, block: number, seed: number): string[] => {
    let r = seed >>> 0;
    const next = () => (r = (Math.imul(r, 1664525) + 1013904223) >>> 0);
    const blocks: string[][] = [];
    for (let i = 0; i < n; ) {
      const size = block > 1 ? 21 + (next() % (block - 20)) : 1;
      blocks.push(Array.from({ length: Math.min(size, n - i) }, (_, k) => `line ${i + k}\n`));
      i += size;
    }
    for (let i = blocks.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
    }
    return blocks.flat();
  };

  it('and where the search gives up at its cost limit', () => {
    for (const seed of [1, 2, 3]) hunksAgree(shuffled(3000, 1, seed).join(''), shuffled(3000, 1, seed + 10).join(''));
  });

  it('and where it cuts behind a long run of equal lines', () => {
    const lines = Array.from({ length: 34_000 }, (_, i) => `line ${i}\n`);
    for (const seed of [1, 2]) hunksAgree(lines.join(''), shuffled(34_000, 40, seed).join(''));
    // Two lines swapped every 30: far from its corner for its cost, behind runs of equal lines.
    for (const every of [30, 45]) {
      const swapped = lines.slice();
      for (let i = 10; i + 1 < swapped.length; i += every) [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      hunksAgree(lines.join(''), swapped.join(''));
    }
  }, 60_000);

  it('and on a code-like file both sides rewrote (the shape of the benchmark)', () => {
    const codeLine = (i: number, tag: string): string => (i % 7 === 0 ? '' : i % 7 === 6 ? '  }' : `  const value${i} = compute(${tag}, ${i});`);
    const textOf = (tag: string, rewrites: (i: number) => boolean): string => Array.from({ length: 20_000 }, (_, i) => `${codeLine(i, rewrites(i) ? tag : 'base')}\n`).join('');
    const base = textOf('base', () => false);
    hunksAgree(base, textOf('ours', (i) => i % 5 < 3));
    hunksAgree(base, textOf('theirs', (i) => (i + 2) % 5 < 3));
  });
});
