import { InputError } from '../core/errors.js';
import { MANIFEST_PATH, serializeManifest, SKIP_VERSION } from '../core/manifest.js';
import { compareVersions } from '../core/template/semver.js';
import type { ProjectSession } from '../edge/project/session.js';
import { loadFromSource, sourceVersions, type TemplateSource } from '../edge/template-source.js';
import type { ProjectSyncResult } from './sync.js';

const encoder = new TextEncoder();

/**
 * `sync --skip <version>`: records in the manifest that the team declines a version the source
 * offers, newer than the project's. Only the manifest changes; the team commits it.
 */
export async function recordSkip(session: ProjectSession, src: TemplateSource, wanted: string): Promise<ProjectSyncResult> {
  const recorded = session.manifest!;
  const from = recorded.template.version;
  const version = SKIP_VERSION.exec(wanted)?.[1];
  if (!version) throw new InputError(`--skip: "${wanted}" is not a template version (such as 2.0.0).`);
  if (compareVersions(version, from) <= 0) throw new InputError(`--skip: ${version} is not newer than ${from}, the version the project is on.`);
  const offered = src.kind === 'git' ? (await sourceVersions(src)).some((t) => t === version || t === `v${version}`) : (await loadFromSource(src)).ref.version === version;
  if (!offered) throw new InputError(`--skip: the template source ${src.location} offers no version ${version}.`);
  const result: ProjectSyncResult = { dir: session.root, from, to: from, base: 'not needed', outcomes: [], conflicts: 0, behind: false, written: false, exitCode: 0, skipped: version };
  const skipped = [...new Set([...(recorded.skipped ?? []), version])].sort(compareVersions);
  if (skipped.length === recorded.skipped?.length) return result;
  const data = encoder.encode(serializeManifest({ ...recorded, skipped }));
  await session.apply({ what: 'sync --skip', writes: [{ path: MANIFEST_PATH, data }] });
  result.written = true;
  return result;
}
