import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { diff, merge3, mergeKeepingOurs, rejectFile, splitLines, type MergeRegion, type MergeResult } from '../../src/core/merge/index.js';
import { applyPatch } from './apply-patch.js';
import { longMergeCase, mergeCase } from './arbitraries.js';

const labels = { ours: 'ours', base: 'base', theirs: 'theirs' };
const params = { seed: 42, numRuns: 500 };

/** Rebuilds one input from the regions: every region knows what each side had there. */
function sideOf(regions: readonly MergeRegion[], side: 'base' | 'ours' | 'theirs'): string {
  return regions
    .map((r) => {
      if (r.kind === 'stable') return r.lines;
      if (r.kind === 'conflict') return r[side];
      if (side === 'base') return r.base;
      // A clean change leaves the other side as it was in base.
      return r.kind === 'both' || r.kind === side ? r.lines : r.base;
    })
    .flat()
    .join('');
}

function isSubsequence(needles: readonly string[], haystack: readonly string[]): boolean {
  let i = 0;
  for (const line of haystack) if (i < needles.length && line === needles[i]) i++;
  return i === needles.length;
}

function reversePatch(patch: string): string {
  return splitLines(patch)
    .map((line) => {
      const header = /^@@ -(\S+) \+(\S+) @@/.exec(line);
      if (header) return `@@ -${header[2]} +${header[1]} @@\n`;
      if (line.startsWith('-') && !line.startsWith('--- ')) return `+${line.slice(1)}`;
      if (line.startsWith('+') && !line.startsWith('+++ ')) return `-${line.slice(1)}`;
      return line;
    })
    .join('');
}

const mergeOf = ({ base, ours, theirs }: { base: string; ours: string; theirs: string }): MergeResult =>
  merge3(base, ours, theirs, { labels });

describe('merge3 properties', () => {
  it('keeps every line the user added or changed, in order', () => {
    fc.assert(
      fc.property(mergeCase, (c) => {
        const baseLines = splitLines(c.base);
        const oursLines = splitLines(c.ours);
        const userLines = diff(baseLines, oursLines).flatMap((h) => oursLines.slice(h.bStart, h.bEnd));
        const visible = mergeOf(c).regions.flatMap((r) => (r.kind === 'conflict' ? r.ours : r.lines));
        expect(isSubsequence(userLines, visible)).toBe(true);
      }),
      params,
    );
  });

  it('takes the other side exactly when one side did not change', () => {
    fc.assert(
      fc.property(mergeCase, ({ base, ours, theirs }) => {
        expect(merge3(base, ours, base, { labels })).toMatchObject({ text: ours, clean: true });
        expect(merge3(base, base, theirs, { labels })).toMatchObject({ text: theirs, clean: true });
      }),
      params,
    );
  });

  it('returns the common text when both sides agree', () => {
    fc.assert(
      fc.property(mergeCase, ({ base, ours }) => {
        expect(merge3(base, ours, ours, { labels })).toMatchObject({ text: ours, clean: true, conflicts: 0 });
      }),
      params,
    );
  });

  it('joins the region lines into the text of a clean merge', () => {
    fc.assert(
      fc.property(mergeCase, (c) => {
        const result = mergeOf(c);
        fc.pre(result.clean);
        const joined = result.regions.map((r) => (r.kind === 'conflict' ? [] : r.lines).join('')).join('');
        expect(joined).toBe(result.text);
        expect(mergeKeepingOurs(result)).toBe(result.text);
      }),
      params,
    );
  });

  it('does not depend on which side is ours for clean merges', () => {
    fc.assert(
      fc.property(mergeCase, (c) => {
        const result = mergeOf(c);
        const swapped = merge3(c.base, c.theirs, c.ours, { labels });
        expect(swapped.conflicts).toBe(result.conflicts);
        if (result.clean) expect(swapped.text).toBe(result.text);
      }),
      params,
    );
  });

  it('records enough in the regions to rebuild all three inputs', () => {
    fc.assert(
      fc.property(mergeCase, (c) => {
        const { regions } = mergeOf(c);
        expect(sideOf(regions, 'base')).toBe(c.base);
        expect(sideOf(regions, 'ours')).toBe(c.ours);
        expect(sideOf(regions, 'theirs')).toBe(c.theirs);
      }),
      params,
    );
  });

  it('writes four markers per conflict, each on a line of its own', () => {
    fc.assert(
      fc.property(mergeCase, (c) => {
        const result = mergeOf(c);
        const markers = splitLines(result.text).filter((line) => /^(<<<<<<< ours|\|\|\|\|\|\|\| base|=======|>>>>>>> theirs)(\r\n|\r|\n)$/.test(line));
        expect(markers.length).toBe(4 * result.conflicts);
        expect(result.text.includes('<<<<<<<')).toBe(!result.clean);
      }),
      params,
    );
  });

  it('produces a .rej whose hunks turn base into base-with-the-rejected-changes', () => {
    fc.assert(
      fc.property(mergeCase, (c) => {
        const result = mergeOf(c);
        const rejected = result.regions
          .flatMap((r) => (r.kind === 'conflict' ? r.theirs : r.kind === 'stable' ? r.lines : r.base))
          .join('');
        const rej = rejectFile(result, labels);
        expect(rej === '').toBe(result.clean);
        // The new side is numbered against theirs, which also holds the clean
        // changes, so it is checked by applying the reversed patch to theirs.
        expect(applyPatch(c.base, rej, { split: splitLines, checkNewStart: false })).toBe(rejected);
        const restored = result.regions
          .flatMap((r) => (r.kind === 'conflict' || r.kind === 'ours' ? r.base : r.lines))
          .join('');
        expect(applyPatch(c.theirs, reversePatch(rej), { split: splitLines, checkNewStart: false })).toBe(restored);
      }),
      params,
    );
  });
});

describe.runIf(spawnSync('git', ['--version']).status === 0)('merge3 beside git merge-file --diff3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'merge3-git-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function gitMerge(c: { base: string; ours: string; theirs: string }): { text: string; status: number } {
    writeFileSync(join(dir, 'base'), c.base);
    writeFileSync(join(dir, 'ours'), c.ours);
    writeFileSync(join(dir, 'theirs'), c.theirs);
    const args = ['merge-file', '-p', '--diff3', '-L', 'ours', '-L', 'base', '-L', 'theirs', 'ours', 'base', 'theirs'];
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status === null || r.status < 0 || r.status > 127) throw new Error(`git merge-file failed: ${r.stderr}`);
    return { text: r.stdout, status: r.status };
  }

  // git cuts lines at LF only, so a lone CR (old Mac endings) joins what we keep apart;
  // where both merge cleanly the texts still agree, but the conflict counts need not.
  const loneCr = (c: { base: string; ours: string; theirs: string }): boolean => /\r(?!\n)/.test(c.base + c.ours + c.theirs);

  const agrees = (c: { base: string; ours: string; theirs: string }): void => {
    const ours = mergeOf(c);
    const git = gitMerge(c);
    if (ours.clean && git.status === 0) expect(ours.text).toBe(git.text);
    // git's exit status is the number of conflicts, up to 127.
    if (!loneCr(c)) expect(Math.min(ours.conflicts, 127)).toBe(git.status);
  };

  it('merges small random documents as git does: the same text when clean, the same conflicts', () => {
    fc.assert(fc.property(mergeCase, agrees), { seed: 42, numRuns: 200 });
  });

  it('merges long files that both sides mostly rewrote as git does', () => {
    fc.assert(fc.property(longMergeCase(100, 3000), agrees), { seed: 42, numRuns: 60 });
  }, 60_000);

  it('merges very long rewritten files as git does, where the search cuts behind long runs', () => {
    fc.assert(fc.property(longMergeCase(40_000, 60_000), agrees), { seed: 42, numRuns: 4 });
  }, 120_000);
});
