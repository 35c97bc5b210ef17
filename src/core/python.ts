/** Python's reserved words: no module, package or name in generated code may be one. */
export const PY_KEYWORDS: ReadonlySet<string> = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/**
 * Whether a name is a Python keyword. A package name is all lowercase, so it is compared without
 * case: `none` is refused with `None`, as a package named so would read as the keyword.
 */
export function isPyKeyword(name: string, caseless = false): boolean {
  if (PY_KEYWORDS.has(name)) return true;
  return caseless && [...PY_KEYWORDS].some((k) => k.toLowerCase() === name.toLowerCase());
}
