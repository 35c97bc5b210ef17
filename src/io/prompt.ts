import { checkbox, input, select } from '@inquirer/prompts';
import { CancelledError } from '../errors.js';
import { checkAnswer } from '../answers/validate.js';
import type { Asker } from '../answers/resolve.js';
import type { AnswerValue, Question } from '../template/types.js';

// Prompts draw on stderr so that stdout stays clean for --json and for pipes.
const context = { output: process.stderr };

// The message shows under the question itself: it speaks of the answer and the labels on screen,
// not of the answer's key.
const validator = (q: Question) => (v: unknown) => {
  const r = checkAnswer(q, v, { labels: true });
  return r.ok ? true : `This answer ${r.error}.`;
};

async function askOne(q: Question, def: AnswerValue | undefined): Promise<AnswerValue> {
  const choices = (q.choices ?? []).map((c) => ({ name: c.label, value: c.value }));
  switch (q.type) {
    case 'choice':
      return select({ message: q.message, choices, default: def ?? undefined }, context);
    case 'multi': {
      const picked = Array.isArray(def) ? def : [];
      return checkbox(
        {
          message: q.message,
          choices: choices.map((c) => ({ ...c, checked: picked.includes(c.value) })),
          validate: (items) => validator(q)(items.map((i) => i.value)),
        },
        context,
      );
    }
    default: {
      const v = await input(
        { message: q.message, default: def === undefined || def === null ? undefined : String(def), validate: validator(q) },
        context,
      );
      return v;
    }
  }
}

/** Asks on the terminal; Ctrl-C becomes a CancelledError so the CLI exits 130 and writes nothing. */
export const terminalAsker: Asker = async (q, def) => {
  try {
    return await askOne(q, def);
  } catch (e) {
    if ((e as Error).name === 'ExitPromptError' || (e as Error).name === 'AbortPromptError') throw new CancelledError();
    throw e;
  }
};
