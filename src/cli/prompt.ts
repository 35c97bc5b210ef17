import { checkbox, input, select } from '@inquirer/prompts';
import { CancelledError } from '../core/errors.js';
import { checkAnswer, isPastDate, localToday } from '../core/answers/validate.js';
import type { Asker } from '../core/answers/resolve.js';
import type { AnswerValue, Question } from '../core/template/types.js';
import { KeyFeed } from './key-feed.js';
import { terminalSafe } from '../core/terminal-text.js';

// Prompts draw on stderr so that stdout stays clean for --json and for pipes; they read keys from
// one feed for the whole run, so that keys typed ahead (a pasted burst) reach the next question.
let feed: KeyFeed | undefined;
type Context = { output: NodeJS.WritableStream; input: NodeJS.ReadableStream };
function ask<T>(start: (context: Context) => Promise<T>): Promise<T> {
  feed ??= new KeyFeed();
  return feed.serve(start({ output: process.stderr, input: feed.input }));
}

// The message shows under the question itself: it speaks of the answer and the labels on screen,
// not of the answer's key.
const validator = (q: Question) => (v: unknown) => {
  const r = checkAnswer(q, v, { labels: true });
  if (!r.ok) return `This answer ${r.error}.`;
  // A date here is a deadline: one already gone is a slip of the keyboard, so ask again.
  // (Given by --set or a file it is taken, with a warning: see the generate command.)
  const today = localToday();
  if (q.type === 'date' && typeof r.value === 'string' && isPastDate(r.value, today)) return `${r.value} is in the past (today is ${today}): give a date ahead.`;
  return true;
};

async function askOne(q: Question, def: AnswerValue | undefined): Promise<AnswerValue> {
  // Question texts and labels come from the template: no control character reaches the terminal.
  const choices = (q.choices ?? []).map((c) => ({ name: terminalSafe(c.label), value: c.value }));
  const message = terminalSafe(q.message);
  switch (q.type) {
    case 'choice':
      return ask((context) => select({ message, choices, default: def ?? undefined }, context));
    case 'multi': {
      const picked = Array.isArray(def) ? def : [];
      return ask((context) => checkbox(
        {
          message,
          choices: choices.map((c) => ({ ...c, checked: picked.includes(c.value) })),
          validate: (items) => validator(q)(items.map((i) => i.value)),
        },
        context,
      ));
    }
    default: {
      return ask((context) => input({ message, default: def === undefined || def === null ? undefined : String(def), validate: validator(q) }, context));
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
