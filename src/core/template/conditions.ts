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

const shown = (v: string | number) => String(v);

/** A condition in words, for messages: `data_sources includes database`, `ci is not none`. */
export function describeCondition(cond: Condition | undefined, answers: Answers = {}): string {
  if (!cond) return 'always';
  if ('all' in cond && Array.isArray(cond.all)) return cond.all.map((c) => describeCondition(c, answers)).join(' and ');
  if ('any' in cond && Array.isArray(cond.any)) return (cond.any as Condition[]).map((c) => describeCondition(c, answers)).join(' or ');
  return Object.entries(cond).map(([key, cv]) => {
    const multi = Array.isArray(answers[key]);
    const v = cv as ConditionValue;
    if (typeof v === 'object' && v !== null && 'any' in v) return `${key} ${multi ? 'includes' : 'is'} one of ${v.any.map(shown).join(', ')}`;
    if (typeof v === 'object' && v !== null && 'not' in v) return `${key} ${multi ? 'does not include' : 'is not'} ${shown(v.not)}`;
    return `${key} ${multi ? 'includes' : 'is'} ${shown(v as string | number)}`;
  }).join(' and ');
}
