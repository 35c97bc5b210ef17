import { checkbox, input, select } from '@inquirer/prompts';
import { CancelledError } from '../core/errors.js';
import { checkAnswer, isPastDate, localToday } from '../core/answers/validate.js';
import { GoBack, type Asker } from '../core/answers/resolve.js';
import type { Answers, AnswerValue, Question } from '../core/template/types.js';
import { painter } from './output.js';
import { KeyFeed } from './key-feed.js';
import { terminalSafe } from '../core/terminal-text.js';

// Prompts draw on stderr so that stdout stays clean for --json and for pipes; they read keys from
// one feed for the whole run, so that keys typed ahead (a pasted burst) reach the next question.
let feed: KeyFeed | undefined;
type Context = { output: NodeJS.WritableStream; input: NodeJS.ReadableStream; clearPromptOnDone: boolean; signal: AbortSignal };
const BACK = 'back';
// Each prompt clears itself when it ends: a Ctrl-C leaves no list or error on screen, and an
// answer is written back as one line (see `answered`). Esc ends it too, to go back a question.
async function ask<T>(start: (context: Context) => Promise<T>): Promise<T> {
  feed ??= new KeyFeed();
  const stop = new AbortController();
  try {
    return await feed.serve(start({ output: process.stderr, input: feed.input, clearPromptOnDone: true, signal: stop.signal }), () => stop.abort(BACK));
  } catch (e) {
    if ((e as Error).name === 'AbortPromptError' && stop.signal.reason === BACK) throw new GoBack();
    throw e;
  }
}

/** An answer as the person saw it: the labels of the choices picked, or the text typed. */
function shown(q: Question, v: AnswerValue | undefined): string {
  const label = (x: string) => q.choices?.find((c) => c.value === x)?.label ?? x;
  if (Array.isArray(v)) return v.length ? v.map(label).join(', ') : '(none)';
  if (v === null || v === undefined || v === '') return '(none)';
  return q.type === 'choice' ? label(String(v)) : String(v);
}

/** A template's question text and the answer shown, safe for the terminal (a template is untrusted). */
const safeMessage = (q: Question) => terminalSafe(q.message);
const safeShown = (q: Question, v: AnswerValue | undefined) => terminalSafe(shown(q, v).replace(/\s*\n\s*/g, ' '));

function answered(q: Question, v: AnswerValue): void {
  const p = painter(process.stderr);
  process.stderr.write(`${p.green('✔')} ${p.bold(safeMessage(q))} ${p.cyan(safeShown(q, v))}\n`);
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

async function cancellable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if ((e as Error).name === 'ExitPromptError' || (e as Error).name === 'AbortPromptError') throw new CancelledError();
    throw e;
  }
}

let hinted = false;

/** Asks on the terminal; Ctrl-C becomes a CancelledError so the CLI exits 130 and writes nothing. */
export const terminalAsker: Asker = async (q, def) => {
  if (!hinted) {
    hinted = true;
    process.stderr.write(`${painter(process.stderr).dim('Esc goes back to the question before; Ctrl-C cancels (nothing is written until you confirm).')}\n`);
  }
  const v = await cancellable(() => askOne(q, def));
  answered(q, v);
  return v;
};

const CHANGE = '\u0000change';
const SHOW = '\u0000show';

/**
 * The answers, shown before anything is written (npm init's "Is this OK?"): take them, or pick a
 * question to go back to; the questions from there on are asked again, each with its answer so far.
 */
export async function reviewAnswers(answers: Answers, askable: Question[], all: Question[]): Promise<true | string> {
  if (!askable.length) return true;
  const p = painter(process.stderr);
  const list = () => {
    process.stderr.write(`\n${p.bold('Your answers:')}\n`);
    for (const q of all) if (Object.hasOwn(answers, q.key)) process.stderr.write(`  ${safeMessage(q)}: ${p.cyan(safeShown(q, answers[q.key]))}\n`);
    process.stderr.write('\n');
  };
  list();
  for (;;) {
    const verdict = await cancellable(() => ask((context) => select({
      message: 'Is this OK? (Esc: back to the last question)',
      choices: [
        { name: 'Yes, create the project', value: 'yes' },
        { name: 'No, go back and change an answer', value: CHANGE },
        { name: 'Show the answers again', value: SHOW },
      ],
    }, context)));
    if (verdict === 'yes') return true;
    if (verdict === SHOW) {
      list();
      continue;
    }
    const key = await cancellable(() => ask((context) => select({
      message: 'Which answer? (the questions after it are asked again, with your answers as defaults)',
      choices: askable.map((q) => ({ name: `${safeMessage(q)}: ${safeShown(q, answers[q.key])}`, value: q.key })),
      pageSize: Math.min(askable.length, 16),
    }, context)));
    return key;
  }
}
