/** Semver tags (`v1.2.3` or `1.2.3`) ordered oldest first; other tags are not versions. */
const TAG = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

export function parseVersion(tag: string): [number, number, number, string] | undefined {
  const m = TAG.exec(tag);
  return m ? [+m[1]!, +m[2]!, +m[3]!, m[4] ?? ''] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (va[i] !== vb[i]) return (va[i] as number) - (vb[i] as number);
  // A pre-release sorts before its release.
  if (va[3] === vb[3]) return 0;
  if (!va[3]) return 1;
  if (!vb[3]) return -1;
  return va[3] < vb[3] ? -1 : 1;
}

export function semverTags(tags: string[]): string[] {
  return tags.filter((t) => parseVersion(t)).sort(compareVersions);
}

export const isPrerelease = (version: string): boolean => Boolean(parseVersion(version)?.[3]);

/**
 * The newest version tag to move to by default. Pre-releases (`v2.0.0-rc.1`) count only when
 * asked for, as copier and npm take them; a project already on a pre-release has asked for that
 * track. Undefined when no tag qualifies.
 */
export function newestTag(tags: readonly string[], opts: { prereleases?: boolean; current?: string } = {}): string | undefined {
  const withPre = opts.prereleases === true || (opts.current !== undefined && isPrerelease(opts.current));
  return semverTags(tags.filter((t) => withPre || !isPrerelease(t))).at(-1);
}
