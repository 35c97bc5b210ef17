/**
 * A covering set of answer combinations for a template: every choice value at least once,
 * every pair of values of two choice/multi questions together (all-pairs, built greedily), and
 * text answers that are awkward for every format. Pure.
 */
import { defaultFor } from '../answers/resolve.js';
import { checkAnswer } from '../answers/validate.js';
import { evaluate } from '../template/conditions.js';
import type { AnswerValue, Answers, Condition, Question, TemplateSpec } from '../template/types.js';

/** A text answer that breaks any format a template forgets to escape (quotes, backslash, markup, YAML and TOML syntax). */
export const AWKWARD_TEXT = `"Ops": R&D <legacy> it's \\ {{x}} #[a] {b} *c`;

export const SAMPLE_DIR = 'sample-project';

const key = (v: AnswerValue) => JSON.stringify(v);

/** The values a choice or multi question is tried with. */
function domain(q: Question): AnswerValue[] {
  const values = (q.choices ?? []).map((c) => c.value);
  if (q.type === 'choice') return values;
  // multi: each value on its own, all of them, and none when none is allowed.
  const out: AnswerValue[] = values.map((v) => [v]);
  if (values.length > 1) out.push(values);
  if ((q.min ?? 0) === 0) out.push([]);
  return out;
}

/** Values for the other types: the default, and for text an awkward one (and empty when allowed). */
function scalarValues(q: Question): AnswerValue[] {
  if (q.type === 'text') return [AWKWARD_TEXT, ...(q.required ? [] : [''])];
  if (q.type === 'number') return [q.min ?? 0, q.max ?? 1_000_000].filter((n) => !q.integer || Number.isInteger(n));
  if (q.type === 'date') return ['2027-01-31'];
  return [];
}

/**
 * Resolves one combination the way generate does without a terminal: each question in order,
 * skipped when its `when` fails, the wanted value if it is valid there, else the default.
 */
export function resolveCombination(spec: TemplateSpec, wanted: Readonly<Record<string, AnswerValue>>): Answers {
  const answers: Answers = {};
  for (const q of spec.questions) {
    if (!evaluate(q.when, answers)) continue;
    const candidates: unknown[] = [];
    if (Object.hasOwn(wanted, q.key)) candidates.push(wanted[q.key]);
    const def = defaultFor(q, answers, SAMPLE_DIR);
    candidates.push(def ?? (q.type === 'multi' ? [] : q.type === 'text' ? '' : undefined));
    if (q.type === 'multi' && q.choices?.length) candidates.push([q.choices[0]!.value]);
    if (q.type === 'choice' && q.choices?.length) candidates.push(q.choices[0]!.value);
    for (const c of candidates) {
      if (c === undefined) continue;
      const checked = checkAnswer(q, c);
      if (checked.ok) {
        answers[q.key] = checked.value;
        break;
      }
    }
  }
  return answers;
}

export interface Combination {
  /** What the combination set out to try (before conditions and validation). */
  wanted: Record<string, AnswerValue>;
  answers: Answers;
}

/**
 * All-pairs over the choice and multi questions, greedy: each new combination takes, question
 * by question, the value that covers the most pairs not yet covered. Then one combination per
 * text/number value, and for every condition that held only one way, a combination that tries
 * the other (found by flipping one answer at a time).
 */
export function coveringSet(spec: TemplateSpec, conditions: readonly Condition[] = []): Combination[] {
  const params = spec.questions.filter((q) => (q.type === 'choice' || q.type === 'multi') && q.choices?.length);
  const domains = params.map(domain);
  const uncovered = new Set<string>();
  const pairKey = (i: number, a: AnswerValue, j: number, b: AnswerValue) => `${i}=${key(a)}|${j}=${key(b)}`;
  for (let i = 0; i < params.length; i++) {
    for (let j = i + 1; j < params.length; j++) for (const a of domains[i]!) for (const b of domains[j]!) uncovered.add(pairKey(i, a, j, b));
  }
  const wantedSets: Record<string, AnswerValue>[] = [{}];
  const repairable = new Map<string, [number, AnswerValue, number, AnswerValue]>();
  // Singles first, so that every value is tried even with one question.
  for (const [i, q] of params.entries()) for (const v of domains[i]!) if (params.length === 1) wantedSets.push({ [q.key]: v });
  let guard = 0;
  while (uncovered.size && guard++ < 500) {
    const pick: AnswerValue[] = [];
    for (let i = 0; i < params.length; i++) {
      let best: AnswerValue = domains[i]![0]!;
      let bestGain = -1;
      for (const v of domains[i]!) {
        let gain = 0;
        for (let j = 0; j < i; j++) if (uncovered.has(pairKey(j, pick[j]!, i, v))) gain++;
        // Looking ahead: pairs with later questions this value still has to cover.
        for (let j = i + 1; j < params.length; j++) for (const b of domains[j]!) if (uncovered.has(pairKey(i, v, j, b))) gain += 0.01;
        if (gain > bestGain) {
          best = v;
          bestGain = gain;
        }
      }
      pick.push(best);
    }
    // A pair counts as covered by what the combination resolves to: a question whose `when`
    // fails is not asked, so its picked value covers nothing.
    const wanted = Object.fromEntries(params.map((q, i) => [q.key, pick[i]!]));
    const resolved = resolveCombination(spec, wanted);
    const got = params.map((q) => (Object.hasOwn(resolved, q.key) ? resolved[q.key]! : undefined));
    let progress = false;
    for (let i = 0; i < params.length; i++) {
      for (let j = i + 1; j < params.length; j++) if (got[i] !== undefined && got[j] !== undefined) progress = uncovered.delete(pairKey(i, got[i]!, j, got[j]!)) || progress;
    }
    if (progress) wantedSets.push(wanted);
    // Pairs the pick asked for but could not reach (a condition hides one side) leave the
    // greedy loop and are tried once more below.
    else {
      for (let i = 0; i < params.length; i++) {
        for (let j = i + 1; j < params.length; j++) {
          const k = pairKey(i, pick[i]!, j, pick[j]!);
          if (uncovered.delete(k)) repairable.set(k, [i, pick[i]!, j, pick[j]!]);
        }
      }
    }
  }
  // Pairs a condition hid in every greedy pick: try each with one other question flipped.
  const pairs = [...repairable];
  for (const [k] of pairs) uncovered.add(k);
  for (const [k, [i, a, j, b]] of pairs) {
    if (!uncovered.has(k)) continue;
    const base = { ...(wantedSets[1] ?? {}), [params[i]!.key]: a, [params[j]!.key]: b };
    const tries = [base, ...params.flatMap((q, n) => (n === i || n === j ? [] : domains[n]!.map((v) => ({ ...base, [q.key]: v }))))];
    for (const wanted of tries) {
      const resolved = resolveCombination(spec, wanted);
      if (key(resolved[params[i]!.key] ?? null) === key(a) && key(resolved[params[j]!.key] ?? null) === key(b)) {
        wantedSets.push(wanted);
        const got = params.map((q) => (Object.hasOwn(resolved, q.key) ? resolved[q.key]! : undefined));
        for (let x = 0; x < params.length; x++) for (let y = x + 1; y < params.length; y++) if (got[x] !== undefined && got[y] !== undefined) uncovered.delete(pairKey(x, got[x]!, y, got[y]!));
        break;
      }
    }
  }
  // Scalars: each awkward value once, beside the first pairwise combination's choices.
  for (const q of spec.questions) {
    for (const v of scalarValues(q)) wantedSets.push({ ...(wantedSets[1] ?? {}), [q.key]: v });
  }
  const combos: Combination[] = [];
  const seen = new Set<string>();
  const add = (wanted: Record<string, AnswerValue>) => {
    const answers = resolveCombination(spec, wanted);
    const k = JSON.stringify(answers);
    if (seen.has(k)) return;
    seen.add(k);
    combos.push({ wanted, answers });
  };
  for (const w of wantedSets) add(w);
  // Every condition both ways: try flipping one question at a time from an existing combination.
  for (const cond of conditions) {
    for (const want of [true, false]) {
      if (combos.some((c) => evaluate(cond, c.answers) === want)) continue;
      search: for (const base of [...combos]) {
        for (const [i, q] of params.entries()) {
          for (const v of domains[i]!) {
            const wanted = { ...base.wanted, [q.key]: v };
            if (evaluate(cond, resolveCombination(spec, wanted)) === want) {
              add(wanted);
              break search;
            }
          }
        }
      }
    }
  }
  return combos;
}
