import { ProjectError, InputError } from './errors.js';
import { pathProblem } from './path-rules.js';
import { sha256Hex } from './sha256.js';
import { findForbiddenKey, findTooDeep } from './template/safe-keys.js';
import type { Answers } from './template/types.js';
import { generatorField } from './tool.js';

export const MANIFEST_PATH = '.migration-template.json';

export interface TemplateRef {
  name: string;
  version: string;
  /** "builtin", a folder path, or a git URL/path. */
  source: string;
  /** The git ref or commit the files came from, when the source is a git repo. */
  ref?: string;
  commit?: string;
}

export interface Manifest {
  schema: 1;
  generator: string;
  template: TemplateRef;
  answers: Answers;
  /** sha256 of each file as the template rendered it (the pristine content, not the user's). */
  files: Record<string, string>;
  /** The files the template rendered executable (its 100755 files), sorted; absent when none. */
  executable?: string[];
  /**
   * Each rendered text's render key (src/core/template/deps.ts: what its output depends on),
   * by path, sorted; absent when none (older manifests). A sync does not render again a file
   * whose key is unchanged and whose content still has the hash above.
   */
  renderKeys?: Record<string, string>;
  /** Template versions the team declined (`sync --skip`): not offered, and --check passes on them. */
  skipped?: string[];
}

export function hashContent(data: Uint8Array): string {
  return sha256Hex(data);
}

export function buildManifest(
  generator: string,
  template: TemplateRef,
  answers: Answers,
  files: { path: string; data: Uint8Array; executable?: boolean; key?: string }[],
  /** A file's hash when the caller knows it already (the same bytes hashed before), else undefined. */
  knownHash: (path: string, data: Uint8Array) => string | undefined = () => undefined,
): Manifest {
  const hashes: Record<string, string> = {};
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const f of sorted) hashes[f.path] = knownHash(f.path, f.data) ?? hashContent(f.data);
  const executable = sorted.filter((f) => f.executable).map((f) => f.path);
  const keyed = sorted.filter((f) => f.key !== undefined);
  const renderKeys = keyed.length ? Object.fromEntries(keyed.map((f) => [f.path, f.key!])) : undefined;
  return { schema: 1, generator, template, answers, files: hashes, ...(executable.length ? { executable } : {}), ...(renderKeys ? { renderKeys } : {}) };
}

export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** The manifest file this version of the tool writes for a render: built and encoded in one place. */
export function manifestFor(
  template: TemplateRef,
  answers: Answers,
  files: { path: string; data: Uint8Array; executable?: boolean; key?: string }[],
  skipped: readonly string[] = [],
  knownHash?: (path: string, data: Uint8Array) => string | undefined,
): Uint8Array {
  const m = buildManifest(generatorField(), template, answers, files, knownHash);
  if (skipped.length) m.skipped = [...skipped];
  return new TextEncoder().encode(serializeManifest(m));
}

/** A version as sync records and compares it: a semantic version, without a leading `v`. */
export const SKIP_VERSION = /^v?(\d{1,9}\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]{1,64})?)$/;

/** Reads a manifest a project holds, refusing anything that is not one. */
export function parseManifest(text: string, file = MANIFEST_PATH): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message}).`, file);
  }
  const deep = findTooDeep(raw);
  if (deep) throw new InputError(`${file}: ${deep} nests deeper than a manifest can; it is not a create-migration manifest.`, file);
  const bad = findForbiddenKey(raw);
  if (bad) throw new InputError(`${file}: key ${bad} is not allowed.`, file);
  const m = raw as Partial<Manifest>;
  if (m?.schema !== 1 || typeof m.template?.version !== 'string' || typeof m.template?.source !== 'string') {
    throw new InputError(`${file}: not a create-migration manifest (schema 1 with template.source and template.version).`, file);
  }
  if (typeof m.answers !== 'object' || m.answers === null || typeof m.files !== 'object' || m.files === null) {
    throw new InputError(`${file}: answers and files must be objects.`, file);
  }
  for (const [key, hash] of Object.entries(m.files)) {
    // A manifest comes with the project, from any pull request: its keys are paths sync may
    // delete, so each must pass the one path rule.
    const problem = pathProblem(key);
    if (problem) throw new ProjectError('manifest', key, `${file}: files key ${JSON.stringify(key)} ${problem.reason}; fix or remove that entry.`);
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw new ProjectError('manifest', key, `${file}: files key ${JSON.stringify(key)}: its value must be a sha256 hex digest.`);
  }
  if (m.executable !== undefined) {
    if (!Array.isArray(m.executable) || m.executable.some((p) => typeof p !== 'string' || !Object.hasOwn(m.files!, p))) {
      throw new ProjectError('manifest', 'executable', `${file}: executable must be a list of paths that files lists.`);
    }
  }
  if (m.renderKeys !== undefined) {
    const keys = m.renderKeys as unknown;
    if (!keys || typeof keys !== 'object' || Array.isArray(keys) || Object.entries(keys).some(([p, k]) => !Object.hasOwn(m.files!, p) || typeof k !== 'string' || !/^[0-9a-f]{16,64}$/.test(k))) {
      throw new ProjectError('manifest', 'renderKeys', `${file}: renderKeys must map paths that files lists to hex keys (16 to 64 characters).`);
    }
  }
  if (m.skipped !== undefined) {
    if (!Array.isArray(m.skipped) || m.skipped.length > 100 || m.skipped.some((v) => typeof v !== 'string' || !SKIP_VERSION.test(v) || v.startsWith('v'))) {
      throw new ProjectError('manifest', 'skipped', `${file}: skipped must be a list of template versions (1.2.0), at most 100.`);
    }
  }
  for (const [key, v] of Object.entries(m.answers)) {
    const ok = v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) throw new ProjectError('manifest', `answers.${key}`, `${file}: answers.${key} must be a string, a number, a list of strings or null.`);
  }
  for (const k of ['name', 'ref', 'commit'] as const) {
    const v = m.template[k];
    if (v !== undefined && typeof v !== 'string') throw new ProjectError('manifest', `template.${k}`, `${file}: template.${k} must be a string.`);
  }
  return m as Manifest;
}
