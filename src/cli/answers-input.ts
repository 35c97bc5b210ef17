import { InputError } from '../core/errors.js';
import { readBytes } from '../edge/inputs.js';
import { findForbiddenKey, findTooDeep } from '../core/template/safe-keys.js';
import { yamlProblem } from '../core/yaml-message.js';

export interface ProvidedAnswers {
  values: Record<string, unknown>;
  origins: Record<string, string>;
}

/** Reads --answers FILE (JSON or YAML) and applies each --set key=value over it. */
export async function readProvidedAnswers(file: string | undefined, sets: string[]): Promise<ProvidedAnswers> {
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  if (file) {
    // A FIFO or device is refused unopened, as everywhere: it could block or never end.
    const bytes = readBytes(file, (why) => new InputError(`--answers: ${file} ${readFailure(why)}.`));
    let text: string;
    try {
      // Invalid UTF-8 would otherwise become U+FFFD in the project, silently.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(`--answers: ${file} is not valid UTF-8 text.`);
    }
    let raw: unknown;
    try {
      // YAML is loaded only for a YAML file: most runs never need it.
      raw = /\.json$/i.test(file) ? JSON.parse(text) : (await import('yaml')).parse(text, { maxAliasCount: 50 });
    } catch (e) {
      const why = /call stack/i.test((e as Error).message) ? 'it nests too deeply' : yamlProblem(e as Error);
      throw new InputError(`--answers: ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML or JSON'}: ${why}`);
    }
    if (raw === null || raw === undefined) raw = {};
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`--answers: ${file} must hold a mapping of question keys to answers.`);
    const deep = findTooDeep(raw);
    if (deep) throw new InputError(`--answers: ${file}: ${deep} nests too deeply; an answer is a value or a list of values.`);
    const bad = findForbiddenKey(raw);
    if (bad) throw new InputError(`--answers: ${file}: key "${bad}" is not allowed.`);
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      values[k] = v;
      origins[k] = `--answers ${file}`;
    }
  }
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new InputError(`--set: "${s}" must be key=value.`);
    const key = s.slice(0, eq).trim();
    if (findForbiddenKey({ [key]: 1 })) throw new InputError(`--set: key "${key}" is not allowed.`);
    values[key] = s.slice(eq + 1);
    origins[key] = '--set';
  }
  return { values, origins };
}

/** Why a file could not be read, in words (an errno code is no message for a person). */
function readFailure(why: string): string {
  if (why === 'ENOENT') return 'does not exist';
  if (why === 'EISDIR') return 'is a folder, not a file';
  if (why === 'EACCES' || why === 'EPERM') return 'cannot be read: permission denied';
  return `cannot be read (${why})`;
}
