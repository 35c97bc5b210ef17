import { InputError, MissingAnswersError } from '../errors.js';
import { evaluate } from '../template/conditions.js';
import type { Answers, AnswerValue, Question, TemplateSpec } from '../template/types.js';
import { checkAnswer, localToday, monthEndAfter } from './validate.js';

export { MissingAnswersError };

/** Thrown by an Asker (or a review) when the person asks to go back to the question before. */
export class GoBack extends Error {
  constructor() {
    super('go back');
    this.name = 'GoBack';
  }
}

/** Where to start asking again: the question named (internal to resolveAnswers). */
class AskFrom extends Error {
  constructor(readonly key: string) {
    super(`ask from ${key}`);
  }
}

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
  // Asked again from a question on: earlier answers stand, later ones are offered as defaults.
  const from = (key: string, so: Answers) => {
    const at = spec.questions.findIndex((q) => q.key === key);
    const kept: Answers = {};
    for (const q of spec.questions.slice(0, Math.max(0, at))) if (Object.hasOwn(so, q.key)) kept[q.key] = so[q.key]!;
    return kept;
  };
  let kept: Answers = {};
  let before: Answers | undefined;
  // Told once each, for the final answers, however often a person went back.
  const taken = new Map<string, 'prompt' | 'default'>();
  const skipped = new Map<string, string>();
  let answers: Answers;
  for (;;) {
    try {
      answers = await resolveOnce(spec, opts, problems, kept, before, taken, skipped);
    } catch (e) {
      if (!(e instanceof AskFrom)) throw e;
      const so = (e as AskFrom & { so: Answers }).so;
      kept = from(e.key, so);
      before = { ...before, ...so };
      continue;
    }
    if (problems.length || !opts.review || !opts.ask) break;
    const askable = spec.questions.filter((q) => Object.hasOwn(answers, q.key) && !Object.hasOwn(opts.provided, q.key));
    let verdict: true | string;
    try {
      verdict = await opts.review(answers, askable, spec.questions);
    } catch (e) {
      // Esc at the review: back to the last question asked.
      if (!(e instanceof GoBack) || !askable.length) throw e;
      verdict = askable[askable.length - 1]!.key;
    }
    if (verdict === true) break;
    kept = from(verdict, answers);
    before = answers;
  }
  for (const q of spec.questions) {
    const origin = taken.get(q.key);
    if (origin && Object.hasOwn(answers!, q.key)) opts.onTaken?.(q, answers![q.key]!, origin);
    const skip = skipped.get(q.key);
    if (skip && !Object.hasOwn(answers!, q.key)) opts.onSkipped?.(q, skip, answers!);
  }
  if (problems.length === 1) throw new InputError(problems[0]!.text, problems[0]!.key);
  if (problems.length) {
    throw new InputError(`${problems.length} answers are wrong:\n${problems.map((p) => `  - ${p.text}`).join('\n')}`, problems[0]!.key);
  }
  return answers;
}

/** The last question among the kept answers that a person answered (not given up front). */
function lastKept(spec: TemplateSpec, kept: Answers, provided: Record<string, unknown>): string | undefined {
  return spec.questions.filter((q) => Object.hasOwn(kept, q.key) && !Object.hasOwn(provided, q.key)).pop()?.key;
}

async function resolveOnce(
  spec: TemplateSpec,
  opts: ResolveOptions,
  problems: { key: string; text: string }[],
  kept: Answers,
  before: Answers | undefined,
  taken: Map<string, 'prompt' | 'default'>,
  skipped: Map<string, string>,
): Promise<Answers> {
  const answers: Answers = {};
  const missing: string[] = [];
  const today = opts.today ?? localToday();
  // The questions asked in this pass, in order: Esc goes back to the last of them.
  const asked: string[] = [];
  for (const q of spec.questions) {
    if (!evaluate(q.when, answers)) {
      const origin = opts.origins?.[q.key];
      if (origin && Object.hasOwn(opts.provided, q.key)) skipped.set(q.key, origin);
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
      try {
        raw = await opts.ask(q, def);
      } catch (e) {
        if (!(e instanceof GoBack)) throw e;
        // Back to the question asked before this one (or this one again, at the first).
        const back = new AskFrom(asked.length ? asked[asked.length - 1]! : Object.keys(kept).length ? lastKept(spec, kept, opts.provided) ?? q.key : q.key);
        throw Object.assign(back, { so: { ...answers } });
      }
      asked.push(q.key);
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
    if (origin === 'prompt' || origin === 'default') taken.set(q.key, origin);
  }
  if (problems.length) return answers;
  if (missing.length) {
    if (opts.missing) throw new InputError(opts.missing(missing));
    throw new MissingAnswersError(missing);
  }
  return answers;
}
