import type { Answers, AnswerValue, Condition, ConditionValue } from './types.js';

function matchValue(answer: AnswerValue | undefined, expected: string | number): boolean {
  if (Array.isArray(answer)) return answer.includes(String(expected));
  return answer !== undefined && answer !== null && String(answer) === String(expected);
}

function matchConditionValue(answer: AnswerValue | undefined, cv: ConditionValue): boolean {
  if (typeof cv === 'object' && cv !== null) {
    if ('any' in cv) return cv.any.some((v) => matchValue(answer, v));
    if ('not' in cv) return !matchValue(answer, cv.not);
  }
  return matchValue(answer, cv as string | number);
}

/** Whether a data condition holds for the answers given so far. */
export function evaluate(cond: Condition | undefined, answers: Answers): boolean {
  if (!cond) return true;
  if ('all' in cond && Array.isArray(cond.all)) return cond.all.every((c) => evaluate(c, answers));
  if ('any' in cond && Array.isArray(cond.any)) return cond.any.some((c) => evaluate(c as Condition, answers));
  return Object.entries(cond).every(([key, cv]) =>
    matchConditionValue(Object.hasOwn(answers, key) ? answers[key] : undefined, cv as ConditionValue),
  );
}

/** Answer keys a condition reads, to validate a template's conditions against its questions. */
export function conditionKeys(cond: Condition): string[] {
  if ('all' in cond && Array.isArray(cond.all)) return cond.all.flatMap(conditionKeys);
  if ('any' in cond && Array.isArray(cond.any)) return (cond.any as Condition[]).flatMap(conditionKeys);
  return Object.keys(cond);
}
