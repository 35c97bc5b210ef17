import { describe, expect, it } from 'vitest';
import { isBinary } from '../../src/core/merge/index.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('isBinary', () => {
  it.each([
    ['plain text', bytes('hello\nworld\n'), false],
    ['empty', new Uint8Array(), false],
    ['multi-byte UTF-8', bytes('naïve — ünïcödé 🎉\r\n'), false],
    ['NUL byte', Uint8Array.from([0x68, 0x00, 0x69]), true],
    ['Latin-1 byte (invalid UTF-8)', Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), true],
    ['PNG header', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]), true],
  ])('%s', (_name, data, expected) => {
    expect(isBinary(data)).toBe(expected);
  });

  it('looks for NUL only in the first 8000 bytes', () => {
    const data = new Uint8Array(9000).fill(0x61);
    data[8500] = 0;
    expect(isBinary(data)).toBe(false);
    data[7999] = 0;
    expect(isBinary(data)).toBe(true);
  });

  it('does not trip over a multi-byte character straddling the sniff window', () => {
    const text = 'a'.repeat(7999) + 'é';
    expect(isBinary(bytes(text))).toBe(false);
  });

  it.each([
    ['a UTF-16 surrogate encoded as UTF-8', [0x61, 0xed, 0xa0, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut short at the end', [0x61, 0xe2, 0x82]],
    ['a stray continuation byte', [0x61, 0x80, 0x62]],
    ['a byte order mark', [0xef, 0xbb, 0xbf, 0x61]],
    ['the last code point', [0xf4, 0x8f, 0xbf, 0xbf]],
  ])('%s: binary exactly when a strict UTF-8 decoder refuses it', (_name, list) => {
    const data = Uint8Array.from(list);
    let refused = false;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      refused = true;
    }
    expect(isBinary(data)).toBe(refused);
  });
});
