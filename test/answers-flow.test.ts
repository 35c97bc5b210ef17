import { describe, expect, it } from 'vitest';
import { GoBack, resolveAnswers } from '../src/core/answers/resolve.js';
import { parseTemplateSpec } from '../src/core/template/spec.js';
import type { AnswerValue, Question } from '../src/core/template/types.js';

const spec = parseTemplateSpec(`
name: t
version: 1.0.0
questions:
  - { key: a, type: text, message: A, default: a0 }
  - { key: b, type: text, message: B, default: b0 }
  - { key: kind, type: choice, message: Kind, choices: [x, y], default: x }
  - { key: extra, type: text, message: Extra, when: { kind: y }, default: "" , required: false }
  - { key: due, type: date, message: Due, default: { today_plus_months: 6 } }
`);

/** An asker that plays a script: a value, or 'BACK' for Esc; records what it was asked with. */
function scripted(script: (AnswerValue | 'BACK')[]) {
  const seen: [string, AnswerValue | undefined][] = [];
  const ask = async (q: Question, def: AnswerValue | undefined) => {
    seen.push([q.key, def]);
    const next = script.shift();
    if (next === undefined) throw new Error(`nothing scripted for ${q.key}`);
    if (next === 'BACK') throw new GoBack();
    return next;
  };
  return { ask, seen };
}

describe('answers on a terminal: review, going back, computed defaults', () => {
  it('a computed date default is the month end six months on', async () => {
    const r = await resolveAnswers(spec, { provided: {}, dirName: 'd', useDefaults: true, today: '2026-08-31' });
    expect(r.due).toBe('2027-02-28');
  });

  it('Esc goes back one question, offering the answer given', async () => {
    const { ask, seen } = scripted(['A1', 'B1', 'BACK', 'BACK', 'A2', 'B2', 'y', 'E', '2030-01-31']);
    const r = await resolveAnswers(spec, { provided: {}, dirName: 'd', useDefaults: false, ask, today: '2026-01-01' });
    expect(r).toEqual({ a: 'A2', b: 'B2', kind: 'y', extra: 'E', due: '2030-01-31' });
    // Back from kind to b (default B1), back from b to a (default A1).
    expect(seen.slice(2, 5)).toEqual([['kind', 'x'], ['b', 'B1'], ['a', 'A1']]);
  });

  it('the review can send a person back to any question; later answers are offered again', async () => {
    const { ask, seen } = scripted(['B1', 'y', 'E1', '2030-01-31', 'B2', 'x', '2030-01-31']);
    const verdicts: (true | string)[] = ['b', true];
    const reviewed: string[][] = [];
    const r = await resolveAnswers(spec, {
      provided: { a: 'given' },
      dirName: 'd',
      useDefaults: false,
      ask,
      review: async (_answers, askable) => {
        reviewed.push(askable.map((q) => q.key));
        return verdicts.shift()!;
      },
    });
    expect(r).toEqual({ a: 'given', b: 'B2', kind: 'x', due: '2030-01-31' });
    // What was given up front is not offered for change.
    expect(reviewed[0]).toEqual(['b', 'kind', 'extra', 'due']);
    expect(seen.slice(4)).toEqual([['b', 'B1'], ['kind', 'y'], ['due', '2030-01-31']]);
  });

  it('every wrong answer is reported at once; optional questions are never missing', async () => {
    await expect(resolveAnswers(spec, { provided: { a: 1, kind: 'z', due: 'soon' }, dirName: 'd', useDefaults: false })).rejects.toThrow(
      /^3 answers are wrong:\n {2}- a \(answers\): must be a string\.\n {2}- kind \(answers\): "z" is not one of x, y\.\n {2}- due \(answers\): "soon" is not a date/,
    );
    await expect(resolveAnswers(spec, { provided: { a: 'x', kind: 'y' }, dirName: 'd', useDefaults: false })).rejects.toThrow(/Missing answers for: b, due\./);
  });

  it('a computed default is data, checked: only today_plus_months, a whole number, on a date question', () => {
    const q = (d: string, type = 'date') => `name: t\nversion: 1.0.0\nquestions:\n  - { key: k, type: ${type}, message: K, default: ${d} }\n`;
    expect(() => parseTemplateSpec(q('{ today_plus_months: 2.5 }'))).toThrow(/default.today_plus_months: must be a whole number/);
    expect(() => parseTemplateSpec(q('{ today_plus_months: 6 }', 'text'))).toThrow(/today_plus_months is for a date question/);
    expect(() => parseTemplateSpec(q('{ run: "rm -rf /" }'))).toThrow(/default.run: is not a known field/);
  });
});
