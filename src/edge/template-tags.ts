import { listTags } from './git/refs.js';
import { gitBytes } from './git/run.js';
import { semverTags } from '../core/template/semver.js';

/** Each semver tag's template.yaml version, read in one git cat-file. */
export async function tagVersions(dir: string): Promise<{ tag: string; version?: string }[]> {
  const tags = semverTags(await listTags(dir));
  if (!tags.length) return [];
  const input = new TextEncoder().encode(tags.map((t) => `refs/tags/${t}:template.yaml\n`).join(''));
  const out = await gitBytes(dir, ['cat-file', '--batch'], input);
  const { parse } = await import('yaml');
  const result: { tag: string; version?: string }[] = [];
  let at = 0;
  for (const tag of tags) {
    const nl = out.indexOf(10, at);
    const header = out.subarray(at, nl).toString('utf8');
    at = nl + 1;
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
    if (!size) {
      result.push({ tag }); // "<name> missing": the tag has no template.yaml
      continue;
    }
    const text = out.subarray(at, at + Number(size)).toString('utf8');
    at += Number(size) + 1;
    let version: string | undefined;
    try {
      const doc = parse(text, { maxAliasCount: 50 }) as { version?: unknown } | null;
      if (typeof doc?.version === 'string' || typeof doc?.version === 'number') version = String(doc.version);
    } catch {
      // unreadable: reported as such
    }
    result.push({ tag, version });
  }
  return result;
}
