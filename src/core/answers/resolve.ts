import { InputError, MissingAnswersError } from '../errors.js';
import { evaluate } from '../template/conditions.js';
import type { Answers, AnswerValue, Question, TemplateSpec } from '../template/types.js';
import { checkAnswer, localToday, monthEndAfter } from './validate.js';

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
  onSkipped?: (q: Question, origin: string, answers: Answers) => void;
  /** The error for answers nobody gave (default: the generic one naming --answers, --set, --yes). */
  missing?: (keys: string[]) => string;
  /** Today (YYYY-MM-DD) for computed defaults; the local date when absent. */
  today?: string;
  /**
   * Shown the answers once all are known, on a terminal, with the questions that were asked (the
   * ones that can be changed): returns true to take them, or the key of a question to ask again (then every question is asked again from there, each answer so far its
   * default).
   */
  review?: (answers: Answers, askable: Question[], all: Question[]) => Promise<true | string>;
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
export function defaultFor(q: Question, answers: Answers, dirName: string, today = localToday()): AnswerValue | undefined {
  if (q.defaultComputed) return monthEndAfter(today, q.defaultComputed.todayPlusMonths);
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
  // Every mistake at once: a file with three is fixed in one go, not in three runs.
  const problems: { key: string; text: string }[] = [];
  if (unknown.length) {
    const where = opts.origins?.[unknown[0]!] ?? 'answers';
    problems.push({
      key: unknown[0]!,
      text: `${where}: "${unknown.join('", "')}" ${unknown.length > 1 ? 'are not questions' : 'is not a question'} of template ${spec.name}. Known keys: ${[...known].join(', ')}.`,
    });
  }
  let answers = await resolveOnce(spec, opts, problems, {});
  while (!problems.length && opts.review && opts.ask) {
    const verdict = await opts.review(answers, spec.questions.filter((q) => Object.hasOwn(answers, q.key) && !Object.hasOwn(opts.provided, q.key)), spec.questions);
    if (verdict === true) break;
    const from = spec.questions.findIndex((q) => q.key === verdict);
    // Asked again from the chosen question on; earlier answers stand, later ones are offered as defaults.
    const kept: Answers = {};
    for (const q of spec.questions.slice(0, Math.max(0, from))) if (Object.hasOwn(answers, q.key)) kept[q.key] = answers[q.key]!;
    answers = await resolveOnce(spec, opts, problems, kept, answers);
  }
  if (problems.length === 1) throw new InputError(problems[0]!.text, problems[0]!.key);
  if (problems.length) {
    throw new InputError(`${problems.length} answers are wrong:\n${problems.map((p) => `  - ${p.text}`).join('\n')}`, problems[0]!.key);
  }
  return answers;
}

async function resolveOnce(spec: TemplateSpec, opts: ResolveOptions, problems: { key: string; text: string }[], kept: Answers, before?: Answers): Promise<Answers> {
  const answers: Answers = {};
  const missing: string[] = [];
  const today = opts.today ?? localToday();
  for (const q of spec.questions) {
    if (!evaluate(q.when, answers)) {
      const origin = opts.origins?.[q.key];
      if (origin && Object.hasOwn(opts.provided, q.key) && !before) opts.onSkipped?.(q, origin, answers);
      continue;
    }
    const def = before && Object.hasOwn(before, q.key) ? before[q.key]! : defaultFor(q, answers, opts.dirName, today);
    let raw: unknown;
    let origin: string;
    if (Object.hasOwn(kept, q.key)) {
      answers[q.key] = kept[q.key]!;
      continue;
    } else if (Object.hasOwn(opts.provided, q.key)) {
      raw = opts.provided[q.key];
      origin = opts.origins?.[q.key] ?? 'answers';
    } else if (opts.ask && !problems.length) {
      raw = await opts.ask(q, def);
      origin = 'prompt';
    } else if ((opts.useDefaults || !q.required) && (def !== undefined || !q.required)) {
      // An optional question nobody answered takes its default: only required ones are missing.
      raw = def ?? (q.type === 'multi' ? [] : '');
      origin = 'default';
    } else {
      missing.push(q.key);
      continue;
    }
    const checked = checkAnswer(q, raw);
    if (!checked.ok) {
      problems.push({ key: q.key, text: `${q.key} (${origin}): ${checked.error}.` });
      continue;
    }
    answers[q.key] = checked.value;
    if ((origin === 'prompt' || origin === 'default') && !before) opts.onTaken?.(q, checked.value, origin);
  }
  if (problems.length) return answers;
  if (missing.length) {
    if (opts.missing) throw new InputError(opts.missing(missing));
    throw new MissingAnswersError(missing);
  }
  return answers;
}
