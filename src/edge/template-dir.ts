import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { NotRegularFile, lstatOrNone, readRegularFile, specialKind } from './fs-quiet.js';
import { InputError } from '../core/errors.js';
import { prepareTemplate } from './parse-trees.js';
import type { LoadedTemplate } from '../core/template/types.js';

/** Limits on a template read from disk: anything larger is refused, not half-read. */
export const TEMPLATE_LIMITS = { files: 5000, bytes: 50 * 1024 * 1024, fileBytes: 5 * 1024 * 1024 };

async function walk(root: string, rel: string, out: Map<string, Uint8Array>, total: { bytes: number }, label = 'files', executable?: Set<string>): Promise<void> {
  const entries = readdirSync(path.join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    if (e.isSymbolicLink()) throw new InputError(`template file ${label}/${relPath}: is a symbolic link; templates may not contain links.`);
    if (e.isDirectory()) {
      await walk(root, relPath, out, total, label, executable);
    } else if (e.isFile()) {
      const data = readRegularFile(path.join(root, relPath));
      if (data.length > TEMPLATE_LIMITS.fileBytes) {
        throw new InputError(`template file ${label}/${relPath}: ${data.length} bytes is over the ${TEMPLATE_LIMITS.fileBytes}-byte limit for one file.`);
      }
      total.bytes += data.length;
      if (out.size >= TEMPLATE_LIMITS.files || total.bytes > TEMPLATE_LIMITS.bytes) {
        throw new InputError(`template files/: over the limit of ${TEMPLATE_LIMITS.files} files or ${TEMPLATE_LIMITS.bytes} bytes.`);
      }
      out.set(relPath, data);
      // The owner's execute bit, as git records it (100755): the one mode a template carries.
      if (executable && (statSync(path.join(root, relPath)).mode & 0o100) !== 0) executable.add(relPath);
    } else {
      // A FIFO would block the read forever; a device may never end. Neither is template data.
      const st = lstatOrNone(path.join(root, relPath));
      throw new InputError(`template file ${label}/${relPath}: is ${(st && specialKind(st)) ?? 'not a regular file'}, not a regular file; a template holds files and folders only.`);
    }
  }
}

/** Reads a template folder (template.yaml + files/) into memory. */
export async function loadTemplateDir(dir: string): Promise<LoadedTemplate> {
  const specFile = path.join(dir, 'template.yaml');
  let text: string;
  try {
    text = readRegularFile(specFile, 'utf8');
  } catch (e) {
    if (e instanceof NotRegularFile) throw new InputError(`--template: ${dir}/template.yaml ${e.reason}.`);
    throw new InputError(`--template: ${dir} has no template.yaml; a template is a folder with template.yaml and files/.`);
  }
  // The YAML reader is loaded with the first template.yaml that needs it.
  const { parseTemplateSpec } = await import('../core/template/spec.js');
  const spec = parseTemplateSpec(text, specFile);
  const files = new Map<string, Uint8Array>();
  const filesDir = path.join(dir, 'files');
  const st = lstatOrNone(filesDir);
  if (!st?.isDirectory()) throw new InputError(`--template: ${dir} has no files/ folder.`);
  const total = { bytes: 0 };
  const executable = new Set<string>();
  await walk(filesDir, '', files, total, 'files', executable);
  const generators = new Map<string, Uint8Array>();
  const genDir = path.join(dir, 'generators');
  if (lstatOrNone(genDir)?.isDirectory()) await walk(genDir, '', generators, total, 'generators');
  return prepareTemplate({ spec, files, generators, executable });
}
