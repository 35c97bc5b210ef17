import { describe, expect, it } from 'vitest';
import { showDiff } from '../src/cli/diff-view.js';
import { unifiedDiff } from '../src/core/merge/diff.js';
import { progressLine } from '../src/cli/progress.js';

const file = (p: string, before: string, after: string) => unifiedDiff(before, after, { oldLabel: `a/${p}`, newLabel: `b/${p}` });

describe('showDiff', () => {
  it('moves the named files last, and tells a changed line that looks like a header from a header', () => {
    // A removed line "-- x" prints as "--- x", an added "++ y" as "+++ y": still content.
    const manifest = file('.migration-template.json', '{"v": 1}\n', '{"v": 2}\n');
    const doc = file('docs/a.md', 'keep\n-- x\n', 'keep\n++ y\n');
    const shown = showDiff(manifest + doc, ['.migration-template.json']);
    expect(shown).toBe(doc + manifest);
    const tag = { bold: (s: string) => `<b>${s}</b>`, cyan: (s: string) => `<c>${s}</c>`, red: (s: string) => `<r>${s}</r>`, green: (s: string) => `<g>${s}</g>` };
    const styled = showDiff(doc, [], tag);
    expect(styled).toContain('<r>--- x</r>\n');
    expect(styled).toContain('<g>+++ y</g>\n');
    expect(styled).toMatch(/^<b>--- a\/docs\/a\.md<\/b>\n<b>\+\+\+ b\/docs\/a\.md<\/b>\n<c>@@/);
  });
});

describe('progressLine', () => {
  it('fits the terminal, with the count and the end of a long name', () => {
    const line = progressLine(3, 10, 'syncing', 'projects/very/long/path/to/billing-etl', 60);
    expect(line.length).toBeLessThanOrEqual(60);
    expect(line).toMatch(/^syncing \[#+-+\] 3\/10  ….*billing-etl$/);
    expect(progressLine(10, 10, 'syncing', '', 80)).toMatch(/\[#+\] 10\/10$/);
  });
});
