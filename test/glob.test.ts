import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchesAny } from '../src/template/glob.js';

/** The regular expression the old matcher compiled: right on small inputs, exponential on some. */
function reference(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

describe('glob matching', () => {
  it.each([
    ['docs/**', 'docs/a/b.md', true],
    ['docs/**', 'docsx/a', false],
    ['**/*.png', 'a/b/c.png', true],
    ['**/*.png', 'c.png', true],
    ['*.png', 'a/c.png', false],
    ['a/?.md', 'a/b.md', true],
    ['a/?.md', 'a//.md', false],
    ['**/', 'ab.', false],
    ['src/**/test_*.py', 'src/x/y/test_a.py', true],
  ])('%s against %s: %s', (glob, p, expected) => {
    expect(matchesAny(p, [glob])).toBe(expected);
  });

  it('property: the same answers as the regular expression it replaces', () => {
    const glob = fc.array(fc.constantFrom('a', 'b', '/', '*', '**', '**/', '?', '.'), { maxLength: 7 }).map((x) => x.join(''));
    const p = fc.array(fc.constantFrom('a', 'b', '/', '.'), { maxLength: 10 }).map((x) => x.join(''));
    fc.assert(fc.property(glob, p, (g, s) => matchesAny(s, [g]) === reference(g).test(s)), { seed: 5, numRuns: 20000 });
  });

  it('repeated **/ against a deep path answers at once (the regular expression took minutes)', () => {
    const deep = `${'a/'.repeat(3000)}x`;
    expect(matchesAny(deep, [`${'**/'.repeat(300)}y`])).toBe(false);
    expect(matchesAny(deep, [`${'**/'.repeat(300)}x`])).toBe(true);
  });
});
