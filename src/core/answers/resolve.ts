import { InputError, MissingAnswersError } from '../errors.js';
import { evaluate } from '../template/conditions.js';
import type { Answers, AnswerValue, Question, TemplateSpec } from '../template/types.js';
import { checkAnswer } from './validate.js';

export { MissingAnswersError };

export type Asker = (question: Question, defaultValue: AnswerValue | undefined) => Promise<AnswerValue>;

export interface ResolveOptions {
  /** Answers given up front (answers file and --set), with where each came from for messages. */
  provided: Record<string, unknown>;
  origins?: Record<string, string>;
  /** The target folder's name: the default project name. */
  dirName: string;
  /** Take defaults for anything not provided (--yes). */
  useDefaults: boolean;
  /** Prompt for what is missing; absent when there is no terminal. */
  ask?: Asker;
  /** Told of every answer taken that was not provided: asked on the terminal, or a default. */
  onTaken?: (q: Question, value: AnswerValue, origin: 'prompt' | 'default') => void;
  /** Told of a provided answer (by --set or a file) whose question is skipped by its condition. */
  onSkipped?: (q: Question, origin: string) => void;
  /** The error for answers nobody gave (default: the generic one naming --answers, --set, --yes). */
  missing?: (keys: string[]) => string;
}

/** Turns any folder name into the slug a project name must be. */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return s || 'migration';
}

/** The default of a question given the answers so far; pure. */
export function defaultFor(q: Question, answers: Answers, dirName: string): AnswerValue | undefined {
  if (q.defaultFrom) {
    const added = new Set(q.defaultFrom.filter((r) => evaluate(r.when, answers)).flatMap((r) => r.add));
    if (added.size) return (q.choices ?? []).map((c) => c.value).filter((v) => added.has(v));
  }
  if (typeof q.default === 'string' && q.default.includes('{{dir_name}}')) {
    return q.default.replaceAll('{{dir_name}}', slugify(dirName));
  }
  return q.default;
}

/**
 * Resolves every question of a template in order: given answers are validated, conditional
 * questions whose condition fails are dropped, and the rest are asked, defaulted, or reported
 * missing together in one error.
 */
export async function resolveAnswers(spec: TemplateSpec, opts: ResolveOptions): Promise<Answers> {
  const known = new Set(spec.questions.map((q) => q.key));
  const unknown = Object.keys(opts.provided).filter((k) => !known.has(k));
  if (unknown.length) {
    const where = opts.origins?.[unknown[0]!] ?? 'answers';
    throw new InputError(
      `${where}: "${unknown.join('", "')}" ${unknown.length > 1 ? 'are not questions' : 'is not a question'} of template ${spec.name}. Known keys: ${[...known].join(', ')}.`,
      unknown[0],
    );
  }
  const answers: Answers = {};
  const missing: string[] = [];
  for (const q of spec.questions) {
    if (!evaluate(q.when, answers)) {
      const origin = opts.origins?.[q.key];
      if (origin && Object.hasOwn(opts.provided, q.key)) opts.onSkipped?.(q, origin);
      continue;
    }
    const def = defaultFor(q, answers, opts.dirName);
    let raw: unknown;
    let origin: string;
    if (Object.hasOwn(opts.provided, q.key)) {
      raw = opts.provided[q.key];
      origin = opts.origins?.[q.key] ?? 'answers';
    } else if (opts.ask) {
      raw = await opts.ask(q, def);
      origin = 'prompt';
    } else if (opts.useDefaults && (def !== undefined || !q.required)) {
      raw = def ?? (q.type === 'multi' ? [] : '');
      origin = 'default';
    } else {
      missing.push(q.key);
      continue;
    }
    const checked = checkAnswer(q, raw);
    if (!checked.ok) throw new InputError(`${q.key} (${origin}): ${checked.error}.`, q.key);
    answers[q.key] = checked.value;
    if (origin === 'prompt' || origin === 'default') opts.onTaken?.(q, checked.value, origin);
  }
  if (missing.length) {
    if (opts.missing) throw new InputError(opts.missing(missing));
    throw new MissingAnswersError(missing);
  }
  return answers;
}
