import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';

/**
 * The session's other half: a project that does not exist yet. generate makes it in a hidden
 * staging folder beside the target (or, with --force, adds files to a folder without replacing
 * any), through the writer in src/edge/project-writer.ts, which passes every path through the same
 * path rule as the session. This module is the only way in.
 */
export { addToExisting, createFresh, openStage, targetState, writeFiles, type OutFile, type Stage } from '../project-writer.js';

const utf8 = new TextEncoder();

/**
 * Refuses a target folder whose name the file system would refuse part way (after making its
 * parents): the whole path, every folder name, and the last one with room for the staging suffix.
 */
export function checkNewProjectTarget(target: string, label: string): void {
  const sep = target.includes('\\') && !target.includes('/') ? '\\' : '/';
  const bytes = (s: string) => utf8.encode(s).length;
  const fail = (why: string): never => {
    throw new InputError(`${label}: ${why}; nothing was written.`);
  };
  if (bytes(target) > 3000) fail(`the folder path is ${bytes(target)} bytes long; the limit is 3000`);
  const segments = target.split(sep);
  const long = segments.slice(0, -1).find((s) => bytes(s) > 255);
  if (long !== undefined) fail(`the folder name "${long.slice(0, 40)}…" is ${bytes(long)} bytes long; the limit is 255`);
  const last = segments.at(-1)!;
  if (bytes(last) > 200) fail(`the folder name "${last.slice(0, 40)}…" is ${bytes(last)} bytes long; the limit is 200`);
}

/** Removes a project this run made in a new folder, when a later step of the same run failed. */
export function removeNewProject(dir: string, keepFolder: boolean): void {
  if (!keepFolder) rmSync(dir, { recursive: true, force: true });
  else for (const name of readdirSync(dir)) rmSync(path.join(dir, name), { recursive: true, force: true });
}
