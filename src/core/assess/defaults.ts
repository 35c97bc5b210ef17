import type { Question, TemplateSpec } from '../template/types.js';
import type { Suggestions } from './suggest.js';
import { answersOf } from './suggest.js';

/** A template's questions with assess's findings as their defaults, each message naming its evidence. Pure. */
export function withSuggestedDefaults(spec: TemplateSpec, s: Suggestions): TemplateSpec {
  const values = answersOf(s);
  const questions = spec.questions.map((q): Question => {
    if (!Object.hasOwn(values, q.key)) return q;
    const sug = s[q.key as keyof Suggestions]!;
    const e = sug.evidence[0];
    const where = e ? `${e.file}:${e.line}${sug.evidence.length > 1 ? ` and ${sug.evidence.length - 1} more` : ''}` : 'the scan';
    const allowed = new Set((q.choices ?? []).map((c) => c.value));
    const value = values[q.key]!;
    const fits = Array.isArray(value) ? value.every((v) => allowed.has(v)) : allowed.size === 0 || allowed.has(value);
    if (!fits) return q;
    const { defaultFrom: _drop, ...rest } = q;
    return { ...rest, default: value, message: `${q.message} (suggested by assess from ${where})` };
  });
  return { ...spec, questions };
}
