import { describe, expect, it } from 'vitest';
import { merge3, mergeKeepingOurs, rejectFile, type MergeRegion } from '../../src/core/merge/index.js';

const labels = { ours: 'ours', base: 'base', theirs: 'theirs' };
const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join('');

interface Case {
  name: string;
  base: string;
  ours: string;
  theirs: string;
  text: string;
  conflicts: number;
}

const cases: Case[] = [
  {
    name: 'non-overlapping edits on both sides',
    base: lines('a', 'b', 'c', 'd', 'e'),
    ours: lines('A', 'b', 'c', 'd', 'e'),
    theirs: lines('a', 'b', 'c', 'd', 'E'),
    text: lines('A', 'b', 'c', 'd', 'E'),
    conflicts: 0,
  },
  {
    name: 'identical edits on both sides, plus one more from theirs',
    base: lines('a', 'b', 'c', 'd', 'e', 'f'),
    ours: lines('a', 'X', 'c', 'd', 'e', 'f'),
    theirs: lines('a', 'X', 'c', 'd', 'e', 'F'),
    text: lines('a', 'X', 'c', 'd', 'e', 'F'),
    conflicts: 0,
  },
  {
    name: 'overlapping edit',
    base: lines('a', 'b', 'c'),
    ours: lines('a', 'X', 'c'),
    theirs: lines('a', 'Y', 'c'),
    text: lines('a', '<<<<<<< ours', 'X', '||||||| base', 'b', '=======', 'Y', '>>>>>>> theirs', 'c'),
    conflicts: 1,
  },
  {
    name: 'edits to adjacent lines conflict (conservative)',
    base: lines('a', 'b', 'c'),
    ours: lines('A', 'b', 'c'),
    theirs: lines('a', 'B', 'c'),
    text: lines('<<<<<<< ours', 'A', 'b', '||||||| base', 'a', 'b', '=======', 'a', 'B', '>>>>>>> theirs', 'c'),
    conflicts: 1,
  },
  {
    name: 'different insertions at the same point',
    base: lines('a', 'b'),
    ours: lines('a', 'X', 'b'),
    theirs: lines('a', 'Y', 'b'),
    text: lines('a', '<<<<<<< ours', 'X', '||||||| base', '=======', 'Y', '>>>>>>> theirs', 'b'),
    conflicts: 1,
  },
  {
    name: 'identical insertions at the same point',
    base: lines('a', 'b'),
    ours: lines('a', 'X', 'b'),
    theirs: lines('a', 'X', 'b', 'c'),
    text: lines('a', 'X', 'b', 'c'),
    conflicts: 0,
  },
  {
    name: 'deletions on both sides',
    base: lines('a', 'b', 'c', 'd', 'e'),
    ours: lines('a', 'c', 'd', 'e'),
    theirs: lines('a', 'b', 'c', 'e'),
    text: lines('a', 'c', 'e'),
    conflicts: 0,
  },
  {
    name: 'deleted on our side, edited on theirs',
    base: lines('a', 'b', 'c'),
    ours: lines('a', 'c'),
    theirs: lines('a', 'B', 'c'),
    text: lines('a', '<<<<<<< ours', '||||||| base', 'b', '=======', 'B', '>>>>>>> theirs', 'c'),
    conflicts: 1,
  },
  {
    name: 'user emptied the file, template unchanged',
    base: lines('a', 'b'),
    ours: '',
    theirs: lines('a', 'b'),
    text: '',
    conflicts: 0,
  },
  {
    name: 'template emptied the file, user unchanged',
    base: lines('a', 'b'),
    ours: lines('a', 'b'),
    theirs: '',
    text: '',
    conflicts: 0,
  },
  {
    name: 'user emptied the file, template edited it',
    base: lines('a', 'b'),
    ours: '',
    theirs: lines('a', 'B'),
    text: lines('<<<<<<< ours', '||||||| base', 'a', 'b', '=======', 'a', 'B', '>>>>>>> theirs'),
    conflicts: 1,
  },
  {
    name: 'CRLF file keeps CRLF, markers included',
    base: 'a\r\nb\r\nc\r\n',
    ours: 'a\r\nX\r\nc\r\n',
    theirs: 'a\r\nY\r\nc\r\n',
    text: 'a\r\n<<<<<<< ours\r\nX\r\n||||||| base\r\nb\r\n=======\r\nY\r\n>>>>>>> theirs\r\nc\r\n',
    conflicts: 1,
  },
  {
    name: 'CRLF file, clean merge',
    base: 'a\r\nb\r\nc\r\nd\r\n',
    ours: 'A\r\nb\r\nc\r\nd\r\n',
    theirs: 'a\r\nb\r\nc\r\nD\r\n',
    text: 'A\r\nb\r\nc\r\nD\r\n',
    conflicts: 0,
  },
  {
    name: 'only ours lacks the final newline, theirs edits elsewhere',
    base: lines('a', 'b', 'c', 'd', 'e'),
    ours: 'a\nb\nc\nd\ne',
    theirs: lines('A', 'b', 'c', 'd', 'e'),
    text: 'A\nb\nc\nd\ne',
    conflicts: 0,
  },
  {
    name: 'no final newline anywhere, theirs edits elsewhere',
    base: 'a\nb\nc\nd\ne',
    ours: 'a\nb\nc\nd\nE',
    theirs: 'A\nb\nc\nd\ne',
    text: 'A\nb\nc\nd\nE',
    conflicts: 0,
  },
  {
    name: 'theirs drops the final newline, ours edits elsewhere',
    base: lines('a', 'b', 'c', 'd'),
    ours: lines('A', 'b', 'c', 'd'),
    theirs: 'a\nb\nc\nd',
    text: 'A\nb\nc\nd',
    conflicts: 0,
  },
  {
    name: 'conflict on an unterminated last line still puts markers on their own lines',
    base: 'a\nb',
    ours: 'a\nX',
    theirs: 'a\nY',
    text: lines('a', '<<<<<<< ours', 'X', '||||||| base', 'b', '=======', 'Y', '>>>>>>> theirs'),
    conflicts: 1,
  },
  {
    name: 'empty base, both sides add the same file',
    base: '',
    ours: lines('x', 'y'),
    theirs: lines('x', 'y'),
    text: lines('x', 'y'),
    conflicts: 0,
  },
  {
    name: 'empty base, both sides add different files',
    base: '',
    ours: lines('x'),
    theirs: lines('y'),
    text: lines('<<<<<<< ours', 'x', '||||||| base', '=======', 'y', '>>>>>>> theirs'),
    conflicts: 1,
  },
  {
    name: 'empty base, only the template adds the file',
    base: '',
    ours: '',
    theirs: lines('x'),
    text: lines('x'),
    conflicts: 0,
  },
  {
    name: 'two separate conflicts',
    base: lines('a', 'b', 'c', 'd', 'e'),
    ours: lines('A1', 'b', 'c', 'd', 'E1'),
    theirs: lines('A2', 'b', 'c', 'd', 'E2'),
    text: lines(
      '<<<<<<< ours', 'A1', '||||||| base', 'a', '=======', 'A2', '>>>>>>> theirs',
      'b', 'c', 'd',
      '<<<<<<< ours', 'E1', '||||||| base', 'e', '=======', 'E2', '>>>>>>> theirs',
    ),
    conflicts: 2,
  },
];

describe('merge3', () => {
  it.each(cases)('$name', ({ base, ours, theirs, text, conflicts }) => {
    const result = merge3(base, ours, theirs, { labels });
    expect(result.text).toBe(text);
    expect(result.conflicts).toBe(conflicts);
    expect(result.clean).toBe(conflicts === 0);
  });

  it('describes the merge as regions', () => {
    const result = merge3(lines('a', 'b', 'c', 'd', 'e', 'f', 'g'), lines('A', 'b', 'c', 'X', 'e', 'f', 'g'), lines('a', 'b', 'c', 'Y', 'e', 'f', 'G'), {
      labels,
    });
    expect(result.regions).toEqual<MergeRegion[]>([
      { kind: 'ours', lines: ['A\n'], base: ['a\n'] },
      { kind: 'stable', lines: ['b\n', 'c\n'] },
      { kind: 'conflict', base: ['d\n'], ours: ['X\n'], theirs: ['Y\n'] },
      { kind: 'stable', lines: ['e\n', 'f\n'] },
      { kind: 'theirs', lines: ['G\n'], base: ['g\n'] },
    ]);
  });

  it('returns the shared text when both sides are identical, whatever base is', () => {
    const result = merge3('x', 'a\r\nb', 'a\r\nb', { labels });
    expect(result).toMatchObject({ text: 'a\r\nb', clean: true });
    expect(result.regions.every((r) => r.kind !== 'conflict')).toBe(true);
  });

  it('prints bare markers for empty labels', () => {
    const result = merge3('a\n', 'b\n', 'c\n', { labels: { ours: '', base: '', theirs: '' } });
    expect(result.text).toBe(lines('<<<<<<<', 'b', '|||||||', 'a', '=======', 'c', '>>>>>>>'));
  });

  it('uses the dominant line ending of our file for markers', () => {
    const result = merge3('a\r\nb\r\nc\n', 'a\r\nX\r\nc\n', 'a\r\nY\r\nc\n', { labels });
    expect(result.text).toBe('a\r\n<<<<<<< ours\r\nX\r\n||||||| base\r\nb\r\n=======\r\nY\r\n>>>>>>> theirs\r\nc\n');
  });

  // Speed is measured by `npm run bench`, never asserted here: these machines are shared and noisy.
  it('merges a 5,000-line file with edits on both sides', () => {
    const base = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`);
    const ours = [...base];
    ours[10] = 'ours\n';
    ours.splice(3000, 0, 'inserted\n');
    const theirs = [...base];
    theirs[4000] = 'theirs\n';
    theirs.splice(100, 2);
    const expected = [...ours];
    expected[4001] = 'theirs\n';
    expected.splice(100, 2);
    const result = merge3(base.join(''), ours.join(''), theirs.join(''), { labels });
    expect(result.clean).toBe(true);
    expect(result.text).toBe(expected.join(''));
  });
});

describe('--conflict rej helpers', () => {
  const base = lines('1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12');
  const ours = lines('1', 'two', '3', '4', '5', '6', '7', '8', '9', '10', 'eleven', '12');
  const theirs = lines('one', '2-new', '3', '4', '5', '6', '7', '8', '8.5', '9', '10', '11-new', '12');
  const result = merge3(base, ours, theirs, { labels: { ours: 'user', base: 'template v1', theirs: 'template v2' } });

  it('keeps our side of every conflict and the clean template changes elsewhere', () => {
    expect(result.conflicts).toBe(2);
    expect(mergeKeepingOurs(result)).toBe(lines('1', 'two', '3', '4', '5', '6', '7', '8', '8.5', '9', '10', 'eleven', '12'));
  });

  it('writes one hunk per conflict with the template change that was not applied', () => {
    expect(rejectFile(result, { base: 'template v1', theirs: 'template v2' })).toBe(
      [
        '--- template v1',
        '+++ template v2',
        '@@ -1,5 +1,5 @@',
        '-1',
        '-2',
        '+one',
        '+2-new',
        ' 3',
        ' 4',
        ' 5',
        '@@ -9,4 +10,4 @@',
        ' 9',
        ' 10',
        '-11',
        '+11-new',
        ' 12',
        '',
      ].join('\n'),
    );
  });

  it('keeps hunks of close conflicts from overlapping', () => {
    const r = merge3(lines('a', 'b', 'c', 'd', 'e'), lines('A1', 'b', 'c', 'd', 'E1'), lines('A2', 'b', 'c', 'd', 'E2'), { labels });
    expect(rejectFile(r, labels)).toBe(
      ['--- base', '+++ theirs', '@@ -1,4 +1,4 @@', '-a', '+A2', ' b', ' c', ' d', '@@ -5 +5 @@', '-e', '+E2', ''].join('\n'),
    );
  });

  it('marks a missing final newline in the rejected change', () => {
    const r = merge3('a\nb', 'a\nX', 'a\nY', { labels });
    expect(rejectFile(r, labels)).toBe(
      '--- base\n+++ theirs\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+Y\n\\ No newline at end of file\n',
    );
    expect(mergeKeepingOurs(r)).toBe('a\nX');
  });

  it('is empty for clean merges', () => {
    const r = merge3('a\n', 'b\n', 'a\n', { labels });
    expect(rejectFile(r, labels)).toBe('');
    expect(mergeKeepingOurs(r)).toBe('b\n');
  });
});
