import { describe, expect, it } from 'vitest';
import { conflictBlocks, merge3, splitLines } from '../../src/core/merge/index.js';

const blocksOf = (text: string) => conflictBlocks(splitLines(text));
const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join('');

describe('conflictBlocks', () => {
  it.each<[string, string, Array<{ start: number; end: number }>]>([
    ['a diff3 block', lines('a', '<<<<<<< yours', 'x', '||||||| template 1.0.0', 'b', '=======', 'y', '>>>>>>> template 1.1.0', 'c'), [{ start: 1, end: 7 }]],
    ['a two-way block', lines('<<<<<<< HEAD', 'x', '=======', 'y', '>>>>>>> main'), [{ start: 0, end: 4 }]],
    ['markers without labels', lines('<<<<<<<', '=======', '>>>>>>>'), [{ start: 0, end: 2 }]],
    ['CRLF lines', '<<<<<<< a\r\nx\r\n=======\r\ny\r\n>>>>>>> b\r\n', [{ start: 0, end: 4 }]],
    ['a file ending in the closing marker without a newline', '<<<<<<< a\n=======\n>>>>>>> b', [{ start: 0, end: 2 }]],
    ['two blocks', lines('<<<<<<< a', '=======', '>>>>>>> b', 'mid', '<<<<<<< a', '|||||||', '=======', '>>>>>>> b'), [{ start: 0, end: 2 }, { start: 4, end: 7 }]],
    ['a Markdown heading underline', lines('Title', '=======', '', 'text'), []],
    ['an RST underline before a real block', lines('Title', '=======', '<<<<<<< a', '=======', '>>>>>>> b'), [{ start: 2, end: 4 }]],
    ['an underline inside the theirs side is text', lines('<<<<<<< a', 'x', '=======', 'T', '=======', '>>>>>>> b'), [{ start: 0, end: 5 }]],
    ['an opening never closed', lines('<<<<<<< a', 'x', '=======', 'y'), []],
    ['a closing before any separator', lines('<<<<<<< a', 'x', '>>>>>>> b', '=======', '>>>>>>> c'), []],
    ['a second opening restarts the block', lines('<<<<<<< a', 'x', '<<<<<<< a', '=======', '>>>>>>> b'), [{ start: 2, end: 4 }]],
    ['eight characters are not a marker', lines('<<<<<<<< a', '========', '>>>>>>>> b'), []],
    ['a marker not at the start of the line', lines(' <<<<<<< a', '=======', '>>>>>>> b'), []],
    ['a label glued to the marker', lines('<<<<<<<a', '=======', '>>>>>>>b'), []],
    ['a separator with text after it', lines('<<<<<<< a', '======= x', '>>>>>>> b'), []],
  ])('%s', (_name, text, expected) => {
    expect(blocksOf(text)).toEqual(expected);
  });

  it('finds every conflict the merge writes, at its place', () => {
    const result = merge3(lines('a', 'b', 'c', 'd', 'e'), lines('A', 'b', 'c', 'D', 'e'), lines('1', 'b', 'c', '4', 'e'), {
      labels: { ours: 'yours', base: 'template 1.0.0', theirs: 'template 1.1.0' },
    });
    expect(result.conflicts).toBe(2);
    const found = blocksOf(result.text);
    expect(found).toHaveLength(2);
    const text = splitLines(result.text);
    for (const b of found) {
      expect(text[b.start]).toBe('<<<<<<< yours\n');
      expect(text[b.end]).toBe('>>>>>>> template 1.1.0\n');
    }
  });
});
