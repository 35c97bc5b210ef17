import { describe, expect, it } from 'vitest';
import { conflictWarnings, parseChecklist, projectStatus } from '../src/core/status/count.js';

const text = (...ls: string[]): string => ls.map((l) => `${l}\n`).join('');

describe('status counting around conflict markers', () => {
  it.each<[string, string, { done: number; total: number; blocks: number }]>([
    [
      'a committed conflict: neither side counts',
      text('# Phase 1', '- [x] a', '<<<<<<< yours', '- [x] b', '- [ ] c', '||||||| template 1.0.0', '- [ ] b', '=======', '- [ ] b2', '>>>>>>> template 1.1.0', '- [ ] d'),
      { done: 1, total: 2, blocks: 1 },
    ],
    [
      'a two-way block from a git merge',
      text('- [ ] a', '<<<<<<< HEAD', '- [x] b', '=======', '- [ ] b', '>>>>>>> main'),
      { done: 0, total: 1, blocks: 1 },
    ],
    ['CRLF text', '- [x] a\r\n<<<<<<< a\r\n- [x] b\r\n=======\r\n- [ ] b\r\n>>>>>>> b\r\n', { done: 1, total: 1, blocks: 1 }],
    ['a heading underline is not a marker', text('Title', '=======', '- [x] a', '- [ ] b'), { done: 1, total: 2, blocks: 0 }],
    ['an opening never closed leaves the boxes counted', text('<<<<<<< a', '- [x] a', '- [ ] b'), { done: 1, total: 2, blocks: 0 }],
    [
      'a fence opened inside a block does not swallow the rest',
      text('<<<<<<< a', '```', '=======', '>>>>>>> b', '- [x] after'),
      { done: 1, total: 1, blocks: 1 },
    ],
  ])('%s', (_name, t, expected) => {
    const c = parseChecklist('docs/phases/phase-1-x.md', t);
    expect({ done: c.done, total: c.total, blocks: c.conflicts.length }).toEqual(expected);
  });

  it('an item just before a block does not swallow lines from inside it', () => {
    const c = parseChecklist('x.md', text('- [ ] a', '<<<<<<< a', '  wrapped?', '=======', '>>>>>>> b'));
    expect(c.items.map((i) => i.text)).toEqual(['a']);
  });

  it('warns once per file, naming it and the lines of each block', () => {
    const s = projectStatus(
      new Map([
        ['docs/phases/phase-1-x.md', text('- [ ] a', '<<<<<<< a', '=======', '>>>>>>> b', '<<<<<<< a', '=======', '>>>>>>> b')],
        ['docs/phases/phase-2-y.md', text('- [ ] b')],
      ]),
    );
    expect(conflictWarnings(s)).toEqual([
      'docs/phases/phase-1-x.md: unresolved conflict markers (lines 2-4, 5-7); the boxes inside them are not counted. Resolve them, then commit.',
    ]);
  });
});
