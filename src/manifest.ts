import { createHash } from 'node:crypto';
import { UsageError } from './errors.js';
import { findForbiddenKey } from './template/safe-keys.js';
import type { Answers } from './template/types.js';

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
}

export function hashContent(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function buildManifest(
  generator: string,
  template: TemplateRef,
  answers: Answers,
  files: { path: string; data: Uint8Array }[],
): Manifest {
  const hashes: Record<string, string> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hashes[f.path] = hashContent(f.data);
  return { schema: 1, generator, template, answers, files: hashes };
}

export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** Reads a manifest a project holds, refusing anything that is not one. */
export function parseManifest(text: string, file = MANIFEST_PATH): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message}).`);
  }
  const bad = findForbiddenKey(raw);
  if (bad) throw new UsageError(`${file}: key ${bad} is not allowed.`);
  const m = raw as Partial<Manifest>;
  if (m?.schema !== 1 || typeof m.template?.version !== 'string' || typeof m.template?.source !== 'string') {
    throw new UsageError(`${file}: not a create-migration manifest (schema 1 with template.source and template.version).`);
  }
  if (typeof m.answers !== 'object' || m.answers === null || typeof m.files !== 'object' || m.files === null) {
    throw new UsageError(`${file}: answers and files must be objects.`);
  }
  return m as Manifest;
}
