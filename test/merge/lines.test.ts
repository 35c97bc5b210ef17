import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectEol, hasEol, splitLfLines, splitLines } from '../../src/core/merge/index.js';

describe('splitLines', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a\n']],
    ['a\nb', ['a\n', 'b']],
    ['a\r\nb\r\n', ['a\r\n', 'b\r\n']],
    ['a\rb\r', ['a\r', 'b\r']],
    ['a\r\r\nb\n\rc', ['a\r', '\r\n', 'b\n', '\r', 'c']],
    ['\n\n', ['\n', '\n']],
  ])('%j -> %j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });

  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', 'é') }), (text) => {
        const lines = splitLines(text);
        expect(lines.join('')).toBe(text);
        // Only the last line may lack a terminator.
        expect(lines.slice(0, -1).every(hasEol)).toBe(true);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('splitLfLines', () => {
  it('keeps lone CR inside lines, as git does', () => {
    expect(splitLfLines('a\rb\r\nc')).toEqual(['a\rb\r\n', 'c']);
    expect(splitLfLines('')).toEqual([]);
  });
});

describe('detectEol', () => {
  it.each([
    ['a\nb\n', '\n'],
    ['a\r\nb\r\n', '\r\n'],
    ['a\r\nb\r\nc\n', '\r\n'],
    ['a\rb\r', '\r'],
    ['a\r\nb\n', '\n'],
    ['no newline', '\n'],
  ])('%j -> %j', (text, eol) => {
    expect(detectEol(text)).toBe(eol);
  });

  it('returns the fallback for text without line breaks', () => {
    expect(detectEol('abc', '\r\n')).toBe('\r\n');
  });
});
