import { InputError } from './errors.js';
import { isPyKeyword } from './python.js';
import type { Question } from './template/types.js';

// Names a generated module or its test imports: a workflow named like one would shadow it.
const TAKEN = new Set(['os', 'sys', 'json', 'logging', 'pathlib', 'subprocess', 'textwrap', 'typing', 'pytest', 'kailash', 'kaizen', 'replace', 'settings', 'sources', 'rules', 'observability', 'nodes', 'workflows', 'runner', 'retry']);

/** A Python module name from `billing-sync` or `billing_sync`; the error names the key. */
export function moduleName(key: string, raw: unknown): string {
  const s = String(raw ?? '').trim().replace(/-/g, '_');
  if (!/^[a-z][a-z0-9_]*$/.test(s) || s.length > 60) {
    throw new InputError(`${key}: "${String(raw)}" must be lowercase letters, digits, _ or -, starting with a letter (like "billing_sync").`, key);
  }
  if (isPyKeyword(s)) throw new InputError(`${key}: "${s}" is a Python keyword.`, key);
  if (TAKEN.has(s)) throw new InputError(`${key}: "${s}" would shadow a module the project imports; pick another name.`, key);
  return s;
}

/** A Python class name in PascalCase; the error names the key. */
export function className(key: string, raw: unknown): string {
  const s = String(raw ?? '').trim();
  if (!/^[A-Z][A-Za-z0-9]*$/.test(s) || s.length > 60) {
    throw new InputError(`${key}: "${s}" must be a PascalCase class name (like "CobolFileReader").`, key);
  }
  return s;
}

export const snakeOf = (pascal: string) => pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
export const titleOf = (snake: string) => snake.split(/[_-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

export function question(key: string, type: Question['type'], message: string, extra: Partial<Question> = {}): Question {
  return { key, type, message, required: true, multiline: false, integer: false, ...extra };
}
