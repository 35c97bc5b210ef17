/** Keys that could reach an object's prototype if they were ever used as property names. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Returns the dotted path of the first forbidden key in a parsed value, or undefined. */
export function findForbiddenKey(value: unknown, path = ''): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && FORBIDDEN.has(key)) return here;
    const inner = findForbiddenKey((value as Record<string, unknown>)[key], here);
    if (inner) return inner;
  }
  return undefined;
}
