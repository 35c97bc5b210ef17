/** Keys that could reach an object's prototype if they were ever used as property names. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** How deep a template.yaml, answers file or manifest may nest: far more than any real one needs. */
export const MAX_DEPTH = 64;

/**
 * Returns the dotted path of the first forbidden key in a parsed value, or undefined. Walks with
 * its own stack (never recursion), so a hostile document nested a million deep cannot overflow it.
 */
export function findForbiddenKey(value: unknown, path = ''): string | undefined {
  // Most values hold none: looked for first without naming every key's path on the way.
  return hasForbiddenKey(value) ? forbiddenKeyPath(value, path) : undefined;
}

function hasForbiddenKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    const inArray = Array.isArray(v);
    for (const key of Object.keys(v)) {
      if (!inArray && FORBIDDEN.has(key)) return true;
      stack.push((v as Record<string, unknown>)[key]);
    }
  }
  return false;
}

function forbiddenKeyPath(value: unknown, path: string): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [v, here] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const at = Array.isArray(v) ? `${here}[${key}]` : here ? `${here}.${key}` : key;
      if (!Array.isArray(v) && FORBIDDEN.has(key)) return at;
      stack.push([(v as Record<string, unknown>)[key], at]);
    }
  }
  return undefined;
}

/** The path at which a parsed value nests deeper than `max`, or undefined. Iterative too. */
export function findTooDeep(value: unknown, max = MAX_DEPTH): string | undefined {
  return nestsDeeper(value, max) ? tooDeepPath(value, max) : undefined;
}

/** Whether some object or array sits at depth `max` or deeper (the test findTooDeep names the path of). */
function nestsDeeper(value: unknown, max: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const key of Object.keys(v)) {
      values.push((v as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return false;
}

function tooDeepPath(value: unknown, max: number): string | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length) {
    const [v, here, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return here || '(top level)';
    for (const key of Object.keys(v)) {
      stack.push([(v as Record<string, unknown>)[key], Array.isArray(v) ? `${here}[${key}]` : here ? `${here}.${key}` : key, depth + 1]);
    }
  }
  return undefined;
}
