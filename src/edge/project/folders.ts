import { lstatSync, readdirSync } from 'node:fs';
import { readRegularFile } from '../fs-quiet.js';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { locate, requireSafePath } from './guard.js';

/**
 * The project files among `paths` that have the owner's execute bit. `modes`: the modes of files
 * this run read as regular files (see ProjectReader.modes), not looked at again.
 */
export function executableAmong(root: string, paths: Iterable<string>, modes?: ReadonlyMap<string, number>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const known = modes?.get(p);
    if (known !== undefined) {
      if (known & 0o100) out.add(p);
      continue;
    }
    const st = lstatSync(path.join(root, p), { throwIfNoEntry: false });
    if (st?.isFile() && (st.mode & 0o100) !== 0) out.add(p);
  }
  return out;
}

/**
 * The template's new paths that are folders in the project, each with every file under it
 * (their bytes go into `ours`): a file that replaces a folder must know what the folder holds,
 * to move what the user keeps there out of its way (see core/sync/structure.ts). Never through a link.
 */
export function readFolders(root: string, paths: Iterable<string>, ours: Map<string, Uint8Array>): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  const walk = (rel: string, out: string[]) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        requireSafePath(r, 'sync');
        walk(r, out);
      } else if (e.isFile()) {
        requireSafePath(r, 'sync');
        out.push(r);
        ours.set(r, readRegularFile(path.join(root, r)));
      } else throw new InputError(`${r}: is not a plain file, and stands where the template now puts a file; move it and run sync again.`);
    }
  };
  const known = new Set<string>();
  for (const p of paths) {
    requireSafePath(p, 'sync', { manifest: true });
    // Read as a regular file in this run: no folder there.
    if (ours.has(p)) continue;
    const { st } = locate(root, p, 'sync', known);
    if (!st?.isDirectory()) continue;
    const files: string[] = [];
    walk(p, files);
    folders.set(p, files);
  }
  return folders;
}
