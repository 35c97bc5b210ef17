import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findForbiddenKey, findTooDeep } from '../src/core/template/safe-keys.js';

// The walks as they were written first (a path built for every key), as the reference: the
// quick look in front of them must name the same path, or none, for any value.
function forbiddenReference(value: unknown, path = ''): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [v, here] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const at = Array.isArray(v) ? `${here}[${key}]` : here ? `${here}.${key}` : key;
      if (!Array.isArray(v) && ['__proto__', 'constructor', 'prototype'].includes(key)) return at;
      stack.push([(v as Record<string, unknown>)[key], at]);
    }
  }
  return undefined;
}

function tooDeepReference(value: unknown, max: number): string | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length) {
    const [v, here, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return here || '(top level)';
    for (const key of Object.keys(v)) stack.push([(v as Record<string, unknown>)[key], Array.isArray(v) ? `${here}[${key}]` : here ? `${here}.${key}` : key, depth + 1]);
  }
  return undefined;
}

const key = fc.constantFrom('a', 'b', '__proto__', 'constructor', 'prototype', 'files', '0');
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, 1, 'x', true), fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 3 })),
}));

describe('safe keys', () => {
  it('name the same forbidden key and the same too-deep path as the plain walks, or none', () => {
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 6 }), (value, max) => {
        // JSON.parse makes __proto__ an own key, as a parsed manifest or answers file has it.
        const parsed = JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
        expect(findForbiddenKey(parsed)).toBe(forbiddenReference(parsed));
        expect(findForbiddenKey(parsed, 'answers')).toBe(forbiddenReference(parsed, 'answers'));
        expect(findTooDeep(parsed, max)).toBe(tooDeepReference(parsed, max));
      }),
      { numRuns: 2000 },
    );
    expect(findForbiddenKey(JSON.parse('{"a":[{"b":{"__proto__":1}}]}'))).toBe('a[0].b.__proto__');
    expect(findTooDeep(JSON.parse('{"a":[[[1]]]}'), 2)).toBe('a[0]');
  });
});
