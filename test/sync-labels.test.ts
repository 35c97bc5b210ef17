import { describe, expect, it } from 'vitest';
import { syncLabels } from '../src/core/sync/labels.js';

const same = { from: '1.0.0', to: '1.0.0', answersBefore: { cutover: 'phased', title: 'A' }, answersAfter: { cutover: 'phased', title: 'A' } };

describe('sync conflict labels', () => {
  it.each<[string, Parameters<typeof syncLabels>[0], { base: string; theirs: string }]>([
    ['a new version', { ...same, to: '2.0.0' }, { base: 'template 1.0.0', theirs: 'template 2.0.0' }],
    ['an answer changed with --set', { ...same, answersAfter: { cutover: 'big_bang', title: 'A' } }, { base: 'template 1.0.0 (answers before)', theirs: 'template 1.0.0 (cutover=big_bang)' }],
    ['a new version and a changed answer', { ...same, to: '2.0.0', answersAfter: { cutover: 'big_bang', title: 'A' } }, { base: 'template 1.0.0', theirs: 'template 2.0.0 (cutover=big_bang)' }],
    [
      'many answers: the first three by name, then a count',
      { ...same, answersBefore: {}, answersAfter: { a: 1, b: ['x', 'y'], c: 'yes', d: 'z' } },
      { base: 'template 1.0.0 (answers before)', theirs: 'template 1.0.0 (a=1, b=x,y, c=yes, +1 more)' },
    ],
    ['an answer dropped', { ...same, answersAfter: { cutover: 'phased' } }, { base: 'template 1.0.0 (answers before)', theirs: 'template 1.0.0 (title=(unset))' }],
    ['the same version at another commit', { ...same, fromCommit: 'aaaaaaaaaaaaaaaa', toCommit: 'bbbbbbbbbbbbbbbb' }, { base: 'template 1.0.0 (aaaaaaaaaaaa)', theirs: 'template 1.0.0 (bbbbbbbbbbbb)' }],
  ])('%s', (_name, input, expected) => {
    expect(syncLabels(input)).toEqual({ ours: 'yours', ...expected });
  });

  it('keeps a hostile answer on one short line', () => {
    const l = syncLabels({ ...same, answersAfter: { cutover: 'x\n>>>>>>> evil\r\n' + 'y'.repeat(100), title: 'A' } });
    expect(l.theirs).not.toMatch(/[\r\n]/);
    expect(l.theirs.length).toBeLessThan(80);
  });
});
