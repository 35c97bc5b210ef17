import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { merge3, merge3Bytes, type MergeOptions } from '../../src/core/merge/index.js';
import { longMergeCase, mergeCase } from './arbitraries.js';

/**
 * sync merges files as bytes (merge3Bytes) while the rest of the tool merges strings (merge3):
 * both must write the very same file, and the one git merge-file writes.
 */

const utf8 = new TextEncoder();
const bytes = (s: string): Buffer => Buffer.from(utf8.encode(s));

// Lines from pieces that hit every path: multi-byte UTF-8 (2, 3 and 4 bytes), a BOM, a lone CR
// inside a line, U+2028 (not a line break for either merge), and the three line endings.
const piece = fc.constantFrom('a', 'b', 'é', '\ufeff', '😀', 'x\r', 'ü\u2028', '€', '');
const terminator = fc.constantFrom('\n', '\n', '\r\n', '\r', '');
const text = fc
  .array(fc.tuple(fc.array(piece, { maxLength: 3 }), terminator), { maxLength: 14 })
  .map((ls) => ls.map(([p, e]) => p.join('') + e).join(''));
const options: fc.Arbitrary<MergeOptions> = fc.record({
  labels: fc.record({ ours: fc.constantFrom('ours', '', 'nôtre 😀'), base: fc.constantFrom('base', 'no common version'), theirs: fc.constantFrom('theirs', 'b/x (1.2.0)') }),
  style: fc.constantFrom('diff3' as const, 'merge' as const),
});
// Each side mostly base with a few lines changed, so that merges are clean as often as not.
// (Cut between code points: half of a surrogate pair is not UTF-8.)
const related = fc.tuple(text, text, text, fc.nat(), fc.nat()).map(([base, x, y, i, j]) => {
  const points = [...base];
  const at = (n: number): number => (points.length ? n % points.length : 0);
  return { base, ours: points.slice(0, at(i)).join('') + x, theirs: y + points.slice(at(j)).join('') };
});
const cases = fc.oneof(fc.tuple(text, text, text).map(([base, ours, theirs]) => ({ base, ours, theirs })), related, mergeCase);

describe('merge3Bytes', () => {
  it('writes the bytes merge3 writes for the same texts, with the same conflicts and regions', () => {
    fc.assert(
      fc.property(cases, options, (c, o) => {
        const s = merge3(c.base, c.ours, c.theirs, o);
        const b = merge3Bytes(utf8.encode(c.base), utf8.encode(c.ours), utf8.encode(c.theirs), o);
        expect(Buffer.from(b.data).equals(bytes(s.text))).toBe(true);
        expect(b.conflicts).toBe(s.conflicts);
        expect(b.clean).toBe(s.clean);
        expect(b.regions).toEqual(s.regions);
      }),
      { seed: 26, numRuns: 3000 },
    );
  });

  it('keeps a BOM, CRLF, a lone CR and a missing final newline byte for byte', () => {
    const base = '\ufeffa\r\nb\r\nc\r\nd';
    const r = merge3Bytes(utf8.encode(base), utf8.encode('\ufeffa\r\nB\r\nc\r\nd'), utf8.encode('\ufeffa\r\nb\r\nc\r\nd\re'), { labels: { ours: 'o', base: 'b', theirs: 't' } });
    expect(r.clean).toBe(true);
    expect(Buffer.from(r.data).toString('utf8')).toBe('\ufeffa\r\nB\r\nc\r\nd\re');
    expect([...r.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('marks a conflict in the file\'s line ending, an unterminated side getting one', () => {
    const r = merge3Bytes(utf8.encode('a\r\nb'), utf8.encode('a\r\nX'), utf8.encode('a\r\nY'), { labels: { ours: 'o', base: 'b', theirs: 't' } });
    expect(r.conflicts).toBe(1);
    expect(Buffer.from(r.data).toString('utf8')).toBe('a\r\n<<<<<<< o\r\nX\r\n||||||| b\r\nb\r\n=======\r\nY\r\n>>>>>>> t\r\n');
  });
});

describe('merge3 on strings with lone surrogates', () => {
  // UTF-8 cannot carry a lone surrogate: such strings are merged on their UTF-16 units. Putting a
  // private-use character in for each kind of lone surrogate is a one-to-one change of lines, so
  // the merge of the stand-ins, with them put back, is what the merge must give.
  const lone = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d');
  const surrogateText = fc
    .array(fc.tuple(fc.array(fc.oneof(piece, lone), { maxLength: 3 }), terminator), { maxLength: 12 })
    .map((ls) => ls.map(([p, e]) => p.join('') + e).join(''));
  const swap = (s: string): string => s.replace(/[\ud800-\udfff]/g, (c) => String.fromCharCode(0xe000 + (c.charCodeAt(0) & 0xfff)));
  const back = (s: string): string => s.replace(/[\ue000-\uefff]/g, (c) => String.fromCharCode(0xd000 + (c.charCodeAt(0) & 0xfff)));

  it('merges them as it merges the same lines without them', () => {
    // Real pairs are kept out: the stand-in for a pair would be two characters, a pair is one.
    const noPairs = (s: string): boolean => !/[\ud800-\udbff][\udc00-\udfff]/.test(s);
    fc.assert(
      fc.property(surrogateText, surrogateText, surrogateText, options, (base, ours, theirs, o) => {
        fc.pre([base, ours, theirs].every(noPairs) && !/[\ue000-\uefff]/.test(base + ours + theirs));
        const r = merge3(base, ours, theirs, o);
        const stand = merge3(swap(base), swap(ours), swap(theirs), o);
        expect(r.text).toBe(back(stand.text));
        expect(r.conflicts).toBe(stand.conflicts);
      }),
      { seed: 26, numRuns: 2000 },
    );
  });
});

describe.runIf(spawnSync('git', ['--version']).status === 0)('merge3Bytes beside git merge-file --diff3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'merge3-bytes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function gitMerge(c: { base: Uint8Array; ours: Uint8Array; theirs: Uint8Array }): { data: Buffer; status: number } {
    writeFileSync(join(dir, 'base'), c.base);
    writeFileSync(join(dir, 'ours'), c.ours);
    writeFileSync(join(dir, 'theirs'), c.theirs);
    const args = ['merge-file', '-p', '--diff3', '-L', 'ours', '-L', 'base', '-L', 'theirs', 'ours', 'base', 'theirs'];
    const r = spawnSync('git', args, { cwd: dir, maxBuffer: 1 << 28 });
    if (r.status === null || r.status < 0 || r.status > 127) throw new Error(`git merge-file failed: ${r.stderr}`);
    return { data: r.stdout, status: r.status };
  }

  const agrees = (c: { base: string; ours: string; theirs: string }): void => {
    const sides = { base: utf8.encode(c.base), ours: utf8.encode(c.ours), theirs: utf8.encode(c.theirs) };
    const ours = merge3Bytes(sides.base, sides.ours, sides.theirs, { labels: { ours: 'ours', base: 'base', theirs: 'theirs' } });
    const git = gitMerge(sides);
    // git cuts lines at LF only: with a lone CR the two may cut conflicts differently.
    if (/\r(?!\n)/.test(c.base + c.ours + c.theirs)) {
      if (ours.clean && git.status === 0) expect(Buffer.from(ours.data).equals(git.data)).toBe(true);
      return;
    }
    expect(Math.min(ours.conflicts, 127)).toBe(git.status);
    if (ours.clean) expect(Buffer.from(ours.data).equals(git.data)).toBe(true);
  };

  it('merges generated UTF-8 files (BOM, CRLF, no final newline, multi-byte lines) as git does', () => {
    fc.assert(fc.property(cases, agrees), { seed: 26, numRuns: 300 });
  });

  it('merges long rewritten files as git does', () => {
    fc.assert(fc.property(longMergeCase(2000, 20_000), agrees), { seed: 26, numRuns: 6 });
  }, 120_000);
});
